"""The replan's rules one by one: cohorts that have met, late sign-ups, new cohorts,
pins, lost places, cohort ids. Same tiny round as test_minimal_change."""

from __future__ import annotations

import json
from datetime import date

import pytest

from camp_planner.models import Company
from camp_planner.replan import ChangeCost, Pin, PinField, ReplanInfeasible, replan
from tests.helpers.sched_build import TOWN_A, TOWN_B, co, rnd, ve
from tests.replan.build import checked, cohort, d, dates, members, problem_of, published

AS_OF = date(2027, 1, 1)
VENUES = [ve("A", TOWN_A), ve("B", TOWN_B)]


def _two_cohorts() -> tuple[list[Company], list]:
    companies = [co("a0"), co("a1"), co("a2"), co("b0", TOWN_B), co("b1", TOWN_B)]
    return companies, [
        cohort("C01", "A", ["a0", "a1", "a2"], ["2027-01-12"], "2027-02-02"),
        cohort("C02", "B", ["b0", "b1"], ["2027-01-13"], "2027-02-03"),
    ]


def test_a_cohort_that_has_met_is_kept_and_flagged_under_the_minimum():
    # C01 met on 12 Jan; as of 20 Jan two of its three members have withdrawn. It keeps
    # running with one member (flagged); C02, which has not met, is unchanged.
    companies, cohorts = _two_cohorts()
    roster = published(problem_of(rnd(), companies, VENUES), cohorts)
    now = problem_of(rnd(), [c for c in companies if c.company_id not in ("a0", "a1")], VENUES)
    as_of = date(2027, 1, 20)
    result = replan(now, roster, as_of, time_limit=20)
    new = checked(now, result, as_of)
    assert members(new) == {"C01": ["a2"], "C02": ["b0", "b1"]}
    assert dates(new)["C01"] == ["2027-01-12", "2027-02-02"]
    assert result.flags and "C01 has met and now has 1 people" in result.flags[0]
    assert "C01 has met" in result.roster.solver.message


def test_late_sign_ups_take_a_free_place_and_then_a_new_cohort():
    # C02 at B has one free place. Three late sign-ups in town B: one takes the free place
    # (no change), the other two fill a new cohort (C03, the next free id).
    companies, cohorts = _two_cohorts()
    roster = published(problem_of(rnd(), companies, VENUES), cohorts)
    late = [co(f"n{i}", TOWN_B) for i in range(3)]
    now = problem_of(rnd(), companies + late, VENUES)
    result = replan(now, roster, AS_OF, time_limit=20)
    new = checked(now, result, AS_OF)
    assert sum(len(m) for m in members(new).values()) == 8
    assert set(members(new)) == {"C01", "C02", "C03"}
    assert members(new)["C01"] == ["a0", "a1", "a2"]
    # C02's b0 and b1 keep their place, but their invitation now counts 3: "members".
    assert {r.company_id: r.change.value for r in result.rows if r.change.value != "new"} == {
        "b0": "members",
        "b1": "members",
    }
    assert result.summary == "1 new cohort, 3 late sign-ups placed, nobody lost a place"


def test_retired_cohort_ids_are_never_reused():
    companies, cohorts = _two_cohorts()
    roster = published(problem_of(rnd(), companies, VENUES), cohorts)
    late = [co(f"n{i}", TOWN_B) for i in range(3)]
    now = problem_of(rnd(), companies + late, VENUES)
    result = replan(now, roster, AS_OF, retired={"C03", "C07"}, time_limit=20)
    assert set(members(checked(now, result, AS_OF))) == {"C01", "C02", "C08"}


def test_a_company_that_cannot_meet_any_more_loses_its_place_with_a_reason():
    # b1 is now unavailable on every day of the round: it has no place (unavailable). C02
    # is left with b0 alone (1 < 2 people). By hand: b0 cannot join C01 (4 > 3 people);
    # cancelling C02 (80) would leave b0 without a place; moving one of C01's three
    # members to C02 (10) leaves 2 + 2: the optimum, one move (a0, a1 and a2 are alike).
    companies, cohorts = _two_cohorts()
    roster = published(problem_of(rnd(), companies, VENUES), cohorts)
    first = d("2027-01-04").toordinal()
    everyday = frozenset(date.fromordinal(first + k) for k in range(82))
    gone = companies[4].model_copy(update={"unavailable": everyday})
    now = problem_of(rnd(), [*companies[:4], gone], VENUES)
    result = replan(now, roster, AS_OF, time_limit=20)
    new = checked(now, result, AS_OF)
    reason = {u["company_id"]: u for u in new["unplaced"]}
    assert reason["b1"]["code"] == "unavailable"
    rows = {r.company_id: (r.change.value, r.new_cohort_id) for r in result.rows}
    assert rows.pop("b1") == ("unplaced", "")
    # one of C01 moved to C02; the two left in C01 and b0 (C02) are told their cohort's
    # companies changed
    assert sorted(rows.values()) == [
        ("members", "C01"),
        ("members", "C01"),
        ("members", "C02"),
        ("moved", "C02"),
    ]
    assert len(members(new)["C02"]) == 2
    assert result.summary == "1 company moved, 1 company lost its place"


def test_lost_place_when_another_must_keep_it():
    # cohort_max drops from 3 to 2: one of C01's three members cannot keep its place (a
    # new cohort would need 2 people), and its reason says keeping it would cost another.
    companies = [co("a0"), co("a1"), co("a2")]
    roster = published(
        problem_of(rnd(), companies, VENUES),
        [cohort("C01", "A", ["a0", "a1", "a2"], ["2027-01-12"], "2027-02-02")],
    )
    smaller = rnd(cohort_max=2)
    now = problem_of(smaller, companies, VENUES)
    result = replan(now, roster, AS_OF, time_limit=20)
    new = checked(now, result, AS_OF)
    lost = [u for u in new["unplaced"] if u["company_id"].startswith("a")]
    assert len(lost) == 1 and lost[0]["code"] == "capacity"
    assert "keeping it would cost another company" in lost[0]["reason"]


@pytest.mark.parametrize("what", ["venue", "dates", "members"])
def test_pins_keep_one_field(what: str):
    # Venue A is booked on C01's module day. Unpinned, re-dating the module (20) beats
    # moving it to B (30). Pinning the dates forces the venue move; pinning the venue
    # keeps the re-dating; pinning the members keeps them (and the re-dating).
    companies = [co("a0"), co("a1"), co("a2")]
    roster = published(
        problem_of(rnd(), companies, VENUES),
        [cohort("C01", "A", ["a0", "a1", "a2"], ["2027-01-12"], "2027-02-02")],
    )
    booked = VENUES[0].model_copy(update={"unavailable": frozenset({d("2027-01-12")})})
    now = problem_of(rnd(), companies, [booked, VENUES[1]])
    pins = [Pin("C01", PinField(what))]
    result = replan(now, roster, AS_OF, pins=pins, time_limit=20)
    new = checked(now, result, AS_OF, pins=(("C01", what),))
    c01 = new["cohorts"][0]
    if what == "dates":
        assert c01["venue_id"] == "B" and dates(new)["C01"] == ["2027-01-12", "2027-02-02"]
    else:
        assert c01["venue_id"] == "A" and dates(new)["C01"][0] != "2027-01-12"
        assert dates(new)["C01"][1] == "2027-02-02"


def test_pins_that_cannot_all_hold_are_refused_in_a_sentence():
    companies = [co("a0"), co("a1")]
    roster = published(
        problem_of(rnd(), companies, VENUES),
        [cohort("C01", "A", ["a0", "a1"], ["2027-01-12"], "2027-02-02")],
    )
    booked = VENUES[0].model_copy(update={"unavailable": frozenset({d("2027-01-12")})})
    now = problem_of(rnd(), companies, [booked, VENUES[1]])
    pins = [Pin("C01", PinField.VENUE), Pin("C01", PinField.DATES)]
    with pytest.raises(ReplanInfeasible, match="cannot all be kept together"):
        replan(now, roster, AS_OF, pins=pins, time_limit=20)


def test_weights_change_the_choice():
    # The same booked venue: with venue moves cheaper than re-dating, the cohort moves.
    companies = [co("a0"), co("a1")]
    roster = published(
        problem_of(rnd(), companies, VENUES),
        [cohort("C01", "A", ["a0", "a1"], ["2027-01-12"], "2027-02-02")],
    )
    booked = VENUES[0].model_copy(update={"unavailable": frozenset({d("2027-01-12")})})
    now = problem_of(rnd(), companies, [booked, VENUES[1]])
    costs = ChangeCost(moved=10, venue=5, dates=20, cancelled=80)
    result = replan(now, roster, AS_OF, costs=costs, time_limit=20)
    new = checked(now, result, AS_OF)
    assert new["cohorts"][0]["venue_id"] == "B"
    assert result.summary == "1 cohort moved to another venue, nobody lost a place"


def test_a_facilitator_ill_for_a_week():
    # As of 13 Jan with notice_days = 0, C01 has met (module 12 Jan) and C02 meets today
    # (module 13 Jan): both are kept. The facilitator is ill 1-5 Feb, the week of both labs,
    # so both labs are re-dated (issue 23: a cohort that has met is re-dated, not "arranged
    # by hand"), each to the nearest free day 14-42 days after its module, after 13 Jan:
    # C01 (module 12 Jan, lab window 26 Jan-23 Feb): 29 Jan is 4 days from 2 Feb, 8 Feb is
    # 6: 29 Jan. C02 (13 Jan, window 27 Jan-24 Feb): 29 Jan is now taken (one facilitator);
    # 8 Feb is 5 days from 3 Feb, 28 Jan is 6: 8 Feb. The model has nothing left to change.
    companies, cohorts = _two_cohorts()
    roster = published(problem_of(rnd(), companies, VENUES), cohorts)
    ill = frozenset(d(f"2027-02-0{k}") for k in range(1, 6))
    now = problem_of(rnd(facilitator_unavailable=ill, notice_days=0), companies, VENUES)
    as_of = date(2027, 1, 13)
    result = replan(now, roster, as_of, time_limit=20)
    new = checked(now, result, as_of)
    assert next(s.value for s in result.stages if s.name == "changes") == 0
    assert dates(new) == {
        "C01": ["2027-01-12", "2027-01-29"],
        "C02": ["2027-01-13", "2027-02-08"],
    }
    assert (
        "C01 has met; the facilitator cannot be there on 2027-02-02, so its lab1 moves "
        "to 2027-01-29" in result.roster.solver.message
    )
    assert not result.flags  # nothing left to arrange by hand
    # Every member is told: changes.csv has a "dates" row for each (the checker compared
    # every row with the two rosters).
    assert {(r.company_id, r.change.value) for r in result.rows} == {
        (m, "dates") for m in ("a0", "a1", "a2", "b0", "b1")
    }


def test_the_same_input_gives_the_same_replan():
    # Three identical late sign-ups in town B and one free place: which of them takes it
    # is a tie in every stage; the deterministic search settles it the same way each time.
    companies, cohorts = _two_cohorts()
    roster = published(problem_of(rnd(), companies, VENUES), cohorts)
    now = problem_of(rnd(), companies + [co(f"n{i}", TOWN_B) for i in range(4)], VENUES)
    runs = [replan(now, roster, AS_OF, time_limit=20, workers=2) for _ in range(3)]
    assert len({json.dumps(r.roster.model_dump(mode="json")["cohorts"]) for r in runs}) == 1
