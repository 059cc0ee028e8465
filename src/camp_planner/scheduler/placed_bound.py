"""An upper bound on what a round can place, from counts alone.

Leave out where cohorts meet (venues, travel) and keep what limits the numbers: per
segment, whole cohorts of cohort_min..cohort_max people, and the facilitator's frontier on
the numbers of Module 1 and Module 2 cohorts. This small model is a relaxation of the
assignment model; its optimum bounds stage 1 (companies, then priority, placed). Measured
on a 300-company round with a tight calendar: the whole model found 243 placed but could
not close its bound of 244 in 60 s, because its relaxation does not see that the
calendar holds only so many cohorts; the counts alone settle that at once.
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from camp_planner.models import Segment, Step
from camp_planner.scheduler.calendar_frontier import CalendarCapacity
from camp_planner.scheduler.prepare import Prepared


def stage1_bound(
    prep: Prepared, capacity: CalendarCapacity, weight: int, seconds: float, seed: int
) -> int | None:
    """Upper bound on weight * placed + priority placed; None if not found in time."""
    rnd = prep.problem.round
    model = cp_model.CpModel()
    placed = []
    people: dict[Segment, list[cp_model.LinearExprT]] = defaultdict(list)
    for gi, group in enumerate(prep.groups):
        count = model.new_int_var(0, group.size, f"c_{gi}")
        placed.append((weight + group.priority) * count)
        people[group.segment].append(group.participants * count)
    cohorts: dict[Step, list[cp_model.IntVar]] = defaultdict(list)
    for segment, terms in people.items():
        k = model.new_int_var(0, 1000, f"k_{segment.label}")
        model.add(sum(terms) >= rnd.cohort_min * k)
        model.add(sum(terms) <= rnd.cohort_max * k)
        cohorts[segment.module].append(k)
    if capacity.frontier is not None:
        frontier = capacity.frontier
        n2 = model.new_int_var(0, len(frontier) - 1, "n2")
        most_n1 = model.new_int_var(min(frontier), max(frontier), "most_n1")
        model.add(n2 == sum(cohorts[Step.MODULE2]))
        model.add_element(n2, frontier, most_n1)
        model.add(sum(cohorts[Step.MODULE1]) <= most_n1)
    model.maximize(sum(placed))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_time_in_seconds = max(0.01, seconds)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return round(solver.best_objective_bound)
