"""The facilitator's calendar as a CP-SAT model: dates for cohorts, and (optionally) which
members go into which of the cohorts of one venue and segment.

Used twice: to find how many Module 1 and Module 2 cohorts the round's calendar can hold
at all (:mod:`~camp_planner.scheduler.calendar_frontier`, through :func:`add_slot`), and to
date the cohorts the assignment chose (:func:`date_cohorts`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from camp_planner.models import SESSION_DAYS, Segment, Step
from camp_planner.scheduler.days import DayIndex
from camp_planner.scheduler.kinds import Kind


@dataclass
class CohortSlot:
    """A cohort to be dated; `forbidden` are day indices the venue cannot host."""

    module: Step
    key: object = None
    forbidden: frozenset[int] = frozenset()
    optional: bool = False


@dataclass
class SlotVars:
    """The CP-SAT variables of one cohort slot."""

    start: cp_model.IntVar
    lab: cp_model.IntVar
    present: cp_model.IntVar | int = 1
    intervals: list[cp_model.IntervalVar] = field(default_factory=list)


def add_slot(model: cp_model.CpModel, days: DayIndex, slot: CohortSlot, name: str) -> SlotVars:
    """Variables and rules of one cohort: its module on working days free of blocked and
    forbidden days (Module 2 on two consecutive working days), and its lab
    `lab_gap_days` after the module's last day (docs/rules.md "A lab is held ... 14-42 days
    after the module ends")."""
    length = SESSION_DAYS[slot.module]
    bad = slot.forbidden | days.blocked
    starts, los, his = [], [], []
    for s in days.module_starts(slot.module, slot.forbidden):
        lo, hi = days.lab_window(slot.module, s)
        if any(d not in bad for d in range(lo, hi + 1)):
            starts.append(s)
            los.append(lo)
            his.append(hi)
    lab_days = [d for d in range(days.count) if d not in bad]
    if not starts or not lab_days:
        starts, los, his, lab_days = [0], [days.count], [0], [0]  # infeasible if present
    start = model.new_int_var_from_domain(cp_model.Domain.from_values(starts), f"{name}_start")
    lab = model.new_int_var_from_domain(cp_model.Domain.from_values(lab_days), f"{name}_lab")
    lo_var = model.new_int_var(min(los), max(los), f"{name}_lo")
    hi_var = model.new_int_var(min(his), max(his), f"{name}_hi")
    # lo/hi as functions of the start: an element over the start's position in `starts`.
    pos = model.new_int_var(0, len(starts) - 1, f"{name}_pos")
    model.add_element(pos, starts, start)
    model.add_element(pos, los, lo_var)
    model.add_element(pos, his, hi_var)
    present: cp_model.IntVar | int = 1
    if slot.optional:
        present = model.new_bool_var(f"{name}_present")
        model.add(lab >= lo_var).only_enforce_if(present)
        model.add(lab <= hi_var).only_enforce_if(present)
        mod_iv = model.new_optional_interval_var(
            start, length, start + length, present, f"{name}_m"
        )
        lab_iv = model.new_optional_interval_var(lab, 1, lab + 1, present, f"{name}_l")
    else:
        model.add(lab >= lo_var)
        model.add(lab <= hi_var)
        mod_iv = model.new_interval_var(start, length, start + length, f"{name}_m")
        lab_iv = model.new_interval_var(lab, 1, lab + 1, f"{name}_l")
    return SlotVars(start=start, lab=lab, present=present, intervals=[mod_iv, lab_iv])


def one_facilitator_per_session(
    model: cp_model.CpModel, slots: list[SlotVars], facilitators: int
) -> None:
    """At most `facilitators` sessions on one day (docs/rules.md "The facilitator's
    calendar")."""
    intervals = [iv for s in slots for iv in s.intervals]
    if facilitators == 1:
        model.add_no_overlap(intervals)
    else:
        model.add_cumulative(intervals, [1] * len(intervals), facilitators)


@dataclass(frozen=True)
class PlanGroup:
    """Companies of one group that the assignment sent to a plan's venue."""

    #: people each company sends
    participants: int
    #: working-day indices these companies cannot attend
    blackout: frozenset[int]
    #: how many of the group's companies the plan holds
    available: int


@dataclass
class CohortPlan:
    """The cohorts the assignment model asked for at one venue for one segment (or one
    kind of cohort the round allows, `scheduler.kinds.Kind`)."""

    segment: Segment | Kind
    venue: int
    #: number of cohorts of this segment at this venue
    count: int
    #: working-day indices the venue cannot host
    forbidden: frozenset[int]
    #: group index -> its companies in this plan
    groups: dict[int, PlanGroup]
    #: people each cohort needs at least, when not the round's cohort_min (online cohorts)
    cohort_min: int | None = None

    @property
    def module(self) -> Step:
        """The module these cohorts take."""
        return self.segment.module

    def smallest(self, cohort_min: int) -> int:
        """People each of its cohorts needs at least: its own minimum, else `cohort_min`."""
        return cohort_min if self.cohort_min is None else self.cohort_min


@dataclass(frozen=True)
class DateHint:
    """Dates the assignment's calendar packing suggests for one cohort of a plan."""

    plan_index: int
    start: int
    lab: int


@dataclass(frozen=True)
class DatingProblem:
    """What dating needs: the round's days, the plans, hints and the cohort rules."""

    days: DayIndex
    plans: list[CohortPlan]
    hints: list[DateHint]
    cohort_min: int
    cohort_max: int
    facilitators: int
    seed: int

    def hint_queue(self) -> dict[int, list[tuple[int, int]]]:
        """Plan index -> hinted (start, lab) pairs, in order."""
        queue: dict[int, list[tuple[int, int]]] = {}
        for hint in sorted(self.hints, key=lambda h: (h.plan_index, h.start, h.lab)):
            queue.setdefault(hint.plan_index, []).append((hint.start, hint.lab))
        return queue


def split_evenly(plan: CohortPlan, cohort_min: int, cohort_max: int) -> list[dict[int, int]] | None:
    """Members of a plan split into its `count` cohorts, largest companies first, each to the
    cohort with fewest people; None if that leaves a cohort outside cohort_min..cohort_max."""
    count = plan.count
    cohort_min = plan.smallest(cohort_min)
    people = [0] * count
    split: list[dict[int, int]] = [{} for _ in range(count)]
    order = sorted(plan.groups.items(), key=lambda item: (-item[1].participants, item[0]))
    for gi, group in order:
        for _ in range(group.available):
            k = min(range(count), key=lambda j: (people[j], j))
            people[k] += group.participants
            split[k][gi] = split[k].get(gi, 0) + 1
    if all(cohort_min <= p <= cohort_max for p in people):
        return split
    return None


def _hint(model: cp_model.CpModel, slot: SlotVars, queued: list[tuple[int, int]], k: int) -> None:
    if k < len(queued):
        model.add_hint(slot.start, queued[k][0])
        model.add_hint(slot.lab, queued[k][1])


def _value(solver: cp_model.CpSolver, var: cp_model.IntVar | int) -> int:
    return var if isinstance(var, int) else int(solver.value(var))


@dataclass
class DatedCohort:
    """A cohort with its dates (working-day indices) and members per group."""

    plan_index: int
    start: int
    lab: int
    members: dict[int, int]


def date_cohorts(
    problem: DatingProblem, repair: bool = False, seconds: float | None = None
) -> list[DatedCohort] | None:
    """Split each plan into its cohorts and date every cohort so the facilitator, venue and
    member blackouts are respected. Returns None when no dating was found within the
    limits. First tries members split beforehand with first fit (:func:`first_fit`), then
    with CP-SAT choosing only dates (fast for large rounds), then lets CP-SAT choose the
    split too. With `repair`, members and cohorts may be left out: the most members are
    kept."""
    deadline = None if seconds is None else time.time() + seconds
    if not repair:
        dated = first_fit(problem)
        if dated is not None:
            return dated
        half = None if seconds is None else seconds / 2
        _, dated = _date(problem, repair, presplit=True, seconds=half)
        if dated is not None:
            return dated
    remaining = None if deadline is None else deadline - time.time()
    return _date(problem, repair, presplit=False, seconds=remaining)[1]


def first_fit(problem: DatingProblem) -> list[DatedCohort] | None:
    """Members split evenly, then each cohort (most blackout days first) on its hinted dates
    if they are free, else on the earliest free dates; None if a cohort finds none. Fast
    where the calendar has room; the CP-SAT dating takes over where it does not."""
    days = problem.days
    load = [0] * days.count
    hint_queue = problem.hint_queue()
    cohorts = []
    for pi, plan in enumerate(problem.plans):
        split = split_evenly(plan, problem.cohort_min, problem.cohort_max)
        if split is None:
            return None
        for k, members in enumerate(split):
            forbidden = plan.forbidden.union(*(plan.groups[gi].blackout for gi in members))
            queued = hint_queue.get(pi, [])
            cohorts.append(
                (pi, plan.module, forbidden, members, queued[k] if k < len(queued) else None)
            )
    cohorts.sort(key=lambda c: (-len(c[2]), c[0]))
    dated = []
    for pi, module, forbidden, members, hint in cohorts:
        options = days.session_options(module, forbidden)
        if hint in options:
            options = [hint, *options]
        for start, lab in options:
            used = [*range(start, start + SESSION_DAYS[module]), lab]
            if all(load[d] < problem.facilitators for d in used):
                for d in used:
                    load[d] += 1
                dated.append(DatedCohort(plan_index=pi, start=start, lab=lab, members=members))
                break
        else:
            return None
    return dated


def plan_undatable(
    days: DayIndex, plan: CohortPlan, cohort_min: int, cohort_max: int, seconds: float
) -> bool:
    """Proven: the plan's cohorts cannot be dated even on their own (with as many
    facilitators as cohorts)."""
    alone = DatingProblem(days, [plan], [], cohort_min, cohort_max, plan.count, 0)
    status, _ = _date(alone, False, presplit=False, seconds=seconds)
    return status == cp_model.INFEASIBLE


def _date(
    problem: DatingProblem,
    repair: bool,
    *,
    presplit: bool,
    seconds: float | None,
) -> tuple[object, list[DatedCohort] | None]:
    days, cohort_min, cohort_max = problem.days, problem.cohort_min, problem.cohort_max
    model = cp_model.CpModel()
    all_slots: list[SlotVars] = []
    per_slot: list[tuple[int, SlotVars, dict[int, cp_model.IntVar] | dict[int, int]]] = []
    hint_queue = problem.hint_queue()
    for pi, plan in enumerate(problem.plans):
        count = plan.count
        cohort_min = plan.smallest(problem.cohort_min)
        people = sum(g.participants * g.available for g in plan.groups.values())
        if not repair and not count * cohort_min <= people <= count * cohort_max:
            # Whole cohorts cannot hold these people (and CP-SAT 9.15's presolve has been
            # seen to fail on such a model instead of proving it infeasible).
            return cp_model.INFEASIBLE, None
        members_of_plan: list[dict[int, cp_model.IntVar]] = []
        previous: SlotVars | None = None
        fixed = split_evenly(plan, cohort_min, cohort_max) if presplit else None
        if presplit and fixed is None:
            return cp_model.UNKNOWN, None
        for k in range(count):
            forbidden = plan.forbidden
            if fixed is not None:  # the members' blackout days are the cohort's
                forbidden = forbidden.union(*(plan.groups[gi].blackout for gi in fixed[k]))
            slot = add_slot(
                model,
                days,
                CohortSlot(plan.module, forbidden=forbidden, optional=repair),
                f"p{pi}_{k}",
            )
            if previous is not None and fixed is None:  # alike cohorts: order them
                model.add(previous.start <= slot.start)
            previous = slot
            if fixed is not None:
                all_slots.append(slot)
                per_slot.append((pi, slot, fixed[k]))
                _hint(model, slot, hint_queue.get(pi, []), k)
                continue
            members = {
                gi: model.new_int_var(0, group.available, f"m{pi}_{k}_{gi}")
                for gi, group in plan.groups.items()
            }
            size = sum(plan.groups[gi].participants * var for gi, var in members.items())
            model.add(size >= cohort_min * slot.present)
            model.add(size <= cohort_max * slot.present)
            for gi, group in plan.groups.items():
                if not group.blackout:
                    continue
                in_cohort = model.new_bool_var(f"u{pi}_{k}_{gi}")
                model.add(members[gi] <= group.available * in_cohort)
                for t in group.blackout:
                    for offset in range(SESSION_DAYS[plan.module]):
                        model.add(slot.start != t - offset).only_enforce_if(in_cohort)
                    model.add(slot.lab != t).only_enforce_if(in_cohort)
            all_slots.append(slot)
            members_of_plan.append(members)
            per_slot.append((pi, slot, members))
            _hint(model, slot, hint_queue.get(pi, []), k)
        if fixed is not None:
            continue
        for gi, group in plan.groups.items():
            if repair:
                model.add(sum(m[gi] for m in members_of_plan) <= group.available)
            else:
                model.add(sum(m[gi] for m in members_of_plan) == group.available)
    one_facilitator_per_session(model, all_slots, problem.facilitators)
    if repair:
        model.maximize(sum(var for _, _, members in per_slot for var in members.values()))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = problem.seed
    solver.parameters.max_deterministic_time = 30.0  # keeps runs repeatable
    if seconds is not None:
        solver.parameters.max_time_in_seconds = max(1.0, seconds)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return status, None
    return status, [
        DatedCohort(
            plan_index=pi,
            start=solver.value(slot.start),
            lab=solver.value(slot.lab),
            members={gi: n for gi, var in members.items() if (n := _value(solver, var))},
        )
        for pi, slot, members in per_slot
        if solver.value(slot.present)
    ]
