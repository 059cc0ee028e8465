"""Unit tests of `preflight.preflight` and `preflight.no_venue_can_host`: requests of a round
no roster can meet, as sentences.

Rounds are the 12-week `rnd()` of sched_build (2027-01-04 .. 2027-03-26, cohorts of 2-3,
lab 14-42 days later). Town B is 11.12 km from town A, 14.46 km of travel with road factor
1.3 (`LEG_KM`), so max_travel_km = 10 puts a company at B out of reach of a venue at A.
"""

from __future__ import annotations

from datetime import date

from camp_planner.models import PlanningProblem
from camp_planner.scheduler.preflight import no_venue_can_host, preflight
from tests.helpers.sched_build import LEG_KM, TOWN_B, co, rnd, ve

M1_DONE = frozenset({"module1", "lab1"})


def problem(round_config=None, companies=None, venues=None) -> PlanningProblem:
    return PlanningProblem(
        round=round_config or rnd(),
        companies=tuple(companies if companies is not None else [co("a"), co("b")]),
        venues=tuple(venues if venues is not None else [ve("v")]),
    )


def test_normal_round_passes():
    # Two Module 1 companies and a candidate venue at the same place: nothing to refuse.
    p = problem()
    assert preflight(p) == []
    assert no_venue_can_host(p) is None


def test_every_venue_closed():
    p = problem(venues=[ve("v", status="closed"), ve("w", status="closed")])
    expected = (
        "Every venue is closed, so no cohort can be held. Set at least one venue's status to "
        "candidate (or required) in venues.csv."
    )
    assert no_venue_can_host(p) == expected
    assert preflight(p) == [expected]


def test_one_open_venue_is_enough():
    p = problem(venues=[ve("v", status="closed"), ve("w")])
    assert no_venue_can_host(p) is None
    assert preflight(p) == []


def test_every_company_farther_than_max_travel_km():
    # Companies at B, the venue at A: 14.46 km > 10 km.
    assert LEG_KM > 10
    p = problem(
        rnd(max_travel_km=10),
        companies=[co("a", TOWN_B), co("b", TOWN_B)],
        venues=[ve("v")],
    )
    sentence = no_venue_can_host(p)
    assert sentence is not None
    assert sentence.startswith(
        "No company may train at any open venue: every one is farther than "
        "max_travel_km = 10 km from each"
    )
    assert "Raise max_travel_km in round.toml" in sentence
    assert preflight(p) == [sentence]


def test_one_company_within_max_travel_km_is_enough():
    # 15 km > 14.46 km: the companies at B may train at A.
    p = problem(rnd(max_travel_km=15), companies=[co("a", TOWN_B)], venues=[ve("v")])
    assert no_venue_can_host(p) is None


def test_module2_only_and_no_residential_venue():
    # Both companies' next step is Module 2 (level B, Module 1 done): it needs a residential
    # venue, and the only venue is not one (no travel limit).
    p = problem(
        companies=[co("a", level="B", completed=M1_DONE), co("b", level="B", completed=M1_DONE)],
        venues=[ve("v", residential=False)],
    )
    sentence = no_venue_can_host(p)
    assert sentence is not None
    assert "needs a residential venue" in sentence
    assert "Mark a venue residential" in sentence
    assert preflight(p) == [sentence]
    # A residential venue fixes it.
    fixed = problem(companies=p.companies, venues=[ve("v", residential=True)])
    assert no_venue_can_host(fixed) is None


def test_no_company_waiting_is_not_refused_here():
    # The only company is level C with Module 1 done: no next step this round, so there is
    # nobody to host and closed venues are not reported (the roster simply places nobody).
    p = problem(companies=[co("a", completed=M1_DONE)], venues=[ve("v", status="closed")])
    assert no_venue_can_host(p) is None
    assert preflight(p) == []


def test_round_too_short_comes_first():
    # 2027-01-04 .. 2027-01-15 has 10 working days, but a lab is 14-42 days after the module:
    # no dates for Module 1. Reported alone, before the closed venue.
    p = problem(rnd(end=date(2027, 1, 15)), venues=[ve("v", status="closed")])
    messages = preflight(p)
    assert len(messages) == 1
    assert messages[0].startswith("The round 2027-01-04 to 2027-01-15 is too short")
    assert "10 working days (10 with the facilitator available)" in messages[0]


def test_more_required_venues_than_max_venues():
    p = problem(rnd(max_venues=1), venues=[ve("v", status="required"), ve("w", status="required")])
    assert preflight(p) == [
        "2 venues are required (v, w) but max_venues is 1. Raise max_venues in round.toml or "
        "make some of them candidates."
    ]


def test_required_venue_no_group_can_use():
    # The required venue is at B with max_travel_km 10; the companies at A may use only w.
    p = problem(
        rnd(max_travel_km=10),
        venues=[ve("far", TOWN_B, status="required"), ve("w")],
    )
    messages = preflight(p)
    assert len(messages) == 1
    assert messages[0].startswith("Venue far (Venue far) is required, but no cohort can be held")
    assert "farther than max_travel_km = 10 km" in messages[0]
