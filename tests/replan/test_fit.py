"""`fit` in the library: places ranked by changes then travel, impossible cohorts with
their reason, and companies that can have no place at all."""

from __future__ import annotations

from datetime import date

import pytest

from camp_planner.replan import Pin, PinField
from camp_planner.replan.fit import FitError, fit
from tests.helpers.sched_build import TOWN_A, TOWN_B, co, rnd, ve
from tests.replan.build import cohort, problem_of, published

AS_OF = date(2027, 1, 1)
VENUES = [ve("A", TOWN_A), ve("B", TOWN_B)]
COMPANIES = [co("a0"), co("a1"), co("a2"), co("b0", TOWN_B), co("b1", TOWN_B)]
COHORTS = [
    cohort("C01", "A", ["a0", "a1", "a2"], ["2027-01-12"], "2027-02-02"),
    cohort("C02", "B", ["b0", "b1"], ["2027-01-13"], "2027-02-03"),
]


def test_a_free_place_ranks_before_one_that_needs_a_move():
    # n0 lives in town A. C02 (at B) has a free place: no change, 14.455 km. C01 (at A) is
    # full: one member must move (10), 0 km. Fewer changes rank first, so C02 is first.
    roster = published(problem_of(rnd(), COMPANIES, VENUES), COHORTS)
    now = problem_of(rnd(), [*COMPANIES, co("n0")], VENUES)
    report = fit(now, roster, "n0", AS_OF, top=3, time_limit=20)
    ranked = [(o.rank, o.cohort_id, o.note) for o in report.options if o.rank]
    assert ranked[0] == (1, "C02", "a free place")
    c01 = next(o for o in report.options if o.cohort_id == "C01")
    assert c01.cost == 10 and len(c01.moves) == 1 and c01.travel_km == 0.0


def test_pinned_members_make_a_cohort_impossible_and_say_why():
    roster = published(problem_of(rnd(), COMPANIES, VENUES), COHORTS)
    now = problem_of(rnd(), [*COMPANIES, co("n0", TOWN_B)], VENUES)
    pins = [Pin("C02", PinField.MEMBERS)]
    report = fit(now, roster, "n0", AS_OF, pins=pins, time_limit=20)
    c02 = next(o for o in report.options if o.cohort_id == "C02")
    assert c02.rank is None and "members are pinned" in c02.note


def test_companies_without_any_place_get_the_reason():
    roster = published(problem_of(rnd(), COMPANIES, VENUES), COHORTS)
    done = co("n0", completed=frozenset({"module1", "lab1"}))  # level C: no Module 2
    now = problem_of(rnd(), [*COMPANIES, done], VENUES)
    report = fit(now, roster, "n0", AS_OF, time_limit=20)
    assert report.options == [] and "Module 2 is only for level A and B" in report.reason
    report = fit(now, roster, "a0", date(2027, 1, 20), time_limit=20)
    assert report.reason == "has a place in C01, which has met"
    with pytest.raises(FitError):
        fit(now, roster, "zz", AS_OF)
