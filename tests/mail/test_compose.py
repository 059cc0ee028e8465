"""Which message each change of a replan gets, and its calendars, on the hand-made roster of
tests/helpers/roster_fixture.py (C01 Herning Module 1; C02 and C03 Aarhus Module 2)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from email.message import EmailMessage

import pytest
from icalendar import Calendar

from camp_planner.mail.batch import make_batch
from camp_planner.mail.compose import RosterVersion, letters_after_replan
from camp_planner.mail.letters import load_template
from camp_planner.models import PlanningProblem, Roster, Session, Step
from tests.helpers.roster_fixture import make_problem, make_roster

STAMP = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def problem() -> PlanningProblem:
    base = make_problem()
    companies = tuple(
        c.model_copy(update={"email": f"{c.company_id}@firma.dk", "contact_name": "Bjørn"})
        for c in base.companies
    )
    config = base.round.model_copy(
        update={"language": "da", "coordinator_email": "aase@region.dk", "reply_by": None}
    )
    return base.model_copy(update={"companies": companies, "round": config})


def _calendars(message: EmailMessage) -> dict[str, Calendar]:
    return {
        str(p.get_filename()): Calendar.from_ical(p.get_payload(decode=True))
        for p in message.iter_attachments()
    }


def _replanned(published: Roster) -> tuple[Roster, str, str, str, str]:
    """C01's first member moved to C03, C01's second member unplaced, C01's lab a week
    later, and the first unplaced company (waiting) placed in C01 instead."""
    roster = published.model_copy(deep=True)
    c01, c03 = roster.cohorts[0], roster.cohorts[2]
    moved, dropped, stayed = c01.members[0], c01.members[1], c01.members[2]
    waiting = roster.unplaced[0].company_id
    c01.members = [waiting, *c01.members[2:]]
    c03.members.append(moved)
    c01.sessions = [c01.sessions[0], Session(step=Step.LAB1, dates=[date(2027, 2, 16)])]
    roster.unplaced = roster.unplaced[1:]
    return roster, moved, dropped, stayed, waiting


def test_each_change_gets_its_message_and_calendars(problem: PlanningProblem) -> None:
    published = make_roster(problem)
    roster, moved, dropped, stayed, waiting = _replanned(published)
    rows = [
        {"company_id": moved, "change": "moved", "old_cohort_id": "C01", "new_cohort_id": "C03"},
        {"company_id": dropped, "change": "unplaced", "old_cohort_id": "C01"},
        {"company_id": stayed, "change": "dates", "old_cohort_id": "C01", "new_cohort_id": "C01",
         "old_dates": "2027-01-12;2027-02-09", "new_dates": "2027-01-12;2027-02-16"},
        {"company_id": waiting, "change": "new", "new_cohort_id": "C01"},
        {"company_id": "gone", "change": "withdrawn", "old_cohort_id": "C01"},
    ]  # fmt: skip
    letters = letters_after_replan(rows, roster, published)
    assert [(x.company_id, x.kind) for x in letters] == [
        (moved, "update"),
        (dropped, "cancel"),
        (stayed, "update"),
        (waiting, "waitlist"),
    ]
    batch = make_batch(
        problem,
        RosterVersion(roster, {}),
        letters,
        load_template(None, "da"),
        sender="aase@region.dk",
        published=RosterVersion(published, {}),
    )
    messages = {o.letter.company_id: o.message for o in batch.outgoing}
    # moved: the new cohort's events, and the old cohort's cancelled (one METHOD each)
    cals = _calendars(messages[moved])
    assert {k: str(c["method"]) for k, c in cals.items()} == {
        "invitation.ics": "REQUEST",
        "cancelled.ics": "CANCEL",
    }
    new_uids = {str(e["uid"]) for e in cals["invitation.ics"].walk("VEVENT")}
    assert all(u.startswith("C03-") and u.endswith(f"-{moved}@camp-planner") for u in new_uids)
    gone = list(cals["cancelled.ics"].walk("VEVENT"))
    assert {str(e["uid"]).split("-")[0] for e in gone} == {"C01"}
    assert all(int(e["sequence"]) == 1 and str(e["status"]) == "CANCELLED" for e in gone)
    # unplaced: only the cancellation
    assert list(_calendars(messages[dropped])) == ["cancelled.ics"]
    assert "ikke længere har en plads" in messages[dropped].get_body().get_content()
    # other dates in the same cohort: Module 1 unchanged, the lab's old day cancelled, the new one
    cals = _calendars(messages[stayed])
    starts = sorted(e.decoded("dtstart") for e in cals["invitation.ics"].walk("VEVENT"))
    assert starts == [date(2027, 1, 12), date(2027, 2, 16)]
    (old_lab,) = cals["cancelled.ics"].walk("VEVENT")
    assert old_lab.decoded("dtstart") == date(2027, 2, 9)
    body = messages[stayed].get_body().get_content()
    assert "Datoer: tirsdag 12. januar 2027, tirsdag 9. februar 2027 -> " in body
    # from the waitlist: an invitation that says so
    assert "fra ventelisten" in messages[waiting].get_body().get_content()
    assert list(_calendars(messages[waiting])) == ["invitation.ics"]
