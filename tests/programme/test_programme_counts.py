"""Cohort and class ranges of the programme's travel stage, proven on the counts
(`counts`), and the travel they leave unchanged."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import camp_planner.programme.solve as programme_solve
from camp_planner.models import Company, PlanningProblem, RoundConfig, Step
from camp_planner.programme.counts import (
    bound_classes,
    bound_cohorts,
    class_ranges,
    cohort_ranges,
    earliness_bound,
    split_counts,
    steps_bound,
)
from camp_planner.programme.model import ProgrammeModel
from camp_planner.programme.plan import Programme, group_companies
from camp_planner.programme.solve import _capacities, plan_programme
from tests.helpers.sched_build import TOWN_A, TOWN_B, co, rnd, ve

# Each round holds exactly one cohort: the module on its first Monday, the lab a week on.
ONE = {"lab_gap_days": (7, 7), "cohort_min": 2, "cohort_max": 2}
R1 = {"name": "R1", "start": date(2027, 2, 1), "end": date(2027, 2, 8), **ONE}
R2 = {"name": "R2", "start": date(2027, 4, 5), "end": date(2027, 4, 12), **ONE}
# Rounds of a quarter each (the property below)
QUARTERS = (
    {"name": "Q1", "start": date(2027, 1, 4), "end": date(2027, 3, 26)},
    {"name": "Q2", "start": date(2027, 4, 5), "end": date(2027, 6, 25)},
    {"name": "Q3", "start": date(2027, 8, 2), "end": date(2027, 10, 22)},
)


def _model(companies: list[Company] | None = None) -> ProgrammeModel:
    if companies is None:
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


def _waiting_pair_far() -> ProgrammeModel:
    # The pair in town B has waited (priority), the pair in town A has not: one class each.
    waited = date(2026, 1, 5)
    return _model(
        [
            co("n1"),
            co("n2"),
            co("w1", TOWN_B, waiting_since=waited),
            co("w2", TOWN_B, waiting_since=waited),
        ]
    )


def test_at_the_optima_each_class_has_its_round() -> None:
    # All four planned, one pair a round (4 next steps); earliness: the pair that waited
    # goes first, (2 - 1 - 0) x (1 + its priority) x 2. So the waiting class takes Module 1
    # in R1 exactly (2, 2) and none in R2; the other class the reverse. Without these, the
    # travel stage's relaxation sees only the sums over everybody.
    pm = _waiting_pair_far()
    first = {g.companies[0].company_id[0]: (gi, g.priority) for gi, g in enumerate(pm.groups)}
    (new, _), (waiting, priority) = first["n"], first["w"]
    assert priority > 0
    earliness = earliness_bound(pm, (4, 0, priority * 2), 5.0, 0)
    assert earliness == 2 * (1 + priority)
    ranges = class_ranges(pm, (4, 0, priority * 2), earliness, 5.0, 0)
    assert ranges == {
        ((new,), 0, Step.MODULE1): (0, 0),
        ((new,), 1, Step.MODULE1): (2, 2),
        ((waiting,), 0, Step.MODULE1): (2, 2),
        ((waiting,), 1, Step.MODULE1): (0, 0),
    }
    assert bound_classes(pm, ranges) == 4


def test_below_the_optima_no_class_is_narrowed() -> None:
    # Two of four planned, earliness free: either class may take 0-2 places in either round.
    pm = _waiting_pair_far()
    ranges = class_ranges(pm, (2, 0, 0), None, 5.0, 0)
    assert sorted(ranges.values()) == [(0, 2)] * 4
    assert bound_classes(pm, ranges) == 0


def _travel(
    companies: list[Company],
    rounds: tuple[RoundConfig, ...],
    with_classes: bool,
    monkeypatch: pytest.MonkeyPatch,
) -> int:
    if not with_classes:
        monkeypatch.setattr(programme_solve, "class_ranges", lambda *_: {})
    venues = (ve("a", residential=True), ve("b", TOWN_B, residential=True))
    problem = PlanningProblem(round=rounds[0], companies=tuple(companies), venues=venues)
    solution = plan_programme(Programme(problem, rounds), time_limit=20)
    monkeypatch.undo()
    assert solution.status == "OPTIMAL"
    return solution.stages[-1].value


def test_classes_that_may_swap_rounds_keep_wide_ranges(monkeypatch: pytest.MonkeyPatch) -> None:
    # Two young and two established C companies, one cohort of 2 a round: either segment
    # may go first (the same earliness), so each class takes 0-2 places in each round, and
    # the travel optimum (each pair at its own town's venue, 0 km) is the same with them.
    companies = [co("e1"), co("e2"), co("y1", TOWN_B, young=True), co("y2", TOWN_B, young=True)]
    pm = _model(companies)
    ranges = class_ranges(pm, (4, 0, 0), 2, 5.0, 0)
    assert sorted(ranges.values()) == [(0, 2)] * 4
    assert bound_classes(pm, ranges) == 0
    rounds = (rnd(**R1), rnd(**R2))
    assert _travel(companies, rounds, True, monkeypatch) == 0
    assert _travel(companies, rounds, False, monkeypatch) == 0


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    levels=st.lists(st.sampled_from("ABC"), min_size=3, max_size=8),
    one_cohort=st.booleans(),
    quarters=st.integers(2, 3),
    far=st.lists(st.booleans(), min_size=8, max_size=8),
    young=st.lists(st.booleans(), min_size=8, max_size=8),
    waited=st.lists(st.booleans(), min_size=8, max_size=8),
)
def test_class_ranges_keep_the_travel_optimum(
    levels: list[str],
    one_cohort: bool,
    quarters: int,
    far: list[bool],
    young: list[bool],
    waited: list[bool],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Exact: they only say what every programme at the earlier optima already does.
    # Rounds of one cohort of 2 each (R1, R2), or quarters with cohorts of 2-3.
    companies = [
        co(
            f"c{i}",
            TOWN_B if far[i] else TOWN_A,
            level=level,
            young=young[i],
            waiting_since=date(2026, 1, 5) if waited[i] else None,
        )
        for i, level in enumerate(levels)
    ]
    rounds = (
        (rnd(**R1), rnd(**R2))
        if one_cohort
        else tuple(rnd(cohort_min=2, cohort_max=3, **q) for q in QUARTERS[:quarters])
    )
    with_classes = _travel(companies, rounds, True, monkeypatch)
    assert with_classes == _travel(companies, rounds, False, monkeypatch)
