"""Hand-derived minimal-change optima (default weights: moved 10, venue 30, dates 20 per
session, cancelled 80).

The round is `sched_build.rnd()`: 2027-01-04 .. 2027-03-26, cohorts of 2-3 people, one
facilitator, lab 14-42 days after the module. Towns A and B are 14.455 km apart; venue
A is in town A, venue B in town B. Everything is planned as of 2027-01-01 (nothing has
met yet).
"""

from __future__ import annotations

from datetime import date

from camp_planner.models import Venue
from camp_planner.replan import replan
from tests.helpers.sched_build import TOWN_A, TOWN_B, co, rnd, ve
from tests.replan.build import checked, cohort, d, dates, members, problem_of, published

AS_OF = date(2027, 1, 1)
VENUES = [ve("A", TOWN_A), ve("B", TOWN_B)]


def _stage(result, name: str) -> float:
    stage = next(s for s in result.stages if s.name == name)
    assert stage.proven, result.stages
    return stage.value


def test_a_withdrawal_that_needs_no_move():
    # C01 at A holds a0, a1, a2; C02 at B holds b0, b1. a0 withdraws: C01 keeps 2 people,
    # which is cohort_min, so the published roster minus a0 meets every rule: 0 changes is
    # possible, and nothing can cost less. The optimum: nothing moves, nothing re-dated.
    companies = [co("a0"), co("a1"), co("a2"), co("b0", TOWN_B), co("b1", TOWN_B)]
    before = problem_of(rnd(), companies, VENUES)
    c01 = cohort("C01", "A", ["a0", "a1", "a2"], ["2027-01-12"], "2027-02-02")
    c02 = cohort("C02", "B", ["b0", "b1"], ["2027-01-13"], "2027-02-03")
    roster = published(before, [c01, c02])
    now = problem_of(rnd(), companies[1:], VENUES)
    result = replan(now, roster, AS_OF, time_limit=20)
    new = checked(now, result, AS_OF)
    assert _stage(result, "changes") == 0
    assert members(new) == {"C01": ["a1", "a2"], "C02": ["b0", "b1"]}
    assert dates(new) == {"C01": ["2027-01-12", "2027-02-02"], "C02": ["2027-01-13", "2027-02-03"]}
    # C01's invitation now says 2 companies: a1 and a2 are told (change "members").
    assert [(r.company_id, r.change.value) for r in result.rows] == [
        ("a1", "members"),
        ("a2", "members"),
        ("a0", "withdrawn"),
    ]
    assert result.summary == "1 company withdrew, nobody lost a place"


def test_a_withdrawal_that_needs_exactly_one_move():
    # C01 at A holds a0, a1; C02 at B holds c2 (who lives in town A), b3, b4. a0 withdraws:
    # C01 is left with 1 person (< 2). By hand:
    # - cancel C01 (80): a1 cannot join C02 (4 > 3 people) and must keep a place: ruled out;
    # - another venue or other dates do not change C01's size: no help;
    # - move one member of C02 to C01 (10): C02 keeps 2 people, C01 gets 2: the optimum,
    #   with exactly one move. Which one is travel's call: c2 lives in town A, so moving c2
    #   saves 14.455 km, moving b3 or b4 adds 2 x 14.455 km.
    companies = [co("a0"), co("a1"), co("c2"), co("b3", TOWN_B), co("b4", TOWN_B)]
    before = problem_of(rnd(), companies, VENUES)
    c01 = cohort("C01", "A", ["a0", "a1"], ["2027-01-12"], "2027-02-02")
    c02 = cohort("C02", "B", ["c2", "b3", "b4"], ["2027-01-13"], "2027-02-03")
    roster = published(before, [c01, c02])
    now = problem_of(rnd(), companies[1:], VENUES)
    result = replan(now, roster, AS_OF, time_limit=20)
    new = checked(now, result, AS_OF)
    assert _stage(result, "changes") == 10
    assert members(new) == {"C01": ["a1", "c2"], "C02": ["b3", "b4"]}
    moved = [
        (r.company_id, r.old_cohort_id, r.new_cohort_id)
        for r in result.rows
        if r.change.value == "moved"
    ]
    assert moved == [("c2", "C02", "C01")]
    assert _stage(result, "travel km") == 0
    assert result.summary == "1 company withdrew, 1 company moved, nobody lost a place"


def test_a_venue_lost_on_one_day():
    # C01 at A: Module 1 on Mon 11 Jan, lab on Mon 1 Feb (21 days later). Venue A is now
    # booked on 11 Jan. The facilitator is away on every working day of 4-18 Jan but 11 and
    # 13 Jan, so a module whose lab stays on 1 Feb (module 14-42 days before it, i.e. on or
    # before 18 Jan) can only move to 13 Jan. By hand:
    # - Module 1 to 13 Jan, lab kept, venue kept: 1 session re-dated = 20;
    # - venue B, dates kept: 30 (and 2 x 14.455 km more);
    # - module and lab both later: 40; cancelling C01: 80 and both lose their place.
    # The optimum: only the module session moves, to 13 Jan.
    away = [
        d(x)
        for x in (
            "2027-01-04",
            "2027-01-05",
            "2027-01-06",
            "2027-01-07",
            "2027-01-08",
            "2027-01-12",
            "2027-01-14",
            "2027-01-15",
            "2027-01-18",
        )
    ]
    round_config = rnd(facilitator_unavailable=frozenset(away))
    companies = [co("a0"), co("a1")]
    before = problem_of(round_config, companies, VENUES)
    roster = published(before, [cohort("C01", "A", ["a0", "a1"], ["2027-01-11"], "2027-02-01")])
    booked = Venue(**{**VENUES[0].model_dump(), "unavailable": frozenset({d("2027-01-11")})})
    now = problem_of(round_config, companies, [booked, VENUES[1]])
    result = replan(now, roster, AS_OF, time_limit=20)
    new = checked(now, result, AS_OF)
    assert _stage(result, "changes") == 20
    assert dates(new) == {"C01": ["2027-01-13", "2027-02-01"]}
    assert new["cohorts"][0]["venue_id"] == "A"
    assert {r.change.value for r in result.rows} == {"dates"}
    assert result.summary == "1 cohort re-dated, nobody lost a place"
