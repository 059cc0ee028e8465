"""Cohort rules, each with an instance where it binds and one where it does not.

All instances use `sched_build`: town A = (56.0, 9.5), town B = (56.1, 9.5) on the same
meridian; one company's travel A<->B = 6371.0088 * radians(0.1) * 1.3 = 14.4554 km (LEG_KM);
a company at its venue's point travels 0 km. The default round is 2027-01-04 .. 2027-03-26
with one facilitator and cohorts of 2-3 people, so the calendar never binds here.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.helpers.sched_build import LEG_KM, TOWN_B, co, codes, placed_ids, rnd, run, ve

M1 = frozenset({"module1", "lab1"})
M2 = frozenset({"module1", "lab1", "module2", "lab2"})


def sizes(roster, companies):
    people = {c.company_id: c.participants for c in companies}
    return sorted(sum(people[m] for m in c["members"]) for c in roster["cohorts"])


def assert_optimal(roster, placed, km, venues):
    assert roster["solver"]["status"] == "OPTIMAL"
    assert roster["summary"]["placed"] == placed
    assert roster["summary"]["travel_km_total"] == pytest.approx(km, abs=0.01)
    assert set(roster["summary"]["venues_used"]) == set(venues)


# -- cohort size bounds ------------------------------------------------------------------
def test_cohort_max_binds_13_companies_in_cohorts_of_8_to_10():
    # 13 people of one segment: two cohorts need >= 16, so one cohort of at most 10.
    # The 10 at the venue travel 0; the 3 in town B (14.46 km each) are left out:
    # optimum 10 placed, 0 km, code capacity for the 3.
    r = rnd(cohort_min=8, cohort_max=10)
    cs = [co(f"a{i}") for i in range(10)] + [co(f"b{i}", TOWN_B) for i in range(3)]
    roster = run(r, cs, [ve("v")])
    assert_optimal(roster, 10, 0.0, ["v"])
    assert codes(roster) == {"b0": "capacity", "b1": "capacity", "b2": "capacity"}


def test_cohort_bounds_do_not_bind_16_companies_in_cohorts_of_8_to_10():
    # 16 = 8 + 8: two cohorts of exactly 8, everyone placed, 0 km.
    r = rnd(cohort_min=8, cohort_max=10)
    cs = [co(f"a{i:02d}") for i in range(16)]
    roster = run(r, cs, [ve("v")])
    assert_optimal(roster, 16, 0.0, ["v"])
    assert sizes(roster, cs) == [8, 8]


def test_cohort_max_binds_with_min_equal_max():
    # cohorts of exactly 3: 5 companies -> one cohort of 3 (two would need 6): 3 placed.
    r = rnd(cohort_min=3, cohort_max=3)
    cs = [co(f"a{i}") for i in range(5)]
    roster = run(r, cs, [ve("v")])
    assert_optimal(roster, 3, 0.0, ["v"])
    assert sorted(codes(roster).values()) == ["capacity", "capacity"]


# -- participants count people -----------------------------------------------------------
def test_participants_bind():
    # cohorts of exactly 3 people; a and b send 2 people each, c sends 1.
    # {a, b} = 4 people, {a, b, c} = 5: only {a, c} or {b, c} (3 people) -> 2 placed, 0 km.
    r = rnd(cohort_min=3, cohort_max=3)
    cs = [co("a", participants=2), co("b", participants=2), co("c")]
    roster = run(r, cs, [ve("v")])
    assert_optimal(roster, 2, 0.0, ["v"])
    assert "c" in placed_ids(roster)
    assert sizes(roster, cs) == [3]


def test_participants_do_not_bind_when_everyone_sends_one():
    # same companies sending 1 person each: one cohort of 3 -> 3 placed.
    r = rnd(cohort_min=3, cohort_max=3)
    cs = [co("a"), co("b"), co("c")]
    roster = run(r, cs, [ve("v")])
    assert_optimal(roster, 3, 0.0, ["v"])


# -- segment too small -------------------------------------------------------------------
def test_segment_too_small_binds():
    # one company of one person, cohorts need 2 people: unplaced, segment_too_small.
    roster = run(rnd(), [co("a")], [ve("v")])
    assert_optimal(roster, 0, 0.0, [])
    assert codes(roster) == {"a": "segment_too_small"}
    assert roster["cohorts"] == []


def test_segment_too_small_does_not_bind_with_two_participants():
    # the same company sending 2 people fills a cohort of 2 on its own: 1 placed.
    roster = run(rnd(), [co("a", participants=2)], [ve("v")])
    assert_optimal(roster, 1, 0.0, ["v"])


# -- same level ----------------------------------------------------------------------------
def test_same_level_binds():
    # 2 C and 1 B: without the rule one cohort of 3; with it the C pair trains together
    # and the lone B (1 person < 2) is segment_too_small -> 2 placed.
    cs = [co("c1"), co("c2"), co("b1", level="B")]
    roster = run(rnd(), cs, [ve("v")])
    assert_optimal(roster, 2, 0.0, ["v"])
    assert codes(roster) == {"b1": "segment_too_small"}
    assert [c["level"] for c in roster["cohorts"]] == ["C"]


def test_same_level_does_not_bind():
    # 2 C and 2 B: a C cohort and a B cohort -> 4 placed.
    cs = [co("c1"), co("c2"), co("b1", level="B"), co("b2", level="B")]
    roster = run(rnd(), cs, [ve("v")])
    assert_optimal(roster, 4, 0.0, ["v"])
    assert sorted(c["level"] for c in roster["cohorts"]) == ["B", "C"]


# -- same age group ------------------------------------------------------------------------
def test_same_age_group_binds():
    # 2 established and 1 young: the young one is alone -> segment_too_small, 2 placed.
    cs = [co("e1"), co("e2"), co("y1", young=True)]
    roster = run(rnd(), cs, [ve("v")])
    assert_optimal(roster, 2, 0.0, ["v"])
    assert codes(roster) == {"y1": "segment_too_small"}


def test_age_group_from_founded_date_at_the_three_year_boundary():
    # round starts 2027-01-04. a: founded 2024-01-04 = exactly 3 years before -> established;
    # c: founded 2024-01-05 -> under 3 years -> young. With b (young=False) and d (young=True)
    # the optimum is two cohorts {a, b} established and {c, d} young, 4 placed.
    cs = [
        co("a", young=None, founded=date(2024, 1, 4)),
        co("b", young=False),
        co("c", young=None, founded=date(2024, 1, 5)),
        co("d", young=True),
    ]
    roster = run(rnd(), cs, [ve("v")])
    assert_optimal(roster, 4, 0.0, ["v"])
    groups = {c["age_group"]: set(c["members"]) for c in roster["cohorts"]}
    assert groups == {"established": {"a", "b"}, "young": {"c", "d"}}


def test_same_age_group_does_not_bind():
    # 3 established: one cohort of 3.
    roster = run(rnd(), [co("e1"), co("e2"), co("e3")], [ve("v")])
    assert_optimal(roster, 3, 0.0, ["v"])


# -- one module per cohort -----------------------------------------------------------------
def test_module_separation_binds():
    # 2 B on Module 1 and 1 B whose next step is Module 2 (residential venue): the Module 2
    # one is alone -> segment_too_small, 2 placed.
    cs = [co("m1", level="B"), co("m2", level="B"), co("n1", level="B", completed=M1)]
    roster = run(rnd(), cs, [ve("v", residential=True)])
    assert_optimal(roster, 2, 0.0, ["v"])
    assert codes(roster) == {"n1": "segment_too_small"}


def test_module_separation_does_not_bind():
    # 2 + 2: a Module 1 cohort and a Module 2 cohort -> 4 placed.
    cs = [co("m1", level="B"), co("m2", level="B")]
    cs += [co("n1", level="B", completed=M1), co("n2", level="B", completed=M1)]
    roster = run(rnd(), cs, [ve("v", residential=True)])
    assert_optimal(roster, 4, 0.0, ["v"])
    assert sorted(c["module"] for c in roster["cohorts"]) == ["module1", "module2"]


# -- Module 2 eligibility ------------------------------------------------------------------
def test_module2_eligibility_binds():
    # C with Module 1 done -> not_eligible; B with Module 2 done -> track_complete; two A
    # with Module 1 done -> a Module 2 cohort (2 dates + lab2) -> 2 placed.
    cs = [co("c1", completed=M1), co("c2", completed=M1)]
    cs += [co("b1", level="B", completed=M2), co("b2", level="B", completed=M2)]
    cs += [co("a1", level="A", completed=M1), co("a2", level="A", completed=M1)]
    roster = run(rnd(), cs, [ve("v", residential=True)])
    assert_optimal(roster, 2, 0.0, ["v"])
    assert codes(roster) == {
        "c1": "not_eligible",
        "c2": "not_eligible",
        "b1": "track_complete",
        "b2": "track_complete",
    }
    (cohort,) = roster["cohorts"]
    assert (cohort["module"], cohort["level"]) == ("module2", "A")
    assert [(s["step"], len(s["dates"])) for s in cohort["sessions"]] == [
        ("module2", 2),
        ("lab2", 1),
    ]


def test_module2_eligibility_does_not_bind():
    # two B with Module 1 done: Module 2 cohort, 2 placed.
    cs = [co("b1", level="B", completed=M1), co("b2", level="B", completed=M1)]
    roster = run(rnd(), cs, [ve("v", residential=True)])
    assert_optimal(roster, 2, 0.0, ["v"])


@pytest.mark.parametrize(
    ("policy", "placed", "levels", "unplaced"),
    [
        # default: an unapproved A stays A -> A cohort {a1, a2}; b1 alone.
        ("A", 2, ["A"], {"b1": "segment_too_small"}),
        # unapproved A trains as B -> one B cohort of 3.
        ("B", 3, ["B"], {}),
        # unapproved A trains as C -> a C cohort {a1, a2}; b1 alone.
        ("C", 2, ["C"], {"b1": "segment_too_small"}),
    ],
)
def test_unapproved_a_follows_the_round_policy(policy, placed, levels, unplaced):
    cs = [co("a1", level="A", panel_approved=False), co("a2", level="A", panel_approved=False)]
    cs.append(co("b1", level="B"))
    roster = run(rnd(unapproved_a_level=policy), cs, [ve("v")])
    assert_optimal(roster, placed, 0.0, ["v"])
    assert [c["level"] for c in roster["cohorts"]] == levels
    assert codes(roster) == unplaced


def test_unapproved_a_treated_as_c_is_not_eligible_for_module2():
    # policy C: an unapproved A with Module 1 done has no next step -> not_eligible.
    cs = [co(f"a{i}", level="A", panel_approved=False, completed=M1) for i in range(2)]
    roster = run(rnd(unapproved_a_level="C"), cs, [ve("v", residential=True)])
    assert_optimal(roster, 0, 0.0, [])
    assert codes(roster) == {"a0": "not_eligible", "a1": "not_eligible"}


# -- priority ------------------------------------------------------------------------------
def test_priority_binds():
    # venue v (town A) hosts at most one cohort (2-3 people); p (priority 1) is in town B,
    # a, b, c (priority 0) at v. Count first: 3 placed either way; then priority: p must be
    # in -> p + two of a, b, c, travel = LEG_KM = 14.46 km; the one left out gets `priority`.
    cs = [co("p", TOWN_B, priority=1), co("a"), co("b"), co("c")]
    roster = run(rnd(), cs, [ve("v", max_cohorts=1)])
    assert_optimal(roster, 3, LEG_KM, ["v"])
    assert "p" in placed_ids(roster)
    assert list(codes(roster).values()) == ["priority"]


def test_priority_does_not_bind():
    # all priority 0: the least travel leaves p (14.46 km) out -> a, b, c placed, 0 km.
    cs = [co("p", TOWN_B), co("a"), co("b"), co("c")]
    roster = run(rnd(), cs, [ve("v", max_cohorts=1)])
    assert_optimal(roster, 3, 0.0, ["v"])
    assert codes(roster) == {"p": "capacity"}


def test_priority_comes_after_the_number_placed():
    # one cohort of 2-3 people; p (priority 5) sends 2 people. {a, b, c} places 3
    # companies, {p, x} only 2: the count wins -> a, b, c placed, p out.
    cs = [co("p", priority=5, participants=2), co("a"), co("b"), co("c")]
    roster = run(rnd(), cs, [ve("v", max_cohorts=1)])
    assert_optimal(roster, 3, 0.0, ["v"])
    assert placed_ids(roster) == {"a", "b", "c"}
