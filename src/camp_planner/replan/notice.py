"""Changes with notice (round.toml ``notice_days``, default 7), and labs of cohorts that
have met re-dated when their day is lost.

A replan neither moves nor adds a session on the ``--as-of`` day or within ``notice_days``
calendar days after it: a published cohort with a session in that period is kept as it is
(like a cohort that has met), and no new session is put there. The first day a replan may
change is :func:`changes_from`.

A cohort that has met keeps its venue, dates and members; but a session of it still to come
(after the notice period) whose day is now lost (the facilitator or the venue unavailable)
is re-dated to the nearest day that keeps the lab rule (`lab_gap_days` after its module),
the facilitator free and the venue open, preferring days all its members can attend.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from camp_planner.models import LAB_OF, Cohort, Company, PlanningProblem, RoundConfig, Session
from camp_planner.scheduler.days import DayIndex


def changes_from(as_of: date, rnd: RoundConfig) -> date:
    """The first day a replan may move or add a session on: after the notice period."""
    return as_of + timedelta(days=rnd.notice_days + 1)


def as_of_problem(as_of: date, rnd: RoundConfig) -> str | None:
    """Why `as_of` cannot be used for this round (a sentence), or None."""
    if as_of > rnd.end:
        return (
            f"--as-of {as_of} is after the round's end ({rnd.end}): every session of round "
            f"{rnd.name!r} has been held; prepare the next round (camp-planner next-round)."
        )
    return None


def _lost(day: date, cohort: Cohort, problem: PlanningProblem) -> str | None:
    """Who made `day` impossible for `cohort`'s session: the facilitator or the venue."""
    if day in problem.round.facilitator_unavailable:
        return "the facilitator"
    venue = next((v for v in problem.venues if v.venue_id == cohort.venue_id), None)
    if venue is not None and day in venue.unavailable:
        return f"venue {cohort.venue_id}"
    return None


def _best_day(options: list[date], old: date, members: list[Company]) -> date:
    """The day most members can attend, then the nearest to the old one, then the earliest."""

    def cost(day: date) -> tuple[int, int, date]:
        absent = sum(day in m.unavailable for m in members)
        return absent, abs((day - old).days), day

    return min(options, key=cost)


def redate_lost_labs(
    problem: PlanningProblem, history: list[Cohort], days: DayIndex, first: date
) -> tuple[list[Cohort], list[str]]:
    """Cohorts that have met, with each lab still to come (on or after `first`) whose day is
    lost moved to the best day left; and a note per lab moved or that could not be.

    Args:
        problem: The planning folder as it is now.
        history: The cohorts that have met (or fall in the notice period), kept as they are.
        days: The round's working days.
        first: The first day a session may be moved to (:func:`changes_from`).
    """
    companies = {c.company_id: c for c in problem.companies}
    busy = Counter(d for c in history for s in c.sessions for d in s.dates)
    out, notes = [], []
    for cohort in history:
        lab = next((s for s in cohort.sessions if s.step == LAB_OF[cohort.module]), None)
        module = next((s for s in cohort.sessions if s.step == cohort.module), None)
        if lab is None or module is None or len(lab.dates) != 1 or lab.dates[0] < first:
            out.append(cohort)
            continue
        old = lab.dates[0]
        who = _lost(old, cohort, problem)
        if who is None:
            out.append(cohort)
            continue
        lo_gap, hi_gap = problem.round.lab_gap_days
        last = max(module.dates)
        options = [
            d
            for d in days.dates
            if d >= first
            and lo_gap <= (d - last).days <= hi_gap
            and _lost(d, cohort, problem) is None
            and busy[d] < problem.round.facilitators
        ]
        if not options:  # flagged "arrange it by hand" with the roster (history_flags)
            out.append(cohort)
            continue
        new = _best_day(options, old, [companies[m] for m in cohort.members if m in companies])
        busy[old] -= 1
        busy[new] += 1
        sessions = [Session(step=s.step, dates=[new]) if s is lab else s for s in cohort.sessions]
        out.append(cohort.model_copy(update={"sessions": sessions}))
        notes.append(
            f"{cohort.cohort_id} has met; {who} cannot be there on {old}, so its "
            f"{lab.step.value} moves to {new}"
        )
    return out, notes
