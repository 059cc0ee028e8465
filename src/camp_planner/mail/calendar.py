"""A company's own invitation: its cohort's events with its name, its contact person as
ATTENDEE and the coordinator as ORGANIZER.

The events are :func:`~camp_planner.outputs.ics.session_events` (so hours, location and text are
those of the cohort files). Each gets the company's own UID, the cohort event's UID with the
company's id added (``C01-module1-2027-01-12-2027-Q1-12345678@camp-planner``), and the cohort
event's SEQUENCE: after a replan the roster.json's ``replan.events`` record keeps a cohort's UIDs
and raises SEQUENCE where an event changed, so a company's calendar updates the event it
imported. A calendar with an ORGANIZER is ``METHOD:REQUEST`` (RFC 5546: a request needs one);
without ``coordinator_email`` it is ``METHOD:PUBLISH``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from icalendar import Calendar, Event, vCalAddress, vText

from camp_planner.i18n import gettext_for
from camp_planner.outputs.ics import PRODID, session_events
from camp_planner.models import Cohort, Company, PlanningProblem, Roster

__all__ = ["cancellation", "company_calendar", "company_events", "event_record"]

#: (cohort_id, step, run) -> (uid, sequence), as roster.json's ``replan.events`` keeps them
EventRecord = dict[tuple[str, str, int], tuple[str, int]]
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def event_record(raw: Mapping[str, Any]) -> EventRecord:
    """The UIDs and SEQUENCEs a roster.json (as parsed JSON) records; empty when none."""
    replan = raw.get("replan")
    events = replan.get("events", []) if isinstance(replan, dict) else []
    record: EventRecord = {}
    for e in events:
        if isinstance(e, dict) and {"cohort_id", "step", "run", "uid"} <= set(e):
            key = (str(e["cohort_id"]), str(e["step"]), int(e["run"]))
            record[key] = (str(e["uid"]), int(e.get("sequence", 0)))
    return record


def _own_uid(cohort_uid: str, company_id: str) -> str:
    local, _, domain = cohort_uid.partition("@")
    slug = _UNSAFE.sub("_", company_id).strip("_") or "x"
    return f"{local}-{slug}@{domain or 'camp-planner'}"


def _address(email: str, name: str | None, **params: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["cn"] = vText(name)
    for key, value in params.items():
        address.params[key.replace("_", "-")] = vText(value)
    return address


def company_events(
    problem: PlanningProblem,
    roster: Roster,
    company: Company,
    cohort: Cohort,
    *,
    stamp: datetime,
    record: EventRecord | None = None,
) -> list[Event]:
    """The company's events of `cohort` (its cohort in `roster`), in date order."""
    record = record or {}
    config = problem.round
    _ = gettext_for(config.language)
    events = []
    for session in cohort.sessions:
        for run, event in enumerate(session_events(problem, roster, cohort, session, stamp=stamp)):
            uid, sequence = record.get(
                (cohort.cohort_id, session.step.value, run), (str(event["uid"]), 0)
            )
            event.pop("uid")
            event.add("uid", _own_uid(uid, company.company_id))
            event.add("sequence", sequence)
            summary = str(event.pop("summary"))
            event.add("summary", f"{summary} — {company.name}")
            description = str(event.pop("description"))
            who = _("For %(company)s") % {"company": company.name}
            if company.contact_name:
                who += f" ({company.contact_name})"
            event.add("description", f"{who}.\n{description}")
            if config.coordinator_email:
                event.add("organizer", _address(config.coordinator_email, config.coordinator_name))
            if company.email:
                attendee = _address(
                    company.email,
                    company.contact_name or company.name,
                    role="REQ-PARTICIPANT",
                    partstat="NEEDS-ACTION",
                    rsvp="TRUE",
                )
                event.add("attendee", attendee)
            events.append(event)
    events.sort(key=lambda e: (str(e.decoded("dtstart")), str(e["uid"])))
    return events


def company_calendar(problem: PlanningProblem, round_name: str, events: list[Event]) -> Calendar:
    """A company's calendar to attach: ``METHOD:CANCEL`` when every event is cancelled,
    else ``REQUEST`` (``PUBLISH`` without an organizer). One METHOD per calendar (RFC 5546),
    so a company moved to another cohort gets two: the new events and the old ones cancelled.
    """
    _ = gettext_for(problem.round.language)
    if events and all(str(e.get("status", "")) == "CANCELLED" for e in events):
        method = "CANCEL"
    else:
        method = "REQUEST" if problem.round.coordinator_email else "PUBLISH"
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    cal.add("x-wr-calname", _("Vækstcamp %(round)s") % {"round": round_name})
    for event in events:
        cal.add_component(event)
    return cal


def cancellation(events: list[Event]) -> list[Event]:
    """The same events cancelled: STATUS:CANCELLED and SEQUENCE one higher."""
    out = []
    for event in events:
        event = event.copy()  # the subcomponents list is not shared: events have none
        sequence = int(event.pop("sequence", 0))
        event.add("sequence", sequence + 1)
        event.pop("status", None)
        event.add("status", "CANCELLED")
        out.append(event)
    return out
