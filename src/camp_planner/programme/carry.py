"""From one round's roster to the next round's companies (docs/rules.md "The programme",
docs/programme.md).

Everybody placed in the roster (and not reported absent) has done the step: its module and
lab join `completed`. Its old `waiting_since` is spent on that step: it waits for its next step
(Module 2) from the old round's `end`, or, with no step left (a C company after Module 1, anyone
after Module 2), it has no waiting date at all.

A company with no step to wait for (`track_complete`, `not_eligible`) has no waiting date.
Everybody who still waits for a step (unplaced for any reason but `track_complete` or
`not_eligible`, or absent) keeps its `waiting_since`; one that had none waits from its
`signed_up` day, or, with none given, from the old round's start (the day it first appears in a
planning folder). Nobody waits from before its `available_from`: a company that signed up for a
later round has not waited through the rounds it could not attend.
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


def waiting_from(company: Company, default: date) -> date:
    """The day a company that still waits for a step has waited since: its `waiting_since`,
    else its `signed_up`, else `default`; never before its `available_from`."""
    since = company.waiting_since or company.signed_up or default
    if company.available_from is not None and company.available_from > since:
        return company.available_from
    return since


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
    rnd = problem.round
    out = {}
    for company in problem.companies:
        cid = company.company_id
        if cid in step_of and cid not in absent:
            done = frozenset(company.completed | {step_of[cid], LAB_OF[step_of[cid]]})
            after = company.model_copy(update={"completed": done})
            waiting = rnd.end if after.next_step() is not None else None
            out[cid] = CarryOver(done, waiting)
        elif code_of.get(cid) in NOT_WAITING:
            out[cid] = CarryOver(company.completed, None)  # it waits for nothing
        else:
            out[cid] = CarryOver(company.completed, waiting_from(company, rnd.start))
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


@dataclass(frozen=True)
class CarryCounts:
    """What :func:`carry_over` did, counted for the coordinator (each company once)."""

    #: placed and attended: a step more done ...
    trained: int
    #: ... of which wait for Module 2 from the old round's end
    wait_for_module2: int
    #: still waiting for the step they had: with a waiting date before the round ...
    kept: int
    #: ... from their `signed_up` day, from their `available_from`, from the round's start
    from_signed_up: int
    from_available: int
    from_start: int
    #: placed but reported absent (they still wait, counted above too)
    absent: int

    @property
    def waiting(self) -> int:
        """Companies still waiting for the step they had."""
        return self.kept + self.from_signed_up + self.from_available + self.from_start


def carry_counts(
    problem: PlanningProblem, carry: dict[str, CarryOver], absent: frozenset[str] = frozenset()
) -> CarryCounts:
    """Count the carry-over by how each company's waiting date came about."""
    counts = dict.fromkeys(
        ("trained", "wait_for_module2", "kept", "from_signed_up", "from_available"), 0
    )
    counts["from_start"] = 0
    for company in problem.companies:
        change = carry[company.company_id]
        if change.completed != company.completed:
            counts["trained"] += 1
            counts["wait_for_module2"] += change.waiting_since is not None
        elif change.waiting_since is None:
            continue
        elif change.waiting_since == company.waiting_since:
            counts["kept"] += 1
        elif change.waiting_since == company.available_from:
            counts["from_available"] += 1
        elif change.waiting_since == company.signed_up:
            counts["from_signed_up"] += 1
        else:
            counts["from_start"] += 1
    ids = {c.company_id for c in problem.companies}
    return CarryCounts(**counts, absent=len(absent & ids))
