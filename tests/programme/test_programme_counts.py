"""Cohort ranges of the programme's travel stage, proven on the counts (`counts`)."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from camp_planner.models import PlanningProblem, Step
from camp_planner.programme.counts import (
    bound_cohorts,
    cohort_ranges,
    earliness_bound,
    split_counts,
    steps_bound,
)
from camp_planner.programme.model import ProgrammeModel
from camp_planner.programme.plan import Programme, group_companies
from camp_planner.programme.solve import _capacities
from tests.helpers.sched_build import TOWN_B, co, rnd, ve

# Each round holds exactly one cohort: the module on its first Monday, the lab a week on.
ONE = {"lab_gap_days": (7, 7), "cohort_min": 2, "cohort_max": 2}
R1 = {"name": "R1", "start": date(2027, 2, 1), "end": date(2027, 2, 8), **ONE}
R2 = {"name": "R2", "start": date(2027, 4, 5), "end": date(2027, 4, 12), **ONE}


def _model() -> ProgrammeModel:
    companies = [co("a1"), co("a2"), co("b1", TOWN_B), co("b2", TOWN_B)]
    rounds = (rnd(**R1), rnd(**R2))
    problem = PlanningProblem(
        round=rounds[0], companies=tuple(companies), venues=(ve("v"), ve("w", TOWN_B))
    )
    programme = Programme(problem, rounds)
    groups = group_companies(programme)
    _, capacities = _capacities(programme, groups, 5.0, 0)
    return ProgrammeModel(programme, groups, capacities)


def test_at_the_optimum_every_round_holds_its_one_cohort() -> None:
    # Four C companies, one cohort of 2 a round: planning all four needs a cohort in each.
    pm = _model()
    ranges = cohort_ranges(pm, (4, 0, 0), None, 5.0, 0)
    assert sorted((r, span) for (_, r), span in ranges.items()) == [(0, (1, 1)), (1, (1, 1))]
    assert bound_cohorts(pm, ranges) == 2


def test_below_the_optimum_a_round_may_hold_none() -> None:
    pm = _model()
    ranges = cohort_ranges(pm, (2, 0, 0), None, 5.0, 0)
    assert sorted((r, span) for (_, r), span in ranges.items()) == [(0, (0, 1)), (1, (0, 1))]


def test_the_counts_bound_the_first_two_stages() -> None:
    # All four planned (one pair a round): the first stage's most is 4 next steps; the
    # earliness of the round before the last is one pair's, the one going first.
    pm = _model()
    best = steps_bound(pm, 1000, 10, 5.0, 0)
    assert best is not None and best // 1000 == 4
    first_pair = max(g.priority for g in pm.groups)
    assert earliness_bound(pm, (4, 0, 0), 5.0, 0) == 2 * (1 + first_pair)


def test_a_class_s_steps_are_shared_out_module2_after_module1() -> None:
    # A class of two groups of B companies (sizes 2 and 1), three rounds: Module 1 for 2
    # then 1, Module 2 for 2 in round 2 (the two who took Module 1 in round 1) and 1 in
    # round 3 (the one who took it in round 2).
    track = (Step.MODULE1, Step.MODULE2)
    pm = SimpleNamespace(
        programme=SimpleNamespace(rounds=(0, 1, 2)),
        groups=[
            SimpleNamespace(size=2, whole_track=True, steps=track),
            SimpleNamespace(size=1, whole_track=True, steps=track),
        ],
    )
    taken = {
        (0, 0, Step.MODULE1): 2,
        (0, 1, Step.MODULE1): 1,
        (0, 1, Step.MODULE2): 2,
        (0, 2, Step.MODULE2): 1,
    }
    assert split_counts(pm, [[0, 1]], taken) == {  # type: ignore[arg-type]
        (0, Step.MODULE1, 0): 2,
        (1, Step.MODULE1, 1): 1,
        (0, Step.MODULE2, 1): 2,
        (1, Step.MODULE2, 2): 1,
    }
