"""Reading a planning folder: valid input, and every kind of bad input reported with its place."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from camp_planner.io.errors import InputError, InputProblem
from camp_planner.io.folder import load_folder, load_folder_with_messages, load_folder_with_notes
from camp_planner.models import Level, Step

SCORECARD = ("ambition", "scalability", "organisation", "market", "financing", "technology")
SCORECARD_ALL = (*SCORECARD, "role_model")

COMPANIES: list[dict[str, str]] = [
    {
        "company_id": "00123456",
        "name": "Fjord Metal ApS",
        "lat": "56.15674",
        "lon": "10.21076",
        "town": "",
        "founded": "2015-03-01",
        "young": "",
        "level": "C",
        **{key: "" for key in SCORECARD_ALL},
        "panel_approved": "",
        "completed": "",
        "unavailable": "",
        "priority": "",
        "participants": "",
    },
    {
        "company_id": "22222222",
        "name": "Gudenå Software A/S",
        "lat": "",
        "lon": "",
        "town": "Grenå",
        "founded": "",
        "young": "true",
        "level": "B",
        **{key: "" for key in SCORECARD_ALL},
        "panel_approved": "",
        "completed": "module1;lab1",
        "unavailable": "2027-01-12;2027-02-01",
        "priority": "1",
        "participants": "2",
    },
    {
        "company_id": "33333333",
        "name": "Hede Energi ApS",
        "lat": "",
        "lon": "",
        "town": "Aarhus",
        "founded": "2010-06-30",
        "young": "false",
        "level": "",
        **{key: "A" for key in SCORECARD_ALL},
        "panel_approved": "true",
        "completed": "",
        "unavailable": "",
        "priority": "",
        "participants": "",
    },
]
VENUES: list[dict[str, str]] = [
    {
        "venue_id": "aarhus",
        "name": "Aarhus",
        "lat": "56.15674",
        "lon": "10.21076",
        "town": "Aarhus",
        "residential": "true",
        "max_cohorts": "",
        "unavailable": "2027-02-15",
        "status": "candidate",
    },
    {
        "venue_id": "herning",
        "name": "Herning",
        "lat": "",
        "lon": "",
        "town": "Herning",
        "residential": "false",
        "max_cohorts": "2",
        "unavailable": "",
        "status": "required",
    },
]
ROUND: dict[str, str] = {
    "name": '"2027-Q1"',
    "start": "2027-01-04",
    "end": "2027-03-26",
    "cohort_min": "8",
    "cohort_max": "10",
    "max_venues": "6",
    "facilitators": "1",
    "facilitator_unavailable": "[]",
    "lab_gap_days": "[14, 42]",
    "road_factor": "1.3",
    "max_travel_km": "0",
}


class Folder:
    """Editable content of a planning folder, written on demand."""

    def __init__(self) -> None:
        self.companies = copy.deepcopy(COMPANIES)
        self.venues = copy.deepcopy(VENUES)
        self.round = dict(ROUND)
        self.round_text: str | None = None

    def write(self, path: Path) -> Path:
        path.mkdir(parents=True, exist_ok=True)
        pd.DataFrame(self.companies, dtype=str).to_csv(path / "companies.csv", index=False)
        pd.DataFrame(self.venues, dtype=str).to_csv(path / "venues.csv", index=False)
        text = self.round_text
        if text is None:
            text = "".join(f"{key} = {value}\n" for key, value in self.round.items())
        (path / "round.toml").write_text(text, encoding="utf-8")
        return path


def problems_of(path: Path) -> list[InputProblem]:
    with pytest.raises(InputError) as info:
        load_folder(path)
    return info.value.problems


def test_valid_folder(tmp_path: Path) -> None:
    problem, notes = load_folder_with_notes(Folder().write(tmp_path))
    first, second, third = problem.companies
    assert first.company_id == "00123456"  # leading zeros kept: ids are text
    assert second.lat == pytest.approx(56.41578) and second.town == "Grenå"
    assert second.completed == {Step.MODULE1, Step.LAB1} and len(second.unavailable) == 2
    assert (second.priority, second.participants, second.young) == (1, 2, True)
    assert third.level == Level.A and third.panel_approved is True  # from the scorecard
    assert problem.venues[1].max_cohorts == 2 and problem.venues[0].residential
    assert problem.round.lab_gap_days == (14, 42)
    assert any("scorecard for 1 company" in note for note in notes)


def test_scorecard_below_c_is_trained_with_c(tmp_path: Path) -> None:
    folder = Folder()
    folder.companies[2].update({key: "C" for key in SCORECARD}, ambition="")
    company = load_folder(folder.write(tmp_path)).companies[2]
    assert company.level == Level.C and company.below_c


def test_extra_columns_and_keys_are_noted(tmp_path: Path) -> None:
    folder = Folder()
    for row in folder.companies:
        row["notes"] = "x"
    folder.round["colour"] = '"blue"'
    _, notes = load_folder_with_notes(folder.write(tmp_path))
    assert any("'notes'" in note for note in notes)
    assert any("colour" in note for note in notes)


def test_notes_render_in_the_readers_language(tmp_path: Path) -> None:
    """Notes are messages: the same note in Danish and in English, never pre-rendered."""
    folder = Folder()
    for row in folder.companies:
        row["notes"] = "x"
    folder.round["colour"] = '"blue"'
    _, messages = load_folder_with_messages(folder.write(tmp_path))
    danish = [m.render("da") for m in messages]
    english = [m.render("en") for m in messages]
    assert "companies.csv: kolonne(r) 'notes' bruges ikke (ignoreret)" in danish
    assert "companies.csv: column(s) 'notes' not used (ignored)" in english
    assert "round.toml: nøgle(r) colour bruges ikke (ignoreret)" in danish
    assert any(
        d.startswith("companies.csv: niveau fra scorekortet for 1 virksomhed") for d in danish
    )


def test_workbook_instead_of_csv(tmp_path: Path) -> None:
    folder = Folder()
    folder.companies[1]["participants"] = "7"  # a mistake, reported on the sheet
    folder.write(tmp_path)
    with pd.ExcelWriter(tmp_path / "plan.xlsx") as writer:
        pd.DataFrame(folder.companies).to_excel(writer, sheet_name="companies", index=False)
        pd.DataFrame(folder.venues).to_excel(writer, sheet_name="venues", index=False)
    (tmp_path / "companies.csv").unlink()
    (tmp_path / "venues.csv").unlink()
    [problem] = problems_of(tmp_path)
    assert (problem.file, problem.row, problem.column) == ("plan.xlsx:companies", 3, "participants")


def test_semicolon_separated_csv(tmp_path: Path) -> None:
    folder = Folder().write(tmp_path)
    frame = pd.read_csv(folder / "venues.csv", dtype=str, keep_default_na=False)
    frame.to_csv(folder / "venues.csv", sep=";", index=False)
    assert [v.venue_id for v in load_folder(folder).venues] == ["aarhus", "herning"]


def test_all_files_reported_together(tmp_path: Path) -> None:
    folder = Folder()
    folder.companies[0]["level"] = "X"
    folder.venues[0]["status"] = "open"
    folder.round["cohort_max"] = "6"
    files = [p.file for p in problems_of(folder.write(tmp_path))]
    assert files == ["companies.csv", "venues.csv", "round.toml"]


def test_missing_folder() -> None:
    [problem] = problems_of(Path("/nonexistent/planning"))
    assert problem.row is None and "folder" in problem.expected


Edit = Callable[[Folder], Any]


def company(row: int, **cells: str) -> Edit:
    return lambda f: f.companies[row].update(cells)


def venue(row: int, **cells: str) -> Edit:
    return lambda f: f.venues[row].update(cells)


def round_key(key: str, value: str | None) -> Edit:
    return lambda f: f.round.pop(key) if value is None else f.round.update({key: value})


# (edit, file, row, column, text the "expected" should contain); rows as in a spreadsheet.
CASES: list[tuple[str, Edit, str, int | None, str | None, str]] = [
    # an empty company_id
    ("empty id", company(0, company_id=""), "companies.csv", 2, "company_id", "required"),
    # the same company_id twice
    ("dup id", company(1, company_id="00123456"), "companies.csv", 3, "company_id", "row 2"),
    # an empty name
    ("empty name", company(2, name=""), "companies.csv", 4, "name", "required"),
    # a level that does not exist
    ("level D", company(0, level="D"), "companies.csv", 2, "level", "A, B or C"),
    # neither a level nor a scorecard
    ("no level", company(0, level=""), "companies.csv", 2, "level", "scorecard"),
    # a scorecard value that is not a level
    ("bad card", company(2, market="X"), "companies.csv", 4, "market", "A, B, C"),
    # an impossible date
    ("bad date", company(0, founded="2020-02-30"), "companies.csv", 2, "founded", "does not exist"),
    # a founding date in the future
    ("future", company(0, founded="2099-01-01"), "companies.csv", 2, "founded", "future"),
    # latitude outside Denmark
    ("lat", company(0, lat="60.1"), "companies.csv", 2, "lat", "Denmark"),
    # longitude outside Denmark
    ("lon", company(0, lon="20.5"), "companies.csv", 2, "lon", "Denmark"),
    # lat and lon swapped
    ("swap", company(0, lat="10.2", lon="56.1"), "companies.csv", 2, "lat", "swapped"),
    # a latitude that is not a number
    ("lat text", company(0, lat="north"), "companies.csv", 2, "lat", "number"),
    # lat without lon
    ("lat only", company(0, lon=""), "companies.csv", 2, "lon", "both lat and lon"),
    # neither lat/lon nor town
    ("no place", company(1, town=""), "companies.csv", 3, "lat/lon/town", "town"),
    # a town the gazetteer does not know: candidates listed
    ("unknown", company(1, town="Hinerup"), "companies.csv", 3, "town", "Hinnerup"),
    # a town naming two places
    ("ambiguous", company(1, town="Hinnerup"), "companies.csv", 3, "town", "give lat/lon"),
    # lat/lon and town both given but far apart
    ("both", company(0, town="Lemvig"), "companies.csv", 2, "town", "km away"),
    # a negative priority
    ("priority", company(0, priority="-1"), "companies.csv", 2, "priority", ">= 0"),
    # participants outside 1-3
    ("people 4", company(0, participants="4"), "companies.csv", 2, "participants", "1, 2 or 3"),
    # participants zero
    ("people 0", company(0, participants="0"), "companies.csv", 2, "participants", "1, 2 or 3"),
    # a step that does not exist
    ("step", company(0, completed="module1;lab3"), "companies.csv", 2, "completed", "module1"),
    # a bad date among the unavailable dates
    (
        "unavail",
        company(1, unavailable="2027-01-12;soon"),
        "companies.csv",
        3,
        "unavailable",
        "ISO",
    ),
    # neither founded nor young
    ("no age", company(1, young=""), "companies.csv", 3, "founded/young", "founded"),
    # founded and young disagree
    ("age clash", company(2, young="true"), "companies.csv", 4, "young", "false"),
    # young is not a bool
    ("young", company(1, young="maybe"), "companies.csv", 3, "young", "true or false"),
    # panel_approved is not a bool
    ("panel", company(2, panel_approved="soon"), "companies.csv", 4, "panel_approved", "true"),
    # a missing required column
    (
        "no column",
        lambda f: [r.pop("name") for r in f.companies],
        "companies.csv",
        1,
        "name",
        "column",
    ),
    # residential is not a bool
    ("residential", venue(1, residential="maybe"), "venues.csv", 3, "residential", "true or false"),
    # an unknown status
    ("status", venue(0, status="open"), "venues.csv", 2, "status", "candidate"),
    # a negative max_cohorts
    ("max", venue(1, max_cohorts="-1"), "venues.csv", 3, "max_cohorts", ">= 0"),
    # the same venue_id twice
    ("dup venue", venue(1, venue_id="aarhus"), "venues.csv", 3, "venue_id", "unique"),
    # a venue date that does not exist (15-02-2027, Danish day-first, is accepted)
    ("venue date", venue(0, unavailable="2027-02-30"), "venues.csv", 2, "unavailable", "not exist"),
    # a required round key missing
    ("no start", round_key("start", None), "round.toml", None, "start", "start"),
    # the round ends before it starts
    ("end", round_key("end", "2026-12-01"), "round.toml", 3, "end", "after start"),
    # cohort_max below cohort_min
    ("cohort", round_key("cohort_max", "6"), "round.toml", 5, "cohort_max", "cohort_min"),
    # a number given as text
    ("type", round_key("cohort_min", '"eight"'), "round.toml", 4, "cohort_min", "whole number"),
    # a bool where a number belongs
    ("bool", round_key("road_factor", "true"), "round.toml", 10, "road_factor", "number"),
    # lab gap the wrong way round
    ("gap", round_key("lab_gap_days", "[42, 14]"), "round.toml", 9, "lab_gap_days", "lo <= hi"),
    # a date-time instead of a date
    ("datetime", round_key("start", "2027-01-04T08:00:00"), "round.toml", 2, "start", "date"),
    # not TOML at all: the problem names the line and its key
    ("syntax", round_key("max_venues", "six"), "round.toml", 6, "max_venues", "TOML"),
    # an unknown unapproved_a_level
    ("policy", round_key("unapproved_a_level", '"D"'), "round.toml", 12, "unapproved_a_level", "A"),
]


@pytest.mark.parametrize(
    ("edit", "file", "row", "column", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_bad_input(
    tmp_path: Path, edit: Edit, file: str, row: int | None, column: str | None, expected: str
) -> None:
    folder = Folder()
    edit(folder)
    problems = problems_of(folder.write(tmp_path))
    where = [(p.file, p.row, p.column) for p in problems]
    assert (file, row, column) in where, problems
    found = problems[where.index((file, row, column))]
    assert expected in found.expected, found


@pytest.mark.parametrize("name", ["companies.csv", "venues.csv", "round.toml"])
def test_missing_file(tmp_path: Path, name: str) -> None:
    # each of the three files missing: reported as a problem of that file, without a row
    path = Folder().write(tmp_path)
    (path / name).unlink()
    [problem] = problems_of(path)
    assert (problem.file, problem.row, problem.column) == (name, None, None)
