"""Remedies for groups too small for a cohort (docs/remedies.md), each with an instance
where it binds (it places more companies) and one where it does not (then the roster is
the one of the domain's rules: the remedy is never used to shorten travel).

All instances use `sched_build`: town A = (56.0, 9.5), town B = (56.1, 9.5); one company's
travel A<->B is LEG_KM = 14.4554 km, a company at its venue's point travels 0 km; the round
is 2027-01-04 .. 2027-03-26 with one facilitator, so the calendar never binds here. Every
roster goes through the independent checker (`sched_build.run`).
"""

from __future__ import annotations

from datetime import date

import pytest

from camp_planner.models import Level, PlanningProblem, Roster
from camp_planner.scheduler.preflight import preflight
from tests.helpers.sched_build import LEG_KM, TOWN_B, co, codes, placed_ids, rnd, run, ve

M1 = frozenset({"module1", "lab1"})


def assert_optimal(roster, placed, km):
    assert roster["solver"]["status"] == "OPTIMAL"
    assert roster["summary"]["placed"] == placed
    assert roster["summary"]["travel_km_total"] == pytest.approx(km, abs=0.01)


def online_places(roster) -> int:
    return sum(len(c["members"]) for c in roster["cohorts"] if c["online"])


def mixed_places(roster) -> int:
    return sum(len(c["members"]) for c in roster["cohorts"] if c["mixed"])


def reason(roster, company_id: str) -> str:
    return next(u["reason"] for u in roster["unplaced"] if u["company_id"] == company_id)


# -- online cohorts ----------------------------------------------------------------------
SMALL = [co(f"c{i}") for i in range(3)] + [co(f"a{i}", level="A", young=True) for i in range(2)]


def test_online_binds_two_a_young_companies_fill_an_online_cohort():
    # Cohorts of 3-4 in person, 2-4 online. c0..c2 (C/established, at the venue) fill an
    # in-person cohort at v (0 km). a0, a1 (A/young) are 2 people: too few in person, enough
    # online. Without online: 3 placed, a0/a1 segment_too_small, and the reason names the
    # remedy. With online: 5 placed, a0/a1 in an online cohort (venue_id "online", 0 km),
    # the C cohort stays in person (an online place is a departure the model minimises).
    without = run(rnd(cohort_min=3, cohort_max=4, online_cohort_min=2), SMALL, [ve("v")])
    assert_optimal(without, 3, 0.0)
    assert codes(without) == {"a0": "segment_too_small", "a1": "segment_too_small"}
    assert reason(without, "a0") == (
        "A/young Module 1 has 2 eligible companies (2 people); a cohort needs 3; an online "
        "cohort of 2 would place them: `online_cohorts = true`"
    )
    r = rnd(cohort_min=3, cohort_max=4, online_cohorts=True, online_cohort_min=2)
    roster = run(r, SMALL, [ve("v")])
    assert_optimal(roster, 5, 0.0)
    online = [c for c in roster["cohorts"] if c["online"]]
    assert [(c["venue_id"], c["members"], c["level"], c["age_group"]) for c in online] == [
        ("online", ["a0", "a1"], "A", "young")
    ]
    assert online_places(roster) == 2
    assert roster["summary"]["venues_used"] == ["v"]  # online is not a venue
    assert roster["travel_km"]["a0"] == 0.0


def test_online_does_not_bind_and_is_not_used_to_save_travel():
    # c0, c1 (C/established) live in town B, the only venue is in town A; cohorts of 2-3.
    # In person they travel 2 x LEG = 28.91 km; online they would travel 0. Both place 2,
    # so the online cohort places no one more and is not used: 2 placed, 28.91 km.
    cs = [co("c0", TOWN_B), co("c1", TOWN_B)]
    roster = run(rnd(online_cohorts=True, online_cohort_min=2), cs, [ve("v")])
    assert_optimal(roster, 2, 2 * LEG_KM)
    assert online_places(roster) == 0


def test_online_cohorts_need_no_venue_slot_no_max_venues_and_no_venue_days():
    # One venue v (town A) that may host one cohort and is closed from 25 January on (a
    # module in the first weeks and its lab 14 days later still fit); c0, c1 (C) at A,
    # b0, b1 (B) in town B; cohorts of exactly 2; max_venues 1. In person only one cohort
    # fits: 2 placed (the C pair, 0 km, beats the B pair's 28.91 km). Online: the B pair
    # meets online (no venue, so neither max_venues, max_cohorts nor the venue's closed
    # days apply): 4 placed, 0 km, one online cohort.
    closed = frozenset(date.fromordinal(date(2027, 1, 25).toordinal() + i) for i in range(70))
    venue = ve("v", max_cohorts=1, unavailable=closed)
    cs = [co("c0"), co("c1"), co("b0", TOWN_B, level="B"), co("b1", TOWN_B, level="B")]
    base = dict(cohort_min=2, cohort_max=2, max_venues=1, online_cohort_min=2)
    without = run(rnd(**base), cs, [venue])
    assert_optimal(without, 2, 0.0)
    assert placed_ids(without) == {"c0", "c1"}
    roster = run(rnd(**base, online_cohorts=True), cs, [venue])
    assert_optimal(roster, 4, 0.0)
    assert [c["members"] for c in roster["cohorts"] if c["online"]] == [["b0", "b1"]]


def test_online_places_companies_farther_than_max_travel_km():
    # max_travel_km 10: c0, c1 in town B (14.46 km away) may not train at v: too_far.
    # Online they need no travel: 2 placed online, 0 km; the unplaced code no longer
    # applies.
    cs = [co("c0", TOWN_B), co("c1", TOWN_B)]
    without = run(rnd(max_travel_km=10), cs, [ve("v")])
    assert codes(without) == {"c0": "too_far", "c1": "too_far"}
    roster = run(rnd(max_travel_km=10, online_cohorts=True, online_cohort_min=2), cs, [ve("v")])
    assert_optimal(roster, 2, 0.0)
    assert online_places(roster) == 2


def test_module2_is_never_online():
    # Two B companies with Module 1 done need a residential venue for Module 2; the only
    # venue is not residential. Online cohorts do not help: both stay too_far.
    cs = [co("b0", level="B", completed=M1), co("b1", level="B", completed=M1)]
    roster = run(rnd(online_cohorts=True, online_cohort_min=2), cs, [ve("v")], expect_ok=True)
    assert roster["cohorts"] == []
    assert codes(roster) == {"b0": "too_far", "b1": "too_far"}


def test_online_cohort_still_too_small_says_both_minimums():
    # One A/young company: too few in person (2) and online (2).
    cs = [co("a0", level="A", young=True), co("c0"), co("c1")]
    roster = run(rnd(online_cohorts=True, online_cohort_min=2), cs, [ve("v")])
    assert reason(roster, "a0") == (
        "A/young Module 1 has 1 eligible companies (1 people); a cohort needs 2, an online one 2"
    )
    assert codes(roster) == {"a0": "segment_too_small"}


# -- mixing levels -----------------------------------------------------------------------
def test_level_mix_binds_one_a_and_two_b_share_a_module1_cohort():
    # Cohorts of 3-4: a0 (A) and b0, b1 (B), all established at the venue. Unmixed neither
    # group fills a cohort: 0 placed, and the reason names mix_levels. With A+B allowed:
    # one cohort of 3, level "A+B", mixed: 3 placed, 0 km.
    cs = [co("a0", level="A"), co("b0", level="B"), co("b1", level="B")]
    without = run(rnd(cohort_min=3, cohort_max=4), cs, [ve("v")])
    assert without["cohorts"] == []
    assert '`mix_levels = ["A+B"]`' in reason(without, "a0")
    roster = run(rnd(cohort_min=3, cohort_max=4, mix_levels=("A+B",)), cs, [ve("v")])
    assert_optimal(roster, 3, 0.0)
    [cohort] = roster["cohorts"]
    assert (cohort["level"], cohort["age_group"], cohort["mixed"]) == ("A+B", "established", True)


def test_level_mix_does_not_bind_and_is_not_used_to_save_travel():
    # Cohorts of exactly 2. a1, b1 at town A, a2, b2 at town B; a venue in each town.
    # Unmixed: {a1, a2} at one venue (one of them travels LEG) and {b1, b2} likewise:
    # 4 placed, 2 x LEG = 28.91 km. Mixed, {a1, b1} at A and {a2, b2} at B would travel 0,
    # but place nobody more: the roster stays unmixed, 4 placed, 28.91 km.
    cs = [co("a1", level="A"), co("b1", level="B")]
    cs += [co("a2", TOWN_B, level="A"), co("b2", TOWN_B, level="B")]
    venues = [ve("va"), ve("vb", TOWN_B)]
    roster = run(rnd(cohort_min=2, cohort_max=2, mix_levels=("A+B",)), cs, venues)
    assert_optimal(roster, 4, 2 * LEG_KM)
    assert mixed_places(roster) == 0
    assert sorted(c["level"] for c in roster["cohorts"]) == ["A", "B"]


def test_level_mix_never_in_module2():
    # a0 (A) and b0, b1 (B) with Module 1 done, a residential venue, cohorts of 3: Module 2
    # cohorts never mix levels, so nobody is placed even with A+B allowed.
    cs = [
        co("a0", level="A", completed=M1),
        co("b0", level="B", completed=M1),
        co("b1", level="B", completed=M1),
    ]
    r = rnd(cohort_min=3, cohort_max=3, mix_levels=("A+B",))
    roster = run(r, cs, [ve("v", residential=True)])
    assert roster["cohorts"] == []
    assert set(codes(roster).values()) == {"segment_too_small"}


# -- mixing age groups -------------------------------------------------------------------
def test_age_mix_binds_young_and_established_a_share_a_cohort():
    # Cohorts of exactly 3: y0 (A/young) and e0, e1 (A/established). Unmixed: 0 placed.
    # With mix_age_groups = ["A"]: one cohort, level A, age group "mixed": 3 placed.
    # mix_age_groups = ["B"] allows nothing here: 0 placed.
    cs = [co("y0", level="A", young=True), co("e0", level="A"), co("e1", level="A")]
    assert (
        run(rnd(cohort_min=3, cohort_max=3, mix_age_groups=("B",)), cs, [ve("v")])["cohorts"] == []
    )
    roster = run(rnd(cohort_min=3, cohort_max=3, mix_age_groups=("A",)), cs, [ve("v")])
    assert_optimal(roster, 3, 0.0)
    [cohort] = roster["cohorts"]
    assert (cohort["level"], cohort["age_group"], cohort["mixed"]) == ("A", "mixed", True)


def test_age_mix_does_not_bind_and_is_not_used_to_save_travel():
    # As the level test: y1, e1 at town A, y2, e2 at town B (A companies, young / not),
    # cohorts of exactly 2: unmixed 4 placed, 28.91 km; mixing would save the km only.
    cs = [co("y1", level="A", young=True), co("e1", level="A")]
    cs += [co("y2", TOWN_B, level="A", young=True), co("e2", TOWN_B, level="A")]
    roster = run(
        rnd(cohort_min=2, cohort_max=2, mix_age_groups=("A",)), cs, [ve("va"), ve("vb", TOWN_B)]
    )
    assert_optimal(roster, 4, 2 * LEG_KM)
    assert mixed_places(roster) == 0


def test_age_mix_in_module2():
    # Module 2 may mix age groups (only levels are Module 1 only): y0, e0, e1 at level B
    # with Module 1 done, a residential venue, cohorts of 3 -> one mixed Module 2 cohort.
    cs = [
        co("y0", level="B", young=True, completed=M1),
        co("e0", level="B", completed=M1),
        co("e1", level="B", completed=M1),
    ]
    r = rnd(cohort_min=3, cohort_max=3, mix_age_groups=("B",))
    roster = run(r, cs, [ve("v", residential=True)])
    assert_optimal(roster, 3, 0.0)
    assert roster["cohorts"][0]["module"] == "module2"
    assert roster["cohorts"][0]["age_group"] == "mixed"


def test_mixing_uses_the_fewest_mixed_places():
    # Cohorts of 2-3; y0 (A/young) and e0..e4 (A/established), all at the venue. Unmixed:
    # the five established fill 2 + 3, y0 waits: 5 placed. Mixed: 6 placed; the fewest
    # mixed places is one mixed cohort of 2 (y0 + one established) beside two pure
    # cohorts of 2: 2 mixed places (a mixed cohort of 3 would be 3).
    cs = [co("y0", level="A", young=True)] + [co(f"e{i}", level="A") for i in range(5)]
    roster = run(rnd(mix_age_groups=("A",)), cs, [ve("v")])
    assert_optimal(roster, 6, 0.0)
    assert mixed_places(roster) == 2
    assert sorted(len(c["members"]) for c in roster["cohorts"]) == [2, 2, 2]


def test_level_and_age_mix_together_need_every_level_allowed_to_mix_ages():
    # Cohorts of exactly 3: A/young, A/established, B/established. A+B may mix and A may
    # mix ages; a cohort of all three mixes ages with a B member, which needs B in
    # mix_age_groups too: 0 placed. With ["A", "B"]: one cohort "A+B"/"mixed".
    cs = [co("ay", level="A", young=True), co("ae", level="A"), co("be", level="B")]
    r = dict(cohort_min=3, cohort_max=3, mix_levels=("A+B",))
    assert run(rnd(**r, mix_age_groups=("A",)), cs, [ve("v")])["cohorts"] == []
    roster = run(rnd(**r, mix_age_groups=("A", "B")), cs, [ve("v")])
    assert_optimal(roster, 3, 0.0)
    assert (roster["cohorts"][0]["level"], roster["cohorts"][0]["age_group"]) == ("A+B", "mixed")


def test_online_and_mixing_together():
    # Cohorts of 3-4 in person, 2-4 online; a0 (A/young) and b0 (B/young) at town B, the
    # venue in town A. Neither alone fills an online cohort (1 person); together, with
    # A+B allowed, they fill an in-person cohort? No: 2 < 3. Online and mixed: one online
    # cohort "A+B" of 2: 2 placed, 0 km, 2 online places and 2 mixed places.
    cs = [co("a0", TOWN_B, level="A", young=True), co("b0", TOWN_B, level="B", young=True)]
    r = rnd(cohort_min=3, cohort_max=4, online_cohorts=True, online_cohort_min=2)
    assert run(r, cs, [ve("v")])["cohorts"] == []
    roster = run(r.model_copy(update={"mix_levels": ("A+B",)}), cs, [ve("v")])
    assert_optimal(roster, 2, 0.0)
    [cohort] = roster["cohorts"]
    assert (cohort["venue_id"], cohort["online"], cohort["level"], cohort["mixed"]) == (
        "online",
        True,
        "A+B",
        True,
    )


# -- contract and pre-solve checks -------------------------------------------------------
def test_a_round_without_remedies_writes_pure_cohorts():
    roster = run(rnd(), [co("c0"), co("c1")], [ve("v")])
    [cohort] = roster["cohorts"]
    assert (cohort["online"], cohort["mixed"], cohort["level"]) == (False, False, "C")


def test_old_roster_json_without_the_new_keys_still_reads():
    text = (
        '{"round": "T", "solver": {"status": "OPTIMAL", "wall_time_s": 1.0}, "cohorts": '
        '[{"cohort_id": "C01", "venue_id": "v", "module": "module1", "level": "B", '
        '"age_group": "young", "members": ["a"], "sessions": [{"step": "module1", "dates": '
        '["2027-01-04"]}, {"step": "lab1", "dates": ["2027-01-18"]}]}], "unplaced": [], '
        '"summary": {"placed": 1, "unplaced": 0, "travel_km_total": 0.0, "venues_used": ["v"]}}'
    )
    cohort = Roster.from_json(text).cohorts[0]
    assert (cohort.online, cohort.mixed, cohort.level, cohort.age_group) == (
        False,
        False,
        "B",
        "young",
    )
    assert cohort.level.value == "B" and not cohort.level.mixed


def test_preflight_reserves_the_venue_id_online_and_needs_no_venue_for_online():
    cs = (co("c0", TOWN_B), co("c1", TOWN_B))
    taken = PlanningProblem(
        round=rnd(online_cohorts=True), companies=cs, venues=(ve("online"), ve("v"))
    )
    assert "id 'online'" in preflight(taken)[0]
    # every venue closed: refused without online cohorts, fine with them (Module 1)
    closed = (ve("v", status="closed"),)
    assert preflight(PlanningProblem(round=rnd(), companies=cs, venues=closed))
    online = PlanningProblem(round=rnd(online_cohorts=True), companies=cs, venues=closed)
    assert preflight(online) == []


def test_capacity_reason_names_the_remedy_that_would_hold_everyone():
    # 13 people of one group, cohorts of 8-10: one cohort holds 10, the other 3 wait
    # (capacity). Online cohorts of 5-10 could hold all 13 (8 + 5): the reason says so.
    cs = [co(f"a{i:02d}") for i in range(13)]
    roster = run(rnd(cohort_min=8, cohort_max=10), cs, [ve("v")])
    assert set(codes(roster).values()) == {"capacity"}
    assert reason(roster, next(iter(codes(roster)))).endswith(
        "; online cohorts would place them: `online_cohorts = true`"
    )


def test_part_of_an_allowed_mix_may_mix_ages() -> None:
    # Found by the brute-force property: mix_levels ["A+B+C"], mix_age_groups ["A", "B"].
    # An A+B+C cohort may not mix ages (C is not listed), but an A+B cohort may: the A
    # established company and the B young one fill one cohort of 2 at 0 km. Optimum: 2
    # placed in one A+B/mixed cohort (before the fix: nobody placed).
    r = rnd(cohort_min=2, cohort_max=2, mix_levels=("A+B+C",), mix_age_groups=(Level.A, Level.B))
    roster = run(r, [co("a", level="A"), co("b", level="B", young=True)], [ve("v")])
    assert [(c["level"], c["age_group"], c["members"]) for c in roster["cohorts"]] == [
        ("A+B", "mixed", ["a", "b"])
    ]
