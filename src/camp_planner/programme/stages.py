"""A programme stage's outcome as programme.json reports it, run on the engine's stage
runner (`engine.stages`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ortools.sat.python import cp_model

from camp_planner.engine.stages import Portfolio, Progress, Reporter, StageParameters, run_stage
from camp_planner.programme.model import ProgrammeModel


@dataclass
class Stage:
    """One lexicographic stage's outcome."""

    name: str
    status: str
    value: int = 0
    bound: int = 0
    #: the value in words (programme.json's stages: a coordinator reads these, not numbers)
    words: str = ""

    @property
    def found(self) -> bool:
        """A solution was found."""
        return self.status in ("OPTIMAL", "FEASIBLE")

    @property
    def proven(self) -> bool:
        """Proven optimal."""
        return self.status == "OPTIMAL"


def programme_stage(
    pm: ProgrammeModel,
    name: str,
    objective: cp_model.LinearExprT,
    maximize: bool,
    deadline: float,
    seed: int,
    workers: int,
    progress: Progress | None,
    started: float,
    target: int | None = None,
) -> tuple[cp_model.CpSolver, Stage]:
    """One stage on the engine's runner (the LP workers: max_lp and lb_tree_search); it
    stops at `target`, a bound proven by the counts-only model."""
    parameters = StageParameters(deadline, seed, workers, progress, more_lp_workers=False)
    reporter = Reporter(name, progress, target=target, decimals=0, start=started)
    solver, result = run_stage(pm.model, objective, maximize, parameters, reporter, Portfolio.LP)
    stage = Stage(name, result.status)
    if stage.found:
        # the bound: the tighter of CP-SAT's and the target (both proven)
        stage.value, stage.bound = result.value, round(reporter.tighter(result.bound))
        if reporter.reached(stage.value):
            stage.status, stage.bound = "OPTIMAL", stage.value
        rehint(pm, solution_of(pm, solver))
    return solver, stage


#: a programme's values of the model's decisions (x, n, w, y)
Solution = dict[cp_model.IntVar, int]


def solution_of(pm: ProgrammeModel, solver: cp_model.CpSolver) -> Solution:
    """The values of x, n, w and y in `solver`'s solution."""
    return {var: solver.value(var) for var in pm.decisions()}


def rehint(pm: ProgrammeModel, hint: Mapping[cp_model.IntVar, int]) -> None:
    """`hint` as the model's only hint."""
    pm.model.clear_hints()
    for var, value in hint.items():
        pm.model.add_hint(var, value)


def is_feasible(
    pm: ProgrammeModel, solution: Mapping[cp_model.IntVar, int], seconds: float
) -> bool:
    """Whether `solution` keeps every constraint of the model as it is now (the rules and
    the earlier stages' optima): CP-SAT with the decisions fixed to it. The hint is left
    as `solution`."""
    rehint(pm, solution)
    solver = cp_model.CpSolver()
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = max(0.1, seconds)
    return solver.solve(pm.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
