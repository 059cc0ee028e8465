"""Solve a round: the assignment model in lexicographic stages, then dating the cohorts.

Stage 1 maximises the companies placed and then the total priority placed (one weighted
objective, lexicographic by its weight). When the round allows online or mixed cohorts,
the next stage minimises the places in them (`AssignmentModel.remedy_use`), keeping stage
1's optimum: a remedy is used only where it places more companies (or more priority),
never to shorten anyone's travel. The last stage minimises travel, keeping every earlier
optimum; each stage hands its solution to the next as a hint. Then `date_cohorts` splits
members into cohorts and dates them. Should members' blackout days make that impossible,
the assignment is cut off by a no-good and the stages rerun (exact, and rare: the model's
calendar already respects the facilitator's and the venues' days).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from camp_planner.engine.stages import (
    Portfolio,
    Progress,
    Reporter,
    StageParameters,
    StageResult,
    at_target,
    run_stage,
)
from camp_planner.engine.units import TRAVEL_UNITS_PER_KM as UNITS
from camp_planner.models import PlanningProblem, Roster, Segment, SolverReport, SolverStatus
from camp_planner.scheduler.assignment import AssignmentModel
from camp_planner.scheduler.cohort_plans import cohort_plans, undatable_cuts
from camp_planner.scheduler.dates import DatingProblem, date_cohorts
from camp_planner.scheduler.dominance import forbidden_pairs
from camp_planner.scheduler.kinds import Kind
from camp_planner.scheduler.near_start import near_start
from camp_planner.scheduler.placed_bound import (
    CountRanges,
    RemedyPlan,
    count_ranges,
    remedy_bound,
    remedy_pool_bounds,
    round_capacity,
    stage1_bound,
)
from camp_planner.scheduler.prepare import prepare
from camp_planner.scheduler.result import build_roster, empty_roster
from camp_planner.scheduler.roster_hints import RosterHints, travel_of
from camp_planner.scheduler.start import checked_start, counts_start

__all__ = ["Progress", "remedies_can_act", "round_capacity", "solve"]

MAX_NO_GOODS = 50  # rounds of cuts before a roster that leaves members out
#: assignment variables above which the travel stage's presolve does without probing
#: (measured, benchmarks/README.md "What was tried" row 35: 1,000 companies with one
#: facilitator, 15,561 variables, proven 2-3 s sooner without; 300 companies, 4,561
#: variables, slower without on some instances)
PROBING_LIMIT = 10_000


def solve_stage(
    master: AssignmentModel,
    name: str,
    objective: cp_model.LinearExprT,
    maximize: bool,
    settings: StageParameters,
    scale: float = 1.0,
    lp_workers: bool = True,
    target: int | None = None,
) -> tuple[cp_model.CpSolver, StageResult]:
    """Optimise one objective over the model; its solution becomes the model's hint.
    Measured (benchmarks/README.md): for travel, a worker with the full LP relaxation
    (max_lp) and one running lb_tree_search prove the optimum far sooner than the default
    portfolio; for placing, the default portfolio finds rosters of large rounds far sooner."""
    reporter = Reporter(name, settings.progress, scale, target, maximize)
    portfolio = Portfolio.LP if lp_workers else Portfolio.DEFAULT
    solver, result = run_stage(master.model, objective, maximize, settings, reporter, portfolio)
    if result.found:
        master.hint_solution(solver)
    return solver, at_target(result, reporter)


def guide_by_counts(
    master: AssignmentModel,
    pools: Mapping[tuple[Segment, tuple[Kind, bool]], int],
    settings: StageParameters,
    seconds: float,
    weight: int,
    placed_value: int,
) -> bool:
    """Look for a roster reaching `placed_value` (weight * placed + priority) with its
    online and mixed places where a counts-only optimum puts them (per segment and kind);
    when one is found in `seconds`, it becomes the model's hint, so the stages start at
    their counts bounds, which proves them at once (measured on 300 companies with A+B:
    from stage 1's roster the fewest mixed places were not reached in 86 s; guided, 5.5 s)."""
    guided = master.model.clone()

    def same(v: cp_model.IntVar) -> cp_model.IntVar:
        return guided.get_int_var_from_proto_index(v.index)

    for key, terms in master.remedy_pools().items():
        guided.add(sum(same(v) for v in terms) == pools.get(key, 0))
    groups = master.prep.groups
    guided.add(
        sum((weight + groups[gi].priority) * same(v) for (gi, _, _), v in master.x.items())
        >= placed_value
    )
    guided.clear_objective()
    solver = cp_model.CpSolver()
    settings.set_parameters(solver.parameters, seconds)
    status = solver.solve(guided)
    settings.spent(solver)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return False
    master.hint_solution(solver)
    return True


def remedies_can_act(problem: PlanningProblem) -> bool:
    """Whether the round's remedies (online cohorts, mixing) could change its roster: some
    company could be placed in an online or a mixed cohort. When not, the round solves
    exactly as without them."""
    return AssignmentModel(prepare(problem)).uses_remedies()


@dataclass
class RoundSolve:
    """One round's solve, phase by phase (`solve` runs them in order): what each phase
    leaves for the next."""

    problem: PlanningProblem
    time_limit: float
    settings: StageParameters
    started: float
    hints: Sequence[Roster] = ()
    #: no-goods: assignments whose members' unavailable days left them no dates
    cuts: list[dict[str, int]] = field(default_factory=list)
    #: (group, venue) pairs no optimal roster needs (`dominance`)
    forbidden: frozenset[tuple[int, int]] = frozenset()
    #: weight of a company placed in stage 1's objective (priority breaks ties)
    weight: int = 1
    first: StageResult = field(default_factory=lambda: StageResult("UNKNOWN"))
    travel: StageResult = field(default_factory=lambda: StageResult("UNKNOWN"))
    proven: bool = False
    #: the fewest places in online or mixed cohorts (None: not asked)
    remedy_value: int | None = None
    #: the counts' plan for those places, and the stage-1 value it was sought for
    plan: RemedyPlan | None = None
    planned_for: int | None = None
    travelled: bool = False

    @property
    def seed(self) -> int:
        """The solver's seed."""
        return self.settings.seed

    @property
    def exact(self) -> bool:
        """Deterministic mode: the helper models' time is deterministic time too."""
        return self.settings.deterministic

    def seconds(self, share: float, most: float) -> float:
        """`share` of the time limit, at most `most` seconds (a helper model's time)."""
        return min(most, share * self.time_limit)

    # -- phase 1 -------------------------------------------------------------------------
    def prepare_round(self) -> None:
        """The companies grouped, the calendar's frontier, and the pairs no optimal roster
        needs (exact; see `dominance`): the models forbid them."""
        self.prep = prepare(self.problem)
        self.capacity = round_capacity(
            self.prep, self.seconds(0.25, 20.0), self.seed, self.settings.workers, self.exact
        )
        self.forbidden = frozenset(forbidden_pairs(self.prep, self.capacity))

    # -- phase 2, each attempt -------------------------------------------------------------
    def build_model(self) -> None:
        """The assignment model with the no-goods so far; the given rosters as hints."""
        self.master = AssignmentModel(
            self.prep, cuts=list(self.cuts), capacity=self.capacity, forbidden=self.forbidden
        )
        # Stage 1: most companies, then (in the same objective: the weight makes it
        # lexicographic) the highest total priority placed.
        self.weight = 1 + sum(g.priority * g.size for g in self.prep.groups)
        self.starts = RosterHints(self.hints)
        self.starts.hint_placing(self.master, self.weight)
        self.remedy_value, self.travelled = None, False

    # -- phase 3: stage 1 ---------------------------------------------------------------
    def plan_remedies(self, value: int) -> None:
        """The fewest online or mixed places of a roster reaching `value` on the counts, and
        a roster at that bound looked for directly (`guide_by_counts`)."""
        seconds, weight = self.seconds(0.1, 10.0), self.weight
        self.plan = remedy_bound(
            self.prep, self.capacity, weight, value, seconds, self.seed, self.exact
        )
        if self.plan is not None and self.plan.pools is not None:
            guide_by_counts(self.master, self.plan.pools, self.settings, seconds, weight, value)

    def counts_bound(self) -> tuple[int | None, cp_model.CpSolver | None]:
        """The counts-only bound on stage 1 (it stops stage 1 as soon as a roster reaches
        it: as a constraint in the model it slowed large rounds down, measured on 3,000
        companies), and a solver holding a roster at it when the counts give one."""
        master, weight = self.master, self.weight
        bound = stage1_bound(
            self.prep, self.capacity, weight, self.seconds(0.1, 10.0), self.seed, self.exact
        )
        self.plan, self.planned_for = None, None
        if master.uses_remedies() and bound is not None:
            # A roster at both counts bounds (placed, then fewest online or mixed places)
            # found directly proves stage 1 and the next one at once.
            self.plan_remedies(bound)
            self.planned_for = bound
        if master.uses_remedies() or bound is None:
            return bound, None
        # A roster at the counts bound, built from the counts, is optimal for stage 1
        # (measured on 1,000 companies with one facilitator: the model took 15-42 s to
        # find one; see `start`). Also when the calendar does not bind (measured on 300
        # companies with several facilitators: stage 1 1.0 s -> 0.4 s; on 3,000, the
        # round proven in 31 s where it was 5x from its bound at 55 s).
        start = counts_start(master, weight, bound, self.seconds(0.05, 5.0), self.seed, self.exact)
        if start is None or RosterHints.score(master, start, weight) != bound:
            return bound, None
        started_at = checked_start(master, start, self.seconds(0.1, 10.0))
        master.hint_values(start)
        return bound, started_at

    def place(self) -> bool:
        """Stage 1, its optimum then kept as constraints; False when no roster was found."""
        master, weight = self.master, self.weight
        bound, started_at = self.counts_bound()
        if started_at is not None and bound is not None:
            self.solver, self.first = started_at, StageResult("OPTIMAL", True, bound, bound)
            if self.settings.progress:
                self.settings.progress(f"companies placed: {bound // weight} (the most possible)")
        else:
            self.solver, self.first = solve_stage(
                master,
                "companies placed",
                weight * master.placed() + master.priority(),
                True,
                self.settings,
                scale=weight,
                lp_workers=False,
                target=bound,
            )
        if not self.first.found:
            return False
        self.proven = self.first.proven
        placed_value, priority_value = divmod(self.first.value, weight)
        master.model.add(master.placed() >= placed_value)
        master.model.add(master.priority() >= priority_value)
        return True

    def travel_parameters(self, master: AssignmentModel | None = None) -> StageParameters:
        """The stages after stage 1 leave time to form and date the cohorts; the travel
        stage over `master` probes in presolve only up to `PROBING_LIMIT` variables."""
        reserve = min(30.0, 0.1 * self.time_limit)
        parameters = self.settings.until(self.settings.deadline - reserve)
        if master is not None and len(master.x) > PROBING_LIMIT:
            parameters = dataclasses.replace(parameters, probing=False)
        return parameters

    # -- phase 4: fewest remedies ----------------------------------------------------------
    def fewest_remedies(self) -> None:
        """Online and mixed cohorts only where they place more: fewest places in them among
        the rosters placing the most, before travel is considered. The counts bound stops
        the stage once reached (as in stage 1)."""
        master, weight, value = self.master, self.weight, self.first.value
        half = self.travel_parameters().share(0.5)
        if self.planned_for != value:  # stage 1 ended below the counts bound
            self.plan_remedies(value)
        solver, fewest = solve_stage(
            master,
            "places in online or mixed cohorts",
            master.remedy_use(),
            False,
            self.settings.until(half),
            lp_workers=False,  # measured: the default portfolio finds it 3x sooner
            target=None if self.plan is None else self.plan.bound,
        )
        if not fewest.found:
            self.proven = False
            return
        self.solver, self.proven = solver, self.proven and fewest.proven
        master.model.add(master.remedy_use() <= fewest.value)
        if fewest.value:
            # Which segments can hold those few places at all (counts alone).
            master.bound_remedy_pools(
                remedy_pool_bounds(
                    self.prep,
                    self.capacity,
                    weight,
                    value,
                    fewest.value,
                    self.seconds(0.05, 5.0),
                    self.seed,
                    self.exact,
                )
            )
        self.remedy_value = fewest.value
        if fewest.proven and fewest.value == 0 and not self.cuts:
            self.travel_without_remedies()

    def travel_without_remedies(self) -> None:
        """No remedy is needed: travel on the model of the domain's rules alone (smaller,
        and with the single-cohort members it cannot use otherwise), started from the last
        solution; its roster is kept when it finds one."""
        placed_value, priority_value = divmod(self.first.value, self.weight)
        pure = AssignmentModel(
            self.prep, capacity=self.capacity, pure=True, forbidden=self.forbidden
        )
        pure.model.add(pure.placed() >= placed_value)
        pure.model.add(pure.priority() >= priority_value)
        ranges = self.count_ranges(0)
        pure.bound_counts(ranges)
        pure.hint_from(self.master, self.solver)
        self.start_near(pure, travel_of(self.master, self.solver), ranges)
        solver, travel = solve_stage(
            pure, "travel km", pure.travel_units(), False, self.travel_parameters(pure), UNITS
        )
        if travel.found:  # else keep the solution of the whole model
            self.master = pure
        self.keep_travel(solver, travel)

    # -- phase 5: least travel -------------------------------------------------------------
    def count_ranges(self, remedy_value: int | None) -> CountRanges:
        """Cohorts per pool and companies placed per segment, proven on the counts for
        every roster the travel stage may choose from (see `placed_bound.count_ranges`).
        Measured on 300 companies with one facilitator (benchmarks/README.md): the counts
        fix every kind's cohorts, which the travel stage's relaxation does not see alone."""
        return count_ranges(
            self.prep,
            self.capacity,
            self.weight,
            self.first.value,
            remedy_value,
            self.seconds(0.05, 5.0),
            self.seed,
            self.exact,
        )

    def least_travel(self) -> None:
        """The travel stage, keeping every earlier optimum (unless done without remedies)."""
        if self.travelled:
            return
        master = self.master
        ranges = self.count_ranges(self.remedy_value)
        master.bound_counts(ranges)
        current = self.start_near(master, travel_of(master, self.solver), ranges)
        self.starts.hint_travel(master, self.weight, self.first.value, self.remedy_value, current)
        solver, travel = solve_stage(
            master, "travel km", master.travel_units(), False, self.travel_parameters(master), UNITS
        )
        self.keep_travel(solver, travel)

    def start_near(self, master: AssignmentModel, current: int, ranges: CountRanges) -> int:
        """The travel stage's start from venues near the companies (`near_start`: two
        solves of a tenth of the stage's time each, at most) when it travels less than
        `current`, the last stage's solution's; the start's travel."""
        parameters = self.travel_parameters(master)
        fewest = {segment: low for segment, (low, _) in ranges.placed.items()}
        used = {vi for vi, y in self.master.y.items() if self.solver.value(y)}
        # deterministic mode: a share of the work left, never of the wall clock
        left = parameters.deadline - time.time()
        if parameters.deterministic:
            left = parameters.work.left
        seconds = 0.2 * max(0.0, left)
        return near_start(master, current, fewest, used, parameters, seconds)

    def keep_travel(self, solver: cp_model.CpSolver, travel: StageResult) -> None:
        """The travel stage's solution, when it found one (else the last stage's stays)."""
        self.travel, self.travelled = travel, True
        if not travel.found:  # out of time before any solution of this stage: keep the last
            self.proven = False
        else:
            self.solver, self.proven = solver, self.proven and travel.proven

    # -- phase 6: dates ----------------------------------------------------------------------
    def date(self) -> Roster | None:
        """The cohorts formed and dated, as the roster; None when members' unavailable
        days rule the assignment out (it is then cut off by a no-good for the next try)."""
        prep, rnd = self.prep, self.problem.round
        self.plans, date_hints = cohort_plans(prep, self.master, self.solver)
        self.dating = DatingProblem(
            prep.days,
            self.plans,
            date_hints,
            rnd.cohort_min,
            rnd.cohort_max,
            rnd.facilitators,
            self.seed,
        )
        dated = date_cohorts(self.dating, seconds=self.settings.deadline - time.time())
        if dated is not None:
            travel = self.travel
            report = SolverReport(
                status=SolverStatus.OPTIMAL if self.proven else SolverStatus.FEASIBLE,
                wall_time_s=round(time.time() - self.started, 3),
                best_bound=travel.bound / UNITS if travel.found else None,
                placed_bound=min(self.first.bound // self.weight, sum(g.size for g in prep.groups)),
            )
            return build_roster(prep, self.plans, dated, report)
        if self.settings.progress:
            self.settings.progress(
                "members' unavailable days rule out this assignment; trying the next best"
            )
        self.cuts.extend(undatable_cuts(prep, self.master, self.solver, self.plans))
        return None

    def leave_out_who_cannot_meet(self) -> Roster | None:
        """The last assignment dated with the members who cannot meet left out (reported
        unplaced); None when even that fails."""
        dated = date_cohorts(self.dating, repair=True, seconds=5.0)
        if dated is None:
            return None
        report = SolverReport(
            status=SolverStatus.FEASIBLE,
            wall_time_s=round(time.time() - self.started, 3),
            message="some members could not meet on any common dates and were left out",
        )
        return build_roster(self.prep, self.plans, dated, report)


def solve(
    problem: PlanningProblem,
    time_limit: float = 60.0,
    seed: int = 0,
    workers: int = 2,
    progress: Progress | None = None,
    hints: Sequence[Roster] = (),
    deterministic: bool = False,
) -> Roster:
    """The roster placing the most companies, then the highest total priority, then the
    least travel, that every rule allows. Every company is a member or in `unplaced`.

    Args:
        problem: the validated round.
        time_limit: wall-clock seconds for the whole solve.
        seed: CP-SAT random seed; same input, seed and workers give the same roster.
        workers: CP-SAT threads.
        progress: called with a line of text on each improvement.
        hints: rosters of the same companies solved before (e.g. other what-if
            scenarios); each one this round allows is a starting point, never a rule.
        deterministic: CP-SAT's interleaved search, the stages limited by CP-SAT's
            deterministic time (9/10 of `time_limit` in its work units, about seconds on
            this machine) instead of the wall clock: the same input, seed and workers give
            the same roster on any machine at any load. The wall clock then only stops a
            solve at three times the limit (a very slow machine), which is the one case
            where the roster may differ. The default parallel search is usually faster and
            gave the same roster on the benchmark's instances (benchmarks/README.md), but
            does not promise it.
    """
    started = time.time()
    settings = StageParameters(started + time_limit, seed, workers, progress, deterministic)
    settings.work.left = 0.9 * time_limit  # deterministic mode: a tenth for dating
    run = RoundSolve(problem, time_limit, settings, started, hints)
    run.prepare_round()
    attempts = 0
    while True:
        run.build_model()
        if not run.place():
            return empty_roster(run.prep, started, run.first.status, time_limit)
        if run.master.uses_remedies():
            run.fewest_remedies()
        run.least_travel()
        roster = run.date()
        if roster is not None:
            return roster
        attempts += 1
        if time.time() > settings.deadline or attempts > MAX_NO_GOODS:
            # Give up on proof: keep this assignment and leave out the members who cannot
            # meet (they are reported unplaced), rather than return nothing.
            kept = run.leave_out_who_cannot_meet()
            if kept is not None:
                return kept
            return empty_roster(run.prep, started, "no datable assignment found", time_limit)
