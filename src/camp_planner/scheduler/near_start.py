"""Starts for the travel stage from venues near the companies: the stage's own model
restricted, solved briefly, its roster the stage's hint when it travels less.

CP-SAT proves the travel stage soon once it holds the optimum (300 companies with one
facilitator: about 2 s from the optimum as hint), but its own search often takes 10-50 s
to find it. Which venues the round uses decides most of it: with the optimum's venues
fixed, the same model solves in under a second. Two restrictions of the stage's model,
each solved in a share of the stage's time:

- **estimated venues**: the venue set (at most ``max_venues``, the required ones kept)
  that minimises an estimate of travel, each segment's fewest placed companies (proven on
  the counts) at their nearest venue of the set, ignoring whole cohorts, found by a swap
  search from the venues stage 1's roster uses; the model with the other venues closed;
- **nearest venues**: each group, for each kind of cohort it may join, only at its
  `NEAREST` nearest venues (kinds whose members `single_cohort_takes_best_members` fixes
  keep every venue): when the calendar lets only some of many companies train, the best
  roster places them close to where cohorts meet.

Each restricted roster obeys every rule of the whole model, so it is a start (a hint),
never a constraint: the whole model still decides and proves. When a restriction leaves no
roster, presolve says so at once. Measured (benchmarks/README.md, "What was tried" row 33):
300 companies with one facilitator 12-25 s -> about 5 s (the estimated venues are the
optimum's); 1,000 companies 17-28 s -> about 10 s (the nearest venues hold the optimum).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Collection, Mapping

import numpy as np
from ortools.sat.python import cp_model

from camp_planner.engine.stages import Portfolio, Reporter, StageParameters, run_stage
from camp_planner.engine.units import TRAVEL_UNITS_PER_KM, travel_units
from camp_planner.models import Segment, VenueStatus
from camp_planner.scheduler.assignment import AssignmentModel
from camp_planner.scheduler.kinds import Kind

#: venues kept per group and kind by the nearest-venues restriction
NEAREST = 2


def nearest_assignments(master: AssignmentModel) -> set[tuple[int, Kind, int]]:
    """The assignment variables the nearest-venues restriction keeps: for each group and
    kind, the `NEAREST` venues nearest the group's companies; every venue of a kind whose
    members `single_cohort_takes_best_members` fixes (online counts as a venue)."""
    groups = master.prep.groups
    whole = set(master.single_cohort_kinds())
    venues: dict[tuple[int, Kind], list[int]] = defaultdict(list)
    for gi, kind, vi in master.x:
        venues[gi, kind].append(vi)
    kept: set[tuple[int, Kind, int]] = set()
    for (gi, kind), options in venues.items():
        if kind not in whole:
            options = sorted(options, key=lambda vi: (groups[gi].travel[vi], vi))[:NEAREST]
        kept.update((gi, kind, vi) for vi in options)
    return kept


class VenueEstimate:
    """The estimate of a venue set's travel: each segment's `fewest` placed companies at
    their nearest venue of the set (km), the rest of the rules ignored."""

    def __init__(self, master: AssignmentModel, fewest: Mapping[Segment, int]) -> None:
        groups = master.prep.groups
        self.venues = sorted(master.y)
        column = {vi: i for i, vi in enumerate(self.venues)}
        self.km = np.full((len(groups), len(self.venues)), np.inf)
        for gi, group in enumerate(groups):
            for vi, km in group.travel.items():
                if vi in column:
                    self.km[gi, column[vi]] = km
        segments = list(dict.fromkeys(g.segment for g in groups))  # in the groups' order
        self.rows = {s: np.array([g.segment == s for g in groups]) for s in segments}
        self.sizes = np.array([g.size for g in groups])
        self.fewest = {s: fewest.get(s, 0) for s in segments}
        self.column = column

    def __call__(self, chosen: Collection[int]) -> float:
        if not chosen:
            return float("inf") if any(self.fewest.values()) else 0.0
        nearest = self.km[:, [self.column[vi] for vi in chosen]].min(axis=1)
        total = 0.0
        for segment, need in self.fewest.items():
            if not need:
                continue
            rows = self.rows[segment]
            km, sizes = nearest[rows], self.sizes[rows]
            order = np.argsort(km, kind="stable")
            km, sizes = km[order], sizes[order]
            before = np.cumsum(sizes) - sizes  # companies of nearer groups
            taken = np.minimum(sizes, np.maximum(0, need - before))
            used = taken > 0  # an unreachable group (km inf) may take none: no inf * 0
            if taken.sum() < need or np.isinf(km[used]).any():
                return float("inf")
            total += float(km[used] @ taken[used])
        return total


def estimated_venues(
    master: AssignmentModel, fewest: Mapping[Segment, int], used: Collection[int], deadline: float
) -> set[int]:
    """The venue set of least estimated travel found by adding venues to `used` (while that
    lowers the estimate, up to ``max_venues``) and then swapping one venue for another
    while that lowers it, until `deadline`; required venues stay."""
    estimate = VenueEstimate(master, fewest)
    venues = master.prep.venues
    fixed = {vi for vi in master.y if venues[vi].status == VenueStatus.REQUIRED}
    most = master.prep.problem.round.max_venues or len(master.y)
    chosen = set(used) | fixed
    best = estimate(chosen)
    while len(chosen) < most and time.time() < deadline:
        options = [(estimate(chosen | {v}), v) for v in estimate.venues if v not in chosen]
        if not options:
            break
        value, added = min(options)
        if value >= best:
            break
        chosen, best = chosen | {added}, value
    improved = True
    while improved and time.time() < deadline:
        improved = False
        for out in sorted(chosen - fixed):
            for into in (v for v in estimate.venues if v not in chosen):
                value = estimate((chosen - {out}) | {into})
                if value < best:
                    chosen, best, improved = (chosen - {out}) | {into}, value, True
                    break
            if improved:
                break
    return chosen


def restricted_start(
    master: AssignmentModel,
    closed: Collection[cp_model.IntVar],
    current: int,
    settings: StageParameters,
    seconds: float,
) -> int | None:
    """The travel stage's model with the variables `closed` at 0, solved for at most
    `seconds` (deterministic ones in deterministic mode); when its roster travels less
    than `current` (travel units), it becomes `master`'s hint and its travel is returned,
    else None (the hint is left as it was)."""
    restricted = master.model.clone()

    def same(var: cp_model.IntVar) -> cp_model.IntVar:
        return restricted.get_int_var_from_proto_index(var.index)

    for var in closed:
        restricted.add(same(var) == 0)
    groups = master.prep.groups
    travel = cp_model.LinearExpr.weighted_sum(
        [same(var) for var in master.x.values()],
        [travel_units(groups[gi].travel[vi]) for gi, _, vi in master.x],
    )
    # no progress lines: the travel stage reports the start it takes as its first solution
    reporter = Reporter("travel km, restricted", None, TRAVEL_UNITS_PER_KM)
    solver, result = run_stage(restricted, travel, False, settings, reporter, Portfolio.LP, seconds)
    if not result.found or result.value >= current:
        return None
    decided = (*master.x.values(), *master.n.values(), *master.w.values(), *master.y.values())
    master.hint_values({var: solver.value(same(var)) for var in decided})
    return result.value


def near_start(
    master: AssignmentModel,
    current: int,
    fewest: Mapping[Segment, int],
    used: Collection[int],
    settings: StageParameters,
    seconds: float,
) -> int:
    """The travel stage's start from the estimated venues, then from the nearest venues,
    each solved for at most half of `seconds` (the venue search, usually hundredths of a
    second, stops at half of `seconds` too): the better of them becomes `master`'s hint
    when it travels less than `current` (travel units, the hint's). Returns the hint's
    travel. In deterministic mode the venue search is not cut short by the clock and the
    solves' times are deterministic."""
    if any(fewest.values()):  # else every venue set is estimated at 0 km: no search
        halfway = float("inf") if settings.deterministic else time.time() + seconds / 2
        chosen = estimated_venues(master, fewest, used, halfway)
        closed = [y for vi, y in master.y.items() if vi not in chosen]
        if closed:
            found = restricted_start(master, closed, current, settings, seconds / 2)
            current = current if found is None else found
    kept = nearest_assignments(master)
    if len(kept) < len(master.x):
        away = [var for key, var in master.x.items() if key not in kept]
        found = restricted_start(master, away, current, settings, seconds / 2)
        current = current if found is None else found
    return current
