"""Who goes first (DOMAIN.md): priority + level_priority, then longest waiting, then travel.

Each rule with an instance where it binds and one where it does not. Geometry of
`sched_build`: town A = (56.0, 9.5), town B = (56.1, 9.5); a company at B travels
LEG_KM = 14.4554 km to a venue at A, one at A travels 0 km.
"""

from __future__ import annotations

from datetime import date

import pytest

from camp_planner.models import Level
from tests.helpers.sched_build import LEG_KM, TOWN_B, co, codes, placed_ids, rnd, run, ve

OPTIMAL = "OPTIMAL"


def _reason(roster: dict, cid: str) -> str:
    return next(u["reason"] for u in roster["unplaced"] if u["company_id"] == cid)


# -- waiting_since -----------------------------------------------------------------------
def test_waiting_longest_goes_first_when_seats_are_short() -> None:
    # n1, n2 at A (0 km), f at B (14.46 km), one venue at A, cohorts of exactly 2 people:
    # 3 people fill one cohort of 2. Without waiting the two at 0 km go (see the next
    # test); f has waited since 2026-06-01, so it takes a seat: placed f and one of n1/n2,
    # travel = LEG_KM = 14.4554 km; the other n waits, code priority, reason "waiting".
    r = rnd(cohort_min=2, cohort_max=2)
    companies = [co("n1"), co("n2"), co("f", TOWN_B, waiting_since=date(2026, 6, 1))]
    roster = run(r, companies, [ve("v")])
    assert roster["solver"]["status"] == OPTIMAL
    assert "f" in placed_ids(roster) and len(placed_ids(roster)) == 2
    assert roster["summary"]["travel_km_total"] == pytest.approx(LEG_KM, abs=1e-3)
    (left,) = set(codes(roster))
    assert codes(roster)[left] == "priority"
    assert "waiting longer (since 2026-06-01)" in _reason(roster, left)
    assert "1 by waiting time" in roster["summary"]["policy"]


def test_waiting_does_not_matter_when_everybody_fits() -> None:
    # The same three with cohorts of 2-3: one cohort of 3 holds all; travel 14.4554 km.
    r = rnd(cohort_min=2, cohort_max=3)
    companies = [co("n1"), co("n2"), co("f", TOWN_B, waiting_since=date(2026, 6, 1))]
    roster = run(r, companies, [ve("v")])
    assert placed_ids(roster) == {"n1", "n2", "f"}
    assert roster["summary"]["travel_km_total"] == pytest.approx(LEG_KM, abs=1e-3)
    assert "everybody who could fill a cohort got a place" in roster["summary"]["policy"]


def test_without_waiting_shorter_travel_wins() -> None:
    # n1, n2, f as above, nobody waiting: placed n1, n2 (0 km); f unplaced, capacity.
    r = rnd(cohort_min=2, cohort_max=2)
    roster = run(r, [co("n1"), co("n2"), co("f", TOWN_B)], [ve("v")])
    assert placed_ids(roster) == {"n1", "n2"}
    assert roster["summary"]["travel_km_total"] == 0
    assert codes(roster) == {"f": "capacity"}
    assert "shorter travel won" in _reason(roster, "f")


# -- level_priority ----------------------------------------------------------------------
def _level_round(**kw: object) -> tuple[list, list]:
    # One venue at A that hosts one cohort; two C companies at A (0 km), two A companies at
    # B (14.46 km each); cohorts of exactly 2. Either segment fills the one cohort.
    companies = [co("c1"), co("c2"), co("a1", TOWN_B, level="A"), co("a2", TOWN_B, level="A")]
    return companies, [ve("v", max_cohorts=1)]


def test_level_priority_puts_a_companies_first() -> None:
    # level_priority A = 1: placing a1, a2 gives priority 2 > 0; travel 2 x 14.4554 km.
    companies, venues = _level_round()
    r = rnd(cohort_min=2, cohort_max=2, level_priority={Level.A: 1, Level.B: 0, Level.C: 0})
    roster = run(r, companies, venues)
    assert placed_ids(roster) == {"a1", "a2"}
    assert roster["summary"]["travel_km_total"] == pytest.approx(2 * LEG_KM, abs=1e-3)
    # The C pair is another group: no room left for it, and the reason says why.
    assert codes(roster) == {"c1": "capacity", "c2": "capacity"}
    assert "other groups with a higher priority than 0" in _reason(roster, "c1")
    assert "A +1" in roster["summary"]["policy"]
    assert "2 by priority" in roster["summary"]["policy"]


def test_without_level_priority_travel_decides_between_levels() -> None:
    # Default level_priority 0: both choices place 2 with priority 0; the C pair travels 0.
    companies, venues = _level_round()
    roster = run(rnd(cohort_min=2, cohort_max=2), companies, venues)
    assert placed_ids(roster) == {"c1", "c2"}
    assert roster["summary"]["travel_km_total"] == 0


# -- priority before waiting -------------------------------------------------------------
def test_priority_goes_before_waiting() -> None:
    # p, q at B with priority 1; w at A (0 km) waiting since 2026-01-01; cohorts of exactly
    # 2. Policy numbers: p = q = 1 x (1 + 1) + 0 = 2, w = 0 + 1 = 1 -> {p, q} (4) beats
    # {p, w} (3): travel 2 x 14.4554 km, w unplaced for priority.
    r = rnd(cohort_min=2, cohort_max=2)
    companies = [
        co("p", TOWN_B, priority=1),
        co("q", TOWN_B, priority=1),
        co("w", waiting_since=date(2026, 1, 1)),
    ]
    roster = run(r, companies, [ve("v")])
    assert placed_ids(roster) == {"p", "q"}
    assert codes(roster) == {"w": "priority"}
    assert "higher priority than 0" in _reason(roster, "w")


# -- available_from ----------------------------------------------------------------------
def test_available_from_after_the_round_is_not_yet_available() -> None:
    r = rnd(cohort_min=2, cohort_max=3)
    companies = [co("a"), co("b"), co("later", available_from=date(2027, 4, 1))]
    roster = run(r, companies, [ve("v")])
    assert placed_ids(roster) == {"a", "b"}
    assert codes(roster) == {"later": "not_yet_available"}


def test_available_from_inside_the_round_moves_the_cohort_after_it() -> None:
    # Both fit one cohort; b can start 2027-02-15, so the module is on or after that day
    # (the checker also verifies every session against available_from).
    r = rnd(cohort_min=2, cohort_max=3)
    companies = [co("a"), co("b", available_from=date(2027, 2, 15))]
    roster = run(r, companies, [ve("v")])
    assert placed_ids(roster) == {"a", "b"}
    first = min(d for s in roster["cohorts"][0]["sessions"] for d in s["dates"])
    assert first >= "2027-02-15"
