"""The independent checker on online and mixed cohorts: it accepts a valid roster, also from
the raw round.toml keys, and catches each way such a cohort can break the round's rules."""

from __future__ import annotations

import copy

import pytest

from tests.checker import check_roster
from tests.helpers.sched_build import TOWN_B, co, rnd, run, ve

ROUND = rnd(
    cohort_min=3,
    cohort_max=4,
    online_cohorts=True,
    online_cohort_min=2,
    mix_levels=("A+B",),
)
COMPANIES = [co(f"c{i}") for i in range(3)]  # C/established: an in-person cohort at v
COMPANIES += [co("a0", TOWN_B, level="A", young=True), co("b0", TOWN_B, level="B", young=True)]
COMPANIES += [co("ae", level="A"), co("be0", level="B"), co("be1", level="B")]
VENUES = [ve("v", unavailable=[]), ve("w", TOWN_B)]


@pytest.fixture(scope="module")
def valid():
    # c0..c2 in person at v; ae, be0, be1 (A/B established) a mixed cohort "A+B" at v;
    # a0, b0 (A/B young, 2 people) a mixed online cohort: 8 placed, 0 km.
    return run(ROUND, COMPANIES, VENUES)


def cohort(roster, predicate):
    return next(c for c in roster["cohorts"] if predicate(c))


def test_valid_roster_with_online_and_mixed_cohorts(valid):
    assert valid["summary"]["placed"] == 8
    online = cohort(valid, lambda c: c["online"])
    assert online["members"] == ["a0", "b0"] and online["level"] == "A+B"
    assert cohort(valid, lambda c: c["level"] == "A+B" and not c["online"])["members"] == [
        "ae",
        "be0",
        "be1",
    ]


def test_checker_reads_the_remedies_from_raw_round_toml_keys(valid):
    raw = {
        "name": "T",
        "start": "2027-01-04",
        "end": "2027-03-26",
        "cohort_min": 3,
        "cohort_max": 4,
        "online_cohorts": "true",
        "online_cohort_min": 2,
        "mix_levels": ["A+B"],
    }
    assert check_roster(raw, COMPANIES, VENUES, valid) == []
    assert check_roster({**raw, "online_cohorts": False}, COMPANIES, VENUES, valid)
    assert check_roster({**raw, "mix_levels": []}, COMPANIES, VENUES, valid)


def broken(valid, change):
    roster = copy.deepcopy(valid)
    change(roster)
    return check_roster(ROUND, COMPANIES, VENUES, roster)


def test_online_rules_are_checked(valid):
    def online(r):
        return cohort(r, lambda c: c["online"])

    def flag_off(r):
        online(r)["online"] = False

    assert any("online is False" in e for e in broken(valid, flag_off))

    def module2(r):
        c = online(r)
        c["module"] = "module2"

    assert any("only Module 1 may be online" in e for e in broken(valid, module2))

    def too_small(r):
        c = online(r)
        c["members"] = c["members"][:1]
        r["unplaced"].append({"company_id": "b0", "code": "capacity", "reason": "x"})
        r["summary"]["placed"] -= 1
        r["summary"]["unplaced"] += 1
        r["travel_km"].pop("b0", None)

    assert any("1 people, not in [2, 4]" in e for e in broken(valid, too_small))

    def in_venues_used(r):
        r["summary"]["venues_used"].append("online")

    assert any("venues_used" in e for e in broken(valid, in_venues_used))

    def travels(r):
        r["travel_km"]["a0"] = 14.46

    assert any("travel_km[a0]" in e for e in broken(valid, travels))

    without_online = ROUND.model_copy(update={"online_cohorts": False})
    errors = check_roster(without_online, COMPANIES, VENUES, valid)
    assert any("no online_cohorts" in e for e in errors)


def test_mixing_rules_are_checked(valid):
    def mixed(r):
        return cohort(r, lambda c: c["mixed"] and not c["online"])

    def wrong_label(r):
        mixed(r)["level"] = "A"

    assert any("members are level A+B, cohort is A" in e for e in broken(valid, wrong_label))

    def not_flagged(r):
        mixed(r)["mixed"] = False

    assert any("mixed is False" in e for e in broken(valid, not_flagged))

    def pure_flagged(r):
        cohort(r, lambda c: c["level"] == "C")["mixed"] = True

    assert any("mixed is True" in e for e in broken(valid, pure_flagged))

    no_mix = ROUND.model_copy(update={"mix_levels": ()})
    assert any(
        "mix_levels does not allow" in e for e in check_roster(no_mix, COMPANIES, VENUES, valid)
    )


def test_age_mixing_needs_mix_age_groups():
    # y (A/young) and e0, e1 (A/established) in one cohort, as a roster allowed to mix
    # ages at A would have it; checked against a round that allows it only at B.
    cs = [co("y", level="A", young=True), co("e0", level="A"), co("e1", level="A")]
    allowed = rnd(cohort_min=3, cohort_max=3, mix_age_groups=("A",))
    roster = run(allowed, cs, [ve("v")])
    assert roster["cohorts"][0]["age_group"] == "mixed"
    errors = check_roster(allowed.model_copy(update={"mix_age_groups": ()}), cs, [ve("v")], roster)
    assert any("young and established" in e for e in errors)
