"""Replan a published roster: four lexicographic CP-SAT stages over one model.

1. *kept*: the most companies of the published roster keep a place;
2. *placed*: then the most companies placed (late sign-ups and waiting companies take free
   places or new cohorts), and among those the highest total priority (as ``roster``:
   priority + level_priority, then longest waiting), in one weighted objective;
3. *changes*: then the least weighted change (companies moved, cohorts moved to another
   venue, sessions re-dated, cohorts cancelled; :class:`ChangeCost`);
4. *travel*: then the least travel.

How the stages are solved. Kept, placed and priority are one number (each part weighs
more than everything after it can add). The first solve maximises that number times a
weight above any change cost, minus the changes, so that it already prefers rosters close
to the published one. The optimum of the counts-only relaxation of
:mod:`~camp_planner.replan.bound` bounds the number in the model, so that CP-SAT proves it
as soon as a roster reaches it; the solve runs until it has proven its whole objective
(the number, then the fewest changes) or until its share of the time. It is never stopped
from a callback: such a stop lands at a moment that depends on the threads' timing, and
among rosters tied in every stage a loaded machine could then keep another one. With the
interleaved search (deterministic whatever the threads) and the bound's solve limited in
deterministic time, the same input, seed and workers give the same replan whenever the
stages end by proof. When the first solve has not proven the changes, a second solve keeps
the number and proves the fewest changes; the last keeps both and minimises travel. Each solve's
solution is the next one's hint; the first is hinted the published roster itself (with
free places offered to the others).
A solve that ends at the time limit keeps its best solution, and the roster is reported
``FEASIBLE`` with what was not proven.
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from camp_planner.engine import stages
from camp_planner.engine.stages import Portfolio, Progress, StageParameters
from camp_planner.engine.units import TRAVEL_UNITS_PER_KM, placement_priority
from camp_planner.models import SESSION_DAYS, PlanningProblem
from camp_planner.replan.bound import places_bound
from camp_planner.replan.model import ReplanModel
from camp_planner.replan.setup import ChangeCost, Setup

#: CP-SAT subsolvers left out of the interleaved search: each takes a turn in every round
#: of it, and on the 300-company benchmark these never found a solution or a bound first
#: (benchmarks/README.md); LP, max-LP, core and the LNS workers remain.
IGNORED_SUBSOLVERS = (
    "fixed",
    "max_lp_sym",
    "pseudo_costs",
    "quick_restart",
    "quick_restart_no_lp",
    "reduced_costs",
    "no_lp",
)


class ReplanInfeasible(Exception):
    """No replanned roster meets the rules (and the pins); the message says why.
    `proven`: none exists (rather than none found in time)."""

    def __init__(self, message: str, proven: bool = False) -> None:
        super().__init__(message)
        self.proven = proven


def feasible(setup: Setup, costs: ChangeCost, seconds: float = 5.0) -> bool:
    """Whether some roster meets the rules, the cohorts that have met and the pins (an
    unknown answer counts as yes)."""
    rm = ReplanModel(setup, costs)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 1
    return solver.solve(rm.model) != cp_model.INFEASIBLE


@dataclass
class StageResult:
    """One stage: its objective value, the best bound proven, whether proven optimal."""

    name: str
    #: places kept and companies placed: companies; changes: weighted; travel: km
    value: float
    bound: float
    proven: bool
    seconds: float


@dataclass
class Solved:
    """The model after the stages, with the solver holding the final solution."""

    setup: Setup
    model: ReplanModel
    solver: cp_model.CpSolver
    stages: list[StageResult] = field(default_factory=list)

    def value(self, var: cp_model.IntVar) -> int:
        """The final value of a variable."""
        return int(self.solver.value(var))

    @property
    def changes_proven(self) -> bool:
        """Whether kept, placed and changes were all proven optimal."""
        return all(s.proven for s in self.stages if s.name != "travel km")


@dataclass
class Settings:
    """Deadline, seed, workers and progress callback of one replan."""

    deadline: float
    seed: int = 0
    workers: int = 1
    progress: Progress | None = None
    #: when the replan started (its time limit is deadline - started)
    started: float = field(default_factory=time.time)


def placement_weights(problem: PlanningProblem) -> dict[str, int]:
    """company_id -> who goes first as one number, as ``roster`` (`engine.units`)."""
    return placement_priority(problem)


def hint_published(rm: ReplanModel, weights: dict[str, int]) -> None:
    """Hint the published roster: every published cohort as it was, no new cohort; and
    each other company (who goes first first) in the published cohort with a free place
    nearest to it whose venue and dates it can take."""
    m, setup = rm.model, rm.setup
    for s in setup.slots:
        sv = rm.slot[s.index]
        m.add_hint(rm.a[s.index], 1 if s.existing else 0)
        for vid in s.venues:
            m.add_hint(rm.u[s.index, vid], 1 if s.existing and vid == s.old_venue else 0)
        if s.old_start is not None:
            m.add_hint(sv.start, s.old_start)
        if s.old_lab is not None:
            m.add_hint(sv.lab, s.old_lab)
        if s.existing:
            m.add_hint(rm.same_start[s.index], int(s.old_start is not None))
            m.add_hint(rm.same_lab[s.index], int(s.old_lab is not None))
    at = {s.old_venue for s in setup.slots if s.existing} | {c.venue_id for c in setup.history}
    for vid, used in rm.used.items():
        m.add_hint(used, int(vid in at))
    index_of = {s.cohort_id: s.index for s in setup.slots if s.existing}
    chosen = {cid: index_of[old] for cid, old in setup.previous.items()}
    people = {s.index: 0 for s in setup.slots}
    for cid, j in chosen.items():
        people[j] += setup.companies[cid].participants
    rnd = setup.problem.round
    others = sorted((c for c in setup.companies if c not in chosen), key=lambda c: -weights[c])
    for cid in others:
        size, blackout = setup.companies[cid].participants, setup.blackout[cid]
        options = [
            (setup.allowed[cid][s.old_venue], s.index)
            for s in setup.slots
            if (cid, s.index) in rm.x
            and s.old_venue in setup.allowed[cid]
            and people[s.index] + size <= rnd.cohort_max
            and s.old_start is not None
            and s.old_lab not in blackout
            and not any(s.old_start + k in blackout for k in range(SESSION_DAYS[s.module]))
        ]
        if options:
            j = min(options)[1]
            chosen[cid] = j
            people[j] += size
    for (cid, j), x in rm.x.items():
        m.add_hint(x, 1 if chosen.get(cid) == j else 0)


class _Watch(cp_model.CpSolverSolutionCallback):
    """Reports each solution's `goal` and says, once the solve is over, whether the best
    one is proven: it reaches `target` (a value proven the best it can be), or the
    objective's bound proves that `goal` cannot beat it (with the objective
    ``weight * goal - rest``, 0 <= rest < `slack` <= weight, a bound below
    ``weight * (goal + 1) - slack`` leaves no room for a higher goal).

    It never stops the search: a stop from a callback lands at a moment that depends on
    the threads' timing, so that among rosters tied in every stage a loaded machine could
    keep another one. The solve ends by CP-SAT's own proof (the target is a constraint of
    the model, see `solve_stages`) or at the time limit."""

    def __init__(
        self,
        goal: cp_model.LinearExprT,
        target: int | None,
        stage: str,
        progress: Progress | None,
        weight: tuple[int, int] | None = None,
    ) -> None:
        super().__init__()
        self.goal, self.target, self.stage, self.progress = goal, target, stage, progress
        self.weight = weight
        self.best: int | None = None

    def settled(self, bound: float) -> bool:
        """Whether the best goal found is proven (by the target or by `bound`)."""
        if self.best is None:
            return False
        if self.target is not None and self.best == self.target:
            return True
        return self.weight is not None and bound < self.weight[0] * (self.best + 1) - self.weight[1]

    def on_solution_callback(self) -> None:
        self.best = int(self.value(self.goal))
        if self.progress:
            self.progress(f"{self.stage}: {self.best}")


@dataclass
class Run:
    """One CP-SAT solve: the solver, whether it proved the objective optimal, the
    objective's bound, and the seconds it took."""

    solver: cp_model.CpSolver
    found: bool
    optimal: bool
    bound: float
    seconds: float
    #: the goal was proven (optimal, at its target, or ruled out better by the bound)
    settled: bool = False


def run_stage(
    rm: ReplanModel,
    name: str,
    objective: cp_model.LinearExprT,
    maximize: bool,
    deadline: float,
    settings: Settings,
    goal: tuple[cp_model.LinearExprT, int | None] | None = None,
    weight: tuple[int, int] | None = None,
) -> Run:
    """Optimise `objective` until it is proven optimal or `deadline`; the solution becomes
    the model's hint. ``Run.settled`` says whether ``goal[0]`` was proven: optimal, at
    ``goal[1]``, or (with `weight`) the bound rules out better (:class:`_Watch`)."""
    model = rm.model
    # Interleaved search is deterministic whatever the threads (CP-SAT's documentation),
    # so that the same folder, roster and seed give the same replan: among rosters equal in
    # every stage, a parallel race would otherwise pick one at random.
    parameters = StageParameters(
        max(deadline, time.time() + 0.05),
        settings.seed,
        settings.workers,
        ignored=IGNORED_SUBSOLVERS,
    )
    watch = goal or (objective, None)
    stop = _Watch(watch[0], watch[1], name, settings.progress, weight)
    solver, result = stages.run_stage(
        model, objective, maximize, parameters, stop, portfolio=Portfolio.INTERLEAVED
    )
    seconds = result.seconds
    if not result.found:
        return Run(solver, False, result.status == "INFEASIBLE", 0.0, seconds)
    model.clear_hints()
    for var in rm.decision_vars():
        model.add_hint(var, solver.value(var))
    bound = solver.best_objective_bound
    settled = result.proven or stop.settled(bound)
    return Run(solver, True, result.proven, bound, seconds, settled)


def _share(settings: Settings, part: float) -> float:
    """A deadline `part` of the way from now to the replan's deadline."""
    now = time.time()
    return now + part * max(0.0, settings.deadline - now)


@dataclass
class _Weights:
    """The first solve's objective, ``weight * places - cost``: places is
    ``big * kept + scale * placed + priority`` (each part weighs more than all after it)."""

    scale: int
    big: int
    most_rest: int
    most_cost: int

    @property
    def weight(self) -> int:
        """A place weighs more than any change cost."""
        return self.most_cost + 1


def _weights(setup: Setup, costs: ChangeCost, weights: dict[str, int]) -> _Weights:
    scale = 1 + sum(weights[c] for c in setup.companies)
    most_rest = scale * len(setup.companies) + sum(weights[c] for c in setup.companies)
    most_cost = costs.moved * len(setup.companies) + sum(
        costs.venue + 2 * costs.dates + costs.cancelled for s in setup.slots if s.existing
    )
    return _Weights(scale, most_rest + 1, most_rest, most_cost)


def _places(
    rm: ReplanModel, w: _Weights, weights: dict[str, int], settings: Settings
) -> tuple[Run, cp_model.LinearExpr, int | None]:
    """The first solve: places (kept, placed, priority as one number), bounded by the
    counts, and then the fewest changes; its run, the places expression and the bound."""
    # A share of the time limit (not of the time left, which depends on the load).
    seconds = min(5.0, max(0.5, 0.1 * (settings.deadline - settings.started)))
    target = places_bound(rm, weights, w.scale, w.big, seconds, settings.seed)
    places = w.big * rm.kept() + w.scale * rm.placed() + rm.priority(weights)
    if target is not None:
        # A proven upper bound (every replanned roster is a solution of the counts): as a
        # constraint it lets CP-SAT prove the places at once when a roster reaches it.
        rm.model.add(places <= target)
    first = run_stage(
        rm,
        "places",
        w.weight * places - rm.change_cost(),
        True,
        _share(settings, 0.6),
        settings,
        goal=(places, target),
        weight=(w.weight, w.most_cost),
    )
    if not first.found:
        if first.optimal:
            raise ReplanInfeasible(
                "no roster keeps the cohorts that have met, the pins and the round's rules",
                proven=True,
            )
        raise ReplanInfeasible("no roster found within the time limit")
    return first, places, target


def _places_report(
    rm: ReplanModel, w: _Weights, first: Run, value: int, target: int | None
) -> list[StageResult]:
    """Places kept and companies placed, with the bounds the first solve proved."""
    setup = rm.setup
    proven = first.settled
    top = value if proven else int((first.bound + w.most_cost) // w.weight)
    if target is not None:
        top = min(top, target)
    kept = value // w.big
    placed = first.solver.value(rm.placed()) + len(setup.history_members)
    most_kept = len({cid for cid, _ in rm.x if cid in setup.previous})
    kept_top = min(most_kept, top // w.big)
    placed_top = (top % w.big if kept_top == kept else w.most_rest) // w.scale
    return [
        StageResult("places kept", kept, kept_top, proven, first.seconds),
        StageResult(
            "companies placed", placed, placed_top + len(setup.history_members), proven, 0.0
        ),
    ]


def solve_stages(setup: Setup, costs: ChangeCost, settings: Settings) -> Solved:
    """The four stages (see the module's docstring). The first solve optimises places and
    changes together (places weigh more than any change), the places bounded by the
    counts; when it has not proven the changes, a stage of its own does.

    Raises:
        ReplanInfeasible: no roster meets the rules, the cohorts that have met and the pins.
    """
    rm = ReplanModel(setup, costs)
    weights = placement_weights(setup.problem)
    hint_published(rm, weights)
    w = _weights(setup, costs, weights)
    first, places, target = _places(rm, w, weights, settings)
    solver, cost = first.solver, rm.change_cost()
    value, cost_value = solver.value(places), solver.value(cost)
    stages = _places_report(rm, w, first, value, target)
    rm.model.add(places >= value)
    if first.optimal:  # places and then changes proven together
        stages.append(StageResult("changes", cost_value, cost_value, True, 0.0))
    else:
        run = run_stage(rm, "changes", cost, False, _share(settings, 0.8), settings, goal=(cost, 0))
        if run.found:
            solver, cost_value = run.solver, run.solver.value(cost)
            done = run.optimal or cost_value == 0
            bound = cost_value if done else math.ceil(run.bound)
            stages.append(StageResult("changes", cost_value, bound, done, run.seconds))
    rm.model.add(cost <= cost_value)
    likely: dict[int, list[str]] = defaultdict(list)
    for (cid, j), x in rm.x.items():
        if solver.value(x):
            likely[j].append(cid)
    travel = rm.add_travel(likely)
    run = run_stage(rm, "travel km", travel, False, settings.deadline, settings)
    if not run.found:  # nothing in time: the last solution has no travel values
        raise ReplanInfeasible("no travel could be computed within the time limit")
    km = run.solver.value(travel) / TRAVEL_UNITS_PER_KM
    low = km if run.optimal else math.ceil(run.bound) / TRAVEL_UNITS_PER_KM
    stages.append(StageResult("travel km", km, low, run.optimal, run.seconds))
    return Solved(setup, rm, run.solver, stages)
