"""Starts of the travel stage from venues near the companies (`near_start`).

Geometry (tests/helpers/sched_build.py): towns on one meridian 0.1 degree apart, A (56.0),
B (56.1), C (56.2); one leg (0.1 degree) = LEG_KM. Venues v1 at A, v2 at B, v3 at C.
Companies (one segment, C established, Module 1): c0 and c1 at A (one group of 2), c2 at
B, c3 at C.

By hand, the estimate of a venue set with the segment's fewest placed = 3 (the 3 companies
nearest a venue of the set, each at its nearest one):
- {v1}: c0, c1 0 km, c2 one leg -> 1 LEG; {v2}: c2 0, c0, c1 one leg each -> 2 LEG;
- {v3}: c3 0, c2 1 leg, then c0 or c1 2 legs -> 3 LEG; {v1, v3}: 0, 0 and c3 0 -> 0.
"""

from __future__ import annotations

import importlib
from datetime import date

import pytest
from ortools.sat.python import cp_model

from camp_planner.engine.stages import StageParameters
from camp_planner.engine.units import travel_units
from camp_planner.models import PlanningProblem, Segment, VenueStatus
from camp_planner.scheduler.assignment import AssignmentModel
from camp_planner.scheduler.near_start import (
    VenueEstimate,
    estimated_venues,
    near_start,
    nearest_assignments,
)
from camp_planner.scheduler.prepare import prepare
from tests.helpers.sched_build import LEG_KM, TOWN_A, TOWN_B, co, rnd, ve

solve_module = importlib.import_module("camp_planner.scheduler.solve")
TOWN_C = (56.2, 9.5)


def master_of(
    max_venues: int = 6, required: str | None = None, max_travel_km: float = 0, **span
) -> AssignmentModel:
    venues = [
        ve(vid, at, status=VenueStatus.REQUIRED if vid == required else VenueStatus.CANDIDATE)
        for vid, at in (("v1", TOWN_A), ("v2", TOWN_B), ("v3", TOWN_C))
    ]
    companies = (co("c0", TOWN_A), co("c1", TOWN_A), co("c2", TOWN_B), co("c3", TOWN_C))
    problem = PlanningProblem(
        round=rnd(max_venues=max_venues, max_travel_km=max_travel_km, **span),
        companies=companies,
        venues=tuple(venues),
    )
    prep = prepare(problem)
    capacity = solve_module.round_capacity(prep, 5.0, 0)
    return AssignmentModel(prep, capacity=capacity)


def names(master: AssignmentModel, chosen: set[int]) -> set[str]:
    return {master.prep.venues[vi].venue_id for vi in chosen}


def index(master: AssignmentModel, vid: str) -> int:
    return next(vi for vi, v in enumerate(master.prep.venues) if v.venue_id == vid)


def test_the_estimate_of_a_venue_set_is_the_one_derived_by_hand():
    master = master_of()
    segment = master.prep.groups[0].segment
    estimate = VenueEstimate(master, {segment: 3})
    v1, v2, v3 = (index(master, v) for v in ("v1", "v2", "v3"))
    assert estimate({v1}) == pytest.approx(LEG_KM)
    assert estimate({v2}) == pytest.approx(2 * LEG_KM)
    assert estimate({v3}) == pytest.approx(3 * LEG_KM)
    assert estimate({v1, v3}) == pytest.approx(0.0)
    assert estimate(set()) == float("inf")  # 3 to place, no venue
    assert VenueEstimate(master, {segment: 5})({v1, v2, v3}) == float("inf")  # only 4 exist
    assert VenueEstimate(master, {})({v2}) == 0.0  # nobody has to be placed


def test_the_venue_search_swaps_to_the_best_set_and_keeps_required_venues():
    master = master_of(max_venues=1)
    segment = master.prep.groups[0].segment
    far = {index(master, "v3")}
    # one venue: from v3 (3 LEG) the swap search reaches v1 (1 LEG), the best single venue
    assert names(master, estimated_venues(master, {segment: 3}, far, 1e12)) == {"v1"}
    # two venues from v2 (2 LEG): adding v1 gives 0 (c0, c1, c2 each at their own town)
    master = master_of(max_venues=2)
    found = estimated_venues(master, {segment: 3}, {index(master, "v2")}, 1e12)
    assert names(master, found) == {"v1", "v2"}
    # a required venue stays in the set though another would be estimated better
    master = master_of(max_venues=1, required="v3")
    assert names(master, estimated_venues(master, {segment: 3}, set(), 1e12)) == {"v3"}


def test_the_nearest_venues_keep_two_venues_per_group():
    master = master_of()
    kept = nearest_assignments(master)
    by_group: dict[str, set[str]] = {}
    for gi, _, vi in kept:
        ids = ",".join(c.company_id for c in master.prep.groups[gi].companies)
        by_group.setdefault(ids, set()).add(master.prep.venues[vi].venue_id)
    # c0,c1 and c2 lose v3 (two legs and one leg, the farthest); c3 loses v1
    assert by_group == {"c0,c1": {"v1", "v2"}, "c2": {"v1", "v2"}, "c3": {"v2", "v3"}}


def hinted_travel(master: AssignmentModel) -> float | None:
    """The whole model solved with every variable fixed to its hint: the hint's travel in
    km when it is a roster every rule allows, else None."""
    solver = cp_model.CpSolver()
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.num_workers = 1
    model = master.model.clone()
    model.minimize(master.travel_units())
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return solver.objective_value / travel_units(1.0)


def one_cohort(placed: int) -> tuple[AssignmentModel, Segment, StageParameters]:
    """The calendar holds one cohort of 2-3 (2027-02-01 .. 02-08, lab 7 days after);
    stage 1's optimum, `placed` companies, kept as a constraint."""
    span = {"start": date(2027, 2, 1), "end": date(2027, 2, 8), "lab_gap_days": (7, 7)}
    master = master_of(**span)
    master.model.add(master.placed() >= placed)
    return master, master.prep.groups[0].segment, StageParameters(deadline=1e12, workers=1)


def test_near_start_hints_a_whole_roster_at_the_optimum_derived_by_hand():
    # The calendar holds one cohort of 2-3 in one week (2027-02-01 .. 02-08, lab 7 days
    # after); with 3 placed, the optimum is c0, c1, c2 at v1 (1 LEG) or c1, c0, c2 at v2
    # (2 LEG): 1 LEG. Stage 1's optimum, 3 placed, is kept as a constraint.
    master, segment, settings = one_cohort(placed=3)
    far = {index(master, "v3")}
    value = near_start(master, 10**9, {segment: 3}, far, settings, 10.0)
    assert value == travel_units(LEG_KM)
    assert hinted_travel(master) == pytest.approx(LEG_KM, abs=0.01)
    # a start no better than the one given leaves the hint as it was (here: none)
    master.hint_values({})
    assert near_start(master, value, {segment: 3}, far, settings, 10.0) == value
    assert len(master.model.proto.solution_hint.vars) == 0


def test_a_start_that_travels_nothing_is_kept():
    # With 2 placed (one cohort of 2-3), c0 and c1 at v1 travel 0 km: the start's travel is
    # 0, not taken for "nothing found"
    master, segment, settings = one_cohort(placed=2)
    assert near_start(master, 10**9, {segment: 2}, {index(master, "v3")}, settings, 10.0) == 0
    assert hinted_travel(master) == pytest.approx(0.0, abs=1e-6)


def test_the_estimate_leaves_out_a_group_that_cannot_reach_the_set():
    # max_travel_km 20: c3 (two legs, 28.9 km from v1) cannot train at v1, c0 and c1 not
    # at v3. {v1} with 3 to place: c0, c1 0 km and c2 one leg (c3 left out, no NaN); with
    # 4 to place it cannot be done: inf.
    master = master_of(max_travel_km=20)
    segment = master.prep.groups[0].segment
    v1 = index(master, "v1")
    assert VenueEstimate(master, {segment: 3})({v1}) == pytest.approx(LEG_KM)
    assert VenueEstimate(master, {segment: 4})({v1}) == float("inf")


def test_the_venue_search_adds_venues_while_the_estimate_falls():
    # From {v2} with all 4 to place: {v2} = 3 LEG (c0, c1, c3 one leg each). Adding v1:
    # c0, c1, c2 0 and c3 one leg = 1 LEG; adding v3: c0, c1 one leg each = 2 LEG; so v1
    # first, then v3 (0 km); six venues allowed, three exist.
    master = master_of(max_venues=6)
    segment = master.prep.groups[0].segment
    chosen = estimated_venues(master, {segment: 4}, {index(master, "v2")}, 1e12)
    assert names(master, chosen) == {"v1", "v2", "v3"}
    # with at most two, the additions stop at {v1, v2} and no swap lowers 1 LEG
    master = master_of(max_venues=2)
    chosen = estimated_venues(master, {segment: 4}, {index(master, "v2")}, 1e12)
    assert names(master, chosen) == {"v1", "v2"}
