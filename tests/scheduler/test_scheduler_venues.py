"""Venue rules, each with an instance where it binds and one where it does not.

Geometry (`tests.helpers.sched_build`): town A = (56.0, 9.5), town B = (56.1, 9.5); one company's
travel A<->B = 6371.0088 * radians(0.1) * 1.3 = 14.4554 km (LEG_KM), 0 km at its venue's
point. Default round: 2027-01-04 .. 2027-03-26, one facilitator, cohorts of 2-3 people.
"""

from __future__ import annotations

import json

import pytest

from camp_planner.models import PlanningProblem
from camp_planner.scheduler import solve
from tests.helpers.sched_build import LEG_KM, TOWN_B, co, codes, rnd, run, ve

M1 = frozenset({"module1", "lab1"})


def assert_optimal(roster, placed, km, venues):
    assert roster["solver"]["status"] == "OPTIMAL"
    assert roster["summary"]["placed"] == placed
    assert roster["summary"]["travel_km_total"] == pytest.approx(km, abs=0.01)
    assert set(roster["summary"]["venues_used"]) == set(venues)


def venue_of(roster):
    """company_id -> venue_id."""
    return {m: c["venue_id"] for c in roster["cohorts"] for m in c["members"]}


# -- Module 2 only at residential venues -------------------------------------------------
def test_residential_binds():
    # n (town A) is not residential, r (town B) is. Module 1 pair m1, m2 trains at n (0 km);
    # Module 2 pair b1, b2 (town A) must go to r: 2 x 14.46 = 28.91 km.
    cs = [co("m1"), co("m2"), co("b1", level="B", completed=M1), co("b2", level="B", completed=M1)]
    vs = [ve("n"), ve("r", TOWN_B, residential=True)]
    roster = run(rnd(), cs, vs)
    assert_optimal(roster, 4, 2 * LEG_KM, ["n", "r"])
    assert venue_of(roster) == {"m1": "n", "m2": "n", "b1": "r", "b2": "r"}


def test_residential_does_not_bind():
    # n residential too: both cohorts at n, 0 km.
    cs = [co("m1"), co("m2"), co("b1", level="B", completed=M1), co("b2", level="B", completed=M1)]
    vs = [ve("n", residential=True), ve("r", TOWN_B, residential=True)]
    roster = run(rnd(), cs, vs)
    assert_optimal(roster, 4, 0.0, ["n"])


def test_no_residential_venue_leaves_module2_too_far():
    # no residential venue at all: the Module 2 pair is unplaced (too_far), Module 1 placed.
    cs = [co("m1"), co("m2"), co("b1", level="B", completed=M1), co("b2", level="B", completed=M1)]
    roster = run(rnd(), cs, [ve("n"), ve("o", TOWN_B)])
    assert_optimal(roster, 2, 0.0, ["n"])
    assert codes(roster) == {"b1": "too_far", "b2": "too_far"}


# -- max_venues --------------------------------------------------------------------------
def test_max_venues_binds():
    # 3 companies in town A, 2 in town B, a venue in each. max_venues = 1: all five at one
    # venue (cohorts 3 + 2). At a: 2 x 14.46 = 28.91 km; at b: 3 x 14.46 = 43.37 km.
    # Optimum: venue a, 28.91 km, 5 placed.
    cs = [co("a1"), co("a2"), co("a3"), co("b1", TOWN_B), co("b2", TOWN_B)]
    roster = run(rnd(max_venues=1), cs, [ve("a"), ve("b", TOWN_B)])
    assert_optimal(roster, 5, 2 * LEG_KM, ["a"])


def test_max_venues_does_not_bind():
    # max_venues = 2: each town its own venue, 0 km.
    cs = [co("a1"), co("a2"), co("a3"), co("b1", TOWN_B), co("b2", TOWN_B)]
    roster = run(rnd(max_venues=2), cs, [ve("a"), ve("b", TOWN_B)])
    assert_optimal(roster, 5, 0.0, ["a", "b"])


# -- required venues ---------------------------------------------------------------------
def test_required_venue_binds():
    # one cohort (2 companies in town A); venue b in town B is required, so the only cohort
    # must be there: 2 x 14.46 = 28.91 km instead of 0 at a.
    cs = [co("a1"), co("a2")]
    roster = run(rnd(), cs, [ve("a"), ve("b", TOWN_B, status="required")])
    assert_optimal(roster, 2, 2 * LEG_KM, ["b"])


def test_required_venue_with_two_cohorts():
    # 4 companies in town A = two cohorts of 2: one at a (0 km), one at required b (28.91 km).
    cs = [co(f"a{i}") for i in range(4)]
    roster = run(rnd(), cs, [ve("a"), ve("b", TOWN_B, status="required")])
    assert_optimal(roster, 4, 2 * LEG_KM, ["a", "b"])


def test_required_venue_does_not_bind():
    # b only a candidate: the cohort stays at a, 0 km.
    cs = [co("a1"), co("a2")]
    roster = run(rnd(), cs, [ve("a"), ve("b", TOWN_B)])
    assert_optimal(roster, 2, 0.0, ["a"])


def test_required_venue_no_group_can_use_is_reported_not_a_crash():
    # one company (1 person, cohorts need 2) and a required venue: no cohort can exist, so
    # the request cannot be met: a roster with status INFEASIBLE and a message, the company
    # unplaced; not a crash (an earlier version raised TypeError here).
    r, cs, vs = rnd(), [co("a")], [ve("v", status="required")]
    roster = solve(PlanningProblem(round=r, companies=tuple(cs), venues=tuple(vs)), time_limit=10)
    data = json.loads(roster.to_json())
    assert data["solver"]["status"] == "INFEASIBLE"
    assert data["solver"]["message"]
    assert [u["company_id"] for u in data["unplaced"]] == ["a"]


# -- closed venues -----------------------------------------------------------------------
def test_closed_venue_binds():
    # a (town A) closed: the pair goes to b, 2 x 14.46 = 28.91 km.
    cs = [co("a1"), co("a2")]
    roster = run(rnd(), cs, [ve("a", status="closed"), ve("b", TOWN_B)])
    assert_optimal(roster, 2, 2 * LEG_KM, ["b"])


def test_closed_venue_does_not_bind():
    # b closed, a open: 0 km at a.
    cs = [co("a1"), co("a2")]
    roster = run(rnd(), cs, [ve("a"), ve("b", TOWN_B, status="closed")])
    assert_optimal(roster, 2, 0.0, ["a"])


def test_all_venues_closed_leaves_everyone_too_far():
    cs = [co("a1"), co("a2")]
    roster = run(rnd(), cs, [ve("a", status="closed")])
    assert_optimal(roster, 0, 0.0, [])
    assert codes(roster) == {"a1": "too_far", "a2": "too_far"}


# -- max_cohorts -------------------------------------------------------------------------
def test_max_cohorts_binds():
    # 4 companies in town A -> cohorts 2 + 2 (3 + 1 is not allowed). a hosts at most one:
    # the other pair goes to b, 2 x 14.46 = 28.91 km, 4 placed.
    cs = [co(f"a{i}") for i in range(4)]
    roster = run(rnd(), cs, [ve("a", max_cohorts=1), ve("b", TOWN_B)])
    assert_optimal(roster, 4, 2 * LEG_KM, ["a", "b"])


def test_max_cohorts_does_not_bind():
    # a hosts up to 2: both pairs at a, 0 km.
    cs = [co(f"a{i}") for i in range(4)]
    roster = run(rnd(), cs, [ve("a", max_cohorts=2), ve("b", TOWN_B)])
    assert_optimal(roster, 4, 0.0, ["a"])


def test_max_cohorts_zero_keeps_a_venue_empty():
    # a hosts none: all four at b, 4 x 14.46 = 57.82 km.
    cs = [co(f"a{i}") for i in range(4)]
    roster = run(rnd(), cs, [ve("a", max_cohorts=0), ve("b", TOWN_B)])
    assert_optimal(roster, 4, 4 * LEG_KM, ["b"])


# -- max_travel_km -----------------------------------------------------------------------
def test_max_travel_binds():
    # the only venue is 14.46 km away; max_travel_km = 10 -> both too_far, nobody placed.
    cs = [co("a1"), co("a2")]
    roster = run(rnd(max_travel_km=10), cs, [ve("b", TOWN_B)])
    assert_optimal(roster, 0, 0.0, [])
    assert codes(roster) == {"a1": "too_far", "a2": "too_far"}


def test_max_travel_does_not_bind():
    # max_travel_km = 20 >= 14.46: both placed, 28.91 km.
    cs = [co("a1"), co("a2")]
    roster = run(rnd(max_travel_km=20), cs, [ve("b", TOWN_B)])
    assert_optimal(roster, 2, 2 * LEG_KM, ["b"])


def test_max_travel_binds_for_some_companies_only():
    # a1, a2 in town A, b1, b2 in town B, one venue in town A, limit 10 km: the B pair is
    # too_far, the A pair placed at 0 km.
    cs = [co("a1"), co("a2"), co("b1", TOWN_B), co("b2", TOWN_B)]
    roster = run(rnd(max_travel_km=10), cs, [ve("a")])
    assert_optimal(roster, 2, 0.0, ["a"])
    assert codes(roster) == {"b1": "too_far", "b2": "too_far"}
