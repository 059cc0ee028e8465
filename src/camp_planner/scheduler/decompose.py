"""Segments on their own: exact lower bounds on each segment's travel, and a first roster.

Once venues are chosen, segments are independent: only the venue count, required venues,
venue capacity and the facilitator's calendar tie them together. Each segment solved alone,
without those rules, is a relaxation, and it is small: a fraction of a second where the
whole round takes a search over every segment's choices at once (measured: the demo's
travel stage needed 25-40 s whole, about 1 s in parts).

If the whole round places, in total, as many companies with as much priority as the
segments do alone, every segment must reach its own optimum there, so its travel is at
least its optimum alone: a valid bound per segment that lifts the whole model's bound to
(very often exactly) the optimum. And the parts put together are the whole round's hint; when
they also respect the rules between segments they are its optimum.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass

from ortools.sat.python import cp_model

from camp_planner.models import Segment
from camp_planner.scheduler.master import MasterModel
from camp_planner.scheduler.prepare import Group, Prepared


@dataclass
class SegmentOptimum:
    """A segment's optimum alone: placed and priority (proven) and travel bound."""

    placed: int
    priority: int
    travel_bound: int
    #: the part's solution by variable name of the whole model
    values: dict[str, int]
    #: venues the part's solution uses
    used: frozenset[int]


def _solve(model: cp_model.CpModel, seconds: float, seed: int) -> tuple[cp_model.CpSolver, int]:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.linearization_level = 2
    solver.parameters.max_time_in_seconds = max(0.01, seconds)
    return solver, solver.Solve(model)


def _part(prep: Prepared, segment: Segment) -> tuple[MasterModel, list[Group]]:
    groups = [g for g in prep.groups if g.segment == segment]
    return MasterModel(dataclasses.replace(prep, groups=groups), alone=True), groups


def segment_optimum(
    prep: Prepared, segment: Segment, deadline: float, seed: int
) -> SegmentOptimum | None:
    """One segment alone, lexicographically; None if its placed/priority is not proven."""
    part, groups = _part(prep, segment)
    index = {id(g): gi for gi, g in enumerate(prep.groups)}
    weight = 1 + sum(g.priority * g.size for g in groups)
    part.model.Maximize(weight * part.placed() + part.priority())
    solver, status = _solve(part.model, deadline - time.time(), seed)
    if status != cp_model.OPTIMAL:
        return None
    placed, priority = divmod(round(solver.ObjectiveValue()), weight)
    part.model.Add(part.placed() >= placed)
    part.model.Add(part.priority() >= priority)
    part.model.Minimize(part.travel_units())
    for var in (*part.x.values(), *part.n.values(), *part.w.values(), *part.y.values()):
        part.model.AddHint(var, solver.Value(var))
    solver, status = _solve(part.model, deadline - time.time(), seed)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    values = {
        f"x_{index[id(groups[pgi])]}_{vi}": solver.Value(var) for (pgi, vi), var in part.x.items()
    }
    for var in (*part.n.values(), *part.w.values()):
        values[var.Name()] = solver.Value(var)
    used = frozenset(vi for vi, var in part.y.items() if solver.Value(var))
    return SegmentOptimum(placed, priority, round(solver.BestObjectiveBound()), values, used)


def segment_optima(
    prep: Prepared, deadline: float, seed: int
) -> dict[Segment, SegmentOptimum] | None:
    """Every segment's optimum alone, or None when one is not proven in time."""
    optima = {}
    segments = sorted({g.segment for g in prep.groups}, key=lambda s: s.label)
    for k, segment in enumerate(segments):
        share = (deadline - time.time()) / (len(segments) - k)
        optimum = segment_optimum(prep, segment, time.time() + share, seed)
        if optimum is None:
            return None
        optima[segment] = optimum

    return optima


def bound_segments(
    master: MasterModel,
    optima: dict[Segment, SegmentOptimum],
    placed: int,
    priority: int,
) -> bool:
    """Add each segment's travel bound and the parts' hint to the whole model when the
    whole round reaches the segments' total placed and priority; say whether it did."""
    if placed < sum(o.placed for o in optima.values()) or priority < sum(
        o.priority for o in optima.values()
    ):
        return False
    for segment, optimum in optima.items():
        master.model.Add(master.travel_units(segment) >= optimum.travel_bound)
    values: dict[str, int] = {}
    for optimum in optima.values():
        values.update(optimum.values)
    used = {vi for (_, vi), var in master.w.items() if values.get(var.Name(), 0)}
    if len(used) <= master.prep.problem.round.max_venues:
        master.model.ClearHints()
        for var in (*master.x.values(), *master.n.values(), *master.w.values()):
            master.model.AddHint(var, values.get(var.Name(), 0))
        for vi, var in master.y.items():
            master.model.AddHint(var, int(vi in used))
    return True
