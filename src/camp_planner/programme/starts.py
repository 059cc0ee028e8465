"""Starting solutions of the programme's stages: the rounds planned one after another
(the myopic coordinator), each round's least travel with its steps kept, and the whole
programme's least travel with the rounds' venues kept."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import replace

from ortools.sat.python import cp_model

from camp_planner.engine.stages import Portfolio, Progress, Reporter, StageParameters, run_stage
from camp_planner.engine.units import TRAVEL_UNITS_PER_KM, travel_units
from camp_planner.models import RoundConfig, Segment, Step
from camp_planner.programme.model import Key, ProgrammeModel
from camp_planner.programme.plan import Programme
from camp_planner.programme.stages import programme_stage
from camp_planner.scheduler.calendar_frontier import CalendarCapacity


def cohort_ranges(
    people: dict[Segment, int], rnd: RoundConfig, capacity: CalendarCapacity, seed: int
) -> dict[Segment, tuple[int, int]]:
    """With the people of each segment in a round fixed: the fewest and the most cohorts
    each segment can have (whole cohorts of cohort_min..cohort_max people, the calendar's
    frontier on all of them together). As in the roster's travel stage (issue 13): the
    relaxation does not see these numbers on its own when the calendar binds."""
    model = cp_model.CpModel()
    k = {
        s: model.new_int_var(-(-p // rnd.cohort_max), p // rnd.cohort_min, f"k_{s.label}")
        for s, p in people.items()
        if p
    }
    if capacity.frontier is not None:
        frontier = capacity.frontier
        n2 = model.new_int_var(0, len(frontier) - 1, "n2")
        most_n1 = model.new_int_var(min(frontier), max(frontier), "most_n1")
        model.add(n2 == sum(v for s, v in k.items() if s.module == Step.MODULE2))
        model.add_element(n2, frontier, most_n1)
        model.add(sum(v for s, v in k.items() if s.module == Step.MODULE1) <= most_n1)
    ranges: dict[Segment, tuple[int, int]] = {}
    for segment, var in k.items():
        bounds = []
        for maximize in (False, True):
            if maximize:
                model.maximize(var)
            else:
                model.minimize(var)
            solver = cp_model.CpSolver()
            solver.parameters.num_workers = 1
            solver.parameters.random_seed = seed
            solver.parameters.max_time_in_seconds = 1.0
            if solver.solve(model) != cp_model.OPTIMAL:
                return {}
            bounds.append(round(solver.objective_value))
        ranges[segment] = (bounds[0], bounds[1])
    return ranges


def per_round_travel(
    pm: ProgrammeModel,
    values: Mapping[cp_model.IntVar, int],
    deadline: float,
    seed: int,
    workers: int,
    progress: Progress | None,
) -> dict[cp_model.IntVar, int]:
    """Least travel with who takes which step in which round kept as in the programme
    `values` (x, n, w, y).

    Kept that way, the rounds are independent (the rules across rounds and the objectives
    before travel only count steps per round), so each round is a small model of its own,
    solved alone: a starting solution for the travel stage of the whole model. A round
    whose model finds nothing in its share of the time keeps its part of `values` (so a
    slow round no longer throws away the others)."""
    return _rounds_alone(pm, values, None, deadline, seed, workers, progress) or dict(values)


def realize(
    pm: ProgrammeModel,
    counts: dict[tuple[int, Step, int], int],
    deadline: float,
    seed: int,
    workers: int,
    progress: Progress | None,
) -> dict[cp_model.IntVar, int] | None:
    """A programme in which each group takes each step in each round as often as `counts`
    says (e.g. the counts' optimum, `counts.counts_optimum`), each round with its least
    travel; None when a round cannot hold its part or finds nothing in its time."""
    return _rounds_alone(pm, {}, counts, deadline, seed, workers, progress)


def _rounds_alone(
    pm: ProgrammeModel,
    values: Mapping[cp_model.IntVar, int],
    fixed: dict[tuple[int, Step, int], int] | None,
    deadline: float,
    seed: int,
    workers: int,
    progress: Progress | None,
) -> dict[cp_model.IntVar, int] | None:
    """Each round alone with its steps per group kept: as in `values` (a round that finds
    nothing keeps its part), or as `fixed` says (strict: None if a round finds nothing)."""
    hint = {var: values.get(var, 0) for var in pm.decisions()}
    rounds = len(pm.programme.rounds)
    for r in range(rounds):
        groups = [
            replace(g, options={(0, s): o for (rr, s), o in g.options.items() if rr == r})
            for g in pm.groups
        ]
        sub = ProgrammeModel(
            Programme(pm.programme.problem, (pm.programme.rounds[r],)),
            groups,
            [pm.capacities[r]],
            cross_round=False,
        )
        counts: dict[tuple[int, Step], int] = defaultdict(int)
        for (gi, step, rr, _), var in pm.x.items():
            if rr == r and fixed is None:
                counts[gi, step] += hint[var]
        for (gi, step, rr), count in (fixed or {}).items():
            if rr == r:
                counts[gi, step] += count
        people: dict[Segment, int] = defaultdict(int)
        for gi, group in enumerate(groups):
            for step in group.steps:
                if (0, step) in group.options:
                    sub.model.add(sub.taken(gi, step) == counts.get((gi, step), 0))
                    segment = group.options[0, step].segment
                    people[segment] += counts.get((gi, step), 0) * group.participants
        rnd = pm.programme.rounds[r]
        for segment, (low, high) in cohort_ranges(people, rnd, pm.capacities[r], seed).items():
            cohorts = [n for (s, _, _), n in sub.n.items() if s == segment]
            sub.model.add_linear_constraint(sum(cohorts), low, high)
        for (gi, step, _, v), var in sub.x.items():
            sub.model.add_hint(var, hint[pm.x[gi, step, r, v]])
        for (segment, _, v), var in sub.n.items():
            sub.model.add_hint(var, hint[pm.n[segment, r, v]])
            sub.model.add_hint(sub.w[segment, 0, v], hint[pm.w[segment, r, v]])
        for (_, v), var in sub.y.items():
            sub.model.add_hint(var, hint[pm.y[r, v]])
        before = pm.travel_of({k: hint[var] for k, var in pm.x.items() if k[2] == r})
        share = (deadline - time.time()) / (rounds - r)
        if progress:
            progress(f"travel of round {pm.programme.rounds[r].name} with its companies kept")
        sub_solver, stage = programme_stage(
            sub, "travel of one round", sub.travel_units(), False, time.time() + share, seed,
            workers, None, time.time(),
        )  # fmt: skip
        if progress:
            after = f"{stage.value / TRAVEL_UNITS_PER_KM:,.1f} km" if stage.found else "none found"
            progress(
                f"travel of round {pm.programme.rounds[r].name} with its companies kept: "
                f"{before / TRAVEL_UNITS_PER_KM:,.1f} -> {after} ({stage.status})"
            )
        if fixed is not None and not stage.found:
            return None
        if not stage.found or (fixed is None and stage.value > before):
            continue
        for (gi, step, _, v), var in sub.x.items():
            hint[pm.x[gi, step, r, v]] = sub_solver.value(var)
        for (segment, _, v), var in sub.n.items():
            hint[pm.n[segment, r, v]] = sub_solver.value(var)
            hint[pm.w[segment, r, v]] = sub_solver.value(sub.w[segment, 0, v])
        for (_, v), var in sub.y.items():
            hint[pm.y[r, v]] = sub_solver.value(var)
    return hint


def myopic_hint(
    pm: ProgrammeModel, seconds: float, seed: int, workers: int, progress: Progress | None
) -> dict[cp_model.IntVar, int]:
    """A complete starting solution: the rounds planned one after another, as a coordinator
    would (``roster``, then ``next-round``), turned into the programme's variables. Each
    round's roster solves fast and is valid in the programme, so the stages start from it."""
    from camp_planner.programme.carry import next_companies
    from camp_planner.scheduler import solve as solve_round

    programme = pm.programme
    group_of = {c.company_id: gi for gi, g in enumerate(pm.groups) for c in g.companies}
    venue_index = {v.venue_id: i for i, v in enumerate(programme.problem.venues)}
    companies = programme.problem.companies
    x: dict[Key, int] = defaultdict(int)
    n: dict[tuple[object, int, int], int] = defaultdict(int)
    deadline = time.time() + seconds
    for r, rnd in enumerate(programme.rounds):
        current = programme.problem.model_copy(update={"round": rnd, "companies": companies})
        share = max(1.0, (deadline - time.time()) / (len(programme.rounds) - r))
        if progress:
            progress(f"starting solution: round {rnd.name} on its own")
        roster = solve_round(current, time_limit=share, seed=seed, workers=workers)
        for cohort in roster.cohorts:
            v = venue_index.get(cohort.venue_id)
            if v is None:
                continue
            segment = None
            for member in cohort.members:
                gi = group_of.get(member)
                option = None if gi is None else pm.groups[gi].options.get((r, cohort.module))
                if gi is None or option is None:
                    continue
                x[gi, cohort.module, r, v] += 1
                segment = option.segment
            if segment is not None:
                n[segment, r, v] += 1
        companies = next_companies(current, roster)
    hint: dict[cp_model.IntVar, int] = {}
    for key, var in pm.x.items():
        hint[var] = x.get(key, 0)
    for count_key, var in pm.n.items():
        hint[var] = n.get(count_key, 0)
        hint[pm.w[count_key]] = int(n.get(count_key, 0) > 0)
    for (r, v), var in pm.y.items():
        hint[var] = int(any(n.get((s, rr, vv), 0) for (s, rr, vv) in pm.n if rr == r and vv == v))
    return hint


def venues_kept(
    pm: ProgrammeModel,
    values: Mapping[cp_model.IntVar, int],
    deadline: float,
    seed: int,
    workers: int,
) -> dict[cp_model.IntVar, int] | None:
    """The whole programme's least travel with no venue opened that `values` leaves closed
    in a round, until `deadline`: who takes which step in which round, and where among
    those venues, may change (the rounds planned alone cannot move a company to another
    round). A start of the travel stage; None when nothing was found in the time.

    Measured (benchmarks/README.md, "What was tried" row 39): 4 x 300 tight, the rounds
    alone 6,967.5 km; with their venues kept the whole model is proven at 6,810.3 km in
    21 s, and the travel stage started there proves the programme optimal (before: 3.4 %
    from its bound at the limit)."""
    kept = pm.model.clone()

    def same(var: cp_model.IntVar) -> cp_model.IntVar:
        return kept.get_int_var_from_proto_index(var.index)

    for y in pm.y.values():
        kept.add(same(y) <= values.get(y, 0))
    kept.clear_hints()
    for var in pm.decisions():
        kept.add_hint(same(var), values.get(var, 0))
    keys = list(pm.x)
    travel = cp_model.LinearExpr.weighted_sum(
        [same(pm.x[k]) for k in keys],
        [travel_units(pm.groups[gi].options[r, step].travel[v]) for gi, step, r, v in keys],
    )
    parameters = StageParameters(deadline, seed, workers, None, more_lp_workers=False)
    reporter = Reporter("travel km, venues kept", None)
    solver, result = run_stage(kept, travel, False, parameters, reporter, Portfolio.LP)
    if not result.found:
        return None
    return {var: solver.value(same(var)) for var in pm.decisions()}
