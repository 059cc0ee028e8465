"""Unit tests of `best_members.best_members`: the best single cohort of a segment at a venue
(most companies, then highest total priority, then least travel), with cohort_min..cohort_max
people where a company counts its participants. Travel is compared in the model's units
(km x 100, rounded per company)."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from camp_planner.models import AgeGroup, Level, Segment, Step
from camp_planner.scheduler.best_members import best_members
from camp_planner.scheduler.prepare import TRAVEL_UNITS_PER_KM, Group
from tests.helpers.sched_build import co

SEGMENT = Segment(module=Step.MODULE1, level=Level.C, age_group=AgeGroup.ESTABLISHED)


def grp(gi: int, size: int, participants: int = 1, priority: int = 0, travel=None) -> Group:
    """A group of `size` interchangeable companies; travel: venue -> km (default 0 at 0)."""
    return Group(
        segment=SEGMENT,
        companies=[co(f"g{gi}c{k}") for k in range(size)],
        participants=participants,
        priority=priority,
        unavailable=frozenset(),
        travel=travel if travel is not None else {0: 0.0},
    )


def value(groups: dict[int, Group], venue: int, chosen: dict[int, int]) -> tuple[int, int, int]:
    """(companies, priority, -travel units) of a selection: larger is better."""
    return (
        sum(chosen.values()),
        sum(groups[gi].priority * n for gi, n in chosen.items()),
        -sum(round(groups[gi].travel[venue] * TRAVEL_UNITS_PER_KM) * n for gi, n in chosen.items()),
    )


def people(groups: dict[int, Group], chosen: dict[int, int]) -> int:
    return sum(groups[gi].participants * n for gi, n in chosen.items())


def brute_force(groups, venue, cmin, cmax):
    """Best value over every selection (0..size companies of each group), None if none fills."""
    keys = sorted(groups)
    best = None
    for counts in itertools.product(*(range(groups[gi].size + 1) for gi in keys)):
        chosen = {gi: n for gi, n in zip(keys, counts, strict=True) if n}
        if cmin <= people(groups, chosen) <= cmax:
            v = value(groups, venue, chosen)
            best = v if best is None or v > best else best
    return best


# -- hand-checked ------------------------------------------------------------------------------
def test_most_companies_first():
    # Cohort of 2-3 people. Three 1-person companies (two in g0, one in g1) beat the single
    # 3-person company of g2 even though g2 has priority 5 and travels 0 km.
    groups = {
        0: grp(0, 2, travel={0: 10.0}),
        1: grp(1, 1, priority=1, travel={0: 50.0}),
        2: grp(2, 1, participants=3, priority=5),
    }
    assert best_members(groups, 0, 2, 3) == {0: 2, 1: 1}


def test_priority_breaks_a_tie_in_companies():
    # At most 3 people: any 3 of the four 1-person companies. Taking g1's (priority 2, 100 km)
    # gives priority 2 > 0, so {g0: 2, g1: 1} despite its travel.
    groups = {0: grp(0, 3), 1: grp(1, 1, priority=2, travel={0: 100.0})}
    assert best_members(groups, 0, 2, 3) == {0: 2, 1: 1}


def test_travel_breaks_a_tie_in_companies_and_priority():
    # 2 places, four equal companies: g1 travels 10 km each, g0 30 km -> both from g1.
    groups = {0: grp(0, 2, travel={0: 30.0}), 1: grp(1, 2, travel={0: 10.0})}
    assert best_members(groups, 0, 2, 2) == {1: 2}


def test_travel_is_per_venue():
    # The same groups at venue 1, where g0 is the near one: {g0: 2}.
    groups = {
        0: grp(0, 2, travel={0: 30.0, 1: 5.0}),
        1: grp(1, 2, travel={0: 10.0, 1: 20.0}),
    }
    assert best_members(groups, 0, 2, 2) == {1: 2}
    assert best_members(groups, 1, 2, 2) == {0: 2}


def test_participants_are_weights():
    # Cohort of 3-4 people. g0: one 3-person company (priority 9); g1: three 1-person ones.
    # {g1: 3} is 3 companies (3 people); {g0, one of g1} only 2 -> {g1: 3}.
    groups = {0: grp(0, 1, participants=3, priority=9), 1: grp(1, 3)}
    assert best_members(groups, 0, 3, 4) == {1: 3}
    # With only two 1-person companies they hold 2 < 3 people; the 3-person company plus one
    # of them holds 4: {g0: 1, g1: 1} (2 companies).
    groups = {0: grp(0, 1, participants=3, priority=9), 1: grp(1, 2)}
    assert best_members(groups, 0, 3, 4) == {0: 1, 1: 1}


def test_more_people_is_no_merit():
    # Cohort of 3-4: two 2-person companies (4 people) or a 2-person and a 1-person one (3
    # people) are both 2 companies; more people count for nothing, the 1-person company's
    # priority 1 decides: {g0: 1, g1: 1}.
    groups = {0: grp(0, 2, participants=2), 1: grp(1, 1, priority=1)}
    assert best_members(groups, 0, 3, 4) == {0: 1, 1: 1}


def test_none_when_too_few_people():
    # One 1-person company cannot fill a cohort of 2.
    assert best_members({0: grp(0, 1)}, 0, 2, 3) is None


def test_none_when_only_oversized_companies():
    # A 3-person company does not fit a cohort of at most 2; nobody else -> None.
    assert best_members({0: grp(0, 2, participants=3)}, 0, 2, 2) is None


def test_none_for_no_groups():
    assert best_members({}, 0, 1, 3) is None


def test_exactly_cohort_min():
    # 2 companies, cohort of exactly 2 -> both.
    assert best_members({0: grp(0, 1), 1: grp(1, 1)}, 0, 2, 2) == {0: 1, 1: 1}


# -- against brute force -----------------------------------------------------------------------
@st.composite
def instances(draw):
    n_groups = draw(st.integers(1, 4))
    groups = {
        gi: grp(
            gi,
            draw(st.integers(1, 3)),
            participants=draw(st.integers(1, 3)),
            priority=draw(st.integers(0, 2)),
            travel={
                0: draw(st.sampled_from([0.0, 5.0, 12.345, 20.0, 33.3])),
                1: draw(st.sampled_from([0.0, 7.5, 14.45536])),
            },
        )
        for gi in range(n_groups)
    }
    cmin = draw(st.integers(1, 6))
    cmax = cmin + draw(st.integers(0, 3))
    venue = draw(st.integers(0, 1))
    return groups, venue, cmin, cmax


@settings(max_examples=50, deadline=None)
@given(instance=instances())
def test_matches_brute_force(instance):
    groups, venue, cmin, cmax = instance
    expected = brute_force(groups, venue, cmin, cmax)
    chosen = best_members(groups, venue, cmin, cmax)
    if expected is None:
        assert chosen is None
        return
    assert chosen is not None
    assert all(0 < n <= groups[gi].size for gi, n in chosen.items())
    assert cmin <= people(groups, chosen) <= cmax
    assert value(groups, venue, chosen) == expected
