"""Bounds on what a round can place, from counts alone.

Leave out where cohorts meet (venues, travel) and keep what limits the numbers: per kind
of cohort (a segment, or a mix the round allows), whole cohorts of cohort_min..cohort_max
people (online_cohort_min..cohort_max online), and the facilitator's frontier on the
numbers of Module 1 and Module 2 cohorts. This small model is a relaxation of the
assignment model; its optimum bounds stage 1 (companies, then priority, placed). Measured
on a 300-company round with a tight calendar: the whole model found 243 placed but could
not close its bound of 244 in 60 s, because its relaxation does not see that the
calendar holds only so many cohorts; the counts alone settle that at once.

Companies of one segment that send as many people, have the same priority and may meet
in person and/or online are alike here, so they are counted together (a class). With
remedies switched on, the same model bounds the next stage from below: the fewest places
in online or mixed cohorts among rosters placing as many companies and as much priority;
and, once that is known, how many companies of each segment can be in online or mixed
cohorts of each kind at all (:func:`remedy_pool_bounds`), which keeps the travel stage's
relaxation from spreading those few places over everybody.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from camp_planner.engine import rules
from camp_planner.engine.stages import limit_solver
from camp_planner.engine.view import RoundView
from camp_planner.models import Segment, Step
from camp_planner.scheduler.calendar_frontier import CalendarCapacity, calendar_capacity
from camp_planner.scheduler.kinds import (
    ONLINE,
    Kind,
    kind_components,
    round_kinds,
    smallest_cohort,
)
from camp_planner.scheduler.prepare import Group, Prepared

#: A pool of a kind's cohorts: in person (False) or online (True).
Pool = tuple[Kind, bool]
#: Companies alike for the counts: segment, participants, priority, may meet in person,
#: may meet online.
Class = tuple[Segment, int, int, bool, bool]


def class_of(group: Group) -> Class:
    """The counts model's class of a group of companies."""
    physical, online = any(v != ONLINE for v in group.travel), ONLINE in group.travel
    return (group.segment, group.participants, group.priority, physical, online)


@dataclass
class CountsModel:
    """The counts-only model: x[class, pool] companies of a class in cohorts of a pool."""

    prep: Prepared
    capacity: CalendarCapacity
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    x: dict[tuple[Class, Pool], cp_model.IntVar] = field(default_factory=dict)
    #: cohorts of each pool
    k: dict[Pool, cp_model.IntVar] = field(default_factory=dict)
    #: its solves limited in deterministic time (`engine.stages.limit_solver`)
    deterministic: bool = False

    def __post_init__(self) -> None:
        rnd = self.prep.problem.round
        kinds = round_kinds(rnd, {g.segment for g in self.prep.groups})
        sizes: dict[Class, int] = defaultdict(int)
        for group in self.prep.groups:
            sizes[class_of(group)] += group.size
        people: dict[Pool, list[cp_model.LinearExprT]] = defaultdict(list)
        for ci, (key, size) in enumerate(sizes.items()):
            segment, participants, _, physical, online = key
            pools = [
                (kind, on)
                for kind in kinds
                if kind.admits(segment)
                for on, allowed in ((False, physical), (True, online))
                if allowed
            ]
            for pi, pool in enumerate(pools):
                self.x[key, pool] = self.model.new_int_var(0, size, f"c_{ci}_{pi}")
                people[pool].append(participants * self.x[key, pool])
            if len(pools) > 1:
                self.model.add(sum(self.x[key, pool] for pool in pools) <= size)
        for (kind, online), terms in people.items():
            smallest = rnd.online_cohort_min if online else rnd.cohort_min
            k = self.model.new_int_var(0, 1000, f"k_{kind.label}{'_online' if online else ''}")
            self.k[kind, online] = k
            self.model.add(sum(terms) >= smallest * k)
            self.model.add(sum(terms) <= rnd.cohort_max * k)
        # The calendar rule of the round (`engine.rules`), on the pools' cohorts.
        counted: dict[tuple[Kind, int], cp_model.LinearExprT] = {
            (kind, int(online)): k for (kind, online), k in self.k.items()
        }
        view = RoundView(self.model, self.prep.venues, cohorts=counted)
        rules.facilitator_calendar(view, self.capacity.frontier)

    def placed_value(self, weight: int) -> cp_model.LinearExpr:
        """weight * companies placed + total priority placed (stage 1's objective)."""
        keys = list(self.x)
        return cp_model.LinearExpr.weighted_sum(
            [self.x[k] for k in keys], [weight + key[2] for key, _ in keys]
        )

    def remedy_use(self) -> cp_model.LinearExpr:
        """Places in mixed cohorts plus places in online cohorts (see the assignment)."""
        keys = [k for k in self.x if k[1][0].mixed or k[1][1]]
        return cp_model.LinearExpr.weighted_sum(
            [self.x[k] for k in keys], [int(kind.mixed) + int(online) for _, (kind, online) in keys]
        )

    def fewest_and_most(
        self, expr: cp_model.LinearExprT, seconds: float, seed: int
    ) -> tuple[int, int] | None:
        """Proven lower and upper bounds of `expr` over the model (`seconds` each); None
        when either is unknown (infeasible or out of time)."""
        self.model.minimize(expr)
        low = self.solve(seconds, seed, maximize=False)
        self.model.maximize(expr)
        high = self.solve(seconds, seed)
        return None if low is None or high is None else (low, high)

    def solve(self, seconds: float, seed: int, maximize: bool = True) -> int | None:
        """The proven bound of the objective set on the model (rounded outwards: down when
        minimising); None if none in time."""
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.random_seed = seed
        limit_solver(solver.parameters, seconds, self.deterministic)
        status = solver.solve(self.model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        bound = solver.best_objective_bound
        return math.ceil(bound - 1e-6) if maximize else math.floor(bound + 1e-6)


def stage1_bound(
    prep: Prepared,
    capacity: CalendarCapacity,
    weight: int,
    seconds: float,
    seed: int,
    deterministic: bool = False,
) -> int | None:
    """Upper bound on weight * placed + priority placed; None if not found in time."""
    counts = CountsModel(prep, capacity, deterministic=deterministic)
    counts.model.maximize(counts.placed_value(weight))
    return counts.solve(seconds, seed)


@dataclass
class RemedyPlan:
    """The fewest places in online or mixed cohorts the counts allow, and a counts solution
    with that many: companies of each segment in each online or mixed pool."""

    bound: int
    pools: dict[tuple[Segment, Pool], int] | None = None


def remedy_bound(
    prep: Prepared,
    capacity: CalendarCapacity,
    weight: int,
    placed_value: int,
    seconds: float,
    seed: int,
    deterministic: bool = False,
) -> RemedyPlan | None:
    """Lower bound on the places in online or mixed cohorts of a roster reaching
    `placed_value` (weight * placed + priority placed), with the counts of a solution
    reaching it when proven; None if not found in time."""
    counts = CountsModel(prep, capacity, deterministic=deterministic)
    counts.model.add(counts.placed_value(weight) >= placed_value)
    counts.model.minimize(counts.remedy_use())
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    limit_solver(solver.parameters, seconds, deterministic)
    status = solver.solve(counts.model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    plan = RemedyPlan(math.floor(solver.best_objective_bound + 1e-6))
    if status == cp_model.OPTIMAL:
        plan.pools = defaultdict(int)
        for (key, pool), var in counts.x.items():
            if pool[0].mixed or pool[1]:
                plan.pools[key[0], pool] += solver.value(var)
    return plan


def remedy_pool_bounds(
    prep: Prepared,
    capacity: CalendarCapacity,
    weight: int,
    placed_value: int,
    remedy_value: int,
    seconds: float,
    seed: int,
    deterministic: bool = False,
) -> dict[tuple[Segment, Pool], tuple[int, int]]:
    """For each segment and each pool of online or mixed cohorts its companies may join:
    the fewest and the most of them in that pool among rosters reaching `placed_value` with
    at most `remedy_value` places in online or mixed cohorts (bounds proven on the counts,
    so valid for every such roster). `seconds` is shared by all the small solves."""
    counts = CountsModel(prep, capacity, deterministic=deterministic)
    counts.model.add(counts.placed_value(weight) >= placed_value)
    counts.model.add(counts.remedy_use() <= remedy_value)
    by_pool: dict[tuple[Segment, Pool], list[cp_model.IntVar]] = defaultdict(list)
    for (key, pool), var in counts.x.items():
        if pool[0].mixed or pool[1]:
            by_pool[key[0], pool].append(var)
    bounds: dict[tuple[Segment, Pool], tuple[int, int]] = {}
    each = seconds / max(1, 2 * len(by_pool))
    for where, terms in by_pool.items():
        found = counts.fewest_and_most(sum(terms), each, seed)
        if found is not None:
            bounds[where] = found
    return bounds


@dataclass
class CountRanges:
    """Proven ranges, over every roster reaching stage 1's optimum (and the fewest online or
    mixed places, when the round allows them): the cohorts of each pool, the companies of
    each segment placed."""

    cohorts: dict[Pool, tuple[int, int]] = field(default_factory=dict)
    placed: dict[Segment, tuple[int, int]] = field(default_factory=dict)


def count_ranges(
    prep: Prepared,
    capacity: CalendarCapacity,
    weight: int,
    placed_value: int,
    remedy_value: int | None,
    seconds: float,
    seed: int,
    deterministic: bool = False,
) -> CountRanges:
    """How many cohorts each pool has, and how many companies of each segment are placed,
    in any roster reaching `placed_value` (weight * placed + priority placed; with at most
    `remedy_value` online or mixed places): the fewest and the most on the counts. With a
    binding calendar these are often single values (measured: 300 companies, one
    facilitator, 58 days: every pool's cohorts fixed), which the travel stage's relaxation
    cannot see on its own. Bounds not proven in time are left out; `seconds` is shared."""
    counts = CountsModel(prep, capacity, deterministic=deterministic)
    counts.model.add(counts.placed_value(weight) >= placed_value)
    if remedy_value is not None:
        counts.model.add(counts.remedy_use() <= remedy_value)
    by_segment: dict[Segment, list[cp_model.IntVar]] = defaultdict(list)
    for (cls, _), var in counts.x.items():
        by_segment[cls[0]].append(var)
    targets: list[tuple[str, object, cp_model.LinearExprT]] = [
        ("cohorts", pool, k) for pool, k in counts.k.items()
    ]
    targets += [("placed", segment, sum(terms)) for segment, terms in by_segment.items()]
    ranges = CountRanges()
    each = seconds / max(1, 2 * len(targets))
    for what, key, expr in targets:
        found = counts.fewest_and_most(expr, each, seed)
        if found is not None:
            getattr(ranges, what)[key] = found
    return ranges


def round_capacity(
    prep: Prepared, seconds: float, seed: int, workers: int = 1, deterministic: bool = False
) -> CalendarCapacity:
    """The calendar's frontier for as many cohorts as the companies could fill (segments
    that may share cohorts counted together, online cohorts by their own minimum)."""
    rnd = prep.problem.round
    people: dict[Segment, int] = defaultdict(int)
    for group in prep.groups:
        people[group.segment] += group.size * group.participants
    kinds = round_kinds(rnd, people)
    most: dict[Step, int] = defaultdict(int)
    for component in kind_components(kinds, people):
        module = next(iter(component)).module
        total = sum(people[s] for s in component)
        most[module] += total // smallest_cohort(rnd, module)
    return calendar_capacity(
        prep.days,
        rnd.facilitators,
        most[Step.MODULE1],
        most[Step.MODULE2],
        seconds,
        seed,
        workers,
        deterministic,
    )
