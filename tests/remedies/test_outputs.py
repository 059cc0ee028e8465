"""Online and mixed cohorts as the coordinator's files show them: roster.json,
participants.csv, roster.xlsx and the invitations."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from icalendar import Calendar

from camp_planner.models import PlanningProblem, Roster
from camp_planner.outputs.ics import write_invitations
from camp_planner.outputs.writers import (
    ONLINE_LOCATION,
    write_participants_csv,
    write_roster_json,
    write_roster_xlsx,
)
from camp_planner.scheduler import solve
from tests.helpers.sched_build import TOWN_B, co, rnd, ve

# Cohorts of 3-4 in person, 2-4 online, A+B may mix. c0..c2 (C) fill a cohort at v; ae,
# be0, be1 (A and B, established) a mixed cohort "A+B" at v; a0 and b0 (A and B, young,
# far away) a mixed online cohort: 8 placed, 0 km.
ROUND = rnd(
    cohort_min=3, cohort_max=4, online_cohorts=True, online_cohort_min=2, mix_levels=("A+B",)
)
COMPANIES = [co(f"c{i}") for i in range(3)]
COMPANIES += [co("a0", TOWN_B, level="A", young=True), co("b0", TOWN_B, level="B", young=True)]
COMPANIES += [co("ae", level="A"), co("be0", level="B"), co("be1", level="B")]


@pytest.fixture(scope="module")
def solved() -> tuple[PlanningProblem, Roster]:
    problem = PlanningProblem(
        round=ROUND, companies=tuple(COMPANIES), venues=(ve("v"), ve("w", (56.5, 10.0)))
    )
    roster = solve(problem, time_limit=10, workers=1)
    assert roster.summary.placed == 8
    return problem, roster


def test_roster_json_contract(solved, tmp_path: Path):
    _, roster = solved
    data = json.loads(write_roster_json(roster, tmp_path / "roster.json").read_text())
    by_members = {tuple(c["members"]): c for c in data["cohorts"]}
    online = by_members["a0", "b0"]
    assert (online["venue_id"], online["online"], online["mixed"]) == ("online", True, True)
    assert (online["level"], online["age_group"]) == ("A+B", "young")
    mixed = by_members["ae", "be0", "be1"]
    assert (mixed["venue_id"], mixed["online"], mixed["mixed"], mixed["level"]) == (
        "v",
        False,
        True,
        "A+B",
    )
    pure = by_members["c0", "c1", "c2"]
    assert (pure["online"], pure["mixed"], pure["level"], pure["age_group"]) == (
        False,
        False,
        "C",
        "established",
    )
    assert data["summary"]["venues_used"] == ["v"]
    assert data["travel_km"]["a0"] == 0.0
    assert Roster.from_json(json.dumps(data)) == roster


def test_participants_csv_and_workbook_show_online_and_mixed(solved, tmp_path: Path):
    problem, roster = solved
    path = write_participants_csv(problem, roster, tmp_path / "participants.csv")
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert list(frame.columns)[-3:] == ["unplaced_reason", "online", "mixed"]
    row = frame.set_index("company_id").loc["a0"]
    assert (row["venue_id"], row["venue"], row["travel_km"]) == ("online", ONLINE_LOCATION, "0.0")
    assert (row["level"], row["online"], row["mixed"]) == ("A", "True", "True")
    assert frame.set_index("company_id").loc["be0", "level"] == "B"  # its own level
    book = openpyxl.load_workbook(write_roster_xlsx(problem, roster, tmp_path / "roster.xlsx"))
    sheet = book["cohorts"]
    header = [c.value for c in sheet[1]]
    assert header[-2:] == ["online", "mixed"]
    rows = [
        dict(zip(header, (c.value for c in r), strict=True)) for r in sheet.iter_rows(min_row=2)
    ]
    online = next(r for r in rows if r["venue_id"] == "online")
    assert (online["venue"], online["level"], online["online"]) == (ONLINE_LOCATION, "A+B", True)
    summary = {r[0].value: r[1].value for r in book["summary"].iter_rows(min_row=2)}
    assert (summary["online cohorts"], summary["mixed cohorts"]) == (1, 2)
    calendar = [c.value for c in book["calendar"]["F"]]
    assert ONLINE_LOCATION in calendar


def test_invitations_say_online_and_mixed(solved, tmp_path: Path):
    problem, roster = solved
    write_invitations(problem, roster, tmp_path)
    online = next(c for c in roster.cohorts if c.online)
    cal = Calendar.from_ical((tmp_path / "invitations" / f"{online.cohort_id}.ics").read_bytes())
    events = [e for e in cal.walk("VEVENT")]
    assert events
    for event in events:
        assert str(event["location"]) == ONLINE_LOCATION
        assert "Held online" in str(event["description"])
        assert "mixed cohort" in str(event["description"])
        assert "(online)" in str(event["summary"])
    facilitator = Calendar.from_ical((tmp_path / "invitations" / "facilitator.ics").read_bytes())
    titles = [str(e["summary"]) for e in facilitator.walk("VEVENT")]
    assert any("(online)" in t for t in titles) and any("(Venue v)" in t for t in titles)
