"""One stage runner for every solve (the round, the programme, the replan): the
parameters of a stage, its result and the reporter of its solutions.

A stage optimises one objective over a model that keeps the earlier stages' optima; it
may stop early at a `target`, a bound proven by another model (the counts). How CP-SAT
searches is set in one place, :meth:`StageParameters.set_parameters`:

- the time: the stage's deadline, or in deterministic mode CP-SAT's deterministic time
  (the wall clock then only a safety net at three times the budget);
- threads and seed;
- the subsolvers: ``Portfolio.LP`` adds a worker with the full LP relaxation and one
  running lb_tree_search (measured, benchmarks/README.md: they prove travel far sooner),
  ``Portfolio.DEFAULT`` keeps CP-SAT's own (it finds large rounds' rosters sooner),
  ``Portfolio.INTERLEAVED`` runs the interleaved search (deterministic whatever the
  threads) without the subsolvers listed in `ignored`.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from ortools.sat.python import cp_model

Progress = Callable[[str], None]


class Portfolio(Enum):
    """Which CP-SAT subsolvers a stage runs (see the module docstring)."""

    DEFAULT = "default"
    LP = "lp"
    INTERLEAVED = "interleaved"


def limit_solver(params: Any, seconds: float, deterministic: bool = False) -> None:
    """A helper model's time limit (the calendar's frontier, the counts' bounds and
    ranges): `seconds` of wall clock; in deterministic mode `seconds` of CP-SAT's
    deterministic time instead, so that the same input gives the same answer on any
    machine however loaded, with the wall clock only a safety net at three times it."""
    seconds = max(0.01, seconds)
    if deterministic:
        params.max_deterministic_time = seconds
        params.max_time_in_seconds = 3 * seconds + 1.0
    else:
        params.max_time_in_seconds = seconds


@dataclass
class WorkBudget:
    """Deterministic seconds left (deterministic mode), shared by a solve's stages."""

    left: float


@dataclass
class StageParameters:
    """Time, threads, seed, search mode and progress callback of a solve's stages."""

    deadline: float
    seed: int = 0
    workers: int = 1
    progress: Progress | None = None
    #: CP-SAT's interleaved search, limited in deterministic time (`work`)
    deterministic: bool = False
    #: deterministic seconds left for the stages (deterministic mode only); shared by the
    #: copies made for a stage's own deadline
    work: WorkBudget = field(default_factory=lambda: WorkBudget(0.0))
    #: with Portfolio.LP and more than two workers, CP-SAT's usual workers besides
    more_lp_workers: bool = True
    #: subsolvers the interleaved portfolio leaves out
    ignored: Sequence[str] = ()
    #: CP-SAT's probing in presolve (off: level 0, for large models where it costs more
    #: than it gives; see the round's travel stage)
    probing: bool = True

    def until(self, deadline: float) -> StageParameters:
        """The same parameters with an earlier deadline (the work budget shared)."""
        return dataclasses.replace(self, deadline=deadline)

    def share(self, part: float) -> float:
        """A deadline `part` of the way from now to this deadline."""
        now = time.time()
        return now + part * max(0.0, self.deadline - now)

    def set_parameters(
        self, params: Any, seconds: float | None = None, portfolio: Portfolio | None = None
    ) -> None:
        """Time limit (the deadline, or `seconds` if sooner), threads, seed and subsolvers;
        in deterministic mode the interleaved search, limited by the deterministic time
        left, with the wall clock only as a safety net at three times the budget."""
        now = time.time()
        wall = self.deadline - now if seconds is None else min(seconds, self.deadline - now)
        params.num_workers = self.workers
        params.random_seed = self.seed
        params.max_time_in_seconds = max(0.01, wall)
        if portfolio == Portfolio.LP:
            if self.workers >= 2:
                params.subsolvers.extend(["max_lp", "lb_tree_search"])
                if self.workers > 2 and self.more_lp_workers:
                    params.subsolvers.extend(["default_lp", "quick_restart", "core", "no_lp"])
            else:  # one worker: it needs the full LP
                params.linearization_level = 2
        elif portfolio == Portfolio.INTERLEAVED:
            params.interleave_search = True
            params.ignore_subsolvers.extend(self.ignored)
        elif self.workers == 1 and portfolio == Portfolio.DEFAULT:
            params.linearization_level = 2
        if not self.probing:
            params.cp_model_probing_level = 0
        if self.deterministic:
            params.interleave_search = True
            left = self.work.left
            params.max_deterministic_time = max(
                0.01, left if seconds is None else min(seconds, left)
            )
            params.max_time_in_seconds = max(0.01, 3 * left + 1.0)

    def spent(self, solver: cp_model.CpSolver) -> None:
        """Count a finished solve's deterministic time against the budget."""
        self.work.left -= solver.response_proto.deterministic_time


@dataclass
class StageResult:
    """Outcome of one stage: the CP-SAT status name, and when a solution was found,
    whether it is proven optimal, its objective value, the best bound, and the wall
    seconds the stage took."""

    status: str
    proven: bool = False
    value: int = 0
    bound: int = 0
    seconds: float = 0.0

    @property
    def found(self) -> bool:
        """Whether the stage found a solution."""
        return self.status in ("OPTIMAL", "FEASIBLE")


class Reporter(cp_model.CpSolverSolutionCallback):
    """Reports each improving solution of a stage; stops the search once the objective
    reaches `target`, a bound proven elsewhere (an upper bound of a maximised objective, a
    lower bound of a minimised one).

    A line reads ``stage: value (bound b, s)``, the value and bound divided by `scale`
    with `decimals` places; a maximised objective whose integer `scale` weighs whole
    companies (priority breaks ties) reads ``stage: companies (at most n, s)``."""

    def __init__(
        self,
        stage: str,
        progress: Progress | None,
        scale: float = 1.0,
        target: int | None = None,
        maximize: bool = True,
        decimals: int = 1,
        start: float | None = None,
    ) -> None:
        super().__init__()
        self.stage, self.progress, self.scale = stage, progress, scale
        #: elapsed times count from here (default: now)
        self.start = time.time() if start is None else start
        self.target, self.maximize, self.decimals = target, maximize, decimals

    def reached(self, value: float) -> bool:
        """Whether `value` meets the target (so it is optimal)."""
        if self.target is None:
            return False
        return round(value) >= self.target if self.maximize else round(value) <= self.target

    def tighter(self, bound: float) -> float:
        """The tighter of `bound` and the target (both proven)."""
        if self.target is None:
            return bound
        return min(bound, self.target) if self.maximize else max(bound, self.target)

    def on_solution_callback(self) -> None:
        if self.reached(self.objective_value):
            self.stop_search()
        if self.progress:
            self.progress(self.line(self.objective_value, self.tighter(self.best_objective_bound)))

    def line(self, value: float, bound: float) -> str:
        """The progress line of a solution."""
        elapsed = f"{time.time() - self.start:.1f} s"
        if self.maximize and self.scale > 1 and float(self.scale).is_integer():
            placed, scale = int(round(value)) // int(self.scale), int(self.scale)
            most = int(bound + 1e-6) // scale
            return f"{self.stage}: {placed} (at most {most}, {elapsed})"
        d = self.decimals
        return (
            f"{self.stage}: {value / self.scale:,.{d}f} "
            f"(bound {bound / self.scale:,.{d}f}, {elapsed})"
        )


def run_stage(
    model: cp_model.CpModel,
    objective: cp_model.LinearExprT,
    maximize: bool,
    parameters: StageParameters,
    reporter: cp_model.CpSolverSolutionCallback,
    portfolio: Portfolio | None = None,
    seconds: float | None = None,
) -> tuple[cp_model.CpSolver, StageResult]:
    """Optimise `objective` over `model` with `parameters` (at most `seconds`, wall or in
    deterministic mode deterministic), `reporter` watching; the result's proven, value and
    bound are CP-SAT's (a `Reporter` target is applied by :func:`at_target`)."""
    if maximize:
        model.maximize(objective)
    else:
        model.minimize(objective)
    solver = cp_model.CpSolver()
    parameters.set_parameters(solver.parameters, seconds, portfolio)
    started = time.time()
    status = solver.solve(model, reporter)
    parameters.spent(solver)
    seconds = round(time.time() - started, 3)
    name = solver.status_name(status)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return solver, StageResult(name, seconds=seconds)
    value, bound = round(solver.objective_value), round(solver.best_objective_bound)
    return solver, StageResult(name, status == cp_model.OPTIMAL, value, bound, seconds)


def at_target(result: StageResult, reporter: Reporter) -> StageResult:
    """The result with the reporter's target applied: reaching it proves the value; else
    the bound is the tighter of CP-SAT's and the target."""
    if not result.found:
        return result
    if reporter.reached(result.value):
        return dataclasses.replace(result, proven=True, bound=result.value)
    return dataclasses.replace(result, bound=round(reporter.tighter(result.bound)))
