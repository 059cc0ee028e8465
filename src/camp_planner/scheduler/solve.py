"""Solve a round: the assignment model in lexicographic stages, then dating the cohorts.

Stage 1 maximises the companies placed and then the total priority placed (one weighted
objective, lexicographic by its weight), stage 2 minimises travel; it keeps stage 1's optimum
and hands its solution to the next as a hint. Then `date_cohorts` splits members into
cohorts and dates them. Should members' blackout days make that impossible, the assignment
is cut off by a no-good and the stages rerun (exact, and rare: the model's calendar already
respects the facilitator's and the venues' days).
"""

from __future__ import annotations

import dataclasses
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from ortools.sat.python import cp_model

from camp_planner.models import PlanningProblem, Roster, Segment, SolverReport, SolverStatus, Step
from camp_planner.models.groups import cohorts_possible
from camp_planner.scheduler.assignment import AssignmentModel
from camp_planner.scheduler.calendar_frontier import CalendarCapacity, calendar_capacity
from camp_planner.scheduler.dates import (
    CohortPlan,
    DateHint,
    DatingProblem,
    PlanGroup,
    date_cohorts,
    plan_undatable,
)
from camp_planner.scheduler.placed_bound import stage1_bound
from camp_planner.scheduler.prepare import TRAVEL_UNITS_PER_KM, Prepared, prepare
from camp_planner.scheduler.result import build_roster, empty_roster

Progress = Callable[[str], None]
MAX_NO_GOODS = 50  # rounds of cuts before a roster that leaves members out


@dataclass
class StageResult:
    """Outcome of one lexicographic stage: the CP-SAT status name, and when a solution was
    found, whether it is proven optimal, its objective value and the best bound."""

    status: str
    proven: bool = False
    value: int = 0
    bound: int = 0

    @property
    def found(self) -> bool:
        """Whether the stage found a solution."""
        return self.status in ("OPTIMAL", "FEASIBLE")


class _Reporter(cp_model.CpSolverSolutionCallback):
    """Reports each improving solution of a stage; stops the search once a maximised
    objective reaches `target`, an upper bound proven elsewhere."""

    def __init__(
        self, stage: str, progress: Progress | None, scale: float, target: int | None
    ) -> None:
        super().__init__()
        self.stage, self.progress, self.scale, self.start = stage, progress, scale, time.time()
        self.target = target

    def on_solution_callback(self) -> None:
        if self.target is not None and round(self.objective_value) >= self.target:
            self.stop_search()
        if self.progress:
            value, bound = self.objective_value, self.best_objective_bound
            elapsed = f"{time.time() - self.start:.1f} s"
            if self.scale > 1 and float(self.scale).is_integer():
                # companies placed, weighted so that priority breaks ties: whole companies
                placed, scale = int(round(value)) // int(self.scale), int(self.scale)
                most = int(bound + 1e-6) // scale
                self.progress(f"{self.stage}: {placed} (at most {most}, {elapsed})")
            else:
                self.progress(
                    f"{self.stage}: {value / self.scale:,.1f} "
                    f"(bound {bound / self.scale:,.1f}, {elapsed})"
                )


@dataclass
class SolveSettings:
    """Time limit as an absolute deadline, seed, threads and a progress callback."""

    deadline: float
    seed: int
    workers: int
    progress: Progress | None


def solve_stage(
    master: AssignmentModel,
    name: str,
    objective: cp_model.LinearExprT,
    maximize: bool,
    settings: SolveSettings,
    scale: float = 1.0,
    lp_workers: bool = True,
    target: int | None = None,
) -> tuple[cp_model.CpSolver, StageResult]:
    """Optimise one objective over the model; its solution becomes the model's hint."""
    model = master.model
    if maximize:
        model.maximize(objective)
    else:
        model.minimize(objective)
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.max_time_in_seconds = max(0.01, settings.deadline - time.time())
    params.num_workers = settings.workers
    params.random_seed = settings.seed
    # Measured (benchmarks/README.md): for travel, a worker with the full LP relaxation
    # (max_lp) and one running lb_tree_search prove the optimum far sooner than the default
    # portfolio; for placing, the default portfolio finds rosters of large rounds far sooner.
    if lp_workers and settings.workers >= 2:
        params.subsolvers.extend(["max_lp", "lb_tree_search"])
        if settings.workers > 2:
            params.subsolvers.extend(["default_lp", "quick_restart", "core", "no_lp"])
    elif settings.workers == 1:  # one worker: it needs the full LP in every stage
        params.linearization_level = 2
    status = solver.solve(model, _Reporter(name, settings.progress, scale, target))
    status_name = solver.status_name(status)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return solver, StageResult(status_name)
    model.clear_hints()
    for var in (*master.x.values(), *master.n.values(), *master.w.values(), *master.y.values()):
        model.add_hint(var, solver.value(var))
    value, bound = round(solver.objective_value), round(solver.best_objective_bound)
    if target is not None and value >= target:  # reached a bound proven by another model
        return solver, StageResult(status_name, True, value, value)
    return solver, StageResult(status_name, status == cp_model.OPTIMAL, value, bound)


def cohort_plans(
    prep: Prepared, master: AssignmentModel, solver: cp_model.CpSolver
) -> tuple[list[CohortPlan], list[DateHint]]:
    """Per (segment, venue) with cohorts, the plan; and date hints from the calendar's
    packing for this number of Module 2 cohorts, cohort by cohort."""
    days = prep.days
    plans: list[CohortPlan] = []
    for (segment, vi), var in master.n.items():
        count = solver.value(var)
        if not count:
            continue
        groups = {}
        for (gi, v), xv in master.x.items():
            if v == vi and solver.value(xv) and prep.groups[gi].segment == segment:
                group = prep.groups[gi]
                blackout = days.indices_of(group.unavailable)
                groups[gi] = PlanGroup(group.participants, blackout, solver.value(xv))
        forbidden = days.indices_of(prep.venues[vi].unavailable)
        plans.append(CohortPlan(segment, vi, count, forbidden, groups))
    free: dict[Step, list[tuple[int, int]]] = defaultdict(list)
    capacity = master.capacity
    if capacity is not None and capacity.packings:
        n2 = sum(plan.count for plan in plans if plan.module == Step.MODULE2)
        packing = capacity.packings.get(n2) or max(capacity.packings.items())[1]
        for module, a, b in packing:
            free[module].append((a, b))
    hints = []
    for pi, plan in enumerate(plans):
        queue = free[plan.module]
        for _ in range(min(plan.count, len(queue))):
            a, b = queue.pop(0)
            hints.append(DateHint(pi, a, b))
    return plans, hints


def undatable_cuts(
    prep: Prepared,
    master: AssignmentModel,
    solver: cp_model.CpSolver,
    plans: list[CohortPlan],
) -> list[dict[str, int]]:
    """No-goods for an assignment that could not be dated. A (segment, venue) plan that
    cannot be dated even alone is cut off wherever its members could meet as they are:
    at its venue and at every venue with no unavailable days of its own. Otherwise the
    whole assignment is cut off."""
    rnd = prep.problem.round
    cuts = []
    for plan in plans:
        if not plan_undatable(prep.days, plan, rnd.cohort_min, rnd.cohort_max, 5.0):
            continue
        segment = plan.segment
        venues = {plan.venue} | {
            vi for vi in master.y if not prep.venues[vi].unavailable and not plan.forbidden
        }
        for vi in sorted(venues):
            if (segment, vi) not in master.n:
                continue
            cut = {master.n[segment, vi].name: plan.count}
            for gi, group in enumerate(prep.groups):
                if group.segment == segment and (gi, vi) in master.x:
                    members = plan.groups[gi].available if gi in plan.groups else 0
                    cut[master.x[gi, vi].name] = members
            cuts.append(cut)
    if not cuts:
        cuts.append({name: solver.value(var) for name, var in master.assignment_vars().items()})
    return cuts


def round_capacity(prep: Prepared, seconds: float, seed: int) -> CalendarCapacity:
    """The calendar's frontier for as many cohorts as the companies could fill."""
    rnd = prep.problem.round
    people: dict[Segment, int] = defaultdict(int)
    for group in prep.groups:
        people[group.segment] += group.size * group.participants
    most = {
        module: sum(
            cohorts_possible(p, rnd.cohort_min) for s, p in people.items() if s.module == module
        )
        for module in (Step.MODULE1, Step.MODULE2)
    }
    return calendar_capacity(
        prep.days, rnd.facilitators, most[Step.MODULE1], most[Step.MODULE2], seconds, seed
    )


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
    capacity = round_capacity(prep, min(20.0, 0.25 * time_limit), seed)
    cuts: list[dict[str, int]] = []
    rounds = 0
    while True:
        master = AssignmentModel(prep, cuts=list(cuts), capacity=capacity)
        # Stage 1: most companies, then (in the same objective: the weight makes it
        # lexicographic) the highest total priority placed.
        weight = 1 + sum(g.priority * g.size for g in prep.groups)
        # The counts-only bound stops stage 1 as soon as a roster reaches it (as a
        # constraint in the model it slowed large rounds down: measured on 3,000 companies).
        bound = stage1_bound(prep, capacity, weight, min(10.0, 0.1 * time_limit), seed)
        solver, first = solve_stage(
            master,
            "companies placed",
            weight * master.placed() + master.priority(),
            True,
            settings,
            scale=weight,
            lp_workers=False,
            target=bound,
        )
        if not first.found:
            return empty_roster(prep, started, first.status, time_limit)
        proven = first.proven
        placed_value, priority_value = divmod(first.value, weight)
        master.model.add(master.placed() >= placed_value)
        master.model.add(master.priority() >= priority_value)
        # Leave time to form and date the cohorts afterwards.
        reserve = min(30.0, 0.1 * time_limit)
        travel_settings = dataclasses.replace(settings, deadline=settings.deadline - reserve)
        solver3, travel = solve_stage(
            master, "travel km", master.travel_units(), False, travel_settings, TRAVEL_UNITS_PER_KM
        )
        if not travel.found:  # out of time before any solution of this stage: keep the last
            proven = False
        else:
            solver, proven = solver3, proven and travel.proven
        plans, hints = cohort_plans(prep, master, solver)
        dating = DatingProblem(
            prep.days, plans, hints, rnd.cohort_min, rnd.cohort_max, rnd.facilitators, seed
        )
        dated = date_cohorts(dating, seconds=settings.deadline - time.time())
        if dated is not None:
            status = SolverStatus.OPTIMAL if proven else SolverStatus.FEASIBLE
            report = SolverReport(
                status=status,
                wall_time_s=round(time.time() - started, 3),
                best_bound=travel.bound / TRAVEL_UNITS_PER_KM if travel.found else None,
                placed_bound=min(first.bound // weight, sum(g.size for g in prep.groups)),
            )
            return build_roster(prep, plans, dated, report)
        if progress:
            progress("members' unavailable days rule out this assignment; trying the next best")
        cuts.extend(undatable_cuts(prep, master, solver, plans))
        rounds += 1
        if time.time() > settings.deadline or rounds > MAX_NO_GOODS:
            # Give up on proof: keep this assignment and leave out the members who cannot
            # meet (they are reported unplaced), rather than return nothing.
            dated = date_cohorts(dating, repair=True, seconds=5.0)
            if dated is not None:
                report = SolverReport(
                    status=SolverStatus.FEASIBLE,
                    wall_time_s=round(time.time() - started, 3),
                    message="some members could not meet on any common dates and were left out",
                )
                return build_roster(prep, plans, dated, report)
            break
    return empty_roster(prep, started, "no datable assignment found", time_limit)
