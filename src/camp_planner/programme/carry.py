"""From one round's roster to the next round's companies (docs/rules.md "The programme",
docs/programme.md).

Everybody placed in the roster (and not reported absent) has done the step: its module and
lab join `completed`. Everybody who still waits for a step (unplaced for any reason but
`track_complete` or `not_eligible`, or absent) keeps its `waiting_since`, or gets the old
round's start when it had none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from camp_planner.models import LAB_OF, Company, PlanningProblem, Roster, Step, UnplacedCode

#: Unplaced codes of companies that do not wait for a step.
NOT_WAITING = {UnplacedCode.TRACK_COMPLETE, UnplacedCode.NOT_ELIGIBLE}
_ORDER = {step: i for i, step in enumerate(Step)}


@dataclass(frozen=True)
class CarryOver:
    """What changes for one company in the next round's folder."""

    completed: frozenset[Step]
    waiting_since: date | None


def roster_mismatch(problem: PlanningProblem, roster: Roster) -> str | None:
    """A sentence when `roster` is not a roster of this planning folder, else None."""
    if roster.round != problem.round.name:
        return (
            f"the roster is of round {roster.round!r}, the folder of round {problem.round.name!r}"
        )
    ids = {c.company_id for c in problem.companies}
    listed = [m for c in roster.cohorts for m in c.members] + [
        u.company_id for u in roster.unplaced
    ]
    foreign = sorted(set(listed) - ids)
    if foreign:
        return (
            f"{len(foreign)} compan{'y' if len(foreign) == 1 else 'ies'} of the roster "
            f"{'is' if len(foreign) == 1 else 'are'} not in the folder (e.g. {foreign[0]})"
        )
    missing = sorted(ids - set(listed))
    if missing:
        return (
            f"{len(missing)} compan{'y' if len(missing) == 1 else 'ies'} of the folder "
            f"{'is' if len(missing) == 1 else 'are'} not in the roster (e.g. {missing[0]})"
        )
    return None


def carry_over(
    problem: PlanningProblem, roster: Roster, absent: frozenset[str] = frozenset()
) -> dict[str, CarryOver]:
    """Every company's `completed` and `waiting_since` for the next round.

    Args:
        problem: The round's planning problem.
        roster: Its roster (as published and held).
        absent: Ids of placed companies that did not attend.

    Returns:
        company_id -> its carry-over, for every company of the problem.
    """
    step_of: dict[str, Step] = {}
    for cohort in roster.cohorts:
        for member in cohort.members:
            step_of[member] = cohort.module
    code_of = {u.company_id: u.code for u in roster.unplaced}
    start = problem.round.start
    out = {}
    for company in problem.companies:
        cid = company.company_id
        done = set(company.completed)
        waiting = company.waiting_since
        if cid in step_of and cid not in absent:
            done |= {step_of[cid], LAB_OF[step_of[cid]]}
        elif code_of.get(cid) not in NOT_WAITING and waiting is None:
            waiting = start
        out[cid] = CarryOver(frozenset(done), waiting)
    return out


def completed_text(steps: frozenset[Step]) -> str:
    """``module1;lab1`` in track order, as companies.csv writes it."""
    return ";".join(step.value for step in sorted(steps, key=_ORDER.__getitem__))


def next_companies(
    problem: PlanningProblem, roster: Roster, absent: frozenset[str] = frozenset()
) -> tuple[Company, ...]:
    """The round's companies as the next round sees them (:func:`carry_over` applied)."""
    carry = carry_over(problem, roster, absent)
    return tuple(
        c.model_copy(
            update={
                "completed": carry[c.company_id].completed,
                "waiting_since": carry[c.company_id].waiting_since,
            }
        )
        for c in problem.companies
    )
