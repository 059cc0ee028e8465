"""Calendar rules, each with an instance where it binds and one where it does not.

Most instances use TWO_WEEKS: Mon 2027-02-01 .. Fri 2027-02-12 (10 working days, no
holidays) with lab_gap_days = [7, 7], cohorts of exactly 2 people, one facilitator. A
Module 1 cohort then needs its module on a day X of week 1 and its lab on the same weekday
of week 2 (a week-2 module's lab would fall in week 3, outside the round). Every cohort
occupies the facilitator on two days, so at most 5 cohorts fit (one per weekday), each with
its own module day in week 1. Companies and venues are at town A (0 km) unless said.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.helpers.sched_build import LEG_KM, TOWN_B, all_dates, co, codes, placed_ids, rnd, run, ve

M1 = frozenset({"module1", "lab1"})
TWO_WEEKS = {
    "start": date(2027, 2, 1),
    "end": date(2027, 2, 12),
    "lab_gap_days": (7, 7),
    "cohort_min": 2,
    "cohort_max": 2,
}
WEEK1 = [date(2027, 2, 1) + timedelta(days=i) for i in range(5)]
WEEK2 = [d + timedelta(days=7) for d in WEEK1]


def assert_optimal(roster, placed, km=0.0, venues=("v",)):
    assert roster["solver"]["status"] == "OPTIMAL"
    assert roster["summary"]["placed"] == placed
    assert roster["summary"]["travel_km_total"] == pytest.approx(km, abs=0.01)
    assert set(roster["summary"]["venues_used"]) == set(venues)


def module_dates(roster):
    """Sorted first module dates of the cohorts (ISO)."""
    return sorted(c["sessions"][0]["dates"][0] for c in roster["cohorts"])


def iso(days):
    return [d.isoformat() for d in days]


# -- at most `facilitators` sessions a day ---------------------------------------------------
def test_one_facilitator_binds():
    # 12 companies = 6 cohorts of 2, but TWO_WEEKS holds at most 5 (see module doc):
    # 10 placed, one module on each weekday of week 1.
    cs = [co(f"a{i:02d}") for i in range(12)]
    roster = run(rnd(**TWO_WEEKS), cs, [ve("v")])
    assert_optimal(roster, 10)
    assert module_dates(roster) == iso(WEEK1)
    assert sorted(codes(roster).values()) == ["capacity", "capacity"]


def test_two_facilitators_do_not_bind():
    # two sessions a day: up to 10 cohorts -> all 6 cohorts, 12 placed.
    cs = [co(f"a{i:02d}") for i in range(12)]
    roster = run(rnd(facilitators=2, **TWO_WEEKS), cs, [ve("v")])
    assert_optimal(roster, 12)


THREE_WEEKS_5_10 = {
    "start": date(2027, 2, 1),
    "end": date(2027, 2, 19),
    "lab_gap_days": (5, 10),
    "cohort_min": 2,
    "cohort_max": 2,
}


def test_one_facilitator_binds_three_weeks_lab_gap_5_to_10():
    # Round Mon 1 .. Fri 19 Feb 2027 (15 working days), labs 5-10 days after the module.
    # No lab in week 1 (the earliest is Mon 8 Feb); no module in week 3 (Mon 15 Feb -> lab
    # >= 20 Feb, outside). A week-2 module's lab is >= 5 days later: in week 3. A week-1
    # module's lab is in week 2, except Friday 5 Feb's, which may be Mon 15 Feb.
    # With m1, m2 modules in weeks 1, 2: week 2 holds m2 modules and >= m1 - 1 labs, so
    # m2 + m1 - 1 <= 5 and cohorts = m1 + m2 <= 6. Six fit (e.g. modules 1, 3, 4, 5, 8,
    # 12 Feb with labs 10, 9, 11, 15, 18, 17 Feb). 14 companies = 7 cohorts -> 12 placed.
    cs = [co(f"a{i:02d}") for i in range(14)]
    roster = run(rnd(**THREE_WEEKS_5_10), cs, [ve("v")])
    assert_optimal(roster, 12)
    assert len(roster["cohorts"]) == 6


def test_two_facilitators_do_not_bind_three_weeks_lab_gap_5_to_10():
    # two sessions a day: the six date pairs above twice -> room for 12 cohorts; 7 needed.
    cs = [co(f"a{i:02d}") for i in range(14)]
    roster = run(rnd(facilitators=2, **THREE_WEEKS_5_10), cs, [ve("v")])
    assert_optimal(roster, 14)


def test_module2_occupies_both_days():
    # Module 2 on two consecutive working days, lab 7 days after the second, so both days
    # lie in week 1 (Fri + Mon would end in week 2, lab in week 3). Five days hold at most
    # two disjoint pairs -> 2 cohorts; 6 Module 2 companies -> 4 placed.
    cs = [co(f"b{i}", level="B", completed=M1) for i in range(6)]
    roster = run(rnd(**TWO_WEEKS), cs, [ve("v", residential=True)])
    assert_optimal(roster, 4)
    for cohort in roster["cohorts"]:
        first, second = cohort["sessions"][0]["dates"]
        assert date.fromisoformat(second) - date.fromisoformat(first) == timedelta(days=1)


def test_module2_with_two_facilitators_does_not_bind():
    # two sessions a day: e.g. two cohorts on Mon-Tue (labs Tue) and one on Wed-Thu
    # (lab Thu) -> all 3 cohorts, 6 placed.
    cs = [co(f"b{i}", level="B", completed=M1) for i in range(6)]
    roster = run(rnd(facilitators=2, **TWO_WEEKS), cs, [ve("v", residential=True)])
    assert_optimal(roster, 6)


# -- facilitator_unavailable -------------------------------------------------------------
def test_facilitator_unavailable_binds():
    # 10 companies = 5 cohorts, one per weekday; the facilitator is away Wed 3 Feb, so the
    # Wednesday cohort is impossible (its lab could only be Wed 10 Feb): 4 cohorts, 8 placed.
    cs = [co(f"a{i}") for i in range(10)]
    r = rnd(facilitator_unavailable=[date(2027, 2, 3)], **TWO_WEEKS)
    roster = run(r, cs, [ve("v")])
    assert_optimal(roster, 8)
    assert "2027-02-03" not in all_dates(roster)
    assert module_dates(roster) == iso(WEEK1[:2] + WEEK1[3:])


def test_facilitator_unavailable_does_not_bind():
    # away on Saturday 6 Feb, no session day anyway: 5 cohorts, 10 placed.
    cs = [co(f"a{i}") for i in range(10)]
    roster = run(rnd(facilitator_unavailable=[date(2027, 2, 6)], **TWO_WEEKS), cs, [ve("v")])
    assert_optimal(roster, 10)


# -- venue unavailable -------------------------------------------------------------------
@pytest.mark.parametrize("blocked", [date(2027, 2, 1), date(2027, 2, 8)])
def test_venue_unavailable_binds(blocked):
    # 10 companies in town A = 5 cohorts, one per weekday. Venue a cannot host on Monday
    # (the module day 1 Feb or the lab day 8 Feb): the Monday cohort goes to b in town B,
    # 2 x 14.46 = 28.91 km; 10 placed (count first).
    cs = [co(f"a{i}") for i in range(10)]
    roster = run(rnd(**TWO_WEEKS), cs, [ve("a", unavailable=[blocked]), ve("b", TOWN_B)])
    assert_optimal(roster, 10, 2 * LEG_KM, ["a", "b"])
    (monday,) = [c for c in roster["cohorts"] if c["venue_id"] == "b"]
    assert monday["sessions"][0]["dates"] == ["2027-02-01"]


@pytest.mark.parametrize("blocked", range(6))
def test_venue_unavailable_moves_one_cohort_per_blocked_day(blocked):
    # venue a cannot host on the first `blocked` weekdays of week 1: each of those cohorts
    # (one per weekday, see the module doc) goes to b -> 10 placed, 2 x blocked x 14.46 km.
    cs = [co(f"a{i}") for i in range(10)]
    vs = [ve("a", unavailable=WEEK1[:blocked]), ve("b", TOWN_B)]
    roster = run(rnd(**TWO_WEEKS), cs, vs)
    venues = ["a"] * (blocked < 5) + ["b"] * (blocked > 0)
    assert_optimal(roster, 10, 2 * blocked * LEG_KM, venues)


def test_venue_unavailable_does_not_bind():
    # a unavailable on Saturday 6 Feb: all five cohorts at a, 0 km.
    cs = [co(f"a{i}") for i in range(10)]
    roster = run(rnd(**TWO_WEEKS), cs, [ve("a", unavailable=[date(2027, 2, 6)]), ve("b", TOWN_B)])
    assert_optimal(roster, 10, 0.0, ["a"])


# -- member unavailable ------------------------------------------------------------------
def test_member_unavailable_forces_the_date():
    # a is away Mon-Thu of week 1: the pair's module must be Fri 5 Feb, lab Fri 12 Feb.
    cs = [co("a", unavailable=WEEK1[:4]), co("b")]
    roster = run(rnd(**TWO_WEEKS), cs, [ve("v")])
    assert_optimal(roster, 2)
    assert [s["dates"] for s in roster["cohorts"][0]["sessions"]] == [
        ["2027-02-05"],
        ["2027-02-12"],
    ]


def test_member_unavailable_on_lab_days_forces_the_date():
    # a is away Mon-Thu of week 2: the lab must be Fri 12 Feb, so the module Fri 5 Feb.
    cs = [co("a", unavailable=WEEK2[:4]), co("b")]
    roster = run(rnd(**TWO_WEEKS), cs, [ve("v")])
    assert_optimal(roster, 2)
    assert [s["dates"] for s in roster["cohorts"][0]["sessions"]] == [
        ["2027-02-05"],
        ["2027-02-12"],
    ]


def test_member_unavailable_leaves_the_company_unplaced():
    # a is away all of week 1: no module day -> a unplaced (unavailable); b alone, unplaced.
    cs = [co("a", unavailable=WEEK1), co("b")]
    roster = run(rnd(**TWO_WEEKS), cs, [ve("v")])
    assert_optimal(roster, 0, 0.0, [])
    assert codes(roster)["a"] == "unavailable"


def test_member_unavailable_does_not_bind():
    # a is away on week-1 Monday only: the pair meets on another day.
    cs = [co("a", unavailable=WEEK1[:1]), co("b")]
    roster = run(rnd(**TWO_WEEKS), cs, [ve("v")])
    assert_optimal(roster, 2)
    assert "2027-02-01" not in all_dates(roster)


def test_members_who_cannot_meet_are_split():
    # c1 can only come on Mon 1 Feb, c2 only on Tue 2 Feb, c3 only on Wed 3 Feb (away the
    # other week-1 days); c4, c5 any day; cohorts of 2-3 people. Five people make at most
    # two cohorts and no two of c1, c2, c3 can share one, so one of them is out: optimum 4
    # placed, e.g. {c1, c4} and {c2, c5}.
    cs = [co(f"c{i + 1}", unavailable=[d for d in WEEK1 if d != WEEK1[i]]) for i in range(3)]
    cs += [co("c4"), co("c5")]
    roster = run(rnd(**{**TWO_WEEKS, "cohort_max": 3}), cs, [ve("v0")])
    assert_optimal(roster, 4, 0.0, ["v0"])
    for cohort in roster["cohorts"]:
        assert len({"c1", "c2", "c3"} & set(cohort["members"])) == 1


def test_members_who_cannot_meet_are_split_with_three_venues():
    # the same five companies with three venues at the same point: the optimum is still
    # 4 placed, 0 km. A counting model may propose 5 placed (2 + 3 people, ~45 ways over
    # three venues), none datable; an earlier scheduler cut them off one at a time, gave
    # up after 20 and returned an empty roster with status TIME_LIMIT.
    cs = [co(f"c{i + 1}", unavailable=[d for d in WEEK1 if d != WEEK1[i]]) for i in range(3)]
    cs += [co("c4"), co("c5")]
    roster = run(rnd(**{**TWO_WEEKS, "cohort_max": 3}), cs, [ve("v0"), ve("v1"), ve("v2")])
    assert roster["solver"]["status"] == "OPTIMAL"
    assert roster["summary"]["placed"] == 4


def test_companies_larger_than_a_cohort_do_not_block_the_others():
    # cohorts of exactly 2 people; a, b, c send 3 people each (never fit), d, e one each.
    # Optimum: {d, e} -> 2 placed, 0 km, OPTIMAL. The counting model sees 3+3+3+1+1 = 11
    # people, e.g. a + b + 2 singles = 8 = 4 cohorts of 2; an earlier scheduler proposed
    # such unpackable splits until it gave up: TIME_LIMIT, placed 0.
    r = rnd(cohort_min=2, cohort_max=2)
    cs = [co(x, participants=3) for x in "abc"] + [co("d"), co("e")]
    roster = run(r, cs, [ve("v0"), ve("v1"), ve("v2")], time_limit=5)
    assert roster["solver"]["status"] == "OPTIMAL"
    assert placed_ids(roster) == {"d", "e"}


# -- lab gap -----------------------------------------------------------------------------
THREE_WEEKS = {
    "start": date(2027, 2, 1),
    "end": date(2027, 2, 19),
    "cohort_min": 2,
    "cohort_max": 2,
}


def test_lab_gap_binds():
    # labs exactly 14 days after the module in Mon 1 .. Fri 19 Feb: modules in week 1 only
    # (a week-2 module's lab is in week 4), labs in week 3 -> at most 5 cohorts.
    # 12 companies = 6 cohorts -> 10 placed.
    cs = [co(f"a{i:02d}") for i in range(12)]
    roster = run(rnd(lab_gap_days=(14, 14), **THREE_WEEKS), cs, [ve("v")])
    assert_optimal(roster, 10)
    for cohort in roster["cohorts"]:
        (module,), (lab,) = (s["dates"] for s in cohort["sessions"])
        assert (date.fromisoformat(lab) - date.fromisoformat(module)).days == 14


def test_lab_gap_7_to_14_binds_at_seven_cohorts():
    # labs 7-14 days after the module in the same three weeks: 15 working days, 2 per
    # cohort -> at most 7; seven fit: modules Mon-Fri of week 1 and Mon, Tue of week 2,
    # labs Wed 10, Thu 11, Fri 12 (for Mon-Wed of week 1, 9 days), Wed 17, Thu 18 (Thu,
    # Fri of week 1, 13 days), Mon 15, Tue 16 (week-2 modules, 7 days). 16 companies -> 14.
    cs = [co(f"a{i:02d}") for i in range(16)]
    roster = run(rnd(lab_gap_days=(7, 14), **THREE_WEEKS), cs, [ve("v")])
    assert_optimal(roster, 14)


def test_lab_gap_does_not_bind():
    # a fourth week (to Fri 26 Feb): week-2 modules get week-4 labs -> 10 cohorts fit;
    # 6 needed, all 12 placed.
    cs = [co(f"a{i:02d}") for i in range(12)]
    r = rnd(lab_gap_days=(14, 14), **{**THREE_WEEKS, "end": date(2027, 2, 26)})
    roster = run(r, cs, [ve("v")])
    assert_optimal(roster, 12)


# -- Danish public holidays --------------------------------------------------------------
EASTER = {"start": date(2027, 3, 22), "end": date(2027, 4, 16), "cohort_min": 2, "cohort_max": 2}


def test_danish_holidays_bind():
    # Easter 2027: Maundy Thursday 25 Mar, Good Friday 26 Mar, Easter Monday 29 Mar.
    # Labs exactly 21 days after the module, round Mon 22 Mar .. Fri 16 Apr: modules on
    # or before 26 Mar; 25 and 26 Mar are holidays -> modules 22, 23, 24 Mar only:
    # 3 cohorts. 10 companies -> 6 placed, no session on a holiday.
    cs = [co(f"a{i}") for i in range(10)]
    roster = run(rnd(lab_gap_days=(21, 21), **EASTER), cs, [ve("v")])
    assert_optimal(roster, 6)
    assert module_dates(roster) == ["2027-03-22", "2027-03-23", "2027-03-24"]
    assert not all_dates(roster) & {"2027-03-25", "2027-03-26", "2027-03-29"}


def test_danish_holidays_do_not_bind():
    # the same round four weeks earlier (22 Feb .. 19 Mar, no holiday): modules 22-26 Feb,
    # 5 cohorts, 10 placed.
    cs = [co(f"a{i}") for i in range(10)]
    r = rnd(lab_gap_days=(21, 21), start=date(2027, 2, 22), end=date(2027, 3, 19))
    roster = run(r, cs, [ve("v")])
    assert_optimal(roster, 10)


def test_module2_consecutive_working_days_span_easter():
    # Round Wed 24 Mar .. Fri 9 Apr 2027, labs 1-10 days after, facilitator away 31 Mar -
    # 8 Apr. Free working days: 24 Mar, 30 Mar, 9 Apr (25, 26, 29 Mar are holidays). The
    # next working day after Wed 24 Mar is Tue 30 Mar, so Module 2 = [24 Mar, 30 Mar] and
    # the lab Fri 9 Apr (10 days later).
    away = [date(2027, 3, 31), date(2027, 4, 1), date(2027, 4, 2)]
    away += [date(2027, 4, 5) + timedelta(days=i) for i in range(4)]
    r = rnd(
        start=date(2027, 3, 24),
        end=date(2027, 4, 9),
        lab_gap_days=(1, 10),
        cohort_max=2,
        facilitator_unavailable=away,
    )
    cs = [co(f"b{i}", level="B", completed=M1) for i in range(2)]
    roster = run(r, cs, [ve("v", residential=True)])
    assert_optimal(roster, 2)
    assert [s["dates"] for s in roster["cohorts"][0]["sessions"]] == [
        ["2027-03-24", "2027-03-30"],
        ["2027-04-09"],
    ]


# -- a round too short for any cohort ------------------------------------------------------
def test_round_too_short_for_any_cohort_is_explained():
    # Mon 1 .. Fri 12 Feb 2027 with labs 14-42 days after the module: no lab date fits, so
    # no cohort can be held. Expected: nobody placed, a solver message saying so, and no
    # reason blaming the companies' own (empty) unavailable days.
    r = rnd(start=date(2027, 2, 1), end=date(2027, 2, 12))
    roster = run(r, [co("a"), co("b")], [ve("v")])
    assert roster["summary"]["placed"] == 0
    assert roster["solver"]["message"]
    assert not any(u["reason"].startswith("is unavailable") for u in roster["unplaced"])
