"""Scenarios share their rosters, both ways (docs/whatif.md "Scenarios share their rosters").

The small what-if folder solves to proven optimality in well under a second, so a scenario
that a tiny time limit leaves with a poor roster is simulated deterministically: the
runner's ``solve`` is wrapped so that the *first* solve of the baseline returns a valid but
poor roster (the 4-venue roster, marked FEASIBLE), whatever the machine's speed. Only the
second pass can then give the baseline the better roster that another scenario found.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import camp_planner.whatif.runner as runner
from camp_planner.io.folder import load_folder
from camp_planner.models import PlanningProblem, Roster, SolverStatus, VenueStatus
from camp_planner.scheduler import solve as real_solve
from camp_planner.whatif import Scenario, WhatIf, apply_scenario, run_scenarios
from camp_planner.whatif.runner import fits, keep_better
from tests.checker import check_roster
from tests.helpers.whatif_folder import write_small_folder

SOLVE = {"time_limit": 10.0, "seed": 0, "workers": 1}
BASELINE = Scenario(name="baseline")
FIVE = Scenario(name="5 venues", max_venues=5)
SKIVE = Scenario(name="Skive closed", closed=["skive"])


@pytest.fixture(scope="module")
def problem(tmp_path_factory: pytest.TempPathFactory) -> PlanningProblem:
    return load_folder(write_small_folder(tmp_path_factory.mktemp("sharing") / "round"))


@pytest.fixture(scope="module")
def rosters(problem: PlanningProblem) -> dict[str, Roster]:
    """Real rosters: the plain folder (6 venues), 5 venues, and a poor one of the plain
    folder: the 4-venue roster (valid with 6 venues too), marked FEASIBLE with a wide gap."""
    out = {}
    for scenario in (BASELINE, FIVE, Scenario(name="4", max_venues=4)):
        roster = real_solve(apply_scenario(problem, scenario), 10, 0, 1)
        assert roster.solver.status == SolverStatus.OPTIMAL
        out[scenario.name] = roster
    four = out.pop("4")
    travel = four.summary.travel_km_total
    out["poor"] = four.model_copy(
        update={
            "solver": four.solver.model_copy(
                update={
                    "status": SolverStatus.FEASIBLE,
                    # honest: below the 6-venue optimum (checked below)
                    "best_bound": 60.0,
                    "gap": round((travel - 60.0) / travel, 6),
                    "placed_bound": 48,
                }
            )
        }
    )
    assert (
        60.0
        < out["baseline"].summary.travel_km_total
        < out["5 venues"].summary.travel_km_total
        < out["poor"].summary.travel_km_total
    )
    return out


class Recorder:
    """The runner's `solve`: the real solver, except that the first solve of `slow`
    returns `poor` (and, with `second`, every later solve of it returns `second`)."""

    def __init__(
        self, slow: PlanningProblem | None, poor: Roster, second: Roster | None = None
    ) -> None:
        self.slow, self.poor, self.second = slow, poor, second
        self.calls: list[tuple[PlanningProblem, list[Roster]]] = []

    def __call__(
        self,
        problem: PlanningProblem,
        time_limit: float = 60.0,
        seed: int = 0,
        workers: int = 2,
        progress: Any = None,
        hints: Sequence[Roster] = (),
    ) -> Roster:
        earlier = sum(1 for p, _ in self.calls if p == problem)
        self.calls.append((problem, list(hints)))
        if problem == self.slow and earlier == 0:
            return self.poor
        if problem == self.slow and self.second is not None:
            return self.second
        return real_solve(problem, time_limit, seed, workers, progress, hints=hints)


def _valid(whatif: WhatIf) -> None:
    """Every roster passes the independent checker in its own scenario, and every company
    is placed or unplaced exactly once."""
    for result in whatif.results:
        problem, roster = result.problem, result.roster
        data = json.loads(roster.to_json())
        assert check_roster(problem.round, problem.companies, problem.venues, data) == [], (
            result.scenario.name
        )
        seen = Counter(
            [m for c in roster.cohorts for m in c.members] + [u.company_id for u in roster.unplaced]
        )
        assert set(seen) == {c.company_id for c in problem.companies}
        assert set(seen.values()) == {1}, result.scenario.name


def test_a_later_scenario_roster_improves_the_baseline_in_the_second_pass(
    problem: PlanningProblem, rosters: dict[str, Roster], monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = Recorder(problem, rosters["poor"])
    monkeypatch.setattr(runner, "solve", fake)
    events: list[tuple[str, int, str]] = []
    whatif = run_scenarios(
        problem,
        [BASELINE, FIVE],
        **SOLVE,
        on_start=lambda i, n, s: events.append(("start", i, s.name)),
        on_done=lambda i, n, r: events.append(("done", i, r.scenario.name)),
    )
    five_problem = whatif["5 venues"].problem
    # pass 1: the baseline first, without hints; 5 venues with the baseline's (poor) roster,
    # which keeps its rules (4 venues <= 5)
    assert fake.calls[0] == (problem, [])
    assert fake.calls[1][0] == five_problem
    assert fake.calls[1][1] == [rosters["poor"]]
    # pass 2: the baseline again, from the better roster of "5 venues" and its own
    assert len(fake.calls) == 3
    again, hints = fake.calls[2]
    assert again == problem
    assert hints == [whatif["5 venues"].roster, rosters["poor"]]
    assert events == [
        ("start", 0, "baseline"), ("done", 0, "baseline"),
        ("start", 1, "5 venues"), ("done", 1, "5 venues"),
        ("start", 0, "baseline"), ("done", 0, "baseline"),
    ]  # fmt: skip

    base = whatif["baseline"]
    assert base.second_solve_hints == ("5 venues",) and base.second_solve_kept is True
    assert base.roster.solver.status == SolverStatus.OPTIMAL
    assert base.roster.summary.travel_km_total == pytest.approx(
        rosters["baseline"].summary.travel_km_total
    )
    # the poor roster's 4 venues would have made closing a venue look like a saving
    assert base.roster.summary.travel_km_total < whatif["5 venues"].roster.summary.travel_km_total
    assert whatif["5 venues"].second_solve_hints == ()  # proven optimal: solved once
    _valid(whatif)

    table = whatif.table()
    assert table["second_solve_hints"].tolist() == ["5 venues", ""]
    assert table.at[0, "second_solve_kept"] == "true" and pd.isna(table.at[1, "second_solve_kept"])
    assert table.at[1, "delta_travel_km_total"] > 0
    assert table.at[1, "significant_travel_km_total"] == "true"  # both proven
    assert pd.isna(table.at[0, "significant_travel_km_total"])


def test_without_the_second_pass_the_poor_roster_stays(
    problem: PlanningProblem, rosters: dict[str, Roster], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The control: the improvement above comes from the second pass, not from luck."""
    monkeypatch.setattr(runner, "solve", Recorder(problem, rosters["poor"]))
    whatif = run_scenarios(problem, [BASELINE, FIVE], **SOLVE, second_pass=False)
    assert whatif["baseline"].roster == rosters["poor"]
    table = whatif.table()
    # 5 venues "saves" travel against the poor baseline, but within the baseline's gap
    assert table.at[1, "delta_travel_km_total"] < 0
    assert table.at[1, "significant_travel_km_total"] == "false"
    assert table.at[0, "travel_km_gap"] == pytest.approx(
        rosters["poor"].summary.travel_km_total - rosters["poor"].solver.best_bound, abs=1e-3
    )
    _valid(whatif)


def test_a_second_solve_no_better_keeps_the_first_roster_with_both_bounds(
    problem: PlanningProblem, rosters: dict[str, Roster], monkeypatch: pytest.MonkeyPatch
) -> None:
    poor = rosters["poor"]
    travel = poor.summary.travel_km_total
    # the second solve finds the same roster again, with a tighter proven bound
    gap = round((travel - 65.0) / travel, 6)
    same_again = poor.model_copy(
        update={
            "solver": poor.solver.model_copy(
                update={"best_bound": 65.0, "placed_bound": 48, "gap": gap}
            )
        }
    )
    monkeypatch.setattr(runner, "solve", Recorder(problem, poor, second=same_again))
    whatif = run_scenarios(problem, [BASELINE, FIVE], **SOLVE)
    base = whatif["baseline"]
    assert base.second_solve_hints == ("5 venues",) and base.second_solve_kept is False
    assert base.roster.cohorts == poor.cohorts
    # the bounds of both solves of the same problem: the tighter one
    assert base.roster.solver.best_bound == 65.0
    assert base.roster.solver.gap == pytest.approx(gap, abs=1e-6)
    assert base.roster.solver.status == SolverStatus.FEASIBLE
    _valid(whatif)


def test_reused_rosters_are_hints_and_shared_problems_are_solved_once(
    problem: PlanningProblem, rosters: dict[str, Roster], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A `reuse` roster is taken as it is for its own problem and is a hint for the others;
    a reused poor roster is improved by the second pass like any other."""
    fake = Recorder(None, rosters["poor"])  # every solve real
    monkeypatch.setattr(runner, "solve", fake)
    six = Scenario(name="6 venues", max_venues=6)  # the same problem as the baseline
    whatif = run_scenarios(
        problem, [BASELINE, six, SKIVE], **SOLVE, reuse=[(problem, rosters["poor"])]
    )
    assert whatif["baseline"].reused and whatif["6 venues"].reused
    skive_problem = whatif["Skive closed"].problem
    assert fake.calls[0][0] == skive_problem
    assert fake.calls[0][1] == [rosters["poor"]]
    # the baseline and "6 venues" are one problem: solved again once, both updated
    assert [p for p, _ in fake.calls[1:]] == [problem]
    assert whatif["baseline"].roster is whatif["6 venues"].roster
    assert whatif["baseline"].roster.solver.status == SolverStatus.OPTIMAL
    assert whatif["6 venues"].second_solve_hints == ("Skive closed",)
    _valid(whatif)


def test_fits_checks_the_rules_a_scenario_changes(
    problem: PlanningProblem, rosters: dict[str, Roster]
) -> None:
    six = rosters["baseline"]
    used = six.summary.venues_used
    assert fits(problem, six)
    assert not fits(apply_scenario(problem, FIVE), six)  # 6 venues > 5
    assert not fits(apply_scenario(problem, Scenario(name="c", closed=[used[0]])), six)
    assert fits(apply_scenario(problem, Scenario(name="r", required=[used[0]])), six)
    assert not fits(apply_scenario(problem, Scenario(name="r", required=["randers"])), six)
    assert not fits(apply_scenario(problem, Scenario(name="t", max_travel_km=1)), six)
    assert not fits(apply_scenario(problem, Scenario(name="m", cohort_min=9)), six)
    assert fits(apply_scenario(problem, Scenario(name="f", facilitators=2)), six)
    assert not any(v.status == VenueStatus.CLOSED for v in problem.venues)


def test_keep_better_orders_by_the_stages_and_prefers_the_proven(
    problem: PlanningProblem, rosters: dict[str, Roster]
) -> None:
    good, poor = rosters["baseline"], rosters["poor"]
    kept, second = keep_better(problem, poor, good)
    assert second and kept.cohorts == good.cohorts
    assert kept.solver.status == SolverStatus.OPTIMAL and kept.solver.gap == 0
    assert kept.solver.wall_time_s == pytest.approx(
        good.solver.wall_time_s + poor.solver.wall_time_s
    )
    kept, second = keep_better(problem, good, poor)
    assert kept.cohorts == good.cohorts and not second
    unproven = good.model_copy(
        update={"solver": good.solver.model_copy(update={"status": SolverStatus.FEASIBLE})}
    )
    kept, second = keep_better(problem, unproven, good)  # a tie: the proven one
    assert second and kept.solver.status == SolverStatus.OPTIMAL
    # fewer placed is worse, whatever the travel
    fewer = good.model_copy(
        update={"summary": good.summary.model_copy(update={"placed": 47, "travel_km_total": 1.0})}
    )
    assert keep_better(problem, fewer, good)[1]


def test_the_cli_table_and_files_show_significance(tmp_path: Path) -> None:
    """End to end on the small folder: every column kept, the new ones added."""
    from typer.testing import CliRunner

    from camp_planner.cli import app
    from camp_planner.whatif import CONTRACT_COLUMNS

    folder = write_small_folder(tmp_path / "round")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app, ["whatif", str(folder), "--venues", "5-6", "--out", str(out), "--workers", "1"]
    )
    assert result.exit_code == 0, result.output
    header = (out / "whatif.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[: len(CONTRACT_COLUMNS)] == CONTRACT_COLUMNS
    for column in (
        "travel_km_bound", "travel_km_gap", "placed_bound", "significant_placed",
        "significant_travel_km_total", "second_solve_hints", "second_solve_kept",
    ):  # fmt: skip
        assert column in header
    rows = (out / "whatif.csv").read_text(encoding="utf-8").splitlines()
    significant = header.index("significant_travel_km_total")
    assert [r.split(",")[significant] for r in rows[1:]] == ["", "true"]
