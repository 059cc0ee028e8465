"""Which companies get which message, and each message as MIME (text + the .ics attached).

After a roster: every placed company an invitation. After a replan (its changes.csv): a
company moved, or whose venue or dates changed, an update (its new events, SEQUENCE raised,
and, when it left a cohort, that cohort's events cancelled); a company with a place now and
none before an invitation (``waitlist`` when it waited in the published roster's unplaced
list); a company that lost its place a cancellation (``METHOD:CANCEL``). Withdrawn companies
are no longer in the folder and get nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

import jinja2
from icalendar import Event

from camp_planner.mail.letters import Letter, LetterKind, letter_values, render
from camp_planner.models import Company, PlanningProblem, Roster
from camp_planner.outputs.ics import (
    EventRecord,
    cancelled_events,
    company_calendar,
    company_events,
)

__all__ = ["Outgoing", "RosterVersion", "compose", "letters_after_replan", "letters_for_roster"]

_UPDATE = {"moved", "dates", "venue"}


@dataclass(frozen=True)
class RosterVersion:
    """A roster with the UIDs and SEQUENCEs its roster.json records (after a replan)."""

    roster: Roster
    record: EventRecord


@dataclass(frozen=True)
class Outgoing:
    """One message ready to go."""

    letter: Letter
    to: str
    message: EmailMessage


def letters_for_roster(roster: Roster) -> list[Letter]:
    """An invitation for every placed company, in cohort order."""
    return [Letter(m) for cohort in roster.cohorts for m in cohort.members]


def letters_after_replan(
    rows: Sequence[Mapping[str, str]], roster: Roster, published: Roster | None
) -> list[Letter]:
    """The letters a replan's changes.csv rows call for (see the module's docstring)."""
    waited = {u.company_id for u in published.unplaced} if published else set()
    placed = {m for c in roster.cohorts for m in c.members}
    letters = []
    for row in rows:
        company_id, change = row.get("company_id", ""), row.get("change", "")
        if change in _UPDATE and company_id in placed:
            letters.append(Letter(company_id, "update", dict(row)))
        elif change == "new" and company_id in placed:
            kind: LetterKind = "waitlist" if company_id in waited else "invitation"
            letters.append(Letter(company_id, kind, dict(row)))
        elif change == "unplaced":
            letters.append(Letter(company_id, "cancel", dict(row)))
    return letters


def _events(
    problem: PlanningProblem,
    version: RosterVersion | None,
    company: Company,
    stamp: datetime,
) -> list[Event]:
    if version is None:
        return []
    cohort = version.roster.cohort_of(company.company_id)
    if cohort is None:
        return []
    return company_events(
        problem, version.roster, company, cohort, stamp=stamp, record=version.record
    )


def compose(
    problem: PlanningProblem,
    current: RosterVersion,
    letter: Letter,
    template: jinja2.Template,
    *,
    sender: str | None,
    published: RosterVersion | None = None,
    stamp: datetime | None = None,
) -> EmailMessage:
    """One company's message: the rendered text, and the calendars attached.

    Args:
        problem: The planning folder as read (the company must be in it, with an address).
        current: The roster the message is about.
        letter: What to tell whom.
        template: The loaded template.
        sender: The From address (None: no From line, for an .eml preview only).
        published: The roster published before a replan (its events are cancelled where the
            company no longer has them).
        stamp: DTSTAMP and the Date line; now by default.
    """
    stamp = stamp or datetime.now(UTC).replace(microsecond=0)
    company = next(c for c in problem.companies if c.company_id == letter.company_id)
    assert company.email, "compose only for companies with an address"
    subject, body = render(template, letter_values(problem, current.roster, letter))
    config = problem.round
    message = EmailMessage()
    if sender:
        message["From"] = Address(config.coordinator_name or "", addr_spec=sender)
    message["To"] = Address(company.contact_name or company.name, addr_spec=company.email)
    if config.coordinator_email and config.coordinator_email != sender:
        message["Reply-To"] = Address(
            config.coordinator_name or "", addr_spec=config.coordinator_email
        )
    message["Subject"] = subject
    message["Date"] = format_datetime(stamp)
    domain = sender.rpartition("@")[2] if sender else "camp-planner.invalid"
    message["Message-ID"] = make_msgid("camp-planner", domain=domain)
    message.set_content(body, subtype="plain", charset="utf-8")
    new = _events(problem, current, company, stamp) if letter.kind != "cancel" else []
    old = _events(problem, published, company, stamp) if letter.kind in ("update", "cancel") else []
    keep = {str(e["uid"]) for e in new}
    gone = cancelled_events([e for e in old if str(e["uid"]) not in keep])
    for events, name in ((new, "invitation.ics"), (gone, "cancelled.ics")):
        if events:
            cal = company_calendar(problem, current.roster.round, events)
            method = str(cal["method"])
            message.add_attachment(
                cal.to_ical(),
                maintype="text",
                subtype="calendar",
                filename=name,
                params={"method": method, "charset": "utf-8"},
            )
    return message
