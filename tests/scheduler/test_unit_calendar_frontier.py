"""Unit tests of `calendar_frontier.calendar_capacity`: the most Module 1 cohorts the
facilitator's calendar holds beside N2 Module 2 cohorts.

Most instances use TWO_WEEKS: Mon 2027-02-01 .. Fri 2027-02-12 (10 working days, indices
0-4 = Mon-Fri of week 1, 5-9 = Mon-Fri of week 2, no holidays) with lab_gap = (7, 7):
a lab falls on the same weekday one week after the module's last day, so

- a Module 1 cohort starting on day a (a = 0..4) has its lab on a + 5: it takes the
  facilitator on one week-1 day and one week-2 day (a week-2 module's lab is in week 3,
  outside the round);
- a Module 2 cohort starting on day a takes days a and a + 1 (two consecutive working
  days) and its lab on a + 6; only a = 0..3 fit (a = 4 runs Fri + Mon, whose lab is in
  week 3).

Week 1 is the bottleneck: with f facilitators it has 5 f sessions, a Module 1 cohort uses
one and a Module 2 cohort two, so N1 <= 5 f - 2 N2. A week-2 day d carries only the labs of
cohorts whose last week-1 day is d, which never exceeds the week-1 load of d, so week 2 does
not bind.
"""

from __future__ import annotations

import functools
import importlib
from collections import Counter
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from camp_planner.models import SESSION_DAYS, PlanningProblem, Step, working_days
from camp_planner.scheduler.calendar_frontier import CalendarCapacity, calendar_capacity
from camp_planner.scheduler.days import DayIndex
from tests.helpers.sched_build import co, rnd, ve

TWO_WEEKS = tuple(working_days(date(2027, 2, 1), date(2027, 2, 12)))
ONE_WEEK = TWO_WEEKS[:5]
assert len(TWO_WEEKS) == 10 and TWO_WEEKS[5] == date(2027, 2, 8)


def two_weeks(blocked: frozenset[int] = frozenset()) -> DayIndex:
    return DayIndex(dates=TWO_WEEKS, blocked=blocked, lab_gap=(7, 7))


def capacity(
    days: DayIndex, facilitators: int, n1_max: int, n2_max: int, workers: int = 1
) -> CalendarCapacity:
    return calendar_capacity(days, facilitators, n1_max, n2_max, 10.0, 0, workers)


@pytest.fixture(params=[1, 2], ids=["one thread", "two threads"])
def workers(request: pytest.FixtureRequest) -> int:
    """The frontier's points one after the other, or two at once: the same frontier."""
    return int(request.param)


def assert_packing_fits(days: DayIndex, facilitators: int, packing, n1: int, n2: int) -> None:
    """The packing holds n1 Module 1 and n2 Module 2 cohorts and breaks no calendar rule,
    checked from the dates themselves (not through DayIndex's own helpers)."""
    counts = Counter(module for module, _, _ in packing)
    assert counts[Step.MODULE1] == n1
    assert counts[Step.MODULE2] == n2
    load: Counter[int] = Counter()
    lo_gap, hi_gap = days.lab_gap
    for module, start, lab in packing:
        module_days = list(range(start, start + SESSION_DAYS[module]))
        # module days are working days of the round; Module 2 on two consecutive indices
        assert module_days[0] >= 0 and module_days[-1] < days.count
        # the lab is lab_gap calendar days after the module's last day
        assert 0 <= lab < days.count
        assert lo_gap <= (days.dates[lab] - days.dates[module_days[-1]]).days <= hi_gap
        for d in (*module_days, lab):
            assert d not in days.blocked
            load[d] += 1
    assert all(n <= facilitators for n in load.values()), load


def assert_frontier_consistent(days: DayIndex, facilitators: int, cap: CalendarCapacity) -> None:
    assert cap.frontier is not None
    assert all(a >= b for a, b in zip(cap.frontier, cap.frontier[1:], strict=False))
    for n2, most in enumerate(cap.frontier):
        if most >= 0:
            assert_packing_fits(days, facilitators, cap.packings[n2], most, n2)
        elif n2 in cap.packings:
            assert cap.packings[n2] == []


# -- hand-counted frontiers --------------------------------------------------------------------
def test_one_facilitator_two_weeks(workers: int) -> None:
    # f = 1: N1 <= 5 - 2 N2 (module doc). N2 = 0: one Module 1 on each weekday -> 5.
    # N2 = 1: Module 2 on (a, a+1) leaves 3 week-1 days -> 3. N2 = 2: Module 2 on (0, 1) and
    # (2, 3) leaves Friday -> 1. N2 = 3 needs 6 week-1 days of 5 -> does not fit: -1.
    days = two_weeks()
    cap = capacity(days, 1, n1_max=5, n2_max=3, workers=workers)
    assert cap.frontier == [5, 3, 1, -1]
    assert cap.proven
    assert_frontier_consistent(days, 1, cap)


def test_two_facilitators_two_weeks(workers: int) -> None:
    # f = 2: N1 <= 10 - 2 N2 -> 10, 8, 6, 4, 2 for N2 = 0..4 (e.g. N2 = 4: Module 2 twice on
    # (0, 1) and twice on (2, 3), Module 1 twice on Friday). N2 = 5 would need every week-1
    # day covered exactly twice by pairs (a, a+1) with a <= 3: Monday only by a = 0 (twice),
    # which fills Tuesday, so Wednesday needs a = 2 twice, which fills Thursday, and Friday
    # is left to a = 4 (a = 3 would overfill Thursday), whose lab is outside the round: -1.
    days = two_weeks()
    cap = capacity(days, 2, n1_max=10, n2_max=5, workers=workers)
    assert cap.frontier == [10, 8, 6, 4, 2, -1]
    assert_frontier_consistent(days, 2, cap)


def test_frontier_capped_by_n1_max(workers: int) -> None:
    # The calendar holds 5, 3, 1 Module 1 cohorts beside 0, 1, 2 Module 2 cohorts (above); the
    # companies fill at most 4, so frontier[0] = min(4, 5) = 4. It binds at N2 = 2 (1 < 4).
    days = two_weeks()
    cap = capacity(days, 1, n1_max=4, n2_max=2, workers=workers)
    assert cap.frontier == [4, 3, 1]
    assert_frontier_consistent(days, 1, cap)


def test_module2_that_cannot_fit_gives_minus_one_with_no_module1_at_all(workers: int) -> None:
    # n1_max = 0: frontier[n2] = 0 while n2 Module 2 cohorts fit (n2 <= 2), then -1.
    days = two_weeks()
    cap = capacity(days, 1, n1_max=0, n2_max=3, workers=workers)
    assert cap.frontier == [0, 0, 0, -1]
    assert_frontier_consistent(days, 1, cap)


def test_blocked_module_day(workers: int) -> None:
    # The facilitator is away on Wednesday of week 1 (index 2). Module 1 may start on 0, 1, 3,
    # 4 -> 4. Module 2 only on (0, 1) or (3, 4): N2 = 1 leaves two week-1 days -> 2; N2 = 2
    # takes 0, 1, 3, 4 -> 0; N2 = 3 -> -1.
    days = two_weeks(frozenset({2}))
    cap = capacity(days, 1, n1_max=4, n2_max=3, workers=workers)
    assert cap.frontier == [4, 2, 0, -1]
    assert_frontier_consistent(days, 1, cap)


def test_blocked_lab_day(workers: int) -> None:
    # The facilitator is away on Wednesday of week 2 (index 7): the lab of a Module 1 started
    # on Wednesday (2 + 5) and of a Module 2 started on Tuesday (1 + 6). Module 1: 4 (not on
    # Wednesday). N2 = 1: Module 2 on (2, 3) leaves Mon, Tue, Fri for Module 1 -> 3 (on (0, 1)
    # it leaves Thu, Fri -> 2; on (3, 4) Mon, Tue but not Wed -> 2). N2 = 2: (0, 1) + (2, 3)
    # leave Friday -> 1; (0, 1) + (3, 4) leave Wednesday, unusable -> 0. So [4, 3, 1].
    days = two_weeks(frozenset({7}))
    cap = capacity(days, 1, n1_max=5, n2_max=2, workers=workers)
    assert cap.frontier == [4, 3, 1]
    assert_frontier_consistent(days, 1, cap)


def test_short_lab_gap_in_one_week():
    # Mon-Fri 2027-02-01..05, lab 1-3 calendar days after the module: 5 days, a Module 1
    # cohort takes 2 and a Module 2 cohort 3. N2 = 0: 5 // 2 = 2 (Mon + lab Tue, Wed + lab
    # Thu). N2 = 1: 3 days + 2 days = 5 (Module 2 Mon-Tue, lab Wed; Module 1 Thu, lab Fri) ->
    # 1. N2 = 2 needs 6 days -> -1. n1_max = 3 is not reached, so the calendar binds.
    days = DayIndex(dates=ONE_WEEK, blocked=frozenset(), lab_gap=(1, 3))
    cap = capacity(days, 1, n1_max=3, n2_max=2)
    assert cap.frontier == [2, 1, -1]
    assert_frontier_consistent(days, 1, cap)


def test_for_problem_uses_facilitator_unavailable():
    # DayIndex.for_problem: the round TWO_WEEKS with the facilitator away on Wed 2027-02-03
    # (index 2) is test_blocked_module_day's calendar: [4, 2, 0, -1].
    problem = PlanningProblem(
        round=rnd(
            start=date(2027, 2, 1),
            end=date(2027, 2, 12),
            lab_gap_days=(7, 7),
            facilitator_unavailable=frozenset({date(2027, 2, 3)}),
        ),
        companies=(co("a"),),
        venues=(ve("v"),),
    )
    days = DayIndex.for_problem(problem)
    assert days.dates == TWO_WEEKS
    assert days.blocked == frozenset({2})
    assert capacity(days, 1, 4, 3).frontier == [4, 2, 0, -1]


# -- the calendar does not bind ----------------------------------------------------------------
def test_not_binding_returns_none_with_one_packing():
    # 2 Module 1 + 1 Module 2 cohorts: the calendar holds 3 Module 1 beside 1 Module 2, so
    # everything the companies can fill fits: frontier None, and the packing of (2, 1).
    days = two_weeks()
    cap = capacity(days, 1, n1_max=2, n2_max=1)
    assert cap.frontier is None
    assert cap.proven
    assert list(cap.packings) == [1]
    assert_packing_fits(days, 1, cap.packings[1], 2, 1)


def test_not_binding_at_the_exact_limit():
    # 5 Module 1 cohorts alone: exactly one per weekday of week 1 -> still fits: None.
    days = two_weeks()
    cap = capacity(days, 1, n1_max=5, n2_max=0)
    assert cap.frontier is None
    assert_packing_fits(days, 1, cap.packings[0], 5, 0)


def test_nothing_to_plan():
    cap = capacity(two_weeks(), 1, n1_max=0, n2_max=0)
    assert cap.frontier is None
    assert cap.packings == {0: []}


def test_one_more_cohort_than_fits_binds():
    # 6 Module 1 cohorts of which 5 fit -> frontier [5] (a list, since it binds).
    days = two_weeks()
    cap = capacity(days, 1, n1_max=6, n2_max=0)
    assert cap.frontier == [5]
    assert_frontier_consistent(days, 1, cap)


# -- against a brute force on random tiny calendars --------------------------------------------
def brute_frontier(days: DayIndex, facilitators: int, n1_max: int, n2_max: int) -> list[int]:
    """Every multiset of (module, start, lab) options with at most `facilitators` sessions a
    day, by depth-first search; frontier[n2] = min(n1_max, most n1), -1 if n2 never fits."""
    options = []
    for module in (Step.MODULE1, Step.MODULE2):
        for start in range(days.count - SESSION_DAYS[module] + 1):
            used = list(range(start, start + SESSION_DAYS[module]))
            for lab in range(used[-1] + 1, days.count):
                gap = (days.dates[lab] - days.dates[used[-1]]).days
                if days.lab_gap[0] <= gap <= days.lab_gap[1]:
                    sessions = (*used, lab)
                    if not any(d in days.blocked for d in sessions):
                        options.append((module, sessions))

    @functools.cache
    def reach(i: int, load: tuple[int, ...]) -> frozenset[tuple[int, int]]:
        if i == len(options):
            return frozenset({(0, 0)})
        module, sessions = options[i]
        found = set(reach(i + 1, load))
        current = list(load)
        for k in range(1, facilitators + 1):
            for d in sessions:
                current[d] += 1
            if any(current[d] > facilitators for d in sessions):
                break
            for n1, n2 in reach(i + 1, tuple(current)):
                found.add((n1 + k, n2) if module == Step.MODULE1 else (n1, n2 + k))
        return frozenset(found)

    points = reach(0, (0,) * days.count)
    return [
        min(n1_max, max((a for a, b in points if b == n2), default=-1))
        if any(b == n2 for _, b in points)
        else -1
        for n2 in range(n2_max + 1)
    ]


@settings(max_examples=40, deadline=None)
@given(
    n_days=st.integers(3, 8),
    blocked=st.sets(st.integers(0, 7), max_size=2),
    lo=st.integers(1, 4),
    width=st.integers(0, 3),
    facilitators=st.integers(1, 2),
    n1_max=st.integers(0, 6),
    n2_max=st.integers(0, 3),
)
def test_frontier_matches_brute_force(n_days, blocked, lo, width, facilitators, n1_max, n2_max):
    days = DayIndex(
        dates=TWO_WEEKS[:n_days],
        blocked=frozenset(b for b in blocked if b < n_days),
        lab_gap=(lo, lo + width),
    )
    expected = brute_frontier(days, facilitators, n1_max, n2_max)
    cap = capacity(days, facilitators, n1_max, n2_max)
    assert cap.proven
    if expected[n2_max] == n1_max:  # everything fits: the calendar does not bind
        assert cap.frontier is None
        assert_packing_fits(days, facilitators, cap.packings[n2_max], n1_max, n2_max)
    else:
        assert cap.frontier == expected
        assert_frontier_consistent(days, facilitators, cap)


def test_no_point_is_solved_after_one_that_cannot_fit(monkeypatch: pytest.MonkeyPatch) -> None:
    # A stand-in for each point's model: Module 1 cohorts 4 - n2, and from n2 = 2 on the
    # Module 2 cohorts alone do not fit (-1). One thread: the points 0, 1, 2 are solved (2
    # says -1), none after; the frontier is [4, 3, -1, -1, -1]. Each point gets its share of
    # the time left, and no point more than all of it.
    module = importlib.import_module("camp_planner.scheduler.calendar_frontier")
    asked: list[tuple[int, float]] = []

    def point(days, facilitators, n1_max, n2, seconds, seed, deterministic=False):
        asked.append((n2, seconds))
        if n2 == 4 and n1_max == 99:  # the first question: does everything fit? no
            return 2, True, []
        return (min(n1_max, 4 - n2), True, []) if n2 < 2 else (-1, True, [])

    monkeypatch.setattr(module, "_most_module1", point)
    cap = module.calendar_capacity(two_weeks(), 1, 99, 4, 10.0, 0, workers=1)
    assert cap.frontier == [4, 3, -1, -1, -1]
    assert [n2 for n2, _ in asked] == [4, 0, 1, 2]
    assert all(seconds <= 10.0 for _, seconds in asked)


@pytest.mark.parametrize("deterministic", [False, True])
def test_in_deterministic_mode_the_clock_does_not_share_out_the_time(
    monkeypatch: pytest.MonkeyPatch, deterministic: bool
) -> None:
    # The same stand-in points as above (frontier [4, 3, -1, ...]), on a clock that jumps
    # 6 s at every reading, with 10 s for the frontier on one thread. By the clock, the
    # first batch after the first question gets the 4 s the clock leaves of 10 s over the 4
    # batches (n2 = 0..3: the two weeks' 10 days hold at most 3 Module 2 cohorts), 1 s;
    # the later ones less than 0.01 s (the clock says the time is up). In deterministic
    # mode each point gets deterministic time in fixed parts: half of 10 s for the first
    # question, the other half over the 4 batches (1.25 s each), whatever the clock says.
    module = importlib.import_module("camp_planner.scheduler.calendar_frontier")
    asked: list[tuple[int, float, bool]] = []

    def point(days, facilitators, n1_max, n2, seconds, seed, deterministic=False):
        asked.append((n2, seconds, deterministic))
        if n2 == 4 and n1_max == 99:
            return 2, True, []
        return (min(n1_max, 4 - n2), True, []) if n2 < 2 else (-1, True, [])

    readings = iter(range(0, 6000, 6))
    monkeypatch.setattr(module, "_most_module1", point)
    monkeypatch.setattr(module.time, "time", lambda: float(next(readings)))
    cap = module.calendar_capacity(two_weeks(), 1, 99, 4, 10.0, 0, 1, deterministic)
    assert cap.frontier == [4, 3, -1, -1, -1]
    if deterministic:
        assert asked == [(4, 5.0, True), (0, 1.25, True), (1, 1.25, True), (2, 1.25, True)]
    else:
        assert asked[:2] == [(4, 10.0, False), (0, 1.0, False)]
        assert [n2 for n2, _, _ in asked[2:]] == [1, 2]
        assert all(seconds < 0.01 and not exact for _, seconds, exact in asked[2:])
