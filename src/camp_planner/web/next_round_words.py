"""The refusals of ``camp-planner next-round`` that reach the next-round page, in the page's
words.

The route checks the attendance and the new round's settings first (with the command's own
reader, and the new round starting after this one ends), so what the command can still
refuse is the roster the round was held by (the published one, else the latest) not being
a roster of the plan's latest files (:func:`camp_planner.programme.carry.roster_mismatch`,
with :func:`camp_planner.replan.published.likely_renames`): the round renamed in the
settings, a late sign-up or a withdrawal saved without a replan, a company whose id changed.
:func:`refusal` says that as a :class:`~camp_planner.i18n.Message` of this catalog, without
the server's paths; the JSON API keeps the command's English sentence (``expected``).
Anything else the command refuses (a roster file that no longer reads, a full disk) stays
its English sentence.
"""

from __future__ import annotations

from pathlib import Path

from camp_planner.i18n import Message, joined
from camp_planner.models import PlanningProblem, Roster
from camp_planner.web.i18n import N_

__all__ = ["refusal"]

_NOT_OURS = N_(
    "The roster this round was held by does not belong to the plan's latest files: %(why)s."
)
_NOT_OURS_RENAMED = N_(
    "The roster this round was held by does not belong to the plan's latest files: "
    "%(why)s; %(renames)s."
)
_ROUND = N_("the roster is of round '%(roster)s', the files of round '%(files)s'")
_NOT_IN_FILES = (
    N_("%(n)s company of the roster is not in the files (e.g. %(example)s)"),
    N_("%(n)s companies of the roster are not in the files (e.g. %(example)s)"),
)
_NOT_IN_ROSTER = (
    N_("%(n)s company of the files is not in the roster (e.g. %(example)s)"),
    N_("%(n)s companies of the files are not in the roster (e.g. %(example)s)"),
)
_RENAMED = N_(
    "company '%(name)s' has id %(new)s in the files but %(old)s in the roster: if its id "
    "was changed, put %(old)s back (it keeps its place); if it is another company, give it "
    "another name (e.g. with its town)"
)
_AND = N_("%(a)s; %(b)s")


def _count(texts: tuple[str, str], ids: list[str]) -> Message:
    return Message(texts[0] if len(ids) == 1 else texts[1], n=len(ids), example=ids[0])


def refusal(problem: PlanningProblem, roster: Roster, roster_path: Path) -> Message | None:
    """Why `roster` is not a roster of `problem` (the plan's latest files), as the command
    finds it (None when it is one)."""
    from camp_planner.programme.carry import roster_mismatch
    from camp_planner.replan.inputs import published_names
    from camp_planner.replan.published import likely_renames

    if roster_mismatch(problem, roster) is None:
        return None
    if roster.round != problem.round.name:
        why = Message(_ROUND, roster=roster.round, files=problem.round.name)
    else:
        ids = {c.company_id for c in problem.companies}
        listed = {m for c in roster.cohorts for m in c.members}
        listed |= {u.company_id for u in roster.unplaced}
        foreign, missing = sorted(listed - ids), sorted(ids - listed)
        why = _count(_NOT_IN_FILES, foreign) if foreign else _count(_NOT_IN_ROSTER, missing)
    renames = [
        Message(_RENAMED, name=r.name, new=r.new_id, old=r.old_id)
        for r in likely_renames(problem, roster, published_names(roster_path))
    ]
    if not renames:
        return Message(_NOT_OURS, why=why)
    return Message(_NOT_OURS_RENAMED, why=why, renames=joined(renames, _AND))
