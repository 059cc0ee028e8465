"""Pairs no optimal roster needs when the calendar limits the cohorts (`dominance`).

ONE_COHORT: Mon 2027-02-01 .. Mon 2027-02-08, lab exactly 7 days after the module, one
facilitator: the only dates are module on 1 Feb and lab on 8 Feb, so one cohort (of exactly
2) fits, and at most L = 1 * 2 // 1 = 2 companies of a class can be placed. Venue v1 at town
A (56.0, 9.5), v2 at town B (56.1, 9.5); one leg = LEG_KM.
"""

from __future__ import annotations

import importlib
from datetime import date

import pytest

from camp_planner.models import PlanningProblem
from camp_planner.scheduler.dominance import keep_nearest
from camp_planner.scheduler.prepare import prepare
from tests.helpers.sched_build import TOWN_A, TOWN_B, co, rnd, run, ve

solve_module = importlib.import_module("camp_planner.scheduler.solve")

ONE_COHORT = {
    "start": date(2027, 2, 1),
    "end": date(2027, 2, 8),
    "lab_gap_days": (7, 7),
    "cohort_min": 2,
    "cohort_max": 2,
}
TWO_WEEKS = {**ONE_COHORT, "end": date(2027, 2, 12)}  # 5 cohorts fit


def companies():
    """c0, c1 at A (one group of 2), c2 at B, c3 half a leg north of B, c4 a leg north."""
    return [
        co("c0", TOWN_A),
        co("c1", TOWN_A),
        co("c2", TOWN_B),
        co("c3", (56.15, 9.5)),
        co("c4", (56.2, 9.5)),
    ]


def prepared(span):
    problem = PlanningProblem(
        round=rnd(**span), companies=tuple(companies()), venues=(ve("v1", TOWN_A), ve("v2", TOWN_B))
    )
    prep = prepare(problem)
    return prep, solve_module.round_capacity(prep, 5.0, 0)


def venues_of(prep):
    return {",".join(c.company_id for c in g.companies): sorted(g.travel) for g in prep.groups}


def test_only_the_nearest_companies_of_a_class_keep_a_venue_when_the_calendar_binds():
    # At v1 the group {c0, c1} (0 km) already holds L = 2 companies: c2, c3 and c4 lose v1
    # (their nearest venue is v2). At v2, c2 (0 km) and c3 (half a leg) are the 2 nearest:
    # {c0, c1} (a leg) lose v2, their nearest venue being v1; c4 (a leg too) keeps v2, its
    # nearest. 4 pairs go.
    prep, capacity = prepared(ONE_COHORT)
    assert capacity.frontier is not None and max(capacity.frontier) == 1
    assert keep_nearest(prep, capacity) == 4
    assert venues_of(prep) == {"c0,c1": [0], "c2": [1], "c3": [1], "c4": [1]}


def test_nothing_goes_while_the_calendar_holds_every_company():
    # Five cohorts fit: L = 10 >= the 5 companies of the class.
    prep, capacity = prepared(TWO_WEEKS)
    assert keep_nearest(prep, capacity) == 0
    assert venues_of(prep) == {"c0,c1": [0, 1], "c2": [0, 1], "c3": [0, 1], "c4": [0, 1]}


def test_the_optimum_is_the_one_derived_by_hand():
    # One cohort of 2: c0 and c1 at v1, 0 km (any other pair travels).
    roster = run(rnd(**ONE_COHORT), companies(), [ve("v1", TOWN_A), ve("v2", TOWN_B)])
    assert roster["solver"]["status"] == "OPTIMAL"
    assert roster["summary"]["placed"] == 2
    assert roster["summary"]["travel_km_total"] == pytest.approx(0.0, abs=1e-6)
    assert sorted(roster["cohorts"][0]["members"]) == ["c0", "c1"]
