"""What-if metrics on a hand-made roster, computed by hand."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from camp_planner.models import (
    AgeGroup,
    Cohort,
    Company,
    Level,
    PlanningProblem,
    Roster,
    RoundConfig,
    Session,
    SolverReport,
    SolverStatus,
    Step,
    Summary,
    Unplaced,
    UnplacedCode,
    Venue,
)
from camp_planner.outputs.whatif_files import write_whatif_csv, write_whatif_xlsx
from camp_planner.whatif import CONTRACT_COLUMNS, comparison_sheet, scenario_metrics, whatif_table
from camp_planner.whatif.compare import facilitator_days, nearest_rank, placed_travel_km

ROUND = RoundConfig(name="2027-Q1", start=date(2027, 1, 4), end=date(2027, 3, 26), max_venues=5)
VENUES = (
    Venue(venue_id="herning", name="Herning", lat=56.136, lon=8.977),
    Venue(venue_id="aarhus", name="Aarhus", lat=56.157, lon=10.211, residential=True),
)
#: Travel km of the ten placed companies, as the roster states them.
TRAVEL = [5.0, 10.0, 20.0, 30.0, 40.0, 49.9, 50.0, 50.1, 80.0, 120.0]


def _company(i: int) -> Company:
    return Company(
        company_id=f"1000000{i}" if i < 10 else f"100000{i}",
        name=f"Firma {i}",
        lat=56.0 + i / 100,
        lon=9.0,
        young=False,
        level=Level.C,
    )


COMPANIES = tuple(_company(i) for i in range(12))
PROBLEM = PlanningProblem(round=ROUND, companies=COMPANIES, venues=VENUES)
IDS = [c.company_id for c in COMPANIES]


def _roster() -> Roster:
    """C01 at Herning (companies 0-4), C02 at Aarhus (5-9) with Module 2 on two days, and C03
    at Aarhus, empty, whose sessions fall on days C01 and C02 already use (11 Jan, 15 Feb)."""
    c01 = Cohort(
        cohort_id="C01", venue_id="herning", module=Step.MODULE1, level=Level.C,
        age_group=AgeGroup.ESTABLISHED, members=IDS[0:5],
        sessions=[Session(step=Step.MODULE1, dates=[date(2027, 1, 11)]),
                  Session(step=Step.LAB1, dates=[date(2027, 2, 8)])],
    )  # fmt: skip
    c02 = Cohort(
        cohort_id="C02", venue_id="aarhus", module=Step.MODULE2, level=Level.C,
        age_group=AgeGroup.ESTABLISHED, members=IDS[5:10],
        sessions=[Session(step=Step.MODULE2, dates=[date(2027, 1, 14), date(2027, 1, 15)]),
                  Session(step=Step.LAB2, dates=[date(2027, 2, 15)])],
    )  # fmt: skip
    c03 = Cohort(
        cohort_id="C03", venue_id="aarhus", module=Step.MODULE1, level=Level.C,
        age_group=AgeGroup.ESTABLISHED, members=[],
        sessions=[Session(step=Step.MODULE1, dates=[date(2027, 1, 11)]),
                  Session(step=Step.LAB1, dates=[date(2027, 2, 15)])],
    )  # fmt: skip
    return Roster(
        round="2027-Q1",
        solver=SolverReport(
            status=SolverStatus.FEASIBLE, wall_time_s=1.0, objective=455.0, gap=0.125
        ),
        cohorts=[c01, c02, c03],
        unplaced=[
            Unplaced(company_id=IDS[10], code=UnplacedCode.CAPACITY, reason="full"),
            Unplaced(company_id=IDS[11], code=UnplacedCode.TOO_FAR, reason="far"),
        ],
        summary=Summary(
            placed=10, unplaced=2, travel_km_total=455.0, venues_used=["herning", "aarhus"]
        ),
        travel_km=dict(zip(IDS[:10], TRAVEL, strict=True)),
    )


def test_metrics_by_hand() -> None:
    row = scenario_metrics(PROBLEM, _roster(), "Skive closed", "closed: skive")
    assert list(row)[: len(CONTRACT_COLUMNS)] == CONTRACT_COLUMNS
    assert row["scenario"] == "Skive closed"
    assert row["max_venues"] == 5
    assert row["venues"] == "aarhus;herning"
    assert (row["cohorts"], row["placed"], row["unplaced"]) == (3, 10, 2)
    assert row["travel_km_total"] == 455.0
    assert row["travel_km_mean"] == 45.5  # 455 / 10
    # nearest rank: ceil(0.9 * 10) = 9th smallest
    assert row["travel_km_p90"] == 80.0
    assert row["travel_km_max"] == 120.0
    # <= 50 km: 5, 10, 20, 30, 40, 49.9 and 50 (not 50.1)
    assert row["share_within_50km"] == 0.7
    # 11 Jan (C01 and C03 share it), 14 + 15 Jan (Module 2), 8 Feb, 15 Feb (two labs)
    assert row["facilitator_days"] == 5
    assert row["session_days"] == 7
    assert (row["status"], row["gap"]) == ("FEASIBLE", 0.125)
    assert row["unplaced_capacity"] == 1 and row["unplaced_too_far"] == 1
    assert row["unplaced_segment_too_small"] == 0
    assert row["changes"] == "closed: skive"


def test_nearest_rank() -> None:
    assert nearest_rank([], 90) is None
    assert nearest_rank([7.0], 90) == 7.0
    assert nearest_rank(list(range(1, 21)), 90) == 18
    assert nearest_rank([3, 1, 2], 90) == 3
    assert nearest_rank(list(range(1, 111)), 90) == 99  # 0.9 * 110 is 99.00000000000001
    assert nearest_rank(list(range(1, 11)), 50) == 5


def test_travel_falls_back_to_the_distance_when_the_roster_has_none() -> None:
    roster = _roster().model_copy(update={"travel_km": {}})
    travel = placed_travel_km(PROBLEM, roster)
    venue = {v.venue_id: v for v in VENUES}
    expected = [PROBLEM.travel_km(COMPANIES[i], venue["herning"]) for i in range(5)] + [
        PROBLEM.travel_km(COMPANIES[i], venue["aarhus"]) for i in range(5, 10)
    ]
    assert travel == pytest.approx(expected)


def test_facilitator_days_count_module2_twice() -> None:
    roster = _roster()
    only_c02 = roster.model_copy(update={"cohorts": [roster.cohorts[1]]})
    assert facilitator_days(only_c02) == 3


def test_nobody_placed_leaves_travel_figures_empty() -> None:
    roster = Roster(
        round="2027-Q1",
        solver=SolverReport(status=SolverStatus.INFEASIBLE, wall_time_s=0.1),
        unplaced=[Unplaced(company_id=i, code=UnplacedCode.CAPACITY, reason="-") for i in IDS],
        summary=Summary(placed=0, unplaced=12, travel_km_total=0.0, venues_used=[]),
    )
    row = scenario_metrics(PROBLEM, roster, "none")
    assert row["travel_km_mean"] is row["travel_km_p90"] is row["travel_km_max"] is None
    assert row["share_within_50km"] is None and row["gap"] is None
    assert (row["cohorts"], row["facilitator_days"], row["venues"]) == (0, 0, "")
    table = whatif_table([scenario_metrics(PROBLEM, _roster(), "base"), row])
    assert table.at[1, "delta_placed"] == -10
    assert pd.isna(table.at[1, "delta_travel_km_mean"])
    assert table.at[1, "venues_dropped"] == "aarhus;herning"


def test_deltas_against_the_first_row() -> None:
    base = _roster()
    other = base.model_copy(
        update={
            "cohorts": base.cohorts[:2],
            "summary": Summary(
                placed=10, unplaced=2, travel_km_total=475.0, venues_used=["herning", "viborg"]
            ),
            "travel_km": {**base.travel_km, IDS[9]: 140.0},
        }
    )
    table = whatif_table(
        [scenario_metrics(PROBLEM, base, "baseline"), scenario_metrics(PROBLEM, other, "more")]
    )
    assert list(table.columns[: len(CONTRACT_COLUMNS)]) == CONTRACT_COLUMNS
    assert table["scenario"].tolist() == ["baseline", "more"]
    first = table.iloc[0]
    assert first["delta_placed"] == 0 and first["delta_travel_km_total"] == 0
    assert first["venues_added"] == "" and first["venues_dropped"] == ""
    second = table.iloc[1]
    assert second["delta_cohorts"] == -1
    assert second["delta_travel_km_total"] == 20.0
    assert second["delta_travel_km_mean"] == 2.0
    assert second["delta_travel_km_max"] == 20.0
    assert second["delta_facilitator_days"] == 0  # C03 only repeated days of the others
    assert (second["venues_added"], second["venues_dropped"]) == ("viborg", "aarhus")

    sheet = comparison_sheet(table)
    assert list(sheet.columns) == ["metric", "baseline", "more", "more: change"]
    by_metric = sheet.set_index("metric")
    assert by_metric.at["Total travel (km, one way)", "more: change"] == 20.0
    assert by_metric.at["Venues used", "more: change"] == "+viborg -aarhus"
    assert by_metric.at["Companies placed", "baseline"] == 10
    # only the unplaced codes that occur get a row
    assert any("capacity" in m for m in sheet["metric"])
    assert not any("segment too small" in m for m in sheet["metric"])
    assert math.isclose(by_metric.at["Share within 50 km", "more"], 0.7)


def test_whatif_files_show_counts_shares_and_changes(tmp_path: Path) -> None:
    """whatif.csv keeps shares 0-1; whatif.xlsx shows them as percentages, counts as whole
    numbers and changes with their sign."""
    base = _roster()
    fewer = base.model_copy(
        update={
            "cohorts": base.cohorts[:1],
            "summary": Summary(
                placed=5, unplaced=7, travel_km_total=105.0, venues_used=["herning"]
            ),
            "travel_km": {i: base.travel_km[i] for i in IDS[:5]},
        }
    )
    table = whatif_table(
        [scenario_metrics(PROBLEM, base, "baseline"), scenario_metrics(PROBLEM, fewer, "fewer")]
    )
    csv_rows = pd.read_csv(write_whatif_csv(table, tmp_path / "whatif.csv"), dtype=str)
    assert csv_rows["share_within_50km"].tolist() == ["0.7", "1.0"]
    assert csv_rows["delta_share_within_50km"].tolist() == ["0.0", "0.3"]
    assert csv_rows["placed"].tolist() == ["10", "5"]
    assert csv_rows["delta_placed"].tolist() == ["0", "-5"]
    assert csv_rows["delta_travel_km_total"].tolist() == ["0.0", "-350.0"]

    book = openpyxl.load_workbook(write_whatif_xlsx(table, tmp_path / "whatif.xlsx"))
    sheet = book["whatif"]
    header = [c.value for c in sheet[1]]

    def cell(name: str, row: int = 3) -> openpyxl.cell.cell.Cell:
        return sheet.cell(row=row, column=header.index(name) + 1)

    assert cell("share_within_50km").value == 1.0
    assert cell("share_within_50km").number_format == "0.0%"
    assert cell("gap").number_format == "0.0%"
    assert cell("delta_share_within_50km").number_format == "+0.0%;-0.0%;0.0%"
    for name in ("placed", "cohorts", "facilitator_days", "unplaced_capacity", "max_venues"):
        assert type(cell(name).value) is int and cell(name).number_format == "0", name
    assert cell("delta_placed").value == -5
    assert cell("delta_placed").number_format == "+0;-0;0"
    assert cell("travel_km_total").number_format == "#,##0.0"
    assert cell("delta_travel_km_total").number_format == "+#,##0.0;-#,##0.0;#,##0.0"

    comparison = {row[0].value: row[1:] for row in book["comparison"].iter_rows(min_row=2)}
    base_share, share, share_change = comparison["Share within 50 km"]
    assert (base_share.value, base_share.number_format) == (0.7, "0.0%")
    assert share.number_format == "0.0%"
    assert (share_change.value, share_change.number_format) == (0.3, "+0.0%;-0.0%;0.0%")
    placed, _, placed_change = comparison["Companies placed"]
    assert (placed.value, placed.number_format) == (10, "0") and type(placed.value) is int
    assert (placed_change.value, placed_change.number_format) == (-5, "+0;-0;0")
    assert comparison["Gap (0 = proven best)"][0].number_format == "0.0%"
    assert comparison["Venues used"][2].value == "-aarhus"  # text stays as it is
