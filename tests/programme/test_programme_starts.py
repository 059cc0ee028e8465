"""The programme's starts and what it keeps (`starts`, `stages.is_feasible`, `solve`): a
round's own least travel, a round that finds nothing keeping its part, and the travel
stage's start kept when the stage itself finds nothing.

Four C companies, two at town A (venue v) and two at town B (venue w, LEG_KM away); two
rounds, each holding exactly one cohort of 2 (the module on its first Monday, the lab a
week on). Every programme planning all four holds one pair in each round; the least travel
(0 km) sends each pair to its own town's venue.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from camp_planner.models import PlanningProblem, Step
from camp_planner.programme import solve as programme_solve
from camp_planner.programme import starts
from camp_planner.programme.model import ProgrammeModel
from camp_planner.programme.plan import Programme, group_companies
from camp_planner.programme.result import programme_result
from camp_planner.programme.solve import _capacities, plan_programme
from camp_planner.programme.stages import Solution, Stage, is_feasible
from tests.checker import check_programme
from tests.helpers.sched_build import LEG_KM, TOWN_B, co, rnd, ve

ONE = {"lab_gap_days": (7, 7), "cohort_min": 2, "cohort_max": 2}
R1 = {"name": "R1", "start": date(2027, 2, 1), "end": date(2027, 2, 8), **ONE}
R2 = {"name": "R2", "start": date(2027, 4, 5), "end": date(2027, 4, 12), **ONE}
COMPANIES = [co("a1"), co("a2"), co("b1", TOWN_B), co("b2", TOWN_B)]
VENUES = (ve("v"), ve("w", TOWN_B))


def _problem() -> tuple[Programme, PlanningProblem]:
    rounds = (rnd(**R1), rnd(**R2))
    problem = PlanningProblem(round=rounds[0], companies=tuple(COMPANIES), venues=VENUES)
    return Programme(problem, rounds), problem


def _model() -> ProgrammeModel:
    programme, _ = _problem()
    groups = group_companies(programme)
    _, capacities = _capacities(programme, groups, 5.0, 0)
    return ProgrammeModel(programme, groups, capacities)


def _group_at(pm: ProgrammeModel, cid: str) -> int:
    return next(gi for gi, g in enumerate(pm.groups) if cid in {c.company_id for c in g.companies})


def _programme(pm: ProgrammeModel, cohorts: list[tuple[str, int, int]]) -> Solution:
    """x, n, w, y of a programme: (a company of the pair, round, venue) per cohort."""
    values = {var: 0 for var in pm.decisions()}
    for cid, r, v in cohorts:
        gi = _group_at(pm, cid)
        values[pm.x[gi, Step.MODULE1, r, v]] = 2
        segment = pm.groups[gi].options[r, Step.MODULE1].segment
        values[pm.n[segment, r, v]] += 1
        values[pm.w[segment, r, v]] = 1
        values[pm.y[r, v]] = 1
    return values


def _km(pm: ProgrammeModel, values: Solution) -> float:
    return pm.travel_of({key: values[var] for key, var in pm.x.items()}) / 100


def test_a_programme_is_checked_against_every_rule() -> None:
    pm = _model()
    # One pair a round, each at its own venue: valid.
    assert is_feasible(pm, _programme(pm, [("a1", 0, 0), ("b1", 1, 1)]), 5.0)
    # Both pairs in round 1: two cohorts where the calendar holds one.
    assert not is_feasible(pm, _programme(pm, [("a1", 0, 0), ("b1", 0, 1)]), 5.0)


def test_each_round_alone_finds_its_least_travel_with_its_steps_kept() -> None:
    pm = _model()
    # Both pairs at the wrong venue: 4 x LEG_KM.
    crossed = _programme(pm, [("a1", 0, 1), ("b1", 1, 0)])
    assert _km(pm, crossed) == pytest.approx(4 * LEG_KM, abs=0.05)
    better = starts.per_round_travel(pm, crossed, 1e12, 0, 1, None)
    assert _km(pm, better) == 0
    # who trains in which round is kept: pair a in round 1, pair b in round 2
    assert better[pm.x[_group_at(pm, "a1"), Step.MODULE1, 0, 0]] == 2
    assert better[pm.x[_group_at(pm, "b1"), Step.MODULE1, 1, 1]] == 2
    assert is_feasible(pm, better, 5.0)


def test_a_round_that_finds_nothing_keeps_its_part(monkeypatch: pytest.MonkeyPatch) -> None:
    pm = _model()
    crossed = _programme(pm, [("a1", 0, 1), ("b1", 1, 0)])
    real = starts.programme_stage
    calls: list[int] = []

    def second_finds_nothing(*args: Any, **kw: Any) -> Any:
        calls.append(1)
        solver, stage = real(*args, **kw)
        return (solver, Stage(stage.name, "UNKNOWN")) if len(calls) == 2 else (solver, stage)

    monkeypatch.setattr(starts, "programme_stage", second_finds_nothing)
    better = starts.per_round_travel(pm, crossed, 1e12, 0, 1, None)
    # round 1 improved (pair a at v), round 2 as it was (pair b at v, LEG_KM each)
    assert better[pm.x[_group_at(pm, "a1"), Step.MODULE1, 0, 0]] == 2
    assert better[pm.x[_group_at(pm, "b1"), Step.MODULE1, 1, 0]] == 2
    assert _km(pm, better) == pytest.approx(2 * LEG_KM, abs=0.05)
    assert is_feasible(pm, better, 5.0)


def test_a_travel_stage_that_finds_nothing_keeps_its_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The whole-model travel stage finds nothing (as on a loaded machine): the programme is
    # its start, the rounds' own least travel (0 km), not the earlier stages' programme.
    real = programme_solve.programme_stage

    def travel_finds_nothing(pm: ProgrammeModel, name: str, *args: Any, **kw: Any) -> Any:
        solver, stage = real(pm, name, *args, **kw)
        return (solver, Stage(name, "UNKNOWN")) if name == "travel km" else (solver, stage)

    monkeypatch.setattr(programme_solve, "programme_stage", travel_finds_nothing)
    programme, problem = _problem()
    solution = plan_programme(programme, time_limit=30, workers=1)
    result = programme_result(solution)
    document = json.loads(json.dumps(result.document))
    rosters = [json.loads(roster.to_json()) for _, roster in result.rounds]
    assert check_programme(list(programme.rounds), COMPANIES, list(VENUES), document, rosters) == []
    assert document["summary"]["next_step_planned"] == 4
    assert document["summary"]["travel_km_total"] == 0
    travel = solution.stages[-1]
    assert (travel.name, travel.status, travel.value) == ("travel km", "FEASIBLE", 0)
    assert solution.status.value == "FEASIBLE"


def test_an_earliness_stage_that_finds_nothing_keeps_the_first_stages_answer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # "earlier rounds" finds nothing in its time: its answer is the first stage's programme
    # (its earliness kept as the stage's value), and travel is still optimised after it.
    real = programme_solve.programme_stage

    def earliness_finds_nothing(pm: ProgrammeModel, name: str, *args: Any, **kw: Any) -> Any:
        solver, stage = real(pm, name, *args, **kw)
        return (solver, Stage(name, "UNKNOWN")) if name == "earlier rounds" else (solver, stage)

    monkeypatch.setattr(programme_solve, "programme_stage", earliness_finds_nothing)
    # without the counts' start, which would prove the stage without searching
    monkeypatch.setattr(programme_solve._ProgrammeSolve, "start_counts", lambda *_: False)
    programme, _ = _problem()
    solution = plan_programme(programme, time_limit=30, workers=1)
    result = programme_result(solution)
    document = json.loads(json.dumps(result.document))
    rosters = [json.loads(roster.to_json()) for _, roster in result.rounds]
    assert check_programme(list(programme.rounds), COMPANIES, list(VENUES), document, rosters) == []
    second = solution.stages[1]
    # one pair in round 1 (weight 1 each), the other in round 2 (weight 0)
    assert (second.name, second.status, second.value) == ("earlier rounds", "FEASIBLE", 2)
    assert document["summary"]["travel_km_total"] == 0
    assert solution.stages[-1].status == "OPTIMAL"


def test_the_counts_optimum_held_by_every_round_proves_the_first_two_stages(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The counts' optimum (all four planned; one pair in round 1) split into the groups and
    # held by each round alone: both stages are proven without a search of the whole model.
    real = programme_solve.programme_stage
    searched: list[str] = []

    def record(pm: ProgrammeModel, name: str, *args: Any, **kw: Any) -> Any:
        searched.append(name)
        return real(pm, name, *args, **kw)

    monkeypatch.setattr(programme_solve, "programme_stage", record)
    programme, _ = _problem()
    solution = plan_programme(programme, time_limit=30, workers=1)
    assert searched == ["travel km"]
    assert [(s.name, s.status) for s in solution.stages] == [
        ("steps planned", "OPTIMAL"),
        ("earlier rounds", "OPTIMAL"),
        ("travel km", "OPTIMAL"),
    ]
    result = programme_result(solution)
    document = json.loads(json.dumps(result.document))
    rosters = [json.loads(roster.to_json()) for _, roster in result.rounds]
    assert check_programme(list(programme.rounds), COMPANIES, list(VENUES), document, rosters) == []
    assert document["summary"]["next_step_planned"] == 4
    assert document["summary"]["travel_km_total"] == 0
