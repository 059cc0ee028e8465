"""Solving the small round once per remedy: the effect of each (worked out by hand in
`small_round`), the ranked table and remedies.csv."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from camp_planner.models import PlanningProblem
from camp_planner.outputs.remedies_files import write_remedies_csv
from camp_planner.remedies import AS_IT_IS, COLUMNS, RemedyRun, run_remedies
from tests.checker import check_roster
from tests.helpers.sched_build import LEG_KM, co, rnd, ve
from tests.remedies import small_round

CONTRACT = [
    "remedy", "settings", "placed", "delta_placed", "travel_km_total", "delta_travel_km",
    "companies_helped", "status", "gap",
]  # fmt: skip


@pytest.fixture(scope="module")
def run() -> RemedyRun:
    started: list[str] = []
    result = run_remedies(
        small_round.problem(),
        time_limit=10,
        workers=1,
        on_start=lambda i, n, name: started.append(name),
    )
    assert started == [
        AS_IT_IS, "online cohorts", "mix levels A+B", "no travel limit", "one more venue",
        "all of them",
    ]  # fmt: skip
    return result


def test_every_remedy_roster_is_valid_and_optimal(run: RemedyRun):
    for result in [run.baseline, *run.results]:
        roster = result.roster.model_dump(mode="json")
        problem = result.problem
        assert check_roster(problem.round, problem.companies, problem.venues, roster) == []
        assert result.roster.solver.status.value == "OPTIMAL", result.name


def test_table_ranks_the_remedies_best_first(run: RemedyRun):
    table = run.table()
    assert list(table.columns) == COLUMNS and COLUMNS[:9] == CONTRACT
    rows = {row["remedy"]: row for row in table.to_dict("records")}
    assert list(table["remedy"]) == [
        "all of them", "online cohorts", "mix levels A+B", "one more venue", "no travel limit",
        AS_IT_IS,
    ]  # fmt: skip
    expect = {  # placed, km, companies helped (see small_round)
        "all of them": (13, 0.0, "f1;f2;f3;f4;b1;b2;b3;a1"),
        "online cohorts": (12, 0.0, "f1;f2;f3;f4;b1;b2;b3"),
        "mix levels A+B": (9, 0.0, "b1;b2;b3;a1"),
        "one more venue": (9, 0.0, "f1;f2;f3;f4"),
        "no travel limit": (9, round(4 * LEG_KM, 1), "f1;f2;f3;f4"),
        AS_IT_IS: (5, 0.0, ""),
    }
    for name, (placed, km, helped) in expect.items():
        row = rows[name]
        assert (row["placed"], row["delta_placed"]) == (placed, placed - 5), name
        assert row["travel_km_total"] == pytest.approx(km, abs=0.05), name
        assert row["delta_travel_km"] == pytest.approx(km, abs=0.05), name
        assert row["companies_helped"] == helped, name
        assert row["status"] == "OPTIMAL"
    assert rows["online cohorts"]["online_cohorts"] == 2
    assert rows["all of them"]["online_cohorts"] == 0  # in person wherever it places as many
    assert rows["all of them"]["mixed_cohorts"] == 1
    assert rows["all of them"]["settings"] == (
        'online_cohorts = true; mix_levels = ["A+B"]; max_travel_km = 0; max_venues = 2'
    )


def test_csv_is_atomic_exact_and_safe_in_excel(tmp_path: Path):
    # a company id that Excel would run as a formula is written as text
    cs = [co("=1+1", level="A", young=True), co("b1", level="B", young=True)]
    cs += [co(f"c{i}") for i in range(2)]
    problem = PlanningProblem(round=rnd(), companies=tuple(cs), venues=(ve("v"),))
    table = run_remedies(problem, time_limit=10, workers=1).table()
    path = write_remedies_csv(table, tmp_path / "out" / "remedies.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel
    assert not list((tmp_path / "out").glob("*.tmp*"))
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == COLUMNS
        rows = list(reader)
    helped = {row["remedy"]: row["companies_helped"] for row in rows}
    assert helped["mix levels A+B"] == "'=1+1;b1"
    assert rows[-1]["remedy"] == AS_IT_IS
