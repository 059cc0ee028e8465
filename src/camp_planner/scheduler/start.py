"""A first roster at the counts bound, built directly (a hint for stage 1).

The counts-only model (`placed_bound`) knows how many companies of each class go into how
many cohorts of each kind (with or without a binding calendar); what is left is where.
Here each kind's cohorts all go to one venue, chosen by a small model (at most `max_venues` venues,
required venues used, `max_cohorts`, only venues the kind may use), and each class sends
its nearest companies there. The roster keeps the rules of the assignment model, so stage
1, which stops once it reaches the counts bound, ends on it at once; the travel stage then
improves it. Measured on 1,000 companies with one facilitator (benchmarks/README.md): the
whole model took 15-42 s to place the 290 the calendar holds; this takes well under a
second. Rounds with online or mixed cohorts use `guide_by_counts` instead.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from camp_planner.engine import rules
from camp_planner.engine.stages import limit_solver
from camp_planner.engine.units import travel_units
from camp_planner.engine.view import RoundView
from camp_planner.scheduler.assignment import AssignmentModel
from camp_planner.scheduler.kinds import ONLINE, Kind
from camp_planner.scheduler.placed_bound import Class, CountsModel, class_of


def counts_start(
    master: AssignmentModel,
    weight: int,
    placed_value: int,
    seconds: float,
    seed: int,
    deterministic: bool = False,
) -> dict[cp_model.IntVar, int] | None:
    """Values of `master`'s variables for a roster reaching `placed_value`, built from a
    counts solution; None when the counts find none in time, it uses online or mixed
    cohorts, or no venue choice fits."""
    if master.capacity is None or master.uses_remedies():
        return None
    counts = CountsModel(master.prep, master.capacity, deterministic=deterministic)
    counts.model.add(counts.placed_value(weight) >= placed_value)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    limit_solver(solver.parameters, seconds, deterministic)
    if solver.solve(counts.model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    need: dict[Kind, dict[Class, int]] = defaultdict(dict)
    for (cls, (kind, online)), var in counts.x.items():
        if solver.value(var):
            if online or kind.mixed:
                return None
            need[kind][cls] = solver.value(var)
    cohorts = {kind: solver.value(k) for (kind, _), k in counts.k.items() if solver.value(k)}
    by_class: dict[Class, list[int]] = defaultdict(list)
    for gi in range(len(master.prep.groups)):
        by_class[class_of(master.prep.groups[gi])].append(gi)
    picks: dict[tuple[Kind, int], dict[int, int]] = {}
    cost: dict[tuple[Kind, int], int] = {}
    for kind, classes in need.items():
        for vi in (v for k, v in master.n if k == kind and v != ONLINE):
            chosen: dict[int, int] = {}
            km = 0.0
            for cls, count in classes.items():
                here = [gi for gi in by_class[cls] if (gi, kind, vi) in master.x]
                here.sort(key=lambda gi: (master.prep.groups[gi].travel[vi], gi))
                for gi in here:
                    if count == 0:
                        break
                    take = min(count, master.prep.groups[gi].size)
                    chosen[gi], count = take, count - take
                    km += take * master.prep.groups[gi].travel[vi]
                if count:
                    break
            else:
                if master.n_max[kind, vi] >= cohorts[kind]:
                    picks[kind, vi], cost[kind, vi] = chosen, travel_units(km)
    where = _choose_venues(master, cohorts, cost, deterministic)
    if where is None:
        return None
    values = dict.fromkeys(
        (*master.x.values(), *master.n.values(), *master.w.values(), *master.y.values()), 0
    )
    for kind, vi in where.items():
        values[master.n[kind, vi]] = cohorts[kind]
        values[master.w[kind, vi]] = 1
        values[master.y[vi]] = 1
        for gi, take in picks[kind, vi].items():
            values[master.x[gi, kind, vi]] = take
    return values


def _choose_venues(
    master: AssignmentModel,
    cohorts: dict[Kind, int],
    cost: dict[tuple[Kind, int], int],
    deterministic: bool = False,
) -> dict[Kind, int] | None:
    """One venue per kind with cohorts, least travel, within the venue rules."""
    model = cp_model.CpModel()
    z = {key: model.new_bool_var(f"z_{key[0].label}_{key[1]}") for key in cost}
    for kind in cohorts:
        options = [var for (k, _), var in z.items() if k == kind]
        if not options:
            return None
        model.add_exactly_one(options)
    used = {vi: model.new_bool_var(f"y_{vi}") for vi in master.y}
    # The venue rules of the round, written once (`engine.rules`): a kind's cohorts all
    # meet at its chosen venue, so its cohorts there are cohorts[kind] * z.
    view = RoundView(
        model=model,
        venues=master.prep.venues,
        y=used,
        cohorts={key: cohorts[key[0]] * var for key, var in z.items()},
        w=z,
        max_venues=master.prep.problem.round.max_venues,
    )
    rules.venue_used(view)
    rules.required_venues(view)
    rules.venue_max_cohorts(view)
    rules.max_venues(view)
    model.minimize(sum(cost[key] * var for key, var in z.items()))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    limit_solver(solver.parameters, 2.0, deterministic)
    if solver.solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return {k: vi for (k, vi), var in z.items() if solver.value(var)}


def checked_start(
    master: AssignmentModel, values: dict[cp_model.IntVar, int], seconds: float
) -> cp_model.CpSolver | None:
    """A solver holding `values` as the solution of `master`'s model (every variable fixed,
    so CP-SAT only checks every rule), or None when they break one. Its `value()` reads
    `master`'s variables (the same indices)."""
    fixed = master.model.clone()
    fixed.clear_hints()
    for var, value in values.items():
        fixed.add(fixed.get_int_var_from_proto_index(var.index) == value)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = max(0.01, seconds)
    return solver if solver.solve(fixed) in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None
