"""Every CSV the product writes is safe to open in Excel; workbooks store text as text.

participants.csv, whatif.csv and levels.csv go through one function
(:func:`camp_planner.outputs.excel_safe.csv_text`): a text cell starting with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return gets a leading ``'``; numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from camp_planner.models import Level, PlanningProblem, Roster, Scorecard
from camp_planner.outputs.excel_safe import (
    FORMULA_TRIGGERS,
    csv_text,
    neutralise,
    neutralise_frame,
    protect_text_cells,
    xlsx_frame,
    xlsx_text,
)
from camp_planner.outputs.levels_file import write_levels
from camp_planner.outputs.whatif_files import write_whatif_csv, write_whatif_xlsx
from camp_planner.outputs.writers import write_participants_csv, write_roster_xlsx
from camp_planner.scoring import score
from camp_planner.whatif import scenario_metrics, whatif_table
from tests.helpers.roster_fixture import make_problem, make_roster

#: Payloads that run as formulas when a spreadsheet opens a CSV holding them as they are.
EVIL = [
    '=HYPERLINK("http://x","y")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def _csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


# --- the shared function -----------------------------------------------------------


@pytest.mark.parametrize("text", EVIL)
def test_neutralise_prefixes_formula_text(text: str) -> None:
    assert neutralise(text) == "'" + text
    assert text.startswith(FORMULA_TRIGGERS)


@pytest.mark.parametrize(
    "value", ["Aarhus", "Karup Kaffe & Te ApS", "", " =1", "'=1", "2027-01-12", "12345678"]
)
def test_neutralise_leaves_plain_text(value: str) -> None:
    assert neutralise(value) == value


@pytest.mark.parametrize("value", [-12.5, -3, 0, 1.5, True, None, date(2027, 1, 4)])
def test_neutralise_leaves_other_values(value: object) -> None:
    assert neutralise(value) is value


def test_frame_changes_text_cells_only() -> None:
    frame = pd.DataFrame(
        {
            "name": ["=1+1", "Ølgod ApS", None],
            "delta_km": [-12.5, 0.0, float("nan")],
            "delta_placed": [-3, 0, 2],
            "mixed": ["-aarhus", -4, None],
            "flag": [True, False, True],
        }
    )
    out = neutralise_frame(frame)
    assert out["name"].tolist()[:2] == ["'=1+1", "Ølgod ApS"]
    assert out["name"].isna().tolist() == [False, False, True]
    assert out["delta_km"].tolist()[:2] == [-12.5, 0.0]
    assert out["delta_placed"].tolist() == [-3, 0, 2]
    assert out["mixed"].tolist()[:2] == ["'-aarhus", -4]
    assert out["flag"].tolist() == [True, False, True]
    assert frame.at[0, "name"] == "=1+1"  # the input is not changed

    rows = _csv_rows(csv_text(frame))
    assert [r["name"] for r in rows] == ["'=1+1", "Ølgod ApS", ""]
    assert [r["delta_km"] for r in rows] == ["-12.5", "0.0", ""]  # numbers stay numbers
    assert [r["delta_placed"] for r in rows] == ["-3", "0", "2"]
    assert [r["mixed"] for r in rows] == ["'-aarhus", "-4", ""]


def test_csv_text_quotes_line_breaks() -> None:
    text = csv_text(pd.DataFrame({"name": ["a\rb", "c\r\nd", "e\nf"], "n": [1, 2, 3]}))
    assert text == 'name,n\n"a\nb",1\n"c\nd",2\n"e\nf",3\n'


def test_csv_text_neutralises_column_names() -> None:
    frame = pd.DataFrame({"=evil": ["x"], "ok": [1]})
    assert csv_text(frame).splitlines()[0] == "'=evil,ok"


def test_xlsx_text_drops_characters_a_workbook_cannot_hold() -> None:
    assert xlsx_text("Pasted\x0bfrom Word\x07") == "Pastedfrom Word"
    assert xlsx_text("tab\tand\nline") == "tab\tand\nline"
    assert xlsx_text(3) == 3
    frame = xlsx_frame(pd.DataFrame({"name": ["a\x0bb"], "n": [1]}))
    assert frame.at[0, "name"] == "ab" and frame.at[0, "n"] == 1


def test_protect_text_cells(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row, text in enumerate([*EVIL, "plain"], start=1):
        sheet.cell(row=row, column=1, value=text.replace("\r", ""))
    sheet.cell(row=1, column=2, value=-12.5)
    assert sheet["A1"].data_type == "f"  # openpyxl's default: why the function exists
    protect_text_cells(sheet)
    book.save(tmp_path / "t.xlsx")
    loaded = openpyxl.load_workbook(tmp_path / "t.xlsx").active
    assert loaded is not None
    cells = [row[0] for row in loaded.iter_rows()]
    assert all(cell.data_type == "s" for cell in cells)
    assert cells[0].value == EVIL[0]  # the exact text, no apostrophe in a workbook
    assert [cell.quotePrefix for cell in cells] == [True] * len(EVIL) + [False]
    assert loaded["B1"].value == -12.5 and loaded["B1"].data_type == "n"


# --- every CSV the product writes ------------------------------------------------------


@pytest.fixture
def problem() -> PlanningProblem:
    return make_problem()


@pytest.fixture
def roster(problem: PlanningProblem) -> Roster:
    return make_roster(problem)


def _evil(problem: PlanningProblem, roster: Roster) -> tuple[PlanningProblem, Roster]:
    """Formula-like company names, an id and unplaced reasons (which quote company text)."""
    companies = list(problem.companies)
    for i, text in enumerate(EVIL):
        companies[i] = companies[i].model_copy(update={"name": text})
    old_id = companies[24].company_id  # unplaced
    companies[24] = companies[24].model_copy(update={"company_id": "-24", "name": "@evil"})
    unplaced = [
        u.model_copy(update={"company_id": "-24" if u.company_id == old_id else u.company_id})
        for u in roster.unplaced
    ]
    unplaced[1] = unplaced[1].model_copy(update={"reason": "=cmd|' /C calc'!A0 is far"})
    tricked = problem.model_copy(update={"companies": tuple(companies)})
    return tricked, roster.model_copy(update={"unplaced": unplaced})


def test_participants_csv_is_safe(tmp_path: Path, problem: PlanningProblem, roster: Roster) -> None:
    tricked, evil_roster = _evil(problem, roster)
    path = write_participants_csv(tricked, evil_roster, tmp_path / "participants.csv")
    rows = _csv_rows(path.read_bytes().decode("utf-8-sig"))
    # a carriage return inside a cell is written as a line break, in a quoted field
    assert [r["name"] for r in rows[: len(EVIL)]] == ["'" + t.replace("\r", "\n") for t in EVIL]
    assert rows[24]["company_id"] == "'-24" and rows[24]["name"] == "'@evil"
    assert rows[25]["unplaced_reason"] == "'=cmd|' /C calc'!A0 is far"
    for row in rows:
        for column, value in row.items():
            assert not value.startswith(FORMULA_TRIGGERS), (column, value)
    # the contract's values are as before: ids, ISO dates, numbers
    assert rows[0]["module"] == "module1" and rows[0]["module1"] == "2027-01-12"
    assert rows[8]["module2"] == "2027-01-29;2027-02-01"
    assert float(rows[0]["travel_km"]) > 0


def test_roster_xlsx_has_no_formula(
    tmp_path: Path, problem: PlanningProblem, roster: Roster
) -> None:
    tricked, evil_roster = _evil(problem, roster)
    path = write_roster_xlsx(tricked, evil_roster, tmp_path / "roster.xlsx")
    book = openpyxl.load_workbook(path)
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                    if cell.value.startswith(FORMULA_TRIGGERS):
                        assert cell.quotePrefix, (sheet.title, cell.coordinate)
    # workbook text is kept exactly (no apostrophe): it is stored as text
    assert EVIL[0] in texts and "-24" in texts and "=cmd|' /C calc'!A0 is far" in texts
    header = [cell.value for cell in book["cohorts"][1]]
    members = book["cohorts"].cell(row=2, column=header.index("members") + 1).value
    assert isinstance(members, str) and members.startswith(EVIL[0])


def test_levels_csv_is_safe(tmp_path: Path) -> None:
    cards = [
        Scorecard(company_id="=1+1", ambition=Level.A, market=Level.B),
        Scorecard(company_id="@id", ambition=Level.C),
        Scorecard(company_id="12345678", ambition=Level.B),
    ]
    path = write_levels([score(card) for card in cards], tmp_path / "levels.csv")
    rows = _csv_rows(path.read_bytes().decode("utf-8"))
    assert [r["company_id"] for r in rows] == ["'=1+1", "'@id", "12345678"]
    assert all(r["score_A"].replace(".", "").isdigit() for r in rows)


def test_whatif_csv_is_safe_and_keeps_negative_numbers(tmp_path: Path) -> None:
    table = pd.DataFrame(
        {
            "scenario": ["baseline", '=HYPERLINK("http://x")', "-3 venues"],
            "placed": [95, 93, None],
            "share_within_50km": [0.7579, 0.7, None],
            "changes": ["as planned", "@closed: skive", "+venues"],
            "delta_placed": [0, -2, None],
            "delta_travel_km_total": [0.0, -12.5, None],
            "delta_share_within_50km": [0.0, -0.0579, None],
        }
    )
    path = write_whatif_csv(table, tmp_path / "whatif.csv")
    rows = _csv_rows(path.read_bytes().decode("utf-8"))
    assert [r["scenario"] for r in rows] == ["baseline", '\'=HYPERLINK("http://x")', "'-3 venues"]
    assert [r["changes"] for r in rows] == ["as planned", "'@closed: skive", "'+venues"]
    assert [r["delta_travel_km_total"] for r in rows] == ["0.0", "-12.5", ""]
    assert [r["delta_share_within_50km"] for r in rows] == ["0.0", "-0.0579", ""]
    assert [r["share_within_50km"] for r in rows] == ["0.7579", "0.7", ""]  # 0-1, a number
    # counts are whole numbers even beside an empty cell
    assert [r["placed"] for r in rows] == ["95", "93", ""]
    assert [r["delta_placed"] for r in rows] == ["0", "-2", ""]


def test_whatif_xlsx_has_no_formula(
    tmp_path: Path, problem: PlanningProblem, roster: Roster
) -> None:
    evil = '=HYPERLINK("http://x")'
    table = whatif_table(
        [
            scenario_metrics(problem, roster, "baseline", "as planned"),
            scenario_metrics(problem, roster, evil, "@closed: skive"),
        ]
    )
    book = openpyxl.load_workbook(write_whatif_xlsx(table, tmp_path / "whatif.xlsx"))
    assert book.sheetnames == ["whatif", "comparison"]
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row), sheet.title
    assert book["whatif"]["A3"].value == evil
    assert book["comparison"]["C1"].value == evil  # a header, stored as text
    assert book["comparison"]["C1"].quotePrefix
