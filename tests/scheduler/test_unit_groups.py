"""Unit tests of the cohort-capacity arithmetic in `models.groups` and of
`assignment.fillable_domain`: a group of P people fills at most P // cohort_min cohorts, and
k cohorts hold between k * cohort_min and k * cohort_max people."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from camp_planner.models import AgeGroup, Level, PlanningProblem, Segment, Step
from camp_planner.models.groups import (
    CANNOT_FILL,
    cohorts_possible,
    fillable_people,
    fillable_totals,
    group_counts,
    group_status,
    most_companies,
)
from camp_planner.scheduler.assignment import fillable_domain
from tests.helpers.sched_build import co, rnd, ve


# -- cohorts_possible --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("people", "cohort_min", "expected"),
    [
        (13, 4, 3),  # 3 x 4 = 12 <= 13 < 16
        (12, 4, 3),  # exactly 3 cohorts
        (3, 4, 0),  # fewer than one cohort
        (0, 4, 0),
        (16, 8, 2),
    ],
)
def test_cohorts_possible(people, cohort_min, expected):
    assert cohorts_possible(people, cohort_min) == expected


# -- fillable_totals / fillable_people ---------------------------------------------------------
def test_fillable_totals_contiguous():
    # 13 people, cohorts of 4-5: 1 cohort holds 4-5, 2 hold 8-10, 3 hold 12-15 capped at 13.
    assert fillable_totals(13, 4, 5) == [(4, 5), (8, 10), (12, 13)]
    assert fillable_people(13, 4, 5) == 13


def test_fillable_totals_with_a_gap():
    # 13 people, cohorts of 8-10: one cohort (13 // 8 = 1) holds 8-10 -> at most 10 of 13.
    assert fillable_totals(13, 8, 10) == [(8, 10)]
    assert fillable_people(13, 8, 10) == 10


def test_fillable_people_two_cohorts_of_exact_size():
    # 19 people, cohorts of 8-9: 1 cohort holds 8-9, 2 hold 16-18 -> at most 18 of 19.
    assert fillable_totals(19, 8, 9) == [(8, 9), (16, 18)]
    assert fillable_people(19, 8, 9) == 18


def test_fillable_people_below_one_cohort():
    # 7 people cannot fill a cohort of 8: no totals, 0 people fit.
    assert fillable_totals(7, 8, 10) == []
    assert fillable_people(7, 8, 10) == 0
    assert fillable_people(0, 2, 3) == 0


def test_fillable_people_more_people_can_fit_fewer():
    # 11 people in cohorts of 8-10: 10 fit; 16 people: 2 cohorts of 8 -> all 16.
    assert fillable_people(11, 8, 10) == 10
    assert fillable_people(16, 8, 10) == 16


@settings(max_examples=50, deadline=None)
@given(people=st.integers(0, 60), cmin=st.integers(1, 10), extra=st.integers(0, 5))
def test_fillable_people_is_the_largest_sum_of_whole_cohorts(people, cmin, extra):
    # Brute force: the largest t <= people such that some k >= 1 has k*cmin <= t <= k*cmax.
    cmax = cmin + extra
    fits = [t for t in range(people + 1) for k in range(1, t + 1) if k * cmin <= t <= k * cmax]
    assert fillable_people(people, cmin, cmax) == max(fits, default=0)


# -- most_companies ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("participants", "cap", "expected"),
    [
        ([3, 1, 2, 1], 4, 3),  # smallest first: 1 + 1 + 2 = 4, the 3 no longer fits
        ([3, 1, 2, 1], 7, 4),  # all 7 people fit
        ([3], 2, 0),  # the only company is too big
        ([], 5, 0),
        ([2, 2, 2], 5, 2),  # 2 + 2 = 4, a third 2 makes 6 > 5
        ([1, 1, 1], 0, 0),
    ],
)
def test_most_companies(participants, cap, expected):
    assert most_companies(participants, cap) == expected


# -- group_status ------------------------------------------------------------------------------
def test_group_status_cannot_fill():
    # 7 people, cohort_min 8.
    assert group_status(7, 8, 10) == CANNOT_FILL == "cannot fill a cohort"


def test_group_status_ok():
    # 13 people in cohorts of 4-5: 4 + 4 + 5 -> everybody fits.
    assert group_status(13, 4, 5) == "ok"
    assert group_status(8, 8, 10) == "ok"  # exactly one cohort
    assert group_status(20, 8, 10) == "ok"  # 10 + 10


def test_group_status_binding():
    # 13 people in cohorts of 8-10: only one cohort (13 < 16), so 3 people are left over.
    assert group_status(13, 8, 10) == "at most 10 of 13 people fit"
    # 19 people in cohorts of 8-9: two cohorts hold at most 18.
    assert group_status(19, 8, 9) == "at most 18 of 19 people fit"


# -- group_counts ------------------------------------------------------------------------------
def test_group_counts_companies_and_people_per_segment():
    # Two C/established Module 1 companies of 1 and 3 people, a young one of 2, a B company
    # that did Module 1 (-> B Module 2), and a C company that did Module 1 (no next step,
    # not counted). Order: Module 1 before Module 2, then level, established before young.
    done = frozenset({"module1", "lab1"})
    problem = PlanningProblem(
        round=rnd(),
        companies=(
            co("a", participants=1),
            co("b", participants=3),
            co("c", young=True, participants=2),
            co("d", level="B", completed=done),
            co("e", completed=done),
        ),
        venues=(ve("v"),),
    )
    c_est = Segment(module=Step.MODULE1, level=Level.C, age_group=AgeGroup.ESTABLISHED)
    c_young = Segment(module=Step.MODULE1, level=Level.C, age_group=AgeGroup.YOUNG)
    b_m2 = Segment(module=Step.MODULE2, level=Level.B, age_group=AgeGroup.ESTABLISHED)
    counts = group_counts(problem)
    assert counts == {c_est: (2, 4), c_young: (1, 2), b_m2: (1, 1)}
    assert list(counts) == [c_est, c_young, b_m2]


# -- fillable_domain ---------------------------------------------------------------------------
def test_fillable_domain_with_gaps():
    # 13 people, cohorts of 4-5: 0, 4-5, 8-10, 12-13; 1-3, 6-7 and 11 cannot be held.
    domain = fillable_domain(13, 4, 5)
    assert domain.flattened_intervals() == [0, 0, 4, 5, 8, 10, 12, 13]
    assert [t for t in range(15) if domain.contains(t)] == [0, 4, 5, 8, 9, 10, 12, 13]


def test_fillable_domain_merges_overlaps():
    # 20 people, cohorts of 2-5: 2-5, 4-10, 6-15, ... overlap into 2-20, plus 0 -> 0, 2-20.
    assert fillable_domain(20, 2, 5).flattened_intervals() == [0, 0, 2, 20]


def test_fillable_domain_too_few_people():
    # 1 person, cohort_min 2: only 0.
    assert fillable_domain(1, 2, 3).flattened_intervals() == [0, 0]


def test_fillable_domain_one_cohort():
    # 13 people, cohorts of 8-10: 0 or 8-10; the maximum is fillable_people.
    domain = fillable_domain(13, 8, 10)
    assert domain.flattened_intervals() == [0, 0, 8, 10]
    assert domain.max() == fillable_people(13, 8, 10)
