"""Calendar invitations (iCalendar, RFC 5545) for each cohort and for the facilitator.

Every session becomes an all-day event (``DTSTART;VALUE=DATE``, exclusive ``DTEND``).
A session on consecutive calendar days (Module 2, e.g. Tuesday+Wednesday) is one event
spanning them; a session whose days are not consecutive (Module 2 on Friday+Monday) gets
one event per run of consecutive days, titled "(day 1/2)", "(day 2/2)", so calendars do
not block the weekend. UIDs are stable (``<cohort>-<step>-<first date>-<round>@camp-planner``),
so re-sending a revised roster updates the events people already imported instead of
duplicating them; the cohort files and ``facilitator.ics`` share UIDs for the same event.

By default the cohort invitations name no companies (only how many take part): they are
sent around, and company data is business-confidential.

Titles, descriptions, places and calendar names are in the round's language (round.toml
``language``, :mod:`camp_planner.i18n`): ``Vækstcamp Modul 1 — hold C01 (dag 1/2)``.
UIDs do not depend on it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event, vCalAddress, vText

from camp_planner.i18n import gettext_for, ngettext_for, step_label
from camp_planner.models import (
    SESSION_DAYS,
    Cohort,
    Company,
    PlanningProblem,
    Roster,
    RoundConfig,
    Session,
    Venue,
)
from camp_planner.models.roster import CohortAgeGroup
from camp_planner.outputs.atomic import atomic_write_bytes
from camp_planner.outputs.writers import ONLINE_LOCATION, venue_location

__all__ = [
    "EventRecord",
    "cancelled_events",
    "cohort_calendar",
    "company_calendar",
    "company_events",
    "event_record",
    "facilitator_calendar",
    "session_events",
    "write_invitations",
]

PRODID = "-//camp-planner//Vaekstcamp roster//EN"
#: The sessions' hours in round.toml are Danish time.
DANISH_TIME = ZoneInfo("Europe/Copenhagen")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _slug(text: str) -> str:
    return _UNSAFE.sub("_", text).strip("_") or "x"


def _runs(days: Iterable[date]) -> list[list[date]]:
    """Split dates into runs of consecutive calendar days."""
    runs: list[list[date]] = []
    for day in sorted(set(days)):
        if runs and day - runs[-1][-1] == timedelta(days=1):
            runs[-1].append(day)
        else:
            runs.append([day])
    return runs


def _new_calendar(name: str, description: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-caldesc", description)
    return cal


def _people(problem: PlanningProblem, cohort: Cohort) -> int:
    sizes = {c.company_id: c.participants for c in problem.companies}
    return sum(sizes.get(cid, 1) for cid in cohort.members)


def _location(problem: PlanningProblem, cohort: Cohort) -> tuple[Venue | None, str]:
    """The cohort's venue and its place in words (with the street address when known)."""
    lang = problem.round.language
    if cohort.online:
        return None, gettext_for(lang)(ONLINE_LOCATION)
    venue = next((v for v in problem.venues if v.venue_id == cohort.venue_id), None)
    location = venue_location(venue, cohort.venue_id, lang)
    if venue is not None and venue.address:
        town = f", {venue.town}" if venue.town and venue.town not in venue.address else ""
        location = f"{venue.name}, {venue.address}{town}"
    return venue, location


def _description(
    problem: PlanningProblem,
    roster: Roster,
    cohort: Cohort,
    label: str,
    location: str,
    include_members: bool,
) -> list[str]:
    """The lines of a session's DESCRIPTION: step, cohort, size, venue (and members)."""
    lang = problem.round.language
    _ = gettext_for(lang)
    ngettext = ngettext_for(lang)
    companies = {
        CohortAgeGroup.YOUNG: _("young companies"),
        CohortAgeGroup.ESTABLISHED: _("established companies"),
        CohortAgeGroup.MIXED: _("young and established companies"),
    }[cohort.age_group]
    people = _people(problem, cohort)
    lines = [
        _("%(step)s of the growth camp (Vækstcamp), round %(round)s.")
        % {"step": label, "round": roster.round},
        _("Cohort %(cohort)s: level %(level)s, %(companies)s")
        % {"cohort": cohort.cohort_id, "level": cohort.level.value, "companies": companies}
        + (_(" (a mixed cohort).") if cohort.mixed else "."),
        ngettext("%(n)s companies", "%(n)s companies", len(cohort.members))
        % {"n": len(cohort.members)}
        + ", "
        + ngettext("%(n)s participants.", "%(n)s participants.", people) % {"n": people},
        _("Held online: no venue, no travel; the link follows from the facilitator.")
        if cohort.online
        else _("Venue: %(location)s.") % {"location": location},
    ]
    if include_members:
        names = {c.company_id: c.name for c in problem.companies}
        members = "; ".join(names.get(m, m) for m in cohort.members)
        lines.append(_("Members: %(names)s") % {"names": members})
    return lines


def _span(config: RoundConfig, first: date, last: date) -> tuple[date | datetime, date | datetime]:
    """DTSTART and DTEND of a run of days: all-day (DTEND exclusive) without the round's
    session hours; with them, from the first day's start to the last day's end, Danish time
    written in UTC (so the file needs no VTIMEZONE)."""
    if config.session_start is None or config.session_end is None:
        return first, last + timedelta(days=1)
    start, end = time.fromisoformat(config.session_start), time.fromisoformat(config.session_end)
    return (
        datetime.combine(first, start, tzinfo=DANISH_TIME).astimezone(UTC),
        datetime.combine(last, end, tzinfo=DANISH_TIME).astimezone(UTC),
    )


def session_events(
    problem: PlanningProblem,
    roster: Roster,
    cohort: Cohort,
    session: Session,
    *,
    stamp: datetime,
    include_members: bool = False,
    venue_in_summary: bool = False,
) -> list[Event]:
    """The VEVENTs of one session (one per run of consecutive days): all-day, or with the
    round's ``session_start``/``session_end`` hours; the coordinator as ORGANIZER when
    round.toml names one.

    Args:
        problem: The round's input (venues, company sizes and names, the round's settings).
        roster: The roster the cohort belongs to (for the round's name).
        cohort: The cohort holding the session.
        session: The session.
        stamp: DTSTAMP of the events (UTC).
        include_members: Name the member companies in DESCRIPTION.
        venue_in_summary: Add the venue to SUMMARY (useful in the facilitator's calendar).

    Returns:
        The events, in date order.
    """
    config = problem.round
    _ = gettext_for(config.language)
    venue, location = _location(problem, cohort)
    label = step_label(session.step, config.language)
    summary = _("Vækstcamp %(step)s — cohort %(cohort)s") % {
        "step": label,
        "cohort": cohort.cohort_id,
    }
    if cohort.online:
        summary += " (online)"
    elif venue_in_summary:
        summary += f" ({venue.name if venue else cohort.venue_id})"
    lines = _description(problem, roster, cohort, label, location, include_members)
    runs = _runs(session.dates)
    total = max(sum(len(r) for r in runs), SESSION_DAYS.get(session.step, 1))
    events = []
    done = 0
    for run in runs:
        event = Event()
        uid = f"{cohort.cohort_id}-{session.step.value}-{run[0].isoformat()}-{roster.round}"
        event.add("uid", f"{_slug(uid)}@camp-planner")
        event.add("dtstamp", stamp)
        dtstart, dtend = _span(config, run[0], run[-1])
        event.add("dtstart", dtstart)
        event.add("dtend", dtend)
        title = summary
        if len(runs) > 1:
            span = f"{done + 1}" if len(run) == 1 else f"{done + 1}-{done + len(run)}"
            title = _("%(title)s (day %(span)s/%(total)s)") % {
                "title": summary,
                "span": span,
                "total": total,
            }
        done += len(run)
        event.add("summary", title)
        event.add("location", location)
        event.add("description", "\n".join(lines))
        event.add("transp", "OPAQUE")
        event.add("categories", ["Vækstcamp", label])
        if config.coordinator_email:
            event.add("organizer", _address(config.coordinator_email, config.coordinator_name))
        events.append(event)
    return events


def _address(email: str, name: str | None, **params: str) -> vCalAddress:
    """``mailto:`` an address, with CN and other parameters (ROLE, PARTSTAT, RSVP)."""
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["CN"] = vText(name)
    for key, value in params.items():
        address.params[key.upper()] = vText(value)
    return address


def cohort_calendar(
    problem: PlanningProblem,
    roster: Roster,
    cohort: Cohort,
    *,
    stamp: datetime | None = None,
    include_members: bool = False,
) -> Calendar:
    """A calendar with every session of one cohort.

    Args:
        problem: The round's input.
        roster: The roster the cohort belongs to.
        cohort: The cohort.
        stamp: DTSTAMP of the events; now (UTC) by default.
        include_members: Name the member companies in each event's description.

    Returns:
        The calendar.
    """
    stamp = stamp or datetime.now(UTC)
    lang = problem.round.language
    _ = gettext_for(lang)
    fields = {
        "round": roster.round,
        "cohort": cohort.cohort_id,
        "step": step_label(cohort.module, lang),
    }
    cal = _new_calendar(
        _("Vækstcamp %(round)s — cohort %(cohort)s") % fields,
        _("Sessions of cohort %(cohort)s (%(step)s)") % fields,
    )
    for session in sorted(cohort.sessions, key=lambda s: min(s.dates, default=date.max)):
        for event in session_events(
            problem, roster, cohort, session, stamp=stamp, include_members=include_members
        ):
            cal.add_component(event)
    return cal


def facilitator_calendar(
    problem: PlanningProblem, roster: Roster, *, stamp: datetime | None = None
) -> Calendar:
    """A calendar with every session of the round, for the facilitator ("tovholder").

    Args:
        problem: The round's input.
        roster: The roster.
        stamp: DTSTAMP of the events; now (UTC) by default.

    Returns:
        The calendar, events in date order.
    """
    stamp = stamp or datetime.now(UTC)
    _ = gettext_for(problem.round.language)
    cal = _new_calendar(
        _("Vækstcamp %(round)s — facilitator") % {"round": roster.round},
        _("All sessions of round %(round)s") % {"round": roster.round},
    )
    events = [
        event
        for cohort in roster.cohorts
        for session in cohort.sessions
        for event in session_events(
            problem, roster, cohort, session, stamp=stamp, venue_in_summary=True
        )
    ]
    events.sort(key=lambda e: (e.decoded("dtstart"), str(e["uid"])))
    for event in events:
        cal.add_component(event)
    return cal


def write_invitations(
    problem: PlanningProblem,
    roster: Roster,
    folder: str | os.PathLike[str],
    *,
    include_members: bool = False,
    stamp: datetime | None = None,
) -> list[Path]:
    """Write ``folder/invitations/<cohort_id>.ics`` per cohort and ``facilitator.ics``.

    Each file is written atomically. Files of cohorts no longer in the roster are left as
    they are (the folder is not cleaned).

    Args:
        problem: The round's input.
        roster: The roster.
        folder: Output folder; ``invitations/`` is created inside it.
        include_members: Name the member companies in the cohort invitations.
        stamp: DTSTAMP of all events; now (UTC) by default.

    Returns:
        The files written: the cohorts' in roster order, then ``facilitator.ics``.
    """
    stamp = stamp or datetime.now(UTC)
    out = Path(folder) / "invitations"
    written = []
    for cohort in roster.cohorts:
        cal = cohort_calendar(problem, roster, cohort, stamp=stamp, include_members=include_members)
        written.append(atomic_write_bytes(out / f"{_slug(cohort.cohort_id)}.ics", cal.to_ical()))
    cal = facilitator_calendar(problem, roster, stamp=stamp)
    written.append(atomic_write_bytes(out / "facilitator.ics", cal.to_ical()))
    return written


# -- a company's own invitation ---------------------------------------------------------
#: (cohort_id, step, run) -> (uid, sequence), as roster.json's ``replan.events`` keeps them
EventRecord = dict[tuple[str, str, int], tuple[str, int]]


def event_record(raw: Mapping[str, Any]) -> EventRecord:
    """The UIDs and SEQUENCEs a roster.json (as parsed JSON) records after a replan; empty
    for a roster as `roster` wrote it (its UIDs are those :func:`session_events` makes)."""
    replan = raw.get("replan")
    events = replan.get("events", []) if isinstance(replan, dict) else []
    record: EventRecord = {}
    for e in events:
        if isinstance(e, dict) and {"cohort_id", "step", "run", "uid"} <= set(e):
            key = (str(e["cohort_id"]), str(e["step"]), int(e["run"]))
            record[key] = (str(e["uid"]), int(e.get("sequence", 0)))
    return record


def company_events(
    problem: PlanningProblem,
    roster: Roster,
    company: Company,
    cohort: Cohort,
    *,
    stamp: datetime,
    record: EventRecord | None = None,
) -> list[Event]:
    """The company's own events of `cohort`: its name in SUMMARY and DESCRIPTION, its
    contact person as ATTENDEE (when it has an e-mail address), the coordinator as ORGANIZER.

    Each event's UID is the cohort event's with the company's id added
    (``C01-module1-2027-01-12-2027-Q1-12345678@camp-planner``), its SEQUENCE the cohort
    event's: after a replan roster.json's ``replan.events`` (`record`) keeps a cohort's UIDs
    and raises SEQUENCE where an event changed, so the company's calendar updates the event
    it imported.
    """
    record = record or {}
    _ = gettext_for(problem.round.language)
    who = _("For %(company)s") % {"company": company.name}
    if company.contact_name:
        who += f" ({company.contact_name})"
    events = []
    for session in cohort.sessions:
        for run, event in enumerate(session_events(problem, roster, cohort, session, stamp=stamp)):
            key = (cohort.cohort_id, session.step.value, run)
            uid, sequence = record.get(key, (str(event["uid"]), 0))
            local, _at, domain = uid.partition("@")
            event.pop("uid")
            event.add("uid", f"{local}-{_slug(company.company_id)}@{domain or 'camp-planner'}")
            event.add("sequence", sequence)
            event["summary"] = vText(f"{event['summary']} — {company.name}")
            event["description"] = vText(f"{who}.\n{event['description']}")
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


def cancelled_events(events: list[Event]) -> list[Event]:
    """Copies of `events` cancelled: STATUS:CANCELLED and SEQUENCE one higher."""
    out = []
    for event in events:
        copy = event.copy()
        copy.add("sequence", int(copy.pop("sequence", 0)) + 1)
        copy.pop("status", None)
        copy.add("status", "CANCELLED")
        out.append(copy)
    return out


def company_calendar(problem: PlanningProblem, round_name: str, events: list[Event]) -> Calendar:
    """A company's calendar to attach: ``METHOD:CANCEL`` when every event is cancelled,
    else ``REQUEST`` (``PUBLISH`` without an organizer: RFC 5546 requires one in a request).
    One METHOD per calendar, so a company moved to another cohort gets two calendars."""
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
