"""The planning files as a Danish office really produces them.

Each test builds the coordinator's file the way Excel would (semicolons, decimal commas,
Windows-1252 or UTF-16, day-first dates, SAND/FALSK, workbooks with Danish sheet names) from
the embedded demo, and checks that it reads as the demo does, or that what cannot be read is
said in one sentence naming the file.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from camp_planner.cli import app
from camp_planner.demo.generator import write_demo_folder
from camp_planner.io.errors import InputError, InputProblem
from camp_planner.io.folder import load_folder, load_folder_with_notes
from camp_planner.io.tables import BOOL_EXPECTED, parse_bool, parse_date

runner = CliRunner()


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _danish_date(text: str, sep: str = "-") -> str:
    day = date.fromisoformat(text)
    return f"{day.day:02d}{sep}{day.month:02d}{sep}{day.year}"


def _danish_companies(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    out = []
    for row in rows:
        row = dict(row)
        row["founded"] = _danish_date(row["founded"])
        row["unavailable"] = ";".join(
            _danish_date(d, ".") for d in row["unavailable"].split(";") if d
        )
        row["lat"], row["lon"] = row["lat"].replace(".", ","), row["lon"].replace(".", ",")
        out.append(row)
    return out


def _danish_venues(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    out = []
    for row in rows:
        row = dict(row)
        row["residential"] = "SAND" if row["residential"] == "true" else "FALSK"
        row["unavailable"] = ";".join(_danish_date(d) for d in row["unavailable"].split(";") if d)
        row["lat"], row["lon"] = row["lat"].replace(".", ","), row["lon"].replace(".", ",")
        out.append(row)
    return out


def _write_csv(path: Path, rows: list[dict[str, str]], encoding: str, sep: str) -> None:
    buffer = io.StringIO()
    # Danish Excel quotes a cell holding the separator; `;`-separated dates are such cells.
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), delimiter=sep, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_demo_folder(tmp_path_factory.mktemp("demo"))


def _copy_round(demo: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "round.toml").write_text((demo / "round.toml").read_text("utf-8"), "utf-8")
    return folder


def _problems(folder: Path) -> list[InputProblem]:
    with pytest.raises(InputError) as info:
        load_folder(folder)
    return info.value.problems


# -- the Danish-Excel demo reads exactly as the demo ------------------------------------------
def test_danish_excel_csv_files_read_as_the_demo(demo: Path, tmp_path: Path) -> None:
    # `;`, cp1252, decimal commas, day-first dates with - and ., SAND/FALSK.
    folder = _copy_round(demo, tmp_path / "dk")
    _write_csv(
        folder / "companies.csv", _danish_companies(_rows(demo / "companies.csv")), "cp1252", ";"
    )
    _write_csv(folder / "venues.csv", _danish_venues(_rows(demo / "venues.csv")), "cp1252", ";")
    assert load_folder(folder) == load_folder(demo)
    result = runner.invoke(app, ["check", str(folder)])
    assert result.exit_code == 0, result.output


def test_utf16_unicode_text_reads_as_the_demo(demo: Path, tmp_path: Path) -> None:
    # Excel's "Unicode text": UTF-16 with a BOM, tab-separated.
    folder = _copy_round(demo, tmp_path / "u16")
    _write_csv(folder / "companies.csv", _rows(demo / "companies.csv"), "utf-16", "\t")
    (folder / "venues.csv").write_bytes((demo / "venues.csv").read_bytes())
    problem, notes = load_folder_with_notes(folder)
    assert problem == load_folder(demo)
    assert any("UTF-16" in note for note in notes)


def _workbook(path: Path, sheets: dict[str, list[dict[str, object]]]) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append(list(rows[0]))
        for row in rows:
            sheet.append(list(row.values()))
    book.save(path)
    return path


def _typed_companies(rows: list[dict[str, str]]) -> list[dict[str, object]]:
    """Cells as Excel types them: numbers, real dates, text."""
    typed: list[dict[str, object]] = []
    for row in rows:
        cells: dict[str, object] = dict(row)
        cells["lat"] = float(row["lat"]) if row["lat"] else None
        cells["lon"] = float(row["lon"]) if row["lon"] else None
        cells["founded"] = date.fromisoformat(row["founded"])
        cells["participants"] = int(row["participants"]) if row["participants"] else None
        typed.append(cells)
    return typed


def _typed_venues(rows: list[dict[str, str]]) -> list[dict[str, object]]:
    typed: list[dict[str, object]] = []
    for row in rows:
        cells: dict[str, object] = dict(row)
        cells["lat"], cells["lon"] = float(row["lat"]), float(row["lon"])
        cells["residential"] = row["residential"] == "true"  # an Excel TRUE/FALSE cell
        typed.append(cells)
    return typed


@pytest.mark.parametrize(
    ("companies", "venues"),
    [
        ("Virksomheder", "Steder"),  # the Danish names
        ("COMPANIES ", "Venues"),  # any case, surrounding spaces
        ("Companies1", "Ark1"),  # neither name says it: recognised by their columns
    ],
)
def test_workbook_sheets_by_name_or_by_columns(
    demo: Path, tmp_path: Path, companies: str, venues: str
) -> None:
    folder = _copy_round(demo, tmp_path / "wb")
    _workbook(
        folder / "plan.xlsx",
        {
            companies: _typed_companies(_rows(demo / "companies.csv")),
            venues: _typed_venues(_rows(demo / "venues.csv")),
        },
    )
    assert load_folder(folder) == load_folder(demo)


def test_workbook_whose_sheets_cannot_be_told_apart_names_them(demo: Path, tmp_path: Path) -> None:
    folder = _copy_round(demo, tmp_path / "wb2")
    venues = _typed_venues(_rows(demo / "venues.csv"))
    _workbook(folder / "plan.xlsx", {"Ark1": venues, "Ark2": [{"x": 1}]})
    problems = _problems(folder)
    assert len(problems) == 1
    text = problems[0].expected
    assert "'Ark1'" in text and "'Ark2'" in text and "companies" in text


def test_danish_column_names_are_aliases(demo: Path, tmp_path: Path) -> None:
    folder = _copy_round(demo, tmp_path / "alias")
    rename = {
        "company_id": "CVR",
        "name": "Navn",
        "town": "By",
        "founded": "Stiftet",
        "level": "Niveau",
    }
    rows = [{rename.get(k, k): v for k, v in row.items()} for row in _rows(demo / "companies.csv")]
    _write_csv(folder / "companies.csv", rows, "utf-8", ",")
    (folder / "venues.csv").write_bytes((demo / "venues.csv").read_bytes())
    assert load_folder(folder) == load_folder(demo)


# -- files that are not what their name says -----------------------------------------------
@pytest.mark.parametrize(
    ("content", "said"),
    [
        (None, "Excel workbook"),  # a workbook saved under the name companies.csv
        (b"", "is empty"),
        (b"\x00\x01\x02\x03binary\x00\xff" * 20, "binary"),
    ],
)
def test_a_file_that_is_not_a_csv_is_one_sentence(
    demo: Path, tmp_path: Path, content: bytes | None, said: str
) -> None:
    folder = _copy_round(demo, tmp_path / "bad")
    (folder / "venues.csv").write_bytes((demo / "venues.csv").read_bytes())
    target = folder / "companies.csv"
    if content is None:
        _workbook(target, {"Ark1": [{"company_id": "1"}]})
    else:
        target.write_bytes(content)
    problems = _problems(folder)
    assert [p.file for p in problems] == ["companies.csv"]
    assert said in problems[0].expected
    result = runner.invoke(app, ["check", str(folder)])
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_a_missing_lon_column_is_one_header_problem(demo: Path, tmp_path: Path) -> None:
    # The demo has a town column too, so today's "lat+lon or town" rule is met; still, a
    # lat without lon is a header mistake: one problem, not one per row.
    folder = _copy_round(demo, tmp_path / "nolon")
    rows = [{k: v for k, v in row.items() if k != "lon"} for row in _rows(demo / "companies.csv")]
    _write_csv(folder / "companies.csv", rows, "utf-8", ",")
    (folder / "venues.csv").write_bytes((demo / "venues.csv").read_bytes())
    problems = _problems(folder)
    assert [(p.file, p.row, p.column) for p in problems] == [("companies.csv", 1, "lon")]


def test_ids_that_differ_only_in_case_are_duplicates(demo: Path, tmp_path: Path) -> None:
    folder = _copy_round(demo, tmp_path / "case")
    (folder / "companies.csv").write_bytes((demo / "companies.csv").read_bytes())
    rows = _rows(demo / "venues.csv")
    rows[1]["venue_id"] = "Herning"  # row 3; row 2 is "herning"
    _write_csv(folder / "venues.csv", rows, "utf-8", ",")
    problems = _problems(folder)
    assert [(p.row, p.column, p.value) for p in problems] == [(3, "venue_id", "Herning")]
    assert "differ only in case" in problems[0].expected


# -- round.toml ----------------------------------------------------------------------------
def test_round_toml_danish_date_unquoted_names_key_and_line(demo: Path, tmp_path: Path) -> None:
    folder = write_demo_folder(tmp_path / "r")
    text = (folder / "round.toml").read_text("utf-8")
    lines = text.splitlines()
    line = next(i + 1 for i, ln in enumerate(lines) if ln.startswith("end ="))
    (folder / "round.toml").write_text(
        "\n".join("end = 26-03-2027" if ln.startswith("end =") else ln for ln in lines), "utf-8"
    )
    problems = _problems(folder)
    assert [(p.file, p.row, p.column, p.value) for p in problems] == [
        ("round.toml", line, "end", "26-03-2027")
    ]
    assert "2027-03-26" in problems[0].expected


def test_round_toml_danish_date_in_quotes_is_read(demo: Path, tmp_path: Path) -> None:
    folder = write_demo_folder(tmp_path / "q")
    text = (folder / "round.toml").read_text("utf-8")
    lines = ['end = "26.03.2027"' if ln.startswith("end =") else ln for ln in text.splitlines()]
    (folder / "round.toml").write_text("\n".join(lines), "utf-8")
    assert load_folder(folder).round.end == date(2027, 3, 26)


# -- cell values ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2017-04-23", date(2017, 4, 23)),
        ("23-04-2017", date(2017, 4, 23)),
        ("23.04.2017", date(2017, 4, 23)),
        ("3.4.2017", date(2017, 4, 3)),  # day first, as Danish Excel writes it
        ("2017-04-23 00:00:00", date(2017, 4, 23)),  # an Excel date cell read as text
        ("23/04/2017", None),  # not a Danish Excel form
    ],
)
def test_dates(text: str, expected: date | None) -> None:
    assert parse_date(text) == expected


def test_a_two_digit_year_is_ambiguous_and_says_so(demo: Path, tmp_path: Path) -> None:
    folder = _copy_round(demo, tmp_path / "yy")
    rows = _rows(demo / "companies.csv")
    rows[0]["founded"] = "03-04-05"  # 3 April 2005, or 2003-04-05?
    _write_csv(folder / "companies.csv", rows, "utf-8", ",")
    (folder / "venues.csv").write_bytes((demo / "venues.csv").read_bytes())
    problems = _problems(folder)
    assert [(p.row, p.column) for p in problems] == [(2, "founded")]
    assert "two ways" in problems[0].expected and "four digits" in problems[0].expected


@pytest.mark.parametrize(
    ("text", "value"),
    [("SAND", True), ("falsk", False), ("Ja", True), ("nej", False), ("x", True), ("yes", True),
     ("0", False), ("TRUE", True), ("maybe", None)],
)  # fmt: skip
def test_booleans(text: str, value: bool | None) -> None:
    assert parse_bool(text) is value


def test_a_bad_boolean_lists_what_is_accepted(demo: Path, tmp_path: Path) -> None:
    folder = _copy_round(demo, tmp_path / "bool")
    (folder / "companies.csv").write_bytes((demo / "companies.csv").read_bytes())
    rows = _rows(demo / "venues.csv")
    rows[0]["residential"] = "måske"
    _write_csv(folder / "venues.csv", rows, "utf-8", ",")
    problems = _problems(folder)
    assert [(p.row, p.column, p.value) for p in problems] == [(2, "residential", "måske")]
    assert problems[0].expected == BOOL_EXPECTED
    assert "sand/falsk" in BOOL_EXPECTED and "ja/nej" in BOOL_EXPECTED


# -- towns as people write them -------------------------------------------------------------
def test_towns_as_written_and_outside_the_region(demo: Path, tmp_path: Path) -> None:
    folder = _copy_round(demo, tmp_path / "towns")
    rows = _rows(demo / "companies.csv")
    written = [
        "8000 Aarhus C",
        "Aarhus C",
        "Hørning (Skanderborg)",
        "Fårvang",
        "Højslev",
        "København",
    ]
    for row, town in zip(rows, written, strict=False):
        row.update(town=town, lat="", lon="")
    _write_csv(folder / "companies.csv", rows, "utf-8", ",")
    (folder / "venues.csv").write_bytes((demo / "venues.csv").read_bytes())
    problem, notes = load_folder_with_notes(folder)
    assert [c.town for c in problem.companies[: len(written)]] == written
    outside = [n for n in notes if "Region" in n and "nearest venue" in n]
    assert len(outside) == 1 and "København" in outside[0] and "Region Hovedstaden" in outside[0]
    assert outside[0].startswith("companies.csv row 7:")
