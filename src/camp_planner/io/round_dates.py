"""Notes for dates outside the round (issue 23, item 5).

An unavailable day outside the round's start..end cannot matter to the round, so it is
accepted; but it is most often a typo (the wrong year), which would silently leave the real
day open. Each such day is a note naming its file, row (or round.toml key) and value.
"""

from __future__ import annotations

from datetime import date

from camp_planner.i18n import N_, Message
from camp_planner.io._cells import RowReader
from camp_planner.models import PlanningProblem

_FACILITATOR = N_(
    "round.toml: facilitator_unavailable %(day)s is outside the round (%(start)s to %(end)s); "
    "check the year"
)
_ROW = N_(
    "%(file)s row %(row)s: unavailable %(day)s is outside the round (%(start)s to %(end)s); "
    "check the year"
)


def _outside(days: frozenset[date], start: date, end: date) -> list[date]:
    return sorted(d for d in days if not start <= d <= end)


def outside_round_notes(readers: list[RowReader], problem: PlanningProblem) -> list[Message]:
    """A note per unavailable day (a company's, a venue's, the facilitator's) outside the
    round, in file and row order (translatable, as the folder's other notes)."""
    rnd = problem.round
    span = {"start": rnd.start, "end": rnd.end}
    companies = {c.company_id: c for c in problem.companies}
    venues = {v.venue_id: v for v in problem.venues}
    notes = [
        Message(_FACILITATOR, day=day, **span)
        for day in _outside(rnd.facilitator_unavailable, rnd.start, rnd.end)
    ]
    for reader in readers:
        if not reader.ok:
            continue
        entity = (
            companies.get(reader.text("company_id"))
            if "company_id" in reader.values
            else venues.get(reader.text("venue_id"))
        )
        if entity is None:
            continue
        for day in _outside(entity.unavailable, rnd.start, rnd.end):
            notes.append(Message(_ROW, file=reader.file, row=reader.row, day=day, **span))
    return notes
