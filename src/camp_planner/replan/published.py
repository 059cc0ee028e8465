"""Which roster is the published one (issue 23: "a roster knows what it is").

`replan` and `next-round` start from the roster the companies were told. A what-if
scenario's roster or a programme's forecast of a round was never told to anybody: both
commands refuse it unless the coordinator adopts it (``--adopt``), which then records it as
published. And a company whose id changed in the sheet between publishing and now would
read as a withdrawal plus a late sign-up (a weaker claim to a place): a new id carrying the
name of a published id that is gone is reported as a likely rename.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from camp_planner.models import PlanningProblem, Roster
from camp_planner.models.roster import RosterKind

#: What each kind is, in the refusal's words.
_WHAT = {
    RosterKind.WHATIF: "a what-if scenario's roster",
    RosterKind.PROGRAMME: "a programme's forecast of a round",
}


def not_published(roster: Roster, path: object) -> str | None:
    """A sentence when `roster` cannot be the published roster without ``--adopt``."""
    if roster.kind.publishable:
        return None
    return (
        f"{path} is {_WHAT[roster.kind]} (kind {roster.kind.value!r}), not a published "
        "roster: nobody was told it. Give the roster you published (the roster command's "
        "out/roster.json, or the last replan's), or add --adopt to publish this one."
    )


def adopted(roster: Roster, on: date) -> Roster:
    """The roster recorded as published: kind ``roster``, with where it came from."""
    record = {"kind": roster.kind.value, "on": on.isoformat()}
    return roster.model_copy(update={"kind": RosterKind.ROSTER, "adopted_from": record})


def _key(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().casefold()


@dataclass(frozen=True)
class Rename:
    """A published id gone from the folder and a new id with the same name."""

    old_id: str
    new_id: str
    name: str

    def sentence(self) -> str:
        """The problem in words, with what to do."""
        return (
            f"company {self.name!r} has id {self.new_id} in the folder but {self.old_id} in "
            f"the published roster: if its id was changed, put {self.old_id} back (it keeps "
            "its place); if it is another company, give it another name (e.g. with its town)"
        )


def likely_renames(
    problem: PlanningProblem, published: Roster, names: dict[str, str]
) -> list[Rename]:
    """Published ids no longer in the folder whose name (`names`: the published roster's
    participants.csv, case and spaces ignored) a new id of the folder carries."""
    listed = {m for c in published.cohorts for m in c.members}
    listed |= {u.company_id for u in published.unplaced}
    now = {c.company_id: c.name for c in problem.companies}
    gone: dict[str, list[str]] = {}
    for cid in sorted(listed - set(now)):
        if names.get(cid):
            gone.setdefault(_key(names[cid]), []).append(cid)
    renames = []
    for cid, name in now.items():
        if cid not in listed:
            renames += [Rename(old, cid, name) for old in gone.get(_key(name), [])]
    return renames
