"""whatif.xlsx in the round's language (issue 18): a Danish round's workbook has Danish
header rows, metric labels, scenario names and words; its sheet names and number formats
stay, and an English round's workbook is as it was."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pandas as pd

from camp_planner.models import Summary
from camp_planner.outputs.whatif_files import write_whatif_xlsx
from camp_planner.outputs.whatif_words import METRIC_WORDS
from camp_planner.whatif import scenario_metrics, whatif_table
from camp_planner.whatif.compare import METRIC_LABELS
from tests.whatif.test_metrics import IDS, PROBLEM, _roster


def _table():  # type: ignore[no-untyped-def]
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
    return whatif_table(
        [scenario_metrics(PROBLEM, base, "baseline"), scenario_metrics(PROBLEM, fewer, "4 venues")]
    )


def test_the_workbook_labels_are_the_comparisons() -> None:
    assert METRIC_WORDS == METRIC_LABELS


def test_a_danish_rounds_whatif_xlsx(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(write_whatif_xlsx(_table(), tmp_path / "w.xlsx", lang="da"))
    assert book.sheetnames == ["whatif", "comparison"]
    comparison = book["comparison"]
    header = [c.value for c in comparison[1]]
    assert header == ["nøgletal", "grundlag", "4 mødesteder", "4 mødesteder: ændring"]
    labels = [row[0].value for row in comparison.iter_rows(min_row=2)]
    assert "Virksomheder placeret" in labels and "Samlet rejse (km, én vej)" in labels
    assert "Companies placed" not in labels
    assert any(str(label).strip().startswith("uden plads: ") for label in labels)
    row = labels.index("Beregningens status") + 2
    assert comparison.cell(row=row, column=2).value in ("bevist bedst", "ikke bevist bedst")
    placed = labels.index("Virksomheder placeret") + 2
    assert comparison.cell(row=placed, column=4).value == -5
    assert comparison.cell(row=placed, column=4).number_format == "+0;-0;0"
    sheet = book["whatif"]
    head = [c.value for c in sheet[1]]
    assert head[:3] == ["scenarie", "Højst antal mødesteder", "Brugte mødesteder"]
    assert "ændring: Virksomheder placeret" in head
    assert [sheet.cell(row=r, column=1).value for r in (2, 3)] == ["grundlag", "4 mødesteder"]
    share = sheet.cell(row=3, column=head.index("Andel inden for 50 km") + 1)
    assert share.number_format == "0.0%"  # the formats follow the metrics, not the header


def test_a_danish_rounds_venues_sheet(tmp_path: Path) -> None:
    venues = pd.DataFrame(
        {"venue_id": ["skive", "viborg"], "venue": ["Skive", "Viborg"],
         "baseline": [2, "1 (required)"], "4 venues": ["closed", 1]}
    )  # fmt: skip
    path = write_whatif_xlsx(_table(), tmp_path / "w.xlsx", venues, lang="da")
    sheet = openpyxl.load_workbook(path)["venues"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows == [
        ["mødested-id", "mødested", "grundlag", "4 mødesteder"],
        ["skive", "Skive", 2, "lukket"],
        ["viborg", "Viborg", "1 (påkrævet)", 1],
    ]


def test_an_english_rounds_whatif_xlsx_is_as_it_was(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(write_whatif_xlsx(_table(), tmp_path / "w.xlsx"))
    header = [c.value for c in book["comparison"][1]]
    assert header == ["metric", "baseline", "4 venues", "4 venues: change"]
    assert [c.value for c in book["whatif"][1]][:3] == ["scenario", "max_venues", "venues"]
