"""Cohorts per pool and companies placed per segment, proven on the counts (issue 13).

TWO_WEEKS (see test_scheduler_calendar): Mon 2027-02-01 .. Fri 2027-02-12, lab exactly 7
days after the module, cohorts of exactly 2 people: with one facilitator at most 5 cohorts
fit (one module per weekday of week 1, its lab a week later); with two, 10.
"""

from __future__ import annotations

import importlib
from datetime import date

import pytest

from camp_planner.models import AgeGroup, Level, PlanningProblem, Segment, Step
from camp_planner.scheduler.assignment import AssignmentModel
from camp_planner.scheduler.kinds import Kind
from camp_planner.scheduler.placed_bound import count_ranges, stage1_bound
from camp_planner.scheduler.prepare import prepare
from tests.helpers.sched_build import LEG_KM, TOWN_B, co, rnd, run, ve

solve_module = importlib.import_module("camp_planner.scheduler.solve")

TWO_WEEKS = {
    "start": date(2027, 2, 1),
    "end": date(2027, 2, 12),
    "lab_gap_days": (7, 7),
    "cohort_min": 2,
    "cohort_max": 2,
}
EST = Segment(module=Step.MODULE1, level=Level.C, age_group=AgeGroup.ESTABLISHED)
YOUNG = Segment(module=Step.MODULE1, level=Level.C, age_group=AgeGroup.YOUNG)


def companies():
    """6 established and 6 young C companies: 3 + 3 cohorts of 2 could be filled. The
    young ones at town A, three established at A and three at town B."""
    est = [co(f"e{i}", young=False, at=TOWN_B if i >= 3 else (56.0, 9.5)) for i in range(6)]
    young = [co(f"y{i}", young=True) for i in range(6)]
    return est + young


def ranges_of(facilitators: int):
    problem = PlanningProblem(
        round=rnd(**TWO_WEEKS, facilitators=facilitators),
        companies=tuple(companies()),
        venues=(ve("v"),),
    )
    prep = prepare(problem)
    capacity = solve_module.round_capacity(prep, 5.0, 0)
    weight = 1 + sum(g.priority * g.size for g in prep.groups)
    placed_value = stage1_bound(prep, capacity, weight, 5.0, 0)
    assert placed_value is not None
    return count_ranges(prep, capacity, weight, placed_value, None, 5.0, 0), placed_value


def test_ranges_bind_when_the_calendar_holds_fewer_cohorts():
    # One facilitator: 5 cohorts of 2 = 10 placed at most. Each segment has 3 cohorts at
    # most, so the two share the 5 cohorts as 3 + 2 or 2 + 3: each has 2 or 3 cohorts and
    # 4 or 6 companies placed, although alone each could have 0..3.
    ranges, placed_value = ranges_of(1)
    assert placed_value == 10
    assert ranges.cohorts[Kind.pure(EST), False] == (2, 3)
    assert ranges.cohorts[Kind.pure(YOUNG), False] == (2, 3)
    assert ranges.placed[EST] == (4, 6)
    assert ranges.placed[YOUNG] == (4, 6)


def test_ranges_do_not_bind_when_the_calendar_holds_every_cohort():
    # Two facilitators: 10 cohorts fit, all 12 companies are placed in 3 + 3 cohorts.
    ranges, placed_value = ranges_of(2)
    assert placed_value == 12
    assert ranges.cohorts[Kind.pure(EST), False] == (3, 3)
    assert ranges.cohorts[Kind.pure(YOUNG), False] == (3, 3)
    assert ranges.placed == {EST: (6, 6), YOUNG: (6, 6)}


def test_the_travel_optimum_with_the_ranges_is_the_one_derived_by_hand():
    # One facilitator, 5 cohorts, 10 of 12 placed (venue at town A). Either the
    # established get 3 cohorts and the young 2: all of e3-e5 travel from B (3 legs); or
    # the established get 2 cohorts (e0-e2 and one of e3-e5: 1 leg) and the young 3
    # (0 km). Optimum: 1 leg, with the established at the low end of their range.
    roster = run(rnd(**TWO_WEEKS), companies(), [ve("v")])
    assert roster["solver"]["status"] == "OPTIMAL"
    assert roster["summary"]["placed"] == 10
    assert roster["summary"]["travel_km_total"] == pytest.approx(LEG_KM, abs=0.01)


def test_bound_counts_leaves_the_model_feasible_at_its_optimum():
    problem = PlanningProblem(
        round=rnd(**TWO_WEEKS), companies=tuple(companies()), venues=(ve("v"),)
    )
    prep = prepare(problem)
    capacity = solve_module.round_capacity(prep, 5.0, 0)
    ranges, _ = ranges_of(1)
    model = AssignmentModel(prep, capacity=capacity)
    model.bound_counts(ranges)
    model.model.add(model.placed() >= 10)
    model.model.minimize(model.travel_units())
    from ortools.sat.python import cp_model

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.solve(model.model) == cp_model.OPTIMAL
    assert solver.objective_value == round(LEG_KM * 100)
