"""Solve the round once as it is, once per remedy alone and once with all of them, and
compare what each buys (docs/remedies.md).

Every solve goes through the what-if runner (:func:`camp_planner.whatif.run_scenarios`),
so through the very same optimiser as ``roster``; a remedy's problem equal to one solved
before (e.g. "one more venue" when every venue is already allowed) is solved once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from camp_planner.distributed.executor import Executor, OnCounts
from camp_planner.models import PlanningProblem, Roster
from camp_planner.remedies.catalogue import ALL, Remedy, all_together, remedies_for
from camp_planner.scheduler.solve import remedies_can_act
from camp_planner.whatif.runner import ScenarioResult, run_scenarios
from camp_planner.whatif.scenarios import Scenario

__all__ = ["AS_IT_IS", "COLUMNS", "RemedyResult", "RemedyRun", "run_remedies"]

#: The name of the row of the round as round.toml says.
AS_IT_IS = "none (the round as it is)"
#: The columns of remedies.csv, in order (the first ten are the contract; the rest extra).
COLUMNS = [
    "remedy", "settings", "placed", "delta_placed", "travel_km_total", "delta_travel_km",
    "companies_helped", "status", "gap",
    "unplaced", "segment_too_small", "cohorts", "online_cohorts", "mixed_cohorts", "venues",
    "wall_time_s", "companies_lost",
]  # fmt: skip

#: Called before a remedy is solved: (index from 0, count, remedy name).
OnStart = Callable[[int, int, str], None]
#: Called after: (index, count, result).
OnDone = Callable[[int, int, "RemedyResult"], None]


@dataclass(frozen=True)
class RemedyResult:
    """One solved remedy (or the round as it is)."""

    remedy: Remedy | None
    problem: PlanningProblem
    roster: Roster
    #: the roster was shared with an identical problem solved before
    reused: bool = False
    #: why there is no roster: its solve failed twice on the executor (docs/ray.md)
    failure: str | None = None

    @property
    def name(self) -> str:
        """The remedy's name, or :data:`AS_IT_IS`."""
        return AS_IT_IS if self.remedy is None else self.remedy.name


@dataclass
class RemedyRun:
    """The round as it is, each remedy, and the remedies left out (with why)."""

    baseline: RemedyResult
    results: list[RemedyResult] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def table(self) -> pd.DataFrame:
        """remedies.csv: one row per remedy, best first (most placed, then least travel),
        then the round as it is."""
        base = self.baseline.roster
        base_placed = {m for c in base.cohorts for m in c.members}
        rows = [_row(r, base, base_placed) for r in self.results]
        rows.sort(key=lambda row: (-row["placed"], row["travel_km_total"], row["remedy"] == ALL))
        rows.append(_row(self.baseline, base, base_placed))
        failed = any(r.failure for r in [self.baseline, *self.results])
        return pd.DataFrame(rows, columns=[*COLUMNS, "failure"] if failed else COLUMNS)


def _row(result: RemedyResult, base: Roster, base_placed: set[str]) -> dict[str, Any]:
    roster = result.roster
    placed = {m for c in roster.cohorts for m in c.members}
    order = [c.company_id for c in result.problem.companies]
    helped = [cid for cid in order if cid in placed and cid not in base_placed]
    # who pays for the remedy: placed in the round as it is, without a place with it
    lost = [cid for cid in order if cid in base_placed and cid not in placed]
    travel = round(roster.summary.travel_km_total, 1)
    return {
        "remedy": result.name,
        "settings": "; ".join(result.remedy.settings) if result.remedy else "",
        "placed": roster.summary.placed,
        "delta_placed": roster.summary.placed - base.summary.placed,
        "travel_km_total": travel,
        "delta_travel_km": round(travel - round(base.summary.travel_km_total, 1), 1),
        "companies_helped": ";".join(helped),
        "status": roster.solver.status.value,
        "gap": roster.solver.gap,
        "unplaced": roster.summary.unplaced,
        "segment_too_small": sum(u.code.value == "segment_too_small" for u in roster.unplaced),
        "cohorts": len(roster.cohorts),
        "online_cohorts": sum(c.online for c in roster.cohorts),
        "mixed_cohorts": sum(c.mixed for c in roster.cohorts),
        "venues": ";".join(roster.summary.venues_used),
        "wall_time_s": roster.solver.wall_time_s,
        "companies_lost": ";".join(lost),
        "failure": result.failure or "",
    }


def run_remedies(
    problem: PlanningProblem,
    time_limit: float = 30.0,
    seed: int = 0,
    workers: int = 2,
    *,
    progress: Callable[[str], None] | None = None,
    on_start: OnStart | None = None,
    on_done: OnDone | None = None,
    executor: Executor | None = None,
    on_counts: OnCounts | None = None,
) -> RemedyRun:
    """Solve the round as it is, each remedy alone, and all of them together.

    Args:
        problem: The planning folder's problem.
        time_limit: Solver seconds per solve.
        seed: Solver random seed.
        workers: Solver threads.
        progress: Passed on to the solver (a line per improvement).
        on_start: Called before each solve with (index, count, name).
        on_done: Called after each solve.
        executor: Where the solves run; None (the default) solves here, one after the
            other, each from the rosters before it. With an executor (Ray), the round as
            it is first, then every remedy at once from its roster
            (:func:`camp_planner.remedies.waves.run_remedy_waves`).
        on_counts: With an executor: called with the solves finished, running, queued.

    Returns:
        The results; :meth:`RemedyRun.table` is remedies.csv.
    """
    remedies, skipped = remedies_for(problem)
    if len(remedies) > 1:
        remedies.append(all_together(remedies))
    if executor is not None:
        from camp_planner.remedies.waves import run_remedy_waves

        return run_remedy_waves(
            executor, problem, remedies, skipped, (time_limit, seed, workers),
            on_start=on_start, on_done=on_done, on_counts=on_counts,
        )  # fmt: skip
    count = 1 + len(remedies)
    solved: list[tuple[PlanningProblem, Roster]] = []

    def solve_one(index: int, variant: PlanningProblem, scenario: Scenario) -> ScenarioResult:
        if on_start:
            on_start(index, count, scenario.name)
        whatif = run_scenarios(
            variant, [scenario], time_limit, seed, workers, reuse=solved, progress=progress
        )
        result = whatif.results[0]
        solved.append((result.problem, result.roster))
        return result

    first = solve_one(0, problem, Scenario(AS_IT_IS))
    run = RemedyRun(RemedyResult(None, first.problem, first.roster, first.reused), [], skipped)
    if on_done:
        on_done(0, count, run.baseline)
    for index, remedy in enumerate(remedies, start=1):
        variant = remedy.variant(problem)
        if not remedy.scenario_changes and not remedies_can_act(variant):
            # e.g. young and established A companies together are still too few for a
            # cohort: the round is solved exactly as it is, so its roster stands.
            if on_start:
                on_start(index, count, remedy.name)
            result = RemedyResult(remedy, variant, run.baseline.roster, reused=True)
        else:
            solved_one = solve_one(index, variant, remedy.scenario())
            result = RemedyResult(remedy, solved_one.problem, solved_one.roster, solved_one.reused)
        run.results.append(result)
        if on_done:
            on_done(index, count, result)
    return run
