"""Calendar invitations: one .ics per cohort plus the facilitator's, parsed back."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from icalendar import Calendar, Event

from camp_planner.models import PlanningProblem, Roster
from camp_planner.outputs.ics import write_invitations
from tests.helpers.roster_fixture import make_problem, make_roster

STAMP = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def problem() -> PlanningProblem:
    return make_problem()


@pytest.fixture
def roster(problem: PlanningProblem) -> Roster:
    return make_roster(problem)


def _events(path: Path) -> list[Event]:
    cal = Calendar.from_ical(path.read_bytes())
    return list(cal.walk("VEVENT"))


def _span(event: Event) -> tuple[date, date]:
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert type(start) is date and type(end) is date  # all-day, not datetime
    return start, end


def test_files_written(tmp_path: Path, problem: PlanningProblem, roster: Roster) -> None:
    paths = write_invitations(problem, roster, tmp_path, stamp=STAMP)
    folder = tmp_path / "invitations"
    assert paths == [folder / "C01.ics", folder / "C02.ics", folder / "C03.ics"] + [
        folder / "facilitator.ics"
    ]
    assert all(p.is_file() for p in paths)


def test_module1_cohort(tmp_path: Path, problem: PlanningProblem, roster: Roster) -> None:
    write_invitations(problem, roster, tmp_path, stamp=STAMP)
    events = _events(tmp_path / "invitations" / "C01.ics")
    assert [_span(e) for e in events] == [
        (date(2027, 1, 12), date(2027, 1, 13)),
        (date(2027, 2, 9), date(2027, 2, 10)),
    ]
    assert str(events[0]["summary"]) == "Vækstcamp Module 1 — cohort C01"
    assert str(events[1]["summary"]) == "Vækstcamp Lab 1 — cohort C01"
    assert str(events[0]["location"]) == "Herning"
    assert str(events[0]["uid"]) == "C01-module1-2027-01-12-2027-Q1@camp-planner"
    assert "9 participants" in str(events[0]["description"])


def test_module2_on_consecutive_days_is_one_event(
    tmp_path: Path, problem: PlanningProblem, roster: Roster
) -> None:
    write_invitations(problem, roster, tmp_path, stamp=STAMP)
    events = _events(tmp_path / "invitations" / "C03.ics")
    assert [_span(e) for e in events] == [
        (date(2027, 2, 16), date(2027, 2, 18)),  # Tue-Wed, DTEND exclusive
        (date(2027, 3, 16), date(2027, 3, 17)),
    ]
    assert str(events[0]["location"]) == "Aarhus Kongrescenter, Aarhus"


def test_module2_friday_monday_is_two_events(
    tmp_path: Path, problem: PlanningProblem, roster: Roster
) -> None:
    write_invitations(problem, roster, tmp_path, stamp=STAMP)
    events = _events(tmp_path / "invitations" / "C02.ics")
    assert [_span(e) for e in events] == [
        (date(2027, 1, 29), date(2027, 1, 30)),
        (date(2027, 2, 1), date(2027, 2, 2)),
        (date(2027, 3, 1), date(2027, 3, 2)),
    ]
    assert str(events[0]["summary"]).endswith("(day 1/2)")
    assert str(events[1]["summary"]).endswith("(day 2/2)")
    assert len({str(e["uid"]) for e in events}) == 3


def test_facilitator_has_every_session(
    tmp_path: Path, problem: PlanningProblem, roster: Roster
) -> None:
    write_invitations(problem, roster, tmp_path, stamp=STAMP)
    events = _events(tmp_path / "invitations" / "facilitator.ics")
    assert len(events) == 7
    starts = [_span(e)[0] for e in events]
    assert starts == sorted(starts)
    assert len({str(e["uid"]) for e in events}) == 7
    assert "(Herning)" in str(events[0]["summary"])
    days = sum((_span(e)[1] - _span(e)[0]).days for e in events)
    assert days == 8  # 2 x Module 2 (2 days each) + Module 1 + 3 labs


def test_uids_stable_across_runs(tmp_path: Path, problem: PlanningProblem, roster: Roster) -> None:
    write_invitations(problem, roster, tmp_path / "a", stamp=STAMP)
    write_invitations(problem, roster, tmp_path / "b")
    for name in ("C01.ics", "C02.ics", "facilitator.ics"):
        uids_a = [str(e["uid"]) for e in _events(tmp_path / "a" / "invitations" / name)]
        uids_b = [str(e["uid"]) for e in _events(tmp_path / "b" / "invitations" / name)]
        assert uids_a == uids_b


def test_member_names_only_on_request(
    tmp_path: Path, problem: PlanningProblem, roster: Roster
) -> None:
    write_invitations(problem, roster, tmp_path / "plain", stamp=STAMP)
    write_invitations(problem, roster, tmp_path / "named", stamp=STAMP, include_members=True)
    name = problem.companies[0].name
    plain = Calendar.from_ical((tmp_path / "plain/invitations/C01.ics").read_bytes())
    named = Calendar.from_ical((tmp_path / "named/invitations/C01.ics").read_bytes())
    assert all(name not in str(e["description"]) for e in plain.walk("VEVENT"))
    assert all(name in str(e["description"]) for e in named.walk("VEVENT"))
    facilitator = _events(tmp_path / "plain/invitations/facilitator.ics")
    assert all(name not in str(e["description"]) for e in facilitator)


def _with_round(problem: PlanningProblem, **settings: object) -> PlanningProblem:
    return problem.model_copy(update={"round": problem.round.model_copy(update=settings)})


def test_session_hours_make_timed_events_in_utc(tmp_path: Path, problem: PlanningProblem) -> None:
    timed = _with_round(problem, session_start="09:00", session_end="16:00")
    roster = make_roster(timed)
    write_invitations(timed, roster, tmp_path, stamp=STAMP)
    c01 = _events(tmp_path / "invitations" / "C01.ics")
    # 12 Jan 2027 09:00-16:00 in Copenhagen (UTC+1 in winter) is 08:00-15:00 UTC
    assert (c01[0].decoded("dtstart"), c01[0].decoded("dtend")) == (
        datetime(2027, 1, 12, 8, 0, tzinfo=UTC),
        datetime(2027, 1, 12, 15, 0, tzinfo=UTC),
    )
    # Module 2 Tue-Wed (residential): from the first day's start to the second day's end
    c03 = _events(tmp_path / "invitations" / "C03.ics")
    assert (c03[0].decoded("dtstart"), c03[0].decoded("dtend")) == (
        datetime(2027, 2, 16, 8, 0, tzinfo=UTC),
        datetime(2027, 2, 17, 15, 0, tzinfo=UTC),
    )
    assert "organizer" not in c01[0]  # no coordinator_email: no ORGANIZER


def test_a_companys_own_events_name_it_and_its_contact(problem: PlanningProblem) -> None:
    from camp_planner.outputs.ics import company_calendar, company_events

    invited = _with_round(problem, coordinator_email="aase@region.dk", coordinator_name="Åse")
    roster = make_roster(invited)
    cohort = roster.cohorts[0]
    company = next(c for c in invited.companies if c.company_id == cohort.members[0])
    company = company.model_copy(update={"contact_name": "Søren Ø", "email": "s@firma.dk"})
    events = company_events(invited, roster, company, cohort, stamp=STAMP)
    assert len(events) == 2  # Module 1 and Lab 1
    for event in events:
        assert str(event["summary"]).endswith(f"— {company.name}")
        assert str(event["uid"]).endswith(f"-{company.company_id}@camp-planner")
        assert str(event["attendee"]) == "mailto:s@firma.dk"
        assert event["attendee"].params["CN"] == "Søren Ø"
        assert str(event["organizer"]) == "mailto:aase@region.dk"
        assert type(event.decoded("dtstart")) is date  # no hours given: all-day
    cal = Calendar.from_ical(company_calendar(invited, roster.round, events).to_ical())
    assert str(cal["method"]) == "REQUEST"
