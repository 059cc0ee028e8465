"""A difference within the gaps is not significant (docs/whatif.md), on hand-made figures.

The issue's own numbers: with ``--time-limit 12`` the baseline was FEASIBLE at 2,647.9 km
(a 3 % gap) and "Skive closed" OPTIMAL at 2,613.8 km, and the table said closing Skive
saves 34.1 km. 3 % of 2,647.9 km is 79.4 km, more than 34.1 km: not significant.
"""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from rich.console import Console

from camp_planner.cli.whatif import NOT_SIGNIFICANT, comparison_table
from camp_planner.models import (
    Company,
    Level,
    PlanningProblem,
    Roster,
    RoundConfig,
    SolverReport,
    SolverStatus,
    Summary,
    Venue,
)
from camp_planner.outputs.whatif_files import write_whatif_csv, write_whatif_png
from camp_planner.whatif import CONTRACT_COLUMNS, comparison_sheet, scenario_metrics, whatif_table
from camp_planner.whatif.compare import placed_gap, significant, travel_gap_km

PROBLEM = PlanningProblem(
    round=RoundConfig(name="2027-Q1", start=date(2027, 1, 4), end=date(2027, 3, 26)),
    companies=(
        Company(company_id="10000001", name="Firma", lat=56.0, lon=9.0, young=False, level=Level.C),
    ),
    venues=(Venue(venue_id="skive", name="Skive", lat=56.567, lon=9.027),),
)
OPTIMAL, FEASIBLE = SolverStatus.OPTIMAL, SolverStatus.FEASIBLE


def _roster(
    status: SolverStatus,
    travel: float,
    gap: float | None = 0.0,
    placed: int = 100,
    placed_bound: int | None = None,
) -> Roster:
    """A roster with only the figures the comparison reads (no cohorts)."""
    bound = None if gap is None else round(travel * (1 - gap), 3)
    return Roster(
        round="2027-Q1",
        solver=SolverReport(
            status=status,
            wall_time_s=12.0,
            objective=travel,
            best_bound=bound,
            gap=gap,
            placed_bound=placed if status == OPTIMAL else placed_bound,
        ),
        summary=Summary(
            placed=placed, unplaced=120 - placed, travel_km_total=travel, venues_used=[]
        ),  # fmt: skip
    )


def _table(base: Roster, other: Roster) -> pd.DataFrame:
    return whatif_table(
        [
            scenario_metrics(PROBLEM, base, "baseline"),
            scenario_metrics(PROBLEM, other, "Skive closed", "closed: skive"),
        ]
    )


def test_the_issue_case_is_not_significant() -> None:
    table = _table(_roster(FEASIBLE, 2647.9, gap=0.03), _roster(OPTIMAL, 2613.8))
    assert table.at[1, "delta_travel_km_total"] == pytest.approx(-34.1)
    assert table.at[0, "travel_km_bound"] == pytest.approx(2568.463)
    assert table.at[0, "travel_km_gap"] == pytest.approx(79.437)
    assert table.at[1, "travel_km_gap"] == 0.0
    assert table.at[1, "significant_travel_km_total"] == "false"
    assert pd.isna(table.at[0, "significant_travel_km_total"])  # the baseline: empty
    # the same placed on both sides, both proven: no difference, nothing significant
    assert table.at[1, "delta_placed"] == 0 and table.at[1, "significant_placed"] == "false"


def test_both_proven_is_significant() -> None:
    table = _table(_roster(OPTIMAL, 2647.9), _roster(OPTIMAL, 2613.8))
    assert table.at[1, "significant_travel_km_total"] == "true"


def test_a_difference_just_beyond_the_gaps_is_significant() -> None:
    # gaps 79.437 + 0; a difference of 80 km is beyond them, 79 km is not
    base = _roster(FEASIBLE, 2647.9, gap=0.03)
    assert _table(base, _roster(OPTIMAL, 2567.9)).at[1, "significant_travel_km_total"] == "true"
    assert _table(base, _roster(OPTIMAL, 2568.9)).at[1, "significant_travel_km_total"] == "false"
    # the gaps of both sides add up: 79.437 + 2 % of 2,560 (51.2)
    other = _roster(FEASIBLE, 2560.0, gap=0.02)
    assert _table(base, other).at[1, "significant_travel_km_total"] == "false"


def test_an_unknown_bound_is_an_infinite_gap() -> None:
    table = _table(_roster(FEASIBLE, 2647.9, gap=None), _roster(OPTIMAL, 1000.0))
    assert pd.isna(table.at[0, "travel_km_bound"]) and pd.isna(table.at[0, "travel_km_gap"])
    assert table.at[1, "significant_travel_km_total"] == "false"
    # no roster at all (the time limit ran out first): nothing about it is significant
    none = Roster(
        round="2027-Q1",
        solver=SolverReport(status=SolverStatus.TIME_LIMIT, wall_time_s=12.0),
        summary=Summary(placed=0, unplaced=120, travel_km_total=0.0, venues_used=[]),
    )
    table = _table(_roster(OPTIMAL, 2647.9), none)
    assert table.at[1, "significant_placed"] == "false"
    assert table.at[1, "significant_travel_km_total"] == "false"


def test_placed_within_the_placed_bounds_is_not_significant() -> None:
    base = _roster(FEASIBLE, 2647.9, gap=0.0, placed=100, placed_bound=102)
    assert _table(base, _roster(OPTIMAL, 2600.0, placed=99)).at[1, "significant_placed"] == (
        "false"
    )
    assert _table(base, _roster(OPTIMAL, 2600.0, placed=97)).at[1, "significant_placed"] == "true"
    proven = _roster(OPTIMAL, 2647.9, placed=100)
    assert _table(proven, _roster(OPTIMAL, 2600.0, placed=99)).at[1, "significant_placed"] == (
        "true"
    )
    unknown = _roster(FEASIBLE, 2647.9, placed=100, placed_bound=None)
    assert _table(unknown, _roster(OPTIMAL, 2600.0, placed=90)).at[1, "significant_placed"] == (
        "false"
    )
    assert _table(base, proven).at[0, "placed_bound"] == 102


def test_the_rule_itself() -> None:
    assert significant(-34.1, 79.4, 0.0) is False
    assert significant(-34.1, 0.0, 0.0) is True
    assert significant(34.1, 20.0, 14.1) is False  # not larger than the sum
    assert significant(0, 0.0, 0.0) is False
    assert significant(None, 0.0, 0.0) is None
    assert significant(5, math.inf, 0.0) is False
    assert travel_gap_km("OPTIMAL", 100.0, None) == 0.0
    assert travel_gap_km("FEASIBLE", 100.0, None) == math.inf
    assert travel_gap_km("FEASIBLE", 100.0, 97.0) == pytest.approx(3.0)
    assert placed_gap("FEASIBLE", 10, 12) == 2 and placed_gap("OPTIMAL", 10, None) == 0
    assert placed_gap("TIME_LIMIT", 0, None) == math.inf


def test_files_table_and_chart_say_it(tmp_path: Path) -> None:
    table = _table(_roster(FEASIBLE, 2647.9, gap=0.03), _roster(OPTIMAL, 2613.8))
    rows = pd.read_csv(write_whatif_csv(table, tmp_path / "whatif.csv"), dtype=str)
    assert list(rows.columns[: len(CONTRACT_COLUMNS)]) == CONTRACT_COLUMNS
    for column in ("changes", "session_days", "venues_added", "delta_travel_km_total"):
        assert column in rows.columns  # the extras before stay
    assert rows["significant_travel_km_total"].fillna("").tolist() == ["", "false"]
    assert rows["travel_km_bound"].tolist() == ["2568.463", "2613.8"]

    by_metric = comparison_sheet(table).set_index("metric")
    verdict = by_metric.at["Change in total travel beyond the gaps", "Skive closed"]
    assert verdict == "no: within the gaps"
    assert by_metric.at["Change in total travel beyond the gaps", "baseline"] is None

    console = Console(width=300, record=True)
    console.print(comparison_table(table))
    text = console.export_text()
    assert f"2,613.8 (-34.1, {NOT_SIGNIFICANT})" in text
    assert "Total travel: proven lower bound (km)" in text
    assert "significant_" not in text and "Change in total travel beyond" not in text

    for by_venues in (False, True):
        png = write_whatif_png(table, tmp_path / f"chart-{by_venues}.png", by_venues)
        assert png.read_bytes().startswith(b"\x89PNG")
