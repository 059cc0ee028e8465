"""Unit tests of `dates`: split_evenly, first_fit, plan_undatable and date_cohorts.

Calendar: TWO_WEEKS, Mon 2027-02-01 .. Fri 2027-02-12 (indices 0-4 = Mon-Fri of week 1,
5-9 = week 2), lab_gap = (7, 7). A Module 1 cohort starting on a = 0..4 has its lab on
a + 5; a Module 2 cohort starting on a = 0..3 takes a, a + 1 and its lab on a + 6 (see
test_unit_calendar_frontier). With one facilitator week 1 holds at most 5 Module 1
cohorts. Every returned dating is checked by `assert_valid_dating`, from the dates.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from camp_planner.models import SESSION_DAYS, AgeGroup, Level, Segment, Step, working_days
from camp_planner.scheduler.dates import (
    CohortPlan,
    DatedCohort,
    DateHint,
    DatingProblem,
    PlanGroup,
    date_cohorts,
    first_fit,
    plan_undatable,
    split_evenly,
)
from camp_planner.scheduler.days import DayIndex

DAYS = DayIndex(
    dates=tuple(working_days(date(2027, 2, 1), date(2027, 2, 12))),
    blocked=frozenset(),
    lab_gap=(7, 7),
)
assert DAYS.count == 10
M1 = Segment(module=Step.MODULE1, level=Level.C, age_group=AgeGroup.ESTABLISHED)
M2 = Segment(module=Step.MODULE2, level=Level.B, age_group=AgeGroup.ESTABLISHED)
NONE: frozenset[int] = frozenset()
WEEK1 = frozenset(range(5))


def group(participants: int = 1, available: int = 2, blackout=NONE) -> PlanGroup:
    return PlanGroup(participants=participants, blackout=frozenset(blackout), available=available)


def plan(segment=M1, count=1, forbidden=NONE, groups=None) -> CohortPlan:
    return CohortPlan(
        segment=segment,
        venue=0,
        count=count,
        forbidden=frozenset(forbidden),
        groups=groups if groups is not None else {0: group(available=2 * count)},
    )


def dating(plans, hints=(), *, cmin=2, cmax=2, facilitators=1, days=DAYS) -> DatingProblem:
    return DatingProblem(days, list(plans), list(hints), cmin, cmax, facilitators, 0)


def people(split: dict[int, int], p: CohortPlan) -> int:
    return sum(p.groups[gi].participants * n for gi, n in split.items())


def assert_valid_dating(problem: DatingProblem, dated: list[DatedCohort]) -> None:
    """Every plan has its count of cohorts holding all its members, sizes in range, dates
    on the round's working days with the lab lab_gap calendar days after the module, no
    session on a venue-forbidden, facilitator-blocked or member blackout day, and at most
    `facilitators` sessions a day."""
    days = problem.days
    load: Counter[int] = Counter()
    for pi, p in enumerate(problem.plans):
        mine = [c for c in dated if c.plan_index == pi]
        assert len(mine) == p.count
        for gi, g in p.groups.items():
            assert sum(c.members.get(gi, 0) for c in mine) == g.available
        for c in mine:
            assert problem.cohort_min <= people(c.members, p) <= problem.cohort_max
            used = list(range(c.start, c.start + SESSION_DAYS[p.module]))
            assert c.start >= 0 and used[-1] < days.count and 0 <= c.lab < days.count
            gap = (days.dates[c.lab] - days.dates[used[-1]]).days
            assert days.lab_gap[0] <= gap <= days.lab_gap[1]
            bad = p.forbidden | days.blocked
            for gi in c.members:
                bad = bad | p.groups[gi].blackout
            for d in (*used, c.lab):
                assert d not in bad, (c, d)
                load[d] += 1
    assert len(dated) == sum(p.count for p in problem.plans)
    assert all(n <= problem.facilitators for n in load.values()), load


# -- split_evenly ------------------------------------------------------------------------------
def test_split_evenly_balances_single_people():
    # 5 one-person companies in 2 cohorts of 2-3: each goes to the emptier cohort (ties to the
    # first): 3 + 2.
    p = plan(count=2, groups={0: group(available=5)})
    assert split_evenly(p, 2, 3) == [{0: 3}, {0: 2}]


def test_split_evenly_seven_into_three():
    # 7 people in 3 cohorts: 3 + 2 + 2.
    p = plan(count=3, groups={0: group(available=7)})
    split = split_evenly(p, 2, 3)
    assert split is not None
    assert [people(s, p) for s in split] == [3, 2, 2]


def test_split_evenly_largest_companies_first():
    # One 3-person company and three 1-person ones, 2 cohorts of exactly 3: the 3-person
    # company goes first to cohort 0 (3 people), then each 1-person company to the emptier
    # cohort, which is cohort 1 every time (0, 1, 2 < 3): [{big}, {three small}].
    p = plan(count=2, groups={0: group(participants=1, available=3), 1: group(3, 1)})
    assert split_evenly(p, 3, 3) == [{1: 1}, {0: 3}]


def test_split_evenly_mixed_participants():
    # 2-person x 2 and 1-person x 2 into 2 cohorts of 3: 2 | 2, then 1 | 1 -> 3 + 3.
    p = plan(count=2, groups={0: group(1, 2), 1: group(2, 2)})
    split = split_evenly(p, 3, 3)
    assert split == [{1: 1, 0: 1}, {1: 1, 0: 1}]


def test_split_evenly_none_below_min():
    # 5 people in 2 cohorts of 3-3 can only split 3 + 2: the second is below cohort_min.
    p = plan(count=2, groups={0: group(available=5)})
    assert split_evenly(p, 3, 3) is None


def test_split_evenly_none_above_max():
    # 7 people in 2 cohorts of at most 3: 4 + 3 -> None.
    p = plan(count=2, groups={0: group(available=7)})
    assert split_evenly(p, 2, 3) is None


def test_split_evenly_greedy_misses_a_split_that_exists():
    # Companies of 3, 3, 2, 2, 2 people into 2 cohorts of exactly 6: {3, 3} + {2, 2, 2}
    # works, but largest-first to the emptier cohort gives 3 | 3, 5 | 3, 5 | 5, 7 | 5 ->
    # None. (A heuristic by design; date_cohorts then lets CP-SAT split, see below.)
    p = plan(count=2, groups={0: group(3, 2), 1: group(2, 3)})
    assert split_evenly(p, 6, 6) is None


# -- first_fit ---------------------------------------------------------------------------------
def test_first_fit_earliest_dates():
    # One Module 1 cohort, no hint: Monday of week 1 with its lab on Monday of week 2.
    problem = dating([plan()])
    dated = first_fit(problem)
    assert dated == [DatedCohort(plan_index=0, start=0, lab=5, members={0: 2})]
    assert_valid_dating(problem, dated)


def test_first_fit_module2_earliest():
    # Module 2: Mon-Tue of week 1 (0, 1), lab on Tuesday of week 2 (6).
    problem = dating([plan(segment=M2)])
    dated = first_fit(problem)
    assert [(c.start, c.lab) for c in dated] == [(0, 6)]
    assert_valid_dating(problem, dated)


def test_first_fit_uses_a_free_hint():
    problem = dating([plan()], hints=[DateHint(0, 3, 8)])
    assert [(c.start, c.lab) for c in first_fit(problem)] == [(3, 8)]


def test_first_fit_ignores_a_hint_on_a_forbidden_day():
    # The venue cannot host on Thursday of week 1 (3): the hint (3, 8) is not an option, so
    # the earliest free dates (0, 5) are used.
    problem = dating([plan(forbidden={3})], hints=[DateHint(0, 3, 8)])
    assert [(c.start, c.lab) for c in first_fit(problem)] == [(0, 5)]


def test_first_fit_taken_hint_falls_back_to_earliest_free():
    # Both plans are hinted (2, 7); the first takes it, the second finds Wednesday taken and
    # takes the earliest free dates, (0, 5).
    problem = dating([plan(), plan()], hints=[DateHint(0, 2, 7), DateHint(1, 2, 7)])
    dated = first_fit(problem)
    assert {c.plan_index: (c.start, c.lab) for c in dated} == {0: (2, 7), 1: (0, 5)}
    assert_valid_dating(problem, dated)


def test_first_fit_hints_pair_with_cohorts_in_order():
    # A plan of 2 cohorts with hints (4, 9) and (1, 6): hints are queued in date order, so
    # cohort 0 gets (1, 6) and cohort 1 gets (4, 9).
    problem = dating([plan(count=2)], hints=[DateHint(0, 4, 9), DateHint(0, 1, 6)])
    dated = first_fit(problem)
    assert sorted((c.start, c.lab) for c in dated) == [(1, 6), (4, 9)]
    assert_valid_dating(problem, dated)


def test_first_fit_one_facilitator_fills_week1():
    # 5 Module 1 cohorts, one facilitator: one per weekday of week 1, labs in week 2.
    problem = dating([plan(count=5)])
    dated = first_fit(problem)
    assert sorted((c.start, c.lab) for c in dated) == [(a, a + 5) for a in range(5)]
    assert_valid_dating(problem, dated)


def test_first_fit_none_when_a_cohort_cannot_be_dated():
    # 6 Module 1 cohorts need 6 week-1 days, the round has 5 -> None.
    assert first_fit(dating([plan(count=6)])) is None


def test_first_fit_two_facilitators_two_a_day():
    # 6 cohorts with 2 facilitators: two on Monday, two on Tuesday, two on Wednesday.
    problem = dating([plan(count=6)], facilitators=2)
    dated = first_fit(problem)
    assert sorted(c.start for c in dated) == [0, 0, 1, 1, 2, 2]
    assert_valid_dating(problem, dated)


def test_first_fit_mixed_modules_share_the_facilitator():
    # Module 2 on (0, 1) with lab 6, then Module 1 on the first free day, Wednesday (2), whose
    # lab 7 is free too. Two plans, one cohort each.
    problem = dating([plan(segment=M2), plan()])
    dated = first_fit(problem)
    assert {c.plan_index: (c.start, c.lab) for c in dated} == {0: (0, 6), 1: (2, 7)}
    assert_valid_dating(problem, dated)


def test_first_fit_venue_forbidden_days():
    # The venue cannot host on Mon, Tue of week 1: the cohort starts Wednesday (2, 7).
    problem = dating([plan(forbidden={0, 1})])
    assert [(c.start, c.lab) for c in first_fit(problem)] == [(2, 7)]


def test_first_fit_venue_forbidden_lab_day():
    # The venue cannot host on Monday of week 2 (5), the lab day of a Monday start: (1, 6).
    problem = dating([plan(forbidden={5})])
    assert [(c.start, c.lab) for c in first_fit(problem)] == [(1, 6)]


def test_first_fit_facilitator_blocked_days():
    days = DayIndex(dates=DAYS.dates, blocked=frozenset({0}), lab_gap=(7, 7))
    problem = dating([plan()], days=days)
    assert [(c.start, c.lab) for c in first_fit(problem)] == [(1, 6)]


def test_first_fit_member_blackout_only_for_its_cohort():
    # Group 0 (one 2-person company, blackout Monday of week 1) and group 1 (two 1-person
    # companies), 2 cohorts of exactly 2: split_evenly gives [{0: 1}, {1: 2}]. The cohort
    # with the blackout is dated first (most forbidden days) and takes Tuesday (1, 6); the
    # other may and does use Monday (0, 5).
    p = plan(count=2, groups={0: group(2, 1, blackout={0}), 1: group(1, 2)})
    problem = dating([p])
    dated = first_fit(problem)
    assert {tuple(c.members): (c.start, c.lab) for c in dated} == {(0,): (1, 6), (1,): (0, 5)}
    assert_valid_dating(problem, dated)


def test_first_fit_member_blackout_on_lab_day():
    # Blackout on Monday of week 2 (the lab of a Monday start) -> Tuesday (1, 6).
    p = plan(groups={0: group(1, 2, blackout={5})})
    assert [(c.start, c.lab) for c in first_fit(dating([p]))] == [(1, 6)]


def test_first_fit_none_when_members_blackout_covers_every_option():
    # Blacked out all of week 1: no Module 1 date is left for the cohort -> None.
    p = plan(groups={0: group(1, 2, blackout=WEEK1)})
    assert first_fit(dating([p])) is None


def test_first_fit_none_when_the_split_fails():
    # 5 people cannot make 2 cohorts of 3 (split_evenly gives None) -> None.
    assert (
        first_fit(dating([plan(count=2, groups={0: group(available=5)})], cmin=3, cmax=3)) is None
    )


# -- first fit fails, a dating exists: date_cohorts falls back to CP-SAT ---------------------------
# Plan A: one Module 1 cohort at a venue closed on Monday of week 1 (0). Plan B: two Module 2
# cohorts. One facilitator. Week 1 has 5 days; two Module 2 cohorts take two disjoint pairs
# (a, a+1), a <= 3, and Module 1 the remaining day. Datings exist: A on Wednesday (2) with B on
# (0, 1) + (3, 4), or A on Friday (4) with B on (0, 1) + (2, 3).
# First fit dates A first (it has 1 forbidden day, B's cohorts 0) on its earliest option,
# Tuesday (1); B's first cohort then finds (0, 1) taken and takes (2, 3); its second needs a
# pair in {0, 4}: none -> first fit fails.
GREEDY_TRAP = [
    plan(forbidden={0}, groups={0: group(1, 2)}),
    plan(segment=M2, count=2, groups={1: group(1, 4)}),
]


def test_first_fit_greedy_order_fails():
    assert first_fit(dating(GREEDY_TRAP)) is None


def test_date_cohorts_finds_what_first_fit_misses():
    problem = dating(GREEDY_TRAP)
    dated = date_cohorts(problem, seconds=10)
    assert dated is not None
    assert_valid_dating(problem, dated)
    a_start = next(c.start for c in dated if c.plan_index == 0)
    assert a_start in (2, 4)  # the only week-1 days left beside two disjoint Module 2 pairs


def test_first_fit_with_the_packing_as_hints_succeeds():
    # The same plans with a packing's dates as hints (as solve passes them): A (2, 7), B
    # (0, 6) and (3, 9). Each hint is free when its turn comes, so first fit succeeds.
    hints = [DateHint(0, 2, 7), DateHint(1, 0, 6), DateHint(1, 3, 9)]
    problem = dating(GREEDY_TRAP, hints=hints)
    dated = first_fit(problem)
    assert dated is not None
    assert sorted((c.plan_index, c.start, c.lab) for c in dated) == [
        (0, 2, 7),
        (1, 0, 6),
        (1, 3, 9),
    ]
    assert_valid_dating(problem, dated)


def test_date_cohorts_splits_when_split_evenly_cannot():
    # Companies of 3, 3, 2, 2, 2 people into 2 cohorts of 6: split_evenly fails (above), so
    # first fit and the presplit dating fail; CP-SAT's own split finds {3, 3} + {2, 2, 2}.
    p = plan(count=2, groups={0: group(3, 2), 1: group(2, 3)})
    problem = dating([p], cmin=6, cmax=6)
    assert first_fit(problem) is None
    dated = date_cohorts(problem, seconds=10)
    assert dated is not None
    assert_valid_dating(problem, dated)
    assert sorted(sorted(c.members.items()) for c in dated) == [[(0, 2)], [(1, 3)]]


def test_date_cohorts_cp_sat_split_respects_blackouts():
    # Group 0: two 1-person companies blacked out all of week 1 but Monday; group 1: two
    # 1-person companies blacked out on Monday of week 1. With 2 cohorts of 2, split_evenly
    # pairs one of each (0 | 0, then 1 | 1): both cohorts then need a week-1 day that is
    # neither Monday nor Tue-Fri -> first fit fails. Keeping the groups apart works: group 0
    # on Monday (0, 5), group 1 on another weekday.
    p = plan(count=2, groups={0: group(1, 2, blackout={1, 2, 3, 4}), 1: group(1, 2, blackout={0})})
    problem = dating([p])
    assert split_evenly(p, 2, 2) == [{0: 1, 1: 1}, {0: 1, 1: 1}]
    assert first_fit(problem) is None
    dated = date_cohorts(problem, seconds=10)
    assert dated is not None
    assert_valid_dating(problem, dated)
    with_group0 = [c for c in dated if 0 in c.members]
    assert [(c.members, c.start, c.lab) for c in with_group0] == [({0: 2}, 0, 5)]


def test_date_cohorts_none_when_nothing_fits():
    # 6 Module 1 cohorts, 5 week-1 days, one facilitator: no dating exists -> None.
    assert date_cohorts(dating([plan(count=6)]), seconds=10) is None


def test_date_cohorts_repair_keeps_most_members():
    # With repair, cohorts may be left out: 5 of the 6 cohorts fit -> 10 of 12 members.
    problem = dating([plan(count=6)])
    dated = date_cohorts(problem, repair=True, seconds=10)
    assert dated is not None
    assert len(dated) == 5
    assert sum(n for c in dated for n in c.members.values()) == 10
    assert sorted(c.start for c in dated) == [0, 1, 2, 3, 4]


# -- plan_undatable ----------------------------------------------------------------------------
def test_plan_undatable_false_for_a_plan_that_fits_alone():
    # 6 cohorts do not fit one facilitator (above) but alone the plan gets 6 facilitators.
    assert not plan_undatable(DAYS, plan(count=6), 2, 2, seconds=5)


def test_plan_undatable_venue_closed_all_week1():
    # Every Module 1 start must be in week 1 (a week-2 start's lab is outside the round).
    assert plan_undatable(DAYS, plan(forbidden=WEEK1), 2, 2, seconds=5)


def test_plan_undatable_member_blacked_out_everywhere():
    # Every company must be placed; one company cannot attend any week-1 day -> undatable.
    p = plan(groups={0: group(1, 1, blackout=WEEK1), 1: group(1, 1)})
    assert plan_undatable(DAYS, p, 2, 2, seconds=5)


def test_plan_undatable_when_no_split_fits_sizes():
    # 3 people cannot fill 2 cohorts of at least 2.
    assert plan_undatable(DAYS, plan(count=2, groups={0: group(available=3)}), 2, 2, seconds=5)


def test_plan_undatable_module2_pairs():
    # Module 2 at a venue closed on Tuesday and Thursday of week 1: no two consecutive free
    # working days with a lab in the round ((0, 1), (1, 2), (2, 3), (3, 4) each hit 1 or 3).
    assert plan_undatable(DAYS, plan(segment=M2, forbidden={1, 3}), 2, 2, seconds=5)
    assert not plan_undatable(DAYS, plan(segment=M2, forbidden={1}), 2, 2, seconds=5)


@pytest.mark.parametrize("facilitators", [1, 2])
def test_first_fit_never_exceeds_facilitators(facilitators):
    # Mixed plans filling the calendar: at most `facilitators` sessions any day.
    plans = [plan(segment=M2, count=facilitators), plan(count=3 * facilitators)]
    problem = dating(plans, facilitators=facilitators)
    dated = first_fit(problem)
    assert dated is not None
    assert_valid_dating(problem, dated)


# -- random small datings: whatever is returned is a valid dating ------------------------------
@st.composite
def dating_problems(draw):
    n_days = draw(st.integers(5, 10))
    days = DayIndex(
        dates=DAYS.dates[:n_days],
        blocked=frozenset(draw(st.sets(st.integers(0, n_days - 1), max_size=2))),
        lab_gap=(draw(st.integers(1, 3)), draw(st.integers(3, 7))),
    )
    cmin = draw(st.integers(1, 3))
    cmax = cmin + draw(st.integers(0, 2))
    plans = []
    for _ in range(draw(st.integers(1, 3))):
        groups = {
            gi: group(
                draw(st.integers(1, 2)),
                draw(st.integers(1, 3)),
                blackout=draw(st.sets(st.integers(0, n_days - 1), max_size=2)),
            )
            for gi in range(draw(st.integers(1, 3)))
        }
        count = draw(st.integers(1, 2))
        # as the assignment asks: count cohorts hold the plan's people in whole
        people = sum(g.participants * g.available for g in groups.values())
        assume(count * cmin <= people <= count * cmax)
        plans.append(
            plan(
                segment=draw(st.sampled_from([M1, M2])),
                count=count,
                forbidden=draw(st.sets(st.integers(0, n_days - 1), max_size=2)),
                groups=groups,
            )
        )
    facilitators = draw(st.integers(1, 2))
    return dating(plans, cmin=cmin, cmax=cmax, facilitators=facilitators, days=days)


@settings(
    max_examples=50,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)
@given(problem=dating_problems())
def test_random_datings_are_valid(problem):
    dated = first_fit(problem)
    if dated is not None:
        assert_valid_dating(problem, dated)
    full = date_cohorts(problem, seconds=5)
    if dated is not None:
        assert full is not None  # first fit's dating is returned as it is
    if full is not None:
        assert_valid_dating(problem, full)


@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)
@given(problem=dating_problems())
def test_random_plan_undatable_agrees_with_a_dating_alone(problem):
    # A plan that first fit can date on its own, with as many facilitators as cohorts, is
    # not undatable; one that is undatable has no dating even then.
    for p in problem.plans:
        cmin, cmax = problem.cohort_min, problem.cohort_max
        alone = DatingProblem(problem.days, [p], [], cmin, cmax, p.count, 0)
        undatable = plan_undatable(problem.days, p, cmin, cmax, 5)
        if first_fit(alone) is not None:
            assert not undatable
        if undatable:
            assert date_cohorts(alone, seconds=5) is None
