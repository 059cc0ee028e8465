"""A programme stage's outcome as programme.json reports it, run on the engine's stage
runner (`engine.stages`)."""

from __future__ import annotations

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
        stage.value, stage.bound = result.value, result.bound
        if reporter.reached(stage.value):
            stage.status, stage.bound = "OPTIMAL", stage.value
        pm.model.clear_hints()
        for var in (*pm.x.values(), *pm.n.values(), *pm.w.values(), *pm.y.values()):
            pm.model.add_hint(var, solver.value(var))
    return solver, stage


def rehint(pm: ProgrammeModel, hint: dict[cp_model.IntVar, int]) -> None:
    pm.model.clear_hints()
    for var, value in hint.items():
        pm.model.add_hint(var, value)
