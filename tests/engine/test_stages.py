"""The one stage runner (`engine.stages`): parameters, result and reporter."""

from __future__ import annotations

import time

from ortools.sat.python import cp_model

from camp_planner.engine.stages import (
    Portfolio,
    Reporter,
    StageParameters,
    at_target,
    limit_solver,
    run_stage,
)


def _knapsack() -> tuple[cp_model.CpModel, cp_model.LinearExpr]:
    """Ten items of weights 1..10, capacity 20: the most value is 20."""
    model = cp_model.CpModel()
    take = [model.new_bool_var(f"t{i}") for i in range(10)]
    weights = list(range(1, 11))
    model.add(cp_model.LinearExpr.weighted_sum(take, weights) <= 20)
    return model, cp_model.LinearExpr.weighted_sum(take, weights)


def test_a_stage_reports_status_value_bound_and_time() -> None:
    model, value = _knapsack()
    lines: list[str] = []
    parameters = StageParameters(time.time() + 10, seed=0, workers=1, progress=lines.append)
    reporter = Reporter("value", lines.append)
    solver, result = run_stage(model, value, True, parameters, reporter, Portfolio.LP)
    assert result.found and result.proven
    assert result.value == result.bound == 20 == round(solver.objective_value)
    assert result.seconds >= 0.0
    assert lines and lines[-1].startswith("value: 20.0 (bound")


def test_a_target_proven_elsewhere_proves_the_stage() -> None:
    model, value = _knapsack()
    parameters = StageParameters(time.time() + 10, workers=1)
    reporter = Reporter("value", None, target=20)
    _, result = run_stage(model, value, True, parameters, reporter)
    result = at_target(result, reporter)
    assert result.proven and result.value == result.bound == 20


def test_a_target_above_the_optimum_only_tightens_the_bound() -> None:
    reporter = Reporter("value", None, target=25)
    assert not reporter.reached(20)
    assert reporter.tighter(30.0) == 25
    assert Reporter("travel", None, target=5, maximize=False).tighter(3.0) == 5


def test_the_parameters_set_time_threads_and_portfolio() -> None:
    deadline = time.time() + 30
    lp = cp_model.CpSolver().parameters
    StageParameters(deadline, seed=3, workers=2).set_parameters(lp, portfolio=Portfolio.LP)
    assert list(lp.subsolvers) == ["max_lp", "lb_tree_search"]
    assert lp.num_workers == 2 and lp.random_seed == 3 and 0 < lp.max_time_in_seconds <= 30
    one = cp_model.CpSolver().parameters
    StageParameters(deadline, workers=1).set_parameters(one, portfolio=Portfolio.DEFAULT)
    assert one.linearization_level == 2 and not one.subsolvers
    inter = cp_model.CpSolver().parameters
    StageParameters(deadline, workers=2, ignored=("fixed",)).set_parameters(
        inter, seconds=5.0, portfolio=Portfolio.INTERLEAVED
    )
    assert inter.interleave_search and list(inter.ignore_subsolvers) == ["fixed"]
    assert inter.max_time_in_seconds <= 5.0


def test_deterministic_mode_limits_the_work_not_the_clock() -> None:
    parameters = StageParameters(time.time() + 10, workers=2, deterministic=True)
    parameters.work.left = 4.0
    params = cp_model.CpSolver().parameters
    parameters.until(time.time() + 1).set_parameters(params)
    assert params.interleave_search
    assert params.max_deterministic_time == 4.0
    assert params.max_time_in_seconds == 13.0  # the wall clock only as a safety net
    model, value = _knapsack()
    run_stage(model, value, True, parameters, Reporter("value", None))
    assert parameters.work.left < 4.0  # the solve's work counted against the budget


def test_a_helper_model_s_limit_is_deterministic_time_in_deterministic_mode() -> None:
    params = cp_model.CpSolver().parameters
    limit_solver(params, 2.0)
    assert params.max_time_in_seconds == 2.0 and params.max_deterministic_time > 1e9
    params = cp_model.CpSolver().parameters
    limit_solver(params, 2.0, deterministic=True)
    # the work is fixed; the wall clock only a safety net at three times it
    assert params.max_deterministic_time == 2.0 and params.max_time_in_seconds == 7.0
