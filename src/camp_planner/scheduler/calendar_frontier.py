"""How many Module 1 and Module 2 cohorts the facilitator's calendar can hold.

For the facilitator every cohort of one module is alike, so the calendar limits only the
numbers (N1, N2) of Module 1 and Module 2 cohorts. The set of numbers that fit is closed
downwards (drop a cohort and the rest still fit), so it is described by one frontier:
for each N2, the most Module 1 cohorts that fit beside N2 Module 2 cohorts. Each point is
a small time-indexed model (how many cohorts hold their module on working day a and their
lab on day b; at most `facilitators` sessions a day), solved once per round before the
assignment, which then carries only `N1 <= frontier[N2]` instead of the whole calendar
(measured: the calendar inside the assignment model could not even find a full roster of
a 300-company round with a tight calendar in 60 s). Venues' and members' unavailable days
are left to the dating of the cohorts (`dates.date_cohorts`), which also uses the packings
found here as hints.
"""

from __future__ import annotations

import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from itertools import repeat

from ortools.sat.python import cp_model

from camp_planner.engine.stages import limit_solver
from camp_planner.models import SESSION_DAYS, Step
from camp_planner.scheduler.days import DayIndex


@dataclass
class CalendarCapacity:
    """The frontier (None: the calendar holds every cohort the companies could fill) and,
    per N2, a packing of frontier[N2] Module 1 and N2 Module 2 cohorts: (module, a, b)."""

    frontier: list[int] | None
    proven: bool = True
    packings: dict[int, list[tuple[Step, int, int]]] = field(default_factory=dict)


def _most_module1(
    days: DayIndex,
    facilitators: int,
    n1_max: int,
    n2: int,
    seconds: float,
    seed: int,
    deterministic: bool = False,
) -> tuple[int, bool, list[tuple[Step, int, int]]]:
    """Most Module 1 cohorts (<= n1_max) beside exactly n2 Module 2 cohorts: (upper bound,
    proven, packing of the best found); (-1, True, []) when n2 alone does not fit.
    `seconds` of deterministic time in deterministic mode (`engine.stages.limit_solver`)."""
    model = cp_model.CpModel()
    load: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    counts: dict[Step, list[tuple[cp_model.IntVar, int, int]]] = defaultdict(list)
    for module, most in ((Step.MODULE1, n1_max), (Step.MODULE2, n2)):
        for a, b in days.session_options(module):
            var = model.new_int_var(0, min(facilitators, most), f"z_{module}_{a}_{b}")
            counts[module].append((var, a, b))
            for d in (*range(a, a + SESSION_DAYS[module]), b):
                load[d].append(var)
    for terms in load.values():
        model.add(sum(terms) <= facilitators)
    n1 = sum(var for var, _, _ in counts[Step.MODULE1])
    model.add(sum(var for var, _, _ in counts[Step.MODULE2]) == n2)
    model.add(n1 <= n1_max)
    # Implied by the day loads, stated for the relaxation: the days all sessions take.
    usable = days.count - len(days.blocked)
    model.add(2 * n1 + 3 * n2 <= facilitators * usable)  # Module 1: 1 + 1 days; 2: 2 + 1
    model.maximize(n1)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.linearization_level = 2
    solver.parameters.random_seed = seed
    limit_solver(solver.parameters, seconds, deterministic)
    status = solver.solve(model)
    if status == cp_model.INFEASIBLE:
        return -1, True, []
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return n1_max, False, []
    packing = [
        (module, a, b)
        for module, entries in counts.items()
        for var, a, b in entries
        for _ in range(solver.value(var))
    ]
    return round(solver.best_objective_bound), status == cp_model.OPTIMAL, sorted(packing)


def calendar_capacity(
    days: DayIndex,
    facilitators: int,
    n1_max: int,
    n2_max: int,
    seconds: float,
    seed: int,
    workers: int = 1,
    deterministic: bool = False,
) -> CalendarCapacity:
    """The frontier for up to n1_max Module 1 and n2_max Module 2 cohorts; its points
    solved on `workers` threads at once (each point's model is single-threaded). In
    deterministic mode `seconds` is deterministic time, shared out in fixed parts (half
    for the first question, the rest evenly over the batches), never by the wall clock."""
    deadline = time.time() + seconds
    first = seconds / 2 if deterministic else seconds
    top, proven, packing = _most_module1(
        days, facilitators, n1_max, n2_max, first, seed, deterministic
    )
    if proven and top == n1_max:  # everything fits: the calendar does not bind
        return CalendarCapacity(None, True, {n2_max: packing})
    # The facilitator's days bound both numbers (Module 1 takes 2 days, Module 2 takes 3),
    # and the frontier never rises (drop a Module 2 cohort and the Module 1 ones still
    # fit): each point's model needs no more room than the days and the points already
    # found allow, and the points beyond what the days allow are known at once.
    # (Measured: 10,000 companies could fill 1,000 Module 1 and 250 Module 2 cohorts; with
    # room for all of them in every point's model, 251 points shared 10 s and none was
    # proven, so the frontier said 1,000 where the calendar holds 29.)
    session_days = facilitators * (days.count - len(days.blocked))
    n2_last = min(n2_max, session_days // 3)
    caps = [min(n1_max, (session_days - 3 * n2) // 2) for n2 in range(n2_last + 1)]
    # The points `workers` at a time (measured on 1,000 companies with one facilitator: 10
    # points, 1.5 s one after the other, 1.0 s two at a time, the same frontier), each
    # batch with its share of the time left (a batch that proves soon leaves its time to
    # the next), capped by the last point found; none after a point that cannot fit.
    parallel = max(1, min(workers, len(caps)))
    points: list[tuple[int, bool, list[tuple[Step, int, int]]]] = []
    with ThreadPoolExecutor(max_workers=parallel) as pool:
        while len(points) < len(caps) and not (points and points[-1][0] < 0):
            batch = range(len(points), min(len(caps), len(points) + parallel))
            batches_left = -(-(len(caps) - len(points)) // parallel)
            share = max(0.01, deadline - time.time()) / batches_left
            if deterministic:  # a fixed part, whatever the clock says
                share = seconds / 2 / -(-len(caps) // parallel)
            last = points[-1][0] if points else n1_max
            capped = [min(caps[n2], last) for n2 in batch]
            found = list(
                pool.map(
                    _most_module1,
                    repeat(days),
                    repeat(facilitators),
                    capped,
                    batch,
                    repeat(share),
                    repeat(seed),
                    repeat(deterministic),
                )
            )
            # a point after one that cannot fit cannot fit either
            cut = next((k + 1 for k, (most, _, _) in enumerate(found) if most < 0), len(found))
            points.extend(found[:cut])
    capacity = CalendarCapacity(frontier=[], proven=True)
    assert capacity.frontier is not None
    for n2, (most, proven, packing) in enumerate(points):
        if capacity.frontier:  # the frontier never rises (upper bounds stay upper bounds)
            most = min(most, capacity.frontier[-1])
        capacity.frontier.append(most)
        capacity.proven = capacity.proven and proven
        capacity.packings[n2] = packing
        if most < 0:  # more Module 2 cohorts will not fit either
            break
    capacity.frontier.extend([-1] * (n2_max + 1 - len(capacity.frontier)))
    return capacity
