"""roster.json, participants.csv, roster.xlsx and the atomic writes behind them."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
import pytest

from camp_planner.models import PlanningProblem, Roster, Session, Step, working_days
from camp_planner.outputs import writers
from camp_planner.outputs.atomic import atomic_path, atomic_write_bytes, atomic_write_text
from camp_planner.outputs.writers import (
    participants_table,
    write_participants_csv,
    write_roster_json,
    write_roster_xlsx,
)
from tests.helpers.roster_fixture import make_problem, make_roster


@pytest.fixture
def problem() -> PlanningProblem:
    return make_problem()


@pytest.fixture
def roster(problem: PlanningProblem) -> Roster:
    return make_roster(problem)


# --- atomic writes ---------------------------------------------------------------------


def test_atomic_write_creates_parents_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "file.txt"
    atomic_write_text(target, "hello æøå")
    assert target.read_text(encoding="utf-8") == "hello æøå"
    atomic_write_bytes(target, b"again")
    assert target.read_bytes() == b"again"
    assert [p.name for p in target.parent.iterdir()] == ["file.txt"]


def test_atomic_path_failure_leaves_target_untouched(tmp_path: Path) -> None:
    target = tmp_path / "roster.xlsx"
    target.write_text("old")
    with pytest.raises(RuntimeError, match="boom"), atomic_path(target) as tmp:
        assert tmp.parent == tmp_path and tmp.suffix == ".xlsx"
        tmp.write_text("half-written")
        raise RuntimeError("boom")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["roster.xlsx"]


def test_atomic_path_success_replaces(tmp_path: Path) -> None:
    target = tmp_path / "map.html"
    target.write_text("old")
    with atomic_path(target) as tmp:
        tmp.write_text("new")
        assert target.read_text() == "old"  # not visible before the block ends
    assert target.read_text() == "new"
    assert target.stat().st_mode & 0o644 == 0o644  # readable like a normal file


def test_xlsx_failure_midway_keeps_previous_workbook(
    tmp_path: Path, problem: PlanningProblem, roster: Roster, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "roster.xlsx"
    target.write_bytes(b"previous")

    written: list[str] = []
    stream_sheet = writers.stream_sheet

    def fail(book: Any, name: str, *args: Any, **kwargs: Any) -> None:
        if written:  # the second sheet: the first one is in the workbook being written
            raise OSError("disk full")
        written.append(name)
        stream_sheet(book, name, *args, **kwargs)

    monkeypatch.setattr(writers, "stream_sheet", fail)
    with pytest.raises(OSError, match="disk full"):
        write_roster_xlsx(problem, roster, target)
    assert written == ["cohorts"]
    assert target.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir()] == ["roster.xlsx"]


# --- roster.json -----------------------------------------------------------------------


def test_roster_json_round_trip(tmp_path: Path, roster: Roster) -> None:
    path = write_roster_json(roster, tmp_path / "out" / "roster.json")
    assert Roster.from_json(path.read_text(encoding="utf-8")) == roster


# --- participants ----------------------------------------------------------------------


def test_participants_table_one_row_per_company(problem: PlanningProblem, roster: Roster) -> None:
    table = participants_table(problem, roster)
    assert list(table["company_id"]) == [c.company_id for c in problem.companies]
    assert table["status"].value_counts().to_dict() == {"placed": 24, "unplaced": 3}
    first = table.iloc[0]
    assert (first["cohort_id"], first["venue_id"], first["module1"]) == (
        "C01",
        "herning",
        "2027-01-12",
    )
    assert first["travel_km"] == pytest.approx(roster.travel_km[first["company_id"]], abs=0.05)
    c02 = table[table["cohort_id"] == "C02"].iloc[0]
    assert c02["module2"] == "2027-01-29;2027-02-01"
    assert c02["venue"] == "Aarhus Kongrescenter, Aarhus"
    gone = table[table["status"] == "unplaced"]
    assert set(gone["unplaced_code"]) == {"segment_too_small", "track_complete", "capacity"}
    assert gone["travel_km"].isna().all()


def test_participants_table_falls_back_to_problem_travel(
    problem: PlanningProblem, roster: Roster
) -> None:
    bare = roster.model_copy(update={"travel_km": {}})
    table = participants_table(problem, bare)
    venue = next(v for v in problem.venues if v.venue_id == "herning")
    assert table.iloc[0]["travel_km"] == pytest.approx(
        problem.travel_km(problem.companies[0], venue), abs=0.05
    )


def test_participants_table_marks_companies_the_roster_forgot(
    problem: PlanningProblem, roster: Roster
) -> None:
    partial = roster.model_copy(update={"unplaced": roster.unplaced[:2]})
    table = participants_table(problem, partial)
    assert table.iloc[-1]["status"] == "missing"


def test_participants_csv(tmp_path: Path, problem: PlanningProblem, roster: Roster) -> None:
    path = write_participants_csv(problem, roster, tmp_path / "participants.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert len(frame) == len(problem.companies)
    assert list(frame["company_id"]) == [c.company_id for c in problem.companies]
    assert list(frame["name"]) == [c.name for c in problem.companies]


# --- roster.xlsx -----------------------------------------------------------------------


def _rows(sheet: openpyxl.worksheet.worksheet.Worksheet) -> list[dict[str, object]]:
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def _days(row: dict[str, object]) -> tuple[object, ...]:
    """A cohort's or participant's module label and days, as date cells hold them."""

    def day(value: object) -> object:
        assert value is None or isinstance(value, datetime), value  # a date cell, not text
        return value.date() if isinstance(value, datetime) else None

    module = row["module"] or ""
    return (module, *(day(row[c]) for c in ("module_day_1", "module_day_2", "lab_day")))


def test_xlsx_sheets_and_rows(tmp_path: Path, problem: PlanningProblem, roster: Roster) -> None:
    path = write_roster_xlsx(problem, roster, tmp_path / "roster.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["cohorts", "participants", "unplaced", "calendar", "summary"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.bold for cell in sheet[1])
        assert sheet.column_dimensions["A"].width >= 8

    cohorts = _rows(book["cohorts"])
    assert [r["cohort_id"] for r in cohorts] == ["C01", "C02", "C03"]
    assert cohorts[0]["people"] == 9 and cohorts[0]["companies"] == 8
    # one date cell per day: the module's day(s), then its lab
    assert _days(cohorts[0]) == ("Module 1", date(2027, 1, 12), None, date(2027, 2, 9))
    assert _days(cohorts[1]) == ("Module 2", date(2027, 1, 29), date(2027, 2, 1), date(2027, 3, 1))
    assert str(cohorts[0]["members"]).startswith("Ølgod Robotics ApS; ")

    participants = _rows(book["participants"])
    assert len(participants) == len(problem.companies)
    assert _days(participants[0]) == _days(cohorts[0])
    assert _days(participants[8]) == _days(cohorts[1])
    assert _days(participants[-1]) == ("", None, None, None)  # unplaced
    unplaced = _rows(book["unplaced"])
    assert [r["code"] for r in unplaced] == ["segment_too_small", "track_complete", "capacity"]
    assert unplaced[1]["name"] == "Karup Kaffe & Te ApS"

    calendar = _rows(book["calendar"])
    for row in calendar:
        row["date"] = row["date"].date()  # type: ignore[union-attr]  # a real date cell
    assert {r["date"] for r in calendar} == set(
        working_days(problem.round.start, problem.round.end)
    )
    sessions = [
        (r["date"], r["cohort_id"], r["step"], r["day"]) for r in calendar if r["cohort_id"]
    ]
    assert len(sessions) == 8  # 2 x Module 2 (2 days each) + Module 1 + 3 labs
    assert (date(2027, 1, 29), "C02", "Module 2", "1/2") in sessions
    assert (date(2027, 2, 1), "C02", "Module 2", "2/2") in sessions
    assert [r["date"] for r in calendar if r["note"]] == [date(2027, 1, 20)]

    summary = {r["item"]: r["value"] for r in _rows(book["summary"])}
    assert summary["solver status"] == "OPTIMAL"
    assert summary["placed"] == 24 and summary["unplaced"] == 3
    assert summary["venues used"] == 2
    assert summary["travel km total"] == pytest.approx(roster.summary.travel_km_total)


def test_xlsx_keeps_formula_like_names_as_text(
    tmp_path: Path, problem: PlanningProblem, roster: Roster
) -> None:
    evil = problem.companies[0].model_copy(update={"name": '=HYPERLINK("http://x","y")'})
    tricked = problem.model_copy(update={"companies": (evil, *problem.companies[1:])})
    path = write_roster_xlsx(tricked, roster, tmp_path / "roster.xlsx")
    cell = openpyxl.load_workbook(path)["participants"]["B2"]
    assert cell.value == '=HYPERLINK("http://x","y")'
    assert cell.data_type == "s"


def test_xlsx_opens_in_libreoffice(
    tmp_path: Path, problem: PlanningProblem, roster: Roster
) -> None:
    office = shutil.which("libreoffice") or shutil.which("soffice")
    if office is None:
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-calc)")
    path = write_roster_xlsx(problem, roster, tmp_path / "roster.xlsx")
    result = subprocess.run(
        [
            office,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    pdf = tmp_path / "roster.pdf"
    assert pdf.is_file(), result.stdout + result.stderr
    assert pdf.read_bytes().startswith(b"%PDF")


def test_participants_csv_keeps_its_text_columns(
    tmp_path: Path, problem: PlanningProblem, roster: Roster
) -> None:
    path = write_participants_csv(problem, roster, tmp_path / "participants.csv")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert list(frame.columns) == [
        "company_id", "name", "town", "level", "below_c", "age_group", "participants",
        "priority", "status", "cohort_id", "venue_id", "venue", "module", "module1", "lab1",
        "module2", "lab2", "travel_km", "unplaced_code", "unplaced_reason",
    ]  # fmt: skip
    first, c02 = frame.iloc[0], frame[frame["cohort_id"] == "C02"].iloc[0]
    assert (first["module"], first["module1"], first["lab1"]) == (
        "module1",
        "2027-01-12",
        "2027-02-09",
    )
    assert (c02["module"], c02["module2"], c02["lab2"]) == (
        "module2",
        "2027-01-29;2027-02-01",
        "2027-03-01",
    )
    assert frame["participants"].tolist()[:2] == ["2", "1"]


def test_xlsx_labels_dates_and_numbers(
    tmp_path: Path, problem: PlanningProblem, roster: Roster
) -> None:
    book = openpyxl.load_workbook(write_roster_xlsx(problem, roster, tmp_path / "roster.xlsx"))
    days = ["module_day_1", "module_day_2", "lab_day"]
    header = {s.title: [c.value for c in s[1]] for s in book.worksheets}
    assert header["cohorts"] == [
        "cohort_id", "venue_id", "venue", "module", "level", "age_group", "people",
        "companies", *days, "members",
    ]  # fmt: skip
    assert header["participants"] == [
        "company_id", "name", "town", "level", "below_c", "age_group", "participants",
        "priority", "status", "cohort_id", "venue_id", "venue", "module", *days, "travel_km",
        "unplaced_code", "unplaced_reason",
    ]  # fmt: skip
    assert header["calendar"] == [
        "date", "weekday", "cohort_id", "step", "day", "venue", "level", "age_group",
        "people", "note",
    ]  # fmt: skip

    def cells(sheet: str, column: str) -> list[openpyxl.cell.cell.Cell]:
        index = header[sheet].index(column) + 1
        return [row[index - 1] for row in book[sheet].iter_rows(min_row=2)]

    # every date is a date cell shown as a date, one per day
    dated = [(s, c) for s in ("cohorts", "participants") for c in days] + [("calendar", "date")]
    for sheet, column in dated:
        filled = [cell for cell in cells(sheet, column) if cell.value is not None]
        assert filled, (sheet, column)
        for cell in filled:
            assert cell.is_date and cell.number_format == "YYYY-MM-DD", (sheet, column)
    # steps are called as people call them, in every sheet; ids like module1 nowhere
    labels = {"Module 1", "Lab 1", "Module 2", "Lab 2"}
    assert {c.value for c in cells("cohorts", "module")} == {"Module 1", "Module 2"}
    assert {c.value for c in cells("participants", "module")} == {"Module 1", "Module 2", None}
    assert {c.value for c in cells("calendar", "step")} - {None} == labels
    ids = {step.value for step in Step}
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            assert not any(cell.value in ids for cell in row), sheet.title
    first = next(c.row for c in cells("calendar", "cohort_id") if c.value == "C01")
    level = book["calendar"].cell(row=first, column=header["calendar"].index("level") + 1)
    assert (level.value, level.offset(column=1).value) == ("C", "established")
    # counts are whole numbers, km one decimal, the gap a percentage
    for sheet, column in [
        ("cohorts", "people"), ("cohorts", "companies"), ("participants", "participants"),
        ("participants", "priority"), ("calendar", "people"),
    ]:  # fmt: skip
        for cell in cells(sheet, column):
            if cell.value is not None:
                assert type(cell.value) is int and cell.number_format == "0", (sheet, column)
    travel = [c for c in cells("participants", "travel_km") if c.value is not None]
    assert travel and all(c.number_format == "#,##0.0" for c in travel)
    assert all(c.number_format == '"TRUE";"TRUE";"FALSE"' for c in cells("participants", "below_c"))
    summary = {row[0].value: row[1] for row in book["summary"].iter_rows(min_row=2)}
    assert summary["gap"].number_format == "0.0%" and summary["gap"].value == 0
    for item in ("companies in input", "placed", "unplaced", "cohorts", "venues used"):
        assert type(summary[item].value) is int and summary[item].number_format == "0", item
    assert summary["travel km total"].number_format == "#,##0.0"


def test_xlsx_has_a_column_per_day_of_a_longer_session(
    tmp_path: Path, problem: PlanningProblem, roster: Roster
) -> None:
    long = roster.cohorts[1].model_copy(
        update={
            "sessions": [
                Session(
                    step=Step.MODULE2,
                    dates=[date(2027, 1, 27), date(2027, 1, 28), date(2027, 1, 29)],
                ),
                roster.cohorts[1].sessions[1],
            ]
        }
    )
    odd = roster.model_copy(update={"cohorts": [roster.cohorts[0], long, roster.cohorts[2]]})
    book = openpyxl.load_workbook(write_roster_xlsx(problem, odd, tmp_path / "roster.xlsx"))
    rows = _rows(book["cohorts"])
    assert [rows[1][f"module_day_{i}"] for i in (1, 2, 3)] == [
        datetime(2027, 1, 27), datetime(2027, 1, 28), datetime(2027, 1, 29)
    ]  # fmt: skip
    assert rows[0]["module_day_3"] is None and rows[1]["lab_day"] == datetime(2027, 3, 1)


# --- the streamed workbook is the workbook pandas and format_sheet write ---------------


def _by_pandas(problem: PlanningProblem, roster: Roster, path: Path) -> None:
    """roster.xlsx the way it was written before streaming: pandas, then
    set_number_formats and format_sheet on each sheet (which whatif.xlsx still uses)."""
    from camp_planner.outputs.excel_safe import xlsx_frame
    from camp_planner.outputs.writers import by_column, format_sheet, set_number_formats

    lang = problem.round.language
    gettext = writers.gettext_for(lang)
    sheets = {
        "cohorts": writers._cohorts_table(problem, roster),
        "participants": writers._participants_sheet(problem, roster),
        "unplaced": writers._unplaced_table(problem, roster),
        "calendar": writers.calendar_table(problem, roster),
        "summary": writers._summary_table(problem, roster),
    }
    items = list(sheets["summary"]["item"])
    sheets["summary"]["item"] = [gettext(item) for item in items]
    booleans = writers.BOOLEAN_FORMAT if lang == "en" else writers._DANISH_BOOLEAN_FORMAT

    def summary_pick(row: int, _column: int) -> str | None:
        return writers._SUMMARY_FORMATS.get(items[row - 2])

    with pd.ExcelWriter(path, engine="openpyxl", date_format=writers.DATE_FORMAT) as writer:
        for name, frame in sheets.items():
            xlsx_frame(frame).to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            if name == "summary":
                set_number_formats(sheet, summary_pick, booleans)
            else:
                set_number_formats(sheet, by_column(sheet, writers._COLUMN_FORMATS), booleans)
            if lang != "en":
                for cell in sheet[1]:
                    cell.value = writers._column_title(cell.value, lang)
            format_sheet(sheet)


def _described(path: Path) -> dict[str, Any]:
    book = openpyxl.load_workbook(path)
    out: dict[str, Any] = {"sheets": book.sheetnames}
    for sheet in book:
        cells = {
            cell.coordinate: (
                cell.value, cell.data_type, cell.number_format, cell.font.b, cell.font.name,
                cell.alignment.wrap_text, cell.alignment.vertical, cell.quotePrefix,
            )
            for row in sheet.iter_rows()
            for cell in row
        }  # fmt: skip
        setup = sheet.sheet_properties.pageSetUpPr
        out[sheet.title] = {
            "cells": cells,
            "widths": {k: d.width for k, d in sheet.column_dimensions.items()},
            "heights": {k: d.height for k, d in sheet.row_dimensions.items() if d.height},
            "layout": (
                sheet.freeze_panes, sheet.auto_filter.ref, sheet.print_title_rows,
                sheet.page_setup.orientation, sheet.page_setup.fitToWidth,
                sheet.page_setup.fitToHeight, setup.fitToPage if setup else None,
            ),
        }  # fmt: skip
    return out


@pytest.mark.parametrize("lang", ["en", "da"])
def test_streamed_workbook_is_the_pandas_workbook(
    tmp_path: Path, problem: PlanningProblem, roster: Roster, lang: str
) -> None:
    """Cell by cell (value, type, number format, font, wrapping, quote prefix), widths, row
    heights and page layout: the same as the old way, with a formula-like name and an
    unplaced reason long enough to wrap."""
    companies = list(problem.companies)
    companies[0] = companies[0].model_copy(update={"name": "=SUM(A1:A2) ApS"})
    round_ = problem.round.model_copy(update={"language": lang})
    problem = problem.model_copy(update={"companies": tuple(companies), "round": round_})
    long = "a reason long enough to be wrapped in its cell, " * 3
    unplaced = [u.model_copy(update={"reason": long + u.reason}) for u in roster.unplaced]
    roster = roster.model_copy(update={"unplaced": unplaced})
    write_roster_xlsx(problem, roster, tmp_path / "streamed.xlsx")
    _by_pandas(problem, roster, tmp_path / "pandas.xlsx")
    streamed, reference = (
        _described(tmp_path / "streamed.xlsx"),
        _described(tmp_path / "pandas.xlsx"),
    )
    assert streamed["sheets"] == reference["sheets"]
    for name in reference["sheets"]:
        assert streamed[name]["layout"] == reference[name]["layout"], name
        assert streamed[name]["widths"] == reference[name]["widths"], name
        assert streamed[name]["heights"] == reference[name]["heights"], name
        assert streamed[name]["cells"] == reference[name]["cells"], name
    assert reference["unplaced"]["heights"]  # the long reasons did wrap
