"""A batch of messages for a roster: the roster version read from its file, the letters it
calls for, composed for every company with an address (the others listed)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import jinja2

from camp_planner.i18n import N_, Message
from camp_planner.io.errors import Collector, InputError
from camp_planner.io.tables import read_csv_table
from camp_planner.mail.compose import (
    Outgoing,
    RosterVersion,
    compose,
    letters_after_replan,
    letters_for_roster,
)
from camp_planner.mail.letters import Letter, load_template
from camp_planner.mail.sentlog import fingerprint
from camp_planner.models import PlanningProblem, Roster
from camp_planner.outputs.ics import event_record

__all__ = ["Batch", "RosterFile", "batch_for", "make_batch", "read_changes", "read_roster_file"]

#: changes.csv's columns a letter needs
_CHANGE_NEEDS = ("company_id", "change")


@dataclass(frozen=True)
class RosterFile:
    """A roster as read from its file: the version (with its event record), its fingerprint."""

    path: Path
    version: RosterVersion
    print_: str


@dataclass
class Batch:
    """The messages to deliver, and the companies left out (placed, but no address)."""

    outgoing: list[Outgoing] = field(default_factory=list)
    no_address: list[str] = field(default_factory=list)


def read_roster_file(path: Path) -> RosterFile:
    """A roster.json with its UIDs record and fingerprint.

    Raises:
        ValueError: the file cannot be read or is not a roster (the message says which).
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"Cannot read the roster {path}: {exc.strerror or exc}") from None
    try:
        raw = json.loads(data)
        roster = Roster.model_validate(raw)
    except ValueError as exc:
        first = str(exc).splitlines()[0]
        raise ValueError(f"{path} is not a roster.json ({first})") from None
    return RosterFile(path, RosterVersion(roster, event_record(raw)), fingerprint(data))


def read_changes(path: Path) -> list[dict[str, str]]:
    """The rows of a replan's changes.csv (either separator).

    Raises:
        InputError: the file cannot be read or lacks company_id or change.
    """
    out = Collector()
    table = read_csv_table(path, out)
    if table is None:
        raise InputError(out.problems)

    for column in _CHANGE_NEEDS:
        if column not in table.columns:
            out.problem(
                table.label, None, column, None, Message(N_("a column %(columns)s"), columns=column)
            )
    if out.problems:
        raise InputError(out.problems)
    return table.rows


def make_batch(
    problem: PlanningProblem,
    current: RosterVersion,
    letters: list[Letter],
    template: jinja2.Template,
    *,
    sender: str | None,
    published: RosterVersion | None = None,
) -> Batch:
    """Compose every letter whose company has an address; list the others.

    Raises:
        TemplateProblem: the template does not render for some letter.
    """
    stamp = datetime.now(UTC).replace(microsecond=0)
    emails = {c.company_id: c.email for c in problem.companies}
    batch = Batch()
    for letter in letters:
        email = emails.get(letter.company_id)
        if not email:
            batch.no_address.append(letter.company_id)
            continue
        message = compose(
            problem, current, letter, template, sender=sender, published=published, stamp=stamp
        )
        batch.outgoing.append(Outgoing(letter, email, message))
    return batch


def batch_for(
    problem: PlanningProblem,
    current: RosterVersion,
    *,
    template: Path | None,
    changes: Path | None,
    published: RosterVersion | None,
    sender: str | None,
) -> Batch:
    """The batch for a roster: invitations to every placed company, or after a replan (its
    `changes` csv) the letters the changes call for.

    Raises:
        InputError: changes.csv cannot be used.
        TemplateProblem: the template cannot be read or rendered.
    """
    rows = read_changes(changes) if changes is not None else None
    loaded = load_template(template, problem.round.language)
    if rows is None:
        letters = letters_for_roster(current.roster)
    else:
        letters = letters_after_replan(
            rows, current.roster, published.roster if published else None
        )
    return make_batch(problem, current, letters, loaded, sender=sender, published=published)
