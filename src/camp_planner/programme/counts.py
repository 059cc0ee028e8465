"""Cohort ranges for the programme's travel stage, proven on the counts (the programme's
analogue of the round's `scheduler.placed_bound.count_ranges`).

The counts model keeps of the programme model only what the stages before travel see:
per class of groups (participants, priority, steps, and per round and step the segment
they may join; not where they are) how many take each step in each round, the rules
across rounds summed over the class, and per round and segment a number of cohorts of
cohort_min..cohort_max people within the facilitator's calendar (`engine.rules`). Every
programme is a solution of it (sum its x over the class's groups and its n over the
venues), so at the earlier stages' optima the fewest and the most cohorts of each
segment in each round it allows bound every programme the travel stage may choose from.
The travel stage's relaxation does not see these numbers on its own (measured on the
round: benchmarks/README.md, "What was tried" 23).
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TypeVar

from ortools.sat.python import cp_model

from camp_planner.engine import rules
from camp_planner.engine.view import RoundView
from camp_planner.models import Segment, Step
from camp_planner.programme.model import ProgrammeModel
from camp_planner.programme.plan import ProgrammeGroup

#: (segment, round) -> (fewest, most) cohorts
Ranges = dict[tuple[Segment, int], tuple[int, int]]
#: (a class's groups, round, step) -> (fewest, most) of its companies taking the step then
ClassRanges = dict[tuple[tuple[int, ...], int, Step], tuple[int, int]]
Key = TypeVar("Key")


def _class_of(group: ProgrammeGroup) -> tuple[object, ...]:
    options = tuple(
        sorted((r, step.value, o.segment.label) for (r, step), o in group.options.items())
    )
    return (group.participants, group.priority, group.steps, options)


@dataclass
class Counts:
    """The counts model and its objectives (the programme model's, by class)."""

    model: cp_model.CpModel
    #: (segment, round) -> cohorts
    k: dict[tuple[Segment, int], cp_model.IntVar]
    planned: cp_model.LinearExpr
    tracks: cp_model.LinearExpr
    priority: cp_model.LinearExpr
    earliness: cp_model.LinearExpr
    #: (class, round, step) -> the class's companies taking the step in the round
    t: dict[tuple[int, int, Step], cp_model.IntVar] = field(default_factory=dict)
    #: class -> the indices of its groups in the programme model
    members: list[list[int]] = field(default_factory=list)


def counts_model(pm: ProgrammeModel) -> Counts:
    """The counts model of `pm`'s programme (see the module docstring)."""
    m = cp_model.CpModel()
    classes: dict[tuple[object, ...], list[ProgrammeGroup]] = defaultdict(list)
    indices: dict[tuple[object, ...], list[int]] = defaultdict(list)
    for gi, group in enumerate(pm.groups):
        classes[_class_of(group)].append(group)
        indices[_class_of(group)].append(gi)
    by_class: dict[tuple[int, int, Step], cp_model.IntVar] = {}
    last = len(pm.programme.rounds) - 1
    people: dict[tuple[Segment, int], list[cp_model.LinearExprT]] = defaultdict(list)
    planned: list[cp_model.LinearExprT] = []
    tracks: list[cp_model.LinearExprT] = []
    priority: list[cp_model.LinearExprT] = []
    early: list[cp_model.LinearExprT] = []
    for ci, members in enumerate(classes.values()):
        first = members[0]
        size = sum(g.size for g in members)
        t: dict[tuple[int, Step], cp_model.IntVar] = {}
        for (r, step), option in sorted(first.options.items()):
            t[r, step] = m.new_int_var(0, size, f"t_{ci}_{r}_{step}")
            by_class[ci, r, step] = t[r, step]
            people[option.segment, r].append(first.participants * t[r, step])
            if step == first.next_step:
                planned.append(t[r, step])
                priority.append(first.priority * t[r, step])
            if step == Step.MODULE2 and first.whole_track:
                tracks.append(t[r, step])
            if r < last:
                early.append((last - r) * (1 + first.priority) * t[r, step])
        for step in first.steps:
            m.add(sum(v for (_, s), v in t.items() if s == step) <= size)
        if first.whole_track:
            for r in range(last + 1):
                m2 = [v for (rr, s), v in t.items() if s == Step.MODULE2 and rr <= r]
                m1 = [v for (rr, s), v in t.items() if s == Step.MODULE1 and rr < r]
                m.add(sum(m2) <= sum(m1))
    k: dict[tuple[Segment, int], cp_model.IntVar] = {}
    for (segment, r), terms in people.items():
        rnd = pm.programme.rounds[r]
        k[segment, r] = m.new_int_var(0, 1000, f"k_{segment.label}_{r}")
        m.add(sum(terms) >= rnd.cohort_min * k[segment, r])
        m.add(sum(terms) <= rnd.cohort_max * k[segment, r])
    for r, capacity in enumerate(pm.capacities):
        cohorts = {(s, r): var for (s, rr), var in k.items() if rr == r}
        view = RoundView(m, pm.programme.problem.venues, cohorts=cohorts, name=f"_{r}")
        rules.facilitator_calendar(view, capacity.frontier)
    total = cp_model.LinearExpr.sum
    counts = Counts(m, k, total(planned), total(tracks), total(priority), total(early))
    counts.t, counts.members = by_class, list(indices.values())
    return counts


def _best(m: cp_model.CpModel, seconds: float, seed: int) -> int | None:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_time_in_seconds = max(0.01, seconds)
    if solver.solve(m) != cp_model.OPTIMAL:
        return None
    return round(solver.objective_value)


def steps_bound(
    pm: ProgrammeModel, w_planned: int, w_tracks: int, seconds: float, seed: int
) -> int | None:
    """The most ``w_planned * planned + w_tracks * tracks + priority`` (the first stage's
    objective) any programme reaches, proven on the counts (None: not in `seconds`)."""
    counts = counts_model(pm)
    counts.model.maximize(w_planned * counts.planned + w_tracks * counts.tracks + counts.priority)
    return _best(counts.model, seconds, seed)


def earliness_bound(
    pm: ProgrammeModel, firsts: tuple[int, int, int], seconds: float, seed: int
) -> int | None:
    """The most earliness (the second stage's objective) of any programme reaching
    `firsts` (planned, tracks, priority), proven on the counts (None: not in `seconds`)."""
    counts = at_optima(pm, firsts, None)
    counts.model.maximize(counts.earliness)
    return _best(counts.model, seconds, seed)


#: (group, step, round) -> the group's companies taking the step in the round
StepCounts = dict[tuple[int, Step, int], int]


def counts_optimum(
    pm: ProgrammeModel, w_planned: int, w_tracks: int, seconds: float, seed: int
) -> tuple[int, int, StepCounts] | None:
    """The first stage's optimum on the counts, the most earliness beside it, and the
    counts' programme at both split into the groups (None: not proven in `seconds` each).
    Both are upper bounds for the programme model; where the rounds can hold the split
    (`starts.per_round_travel`, strict), they are its optima too (the round's counts
    start, `scheduler.start`, for the programme)."""
    counts = counts_model(pm)
    m = counts.model
    first = w_planned * counts.planned + w_tracks * counts.tracks + counts.priority
    m.maximize(first)
    steps = _best(m, seconds, seed)
    if steps is None:
        return None
    m.add(first == steps)
    m.maximize(counts.earliness)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_time_in_seconds = max(0.01, seconds)
    if solver.solve(m) != cp_model.OPTIMAL:
        return None
    taken = {key: solver.value(var) for key, var in counts.t.items()}
    return steps, round(solver.objective_value), split_counts(pm, counts.members, taken)


def split_counts(
    pm: ProgrammeModel, members: list[list[int]], taken: dict[tuple[int, int, Step], int]
) -> StepCounts:
    """A class's steps per round shared out over its companies: Module 1 to the next
    companies in order, round by round; Module 2 to those who took Module 1 in an earlier
    round (whole tracks) or to the next in order (Module 2 only). The class's counts keep
    the rules across rounds summed over it, so there are always enough."""
    out: StepCounts = defaultdict(int)
    rounds = len(pm.programme.rounds)
    for ci, groups in enumerate(members):
        companies = [gi for gi in groups for _ in range(pm.groups[gi].size)]
        m1_queue = list(companies)
        m2_queue: list[int] = [] if pm.groups[groups[0]].whole_track else list(companies)
        for r in range(rounds):
            took_m1 = m1_queue[: taken.get((ci, r, Step.MODULE1), 0)]
            del m1_queue[: len(took_m1)]
            for gi in m2_queue[: taken.get((ci, r, Step.MODULE2), 0)]:
                out[gi, Step.MODULE2, r] += 1
            del m2_queue[: taken.get((ci, r, Step.MODULE2), 0)]
            for gi in took_m1:
                out[gi, Step.MODULE1, r] += 1
            if pm.groups[groups[0]].whole_track:
                m2_queue.extend(took_m1)
    return dict(out)


def at_optima(pm: ProgrammeModel, firsts: tuple[int, int, int], earliness: int | None) -> Counts:
    """The counts model of every programme reaching `firsts` (planned, tracks, priority)
    and `earliness` (None: any): what the travel stage chooses from, counted."""
    counts = counts_model(pm)
    m = counts.model
    m.add(counts.planned >= firsts[0])
    m.add(counts.tracks >= firsts[1])
    m.add(counts.priority >= firsts[2])
    if earliness is not None:
        m.add(counts.earliness >= earliness)
    return counts


def _spans(
    m: cp_model.CpModel, variables: list[tuple[Key, cp_model.IntVar]], seconds: float, seed: int
) -> dict[Key, tuple[int, int]]:
    """The fewest and the most of each variable over the solutions of `m` (a tiny solve
    for each, at most 1 s; none when a solution found before already shows the variable
    at that end of its domain); variables not proven in time are left out."""
    spans: dict[Key, tuple[int, int]] = {}
    deadline = time.time() + seconds
    ends = [list(var.proto.domain) for _, var in variables]
    domain = [(end[0], end[-1]) for end in ends]
    seen = [(domain[i][1], domain[i][0]) for i in range(len(variables))]  # none seen yet
    for i, (key, var) in enumerate(variables):
        bounds = []
        for side, sense in ((0, 1), (1, -1)):
            if seen[i][side] == domain[i][side]:
                bounds.append(domain[i][side])
                continue
            m.minimize(sense * var)
            solver = cp_model.CpSolver()
            solver.parameters.num_workers = 1
            solver.parameters.random_seed = seed
            solver.parameters.max_time_in_seconds = max(0.01, min(1.0, deadline - time.time()))
            if solver.solve(m) != cp_model.OPTIMAL:
                break
            bounds.append(solver.value(var))
            for j, (_, other) in enumerate(variables):
                value = solver.value(other)
                seen[j] = (min(seen[j][0], value), max(seen[j][1], value))
        if len(bounds) == 2:
            spans[key] = (bounds[0], bounds[1])
    return spans


def cohort_ranges(
    pm: ProgrammeModel,
    firsts: tuple[int, int, int],
    earliness: int | None,
    seconds: float,
    seed: int,
) -> Ranges:
    """Per segment and round, the fewest and most cohorts of any programme reaching
    `firsts` (planned, tracks, priority) and `earliness`; pairs not proven in time are
    left out."""
    counts = at_optima(pm, firsts, earliness)
    keys = sorted(counts.k.items(), key=lambda kv: (kv[0][1], kv[0][0].label))
    return _spans(counts.model, keys, seconds, seed)


def class_ranges(
    pm: ProgrammeModel,
    firsts: tuple[int, int, int],
    earliness: int | None,
    seconds: float,
    seed: int,
) -> ClassRanges:
    """Per class of groups (the counts model's: participants, priority, steps and
    segments, not where they are), round and step, the fewest and most of its companies
    taking the step then in any programme reaching `firsts` and `earliness`; those not
    proven in time are left out. Measured on 4 x 300 tight (benchmarks/README.md, S9): the
    travel stage's relaxation, which sees the earlier optima only as sums over all
    companies, then proves its optimum in 20 s instead of 217 s."""
    counts = at_optima(pm, firsts, earliness)
    keys = sorted(counts.t.items(), key=lambda kv: (kv[0][1], kv[0][0], kv[0][2].value))
    spans = _spans(counts.model, keys, seconds, seed)
    return {(tuple(counts.members[ci]), r, step): span for (ci, r, step), span in spans.items()}


def bound_cohorts(pm: ProgrammeModel, ranges: Ranges) -> int:
    """Each segment's cohorts in each round within `ranges`; returns how many ranges
    narrow the model (fewer than all its cohorts possible)."""
    narrowing = 0
    for (segment, r), (low, high) in ranges.items():
        cohorts = [n for (s, rr, _), n in pm.n.items() if s == segment and rr == r]
        if not cohorts:
            continue
        pm.model.add_linear_constraint(sum(cohorts), low, high)
        most = sum(pm.n_max[s, rr, v] for (s, rr, v) in pm.n if s == segment and rr == r)
        narrowing += int(low > 0 or high < most)
    return narrowing


def bound_classes(pm: ProgrammeModel, ranges: ClassRanges) -> int:
    """Each class's companies taking each step in each round within `ranges`; returns how
    many ranges narrow the model (fewer than all the class's companies possible)."""
    narrowing = 0
    for (members, r, step), (low, high) in ranges.items():
        terms = [var for gi in members for var in pm.by_step.get((gi, step, r), ())]
        if not terms:
            continue
        pm.model.add_linear_constraint(sum(terms), low, high)
        narrowing += int(low > 0 or high < sum(pm.groups[gi].size for gi in members))
    return narrowing
