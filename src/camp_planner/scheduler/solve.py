"""Solve a round: the assignment model in lexicographic stages, then dating the cohorts.

Stage 1 maximises the companies placed and then the total priority placed (one weighted
objective, lexicographic by its weight), stage 2 minimises travel; it keeps stage 1's optimum
and hands its solution to the next as a hint. Then `date_cohorts` splits members into
cohorts and dates them. Should members' blackout days make that impossible, the assignment
is cut off by a no-good and the stages rerun (exact, and rare: the model's calendar already
respects the facilitator's and the venues' days).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from camp_planner.models import PlanningProblem, Roster, SolverReport, SolverStatus
from camp_planner.scheduler.dates import CohortPlan, date_cohorts
from camp_planner.scheduler.master import MasterModel
from camp_planner.scheduler.prepare import TRAVEL_UNITS_PER_KM, Prepared, prepare
from camp_planner.scheduler.result import build_roster, empty_roster

Progress = Callable[[str], None]
MAX_NO_GOODS = 20


@dataclass
class StageResult:
    """Outcome of one lexicographic stage."""

    proven: bool
    value: int
    bound: int


class _Reporter(cp_model.CpSolverSolutionCallback):
    """Reports each improving solution of a stage."""

    def __init__(self, stage: str, progress: Progress | None, scale: float) -> None:
        super().__init__()
        self.stage, self.progress, self.scale, self.start = stage, progress, scale, time.time()

    def on_solution_callback(self) -> None:
        if self.progress:
            self.progress(
                f"{self.stage}: {self.ObjectiveValue() / self.scale:,.1f} "
                f"(bound {self.BestObjectiveBound() / self.scale:,.1f}, "
                f"{time.time() - self.start:.1f} s)"
            )


@dataclass
class SolveSettings:
    """Time limit as an absolute deadline, seed, threads and a progress callback."""

    deadline: float
    seed: int
    workers: int
    progress: Progress | None


def solve_stage(
    master: MasterModel,
    name: str,
    objective: cp_model.LinearExprT,
    maximize: bool,
    settings: SolveSettings,
    scale: float = 1.0,
) -> tuple[cp_model.CpSolver, StageResult | None]:
    """Optimise one objective over the model; its solution becomes the model's hint."""
    model = master.model
    if maximize:
        model.Maximize(objective)
    else:
        model.Minimize(objective)
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.max_time_in_seconds = max(0.01, settings.deadline - time.time())
    params.num_workers = settings.workers
    params.random_seed = settings.seed
    # Measured (benchmarks/README.md): a worker with the full LP relaxation (max_lp) and
    # one running lb_tree_search prove the travel optimum far sooner than the defaults.
    if settings.workers >= 2:
        params.subsolvers.extend(["max_lp", "lb_tree_search"])
        if settings.workers > 2:
            params.subsolvers.extend(["default_lp", "quick_restart", "core", "no_lp"])
    else:
        params.linearization_level = 2
    status = solver.Solve(model, _Reporter(name, settings.progress, scale))
    master.last_status = solver.status_name(status)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return solver, None
    model.ClearHints()
    for var in (
        *master.x.values(),
        *master.n.values(),
        *master.w.values(),
        *master.y.values(),
        *master.z.values(),
    ):
        model.AddHint(var, solver.Value(var))
    value, bound = round(solver.ObjectiveValue()), round(solver.BestObjectiveBound())
    return solver, StageResult(status == cp_model.OPTIMAL, value, bound)


def cohort_plans(
    prep: Prepared, master: MasterModel, solver: cp_model.CpSolver
) -> tuple[list[tuple[CohortPlan, int]], list[tuple[int, int, int]]]:
    """Per (segment, venue) with cohorts: the plan and its cohort count; and date hints
    (plan index, module start, lab day) from the model's calendar."""
    days = prep.days
    plans: list[tuple[CohortPlan, int]] = []
    for (segment, vi), var in master.n.items():
        count = solver.Value(var)
        if not count:
            continue
        groups = {}
        for (gi, v), xv in master.x.items():
            if v == vi and solver.Value(xv) and prep.groups[gi].segment == segment:
                group = prep.groups[gi]
                blackout = days.indices_of(group.unavailable)
                groups[gi] = (group.participants, blackout, solver.Value(xv))
        forbidden = days.indices_of(prep.venues[vi].unavailable)
        plans.append((CohortPlan((segment, vi), segment.module, vi, forbidden, groups), count))
    free: dict[tuple[int, object], list[tuple[int, int]]] = defaultdict(list)
    for (key, module, a, b), var in sorted(master.z.items(), key=lambda kv: kv[0][2:]):
        free[key, module].extend([(a, b)] * solver.Value(var))
    hints = []
    for pi, (plan, count) in enumerate(plans):
        queue = free[master.calendar_key(plan.venue), plan.module]
        for _ in range(min(count, len(queue))):
            a, b = queue.pop(0)
            hints.append((pi, a, b))
    return plans, hints


def solve(
    problem: PlanningProblem,
    time_limit: float = 60.0,
    seed: int = 0,
    workers: int = 2,
    progress: Progress | None = None,
) -> Roster:
    """The roster placing the most companies, then the highest total priority, then the
    least travel, that every rule allows. Every company is a member or in `unplaced`.

    Args:
        problem: the validated round.
        time_limit: wall-clock seconds for the whole solve.
        seed: CP-SAT random seed; same input, seed and workers give the same roster.
        workers: CP-SAT threads.
        progress: called with a line of text on each improvement.
    """
    started = time.time()
    settings = SolveSettings(started + time_limit, seed, workers, progress)
    prep = prepare(problem)
    rnd = problem.round
    cuts: list[dict[str, int]] = []
    for _ in range(MAX_NO_GOODS + 1):
        master = MasterModel(prep, cuts=list(cuts))
        # Stage 1: most companies, then (in the same objective: the weight makes it
        # lexicographic) the highest total priority placed.
        weight = 1 + sum(g.priority * g.size for g in prep.groups)
        solver, first = solve_stage(
            master,
            "companies placed",
            weight * master.placed() + master.priority(),
            True,
            settings,
            scale=weight,
        )
        if first is None:
            return empty_roster(prep, started, master.last_status, time_limit)
        proven = first.proven
        placed_value, priority_value = divmod(first.value, weight)
        master.model.Add(master.placed() >= placed_value)
        master.model.Add(master.priority() >= priority_value)
        solver3, travel = solve_stage(
            master, "travel km", master.travel_units(), False, settings, TRAVEL_UNITS_PER_KM
        )
        if travel is None:  # out of time before any solution of this stage: keep the last
            proven = False
        else:
            solver, proven = solver3, proven and travel.proven
        plans, hints = cohort_plans(prep, master, solver)
        dated = date_cohorts(
            prep.days, plans, hints, rnd.cohort_min, rnd.cohort_max, rnd.facilitators, seed
        )
        if dated is not None:
            status = SolverStatus.OPTIMAL if proven else SolverStatus.FEASIBLE
            report = SolverReport(
                status=status,
                wall_time_s=round(time.time() - started, 3),
                best_bound=None if travel is None else travel.bound / TRAVEL_UNITS_PER_KM,
                placed_bound=first.bound // weight,
            )
            return build_roster(prep, plans, dated, report)
        if progress:
            progress("members' unavailable days rule out this assignment; trying the next best")
        cuts.append({name: solver.Value(var) for name, var in master.assignment_vars().items()})
        if time.time() > settings.deadline:
            break
    return empty_roster(prep, started, "no datable assignment found", time_limit)
