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
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

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
from camp_planner.engine.units import TRAVEL_UNITS_PER_KM, travel_units
from camp_planner.models import (
    PlanningProblem,
    Roster,
    Segment,
    SolverReport,
    SolverStatus,
    Step,
)
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
from camp_planner.scheduler.dominance import forbidden_pairs
from camp_planner.scheduler.kinds import (
    ONLINE,
    Kind,
    kind_components,
    round_kinds,
    smallest_cohort,
    venue_min,
)
from camp_planner.scheduler.placed_bound import (
    CountRanges,
    RemedyPlan,
    count_ranges,
    remedy_bound,
    remedy_pool_bounds,
    stage1_bound,
)
from camp_planner.scheduler.prepare import Prepared, prepare
from camp_planner.scheduler.result import build_roster, empty_roster
from camp_planner.scheduler.start import checked_start, counts_start

MAX_NO_GOODS = 50  # rounds of cuts before a roster that leaves members out


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


def cohort_plans(
    prep: Prepared, master: AssignmentModel, solver: cp_model.CpSolver
) -> tuple[list[CohortPlan], list[DateHint]]:
    """Per (segment, venue) with cohorts, the plan; and date hints from the calendar's
    packing for this number of Module 2 cohorts, cohort by cohort."""
    days = prep.days
    rnd = prep.problem.round
    plans: list[CohortPlan] = []
    for (kind, vi), var in master.n.items():
        count = solver.value(var)
        if not count:
            continue
        groups = {}
        for (gi, k, v), xv in master.x.items():
            if v == vi and k == kind and solver.value(xv):
                group = prep.groups[gi]
                blackout = days.indices_of(group.unavailable)
                groups[gi] = PlanGroup(group.participants, blackout, solver.value(xv))
        if vi == ONLINE:  # no venue, so no venue's unavailable days
            plans.append(
                CohortPlan(kind, vi, count, frozenset(), groups, cohort_min=rnd.online_cohort_min)
            )
            continue
        forbidden = days.indices_of(prep.venues[vi].unavailable)
        plans.append(CohortPlan(kind, vi, count, forbidden, groups))
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
    """No-goods for an assignment that could not be dated. A (kind, venue) plan that
    cannot be dated even alone is cut off wherever its members could meet as they are:
    at its venue and at every venue with no unavailable days of its own whose cohorts need
    at least as many people (online: none). Otherwise the whole assignment is cut off."""
    rnd = prep.problem.round
    cuts = []
    for plan in plans:
        if not plan_undatable(prep.days, plan, rnd.cohort_min, rnd.cohort_max, 5.0):
            continue
        kind = plan.segment
        assert isinstance(kind, Kind)  # plans of the assignment model are of a kind
        smallest = venue_min(rnd, plan.venue)
        venues = {plan.venue}
        if not plan.forbidden:
            venues |= {
                vi
                for vi in (*master.y, ONLINE)
                if (vi == ONLINE or not prep.venues[vi].unavailable)
                and venue_min(rnd, vi) >= smallest
            }
        for vi in sorted(venues):
            if (kind, vi) not in master.n:
                continue
            cut = {master.n[kind, vi].name: plan.count}
            for (gi, k, v), var in master.x.items():
                if k == kind and v == vi:
                    cut[var.name] = plan.groups[gi].available if gi in plan.groups else 0
            cuts.append(cut)
    if not cuts:
        cuts.append({name: solver.value(var) for name, var in master.assignment_vars().items()})
    return cuts


def round_capacity(prep: Prepared, seconds: float, seed: int) -> CalendarCapacity:
    """The calendar's frontier for as many cohorts as the companies could fill (segments
    that may share cohorts counted together, online cohorts by their own minimum)."""
    rnd = prep.problem.round
    people: dict[Segment, int] = defaultdict(int)
    for group in prep.groups:
        people[group.segment] += group.size * group.participants
    kinds = round_kinds(rnd, people)
    most: dict[Step, int] = defaultdict(int)
    for component in kind_components(kinds, people):
        module = next(iter(component)).module
        total = sum(people[s] for s in component)
        most[module] += total // smallest_cohort(rnd, module)
    return calendar_capacity(
        prep.days, rnd.facilitators, most[Step.MODULE1], most[Step.MODULE2], seconds, seed
    )


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


def travel_ranges(
    prep: Prepared,
    capacity: CalendarCapacity,
    weight: int,
    placed_value: int,
    remedy_value: int | None,
    time_limit: float,
    seed: int,
) -> CountRanges:
    """Cohorts per pool and companies placed per segment, proven on the counts for every
    roster the travel stage may choose from (see `placed_bound.count_ranges`). Measured on
    300 companies with one facilitator (benchmarks/README.md): the counts fix every
    kind's cohorts, which the travel stage's relaxation does not see on its own."""
    seconds = min(5.0, 0.05 * time_limit)
    return count_ranges(prep, capacity, weight, placed_value, remedy_value, seconds, seed)


def travel_of(master: AssignmentModel, solver: cp_model.CpSolver) -> int:
    """Travel units of the solution `solver` found for `master`."""
    values = {var: solver.value(var) for var in master.x.values()}
    return RosterHints.travel(master, values)


@dataclass
class RosterHints:
    """Rosters of the same companies solved before (e.g. other what-if scenarios): each
    one this round can take is a starting point for its stages (a solution hint)."""

    rosters: Sequence[Roster] = ()

    def candidates(self, master: AssignmentModel) -> list[dict[cp_model.IntVar, int]]:
        """The rosters as values of `master`'s variables (those it can express)."""
        found = (master.roster_values(roster) for roster in self.rosters)
        return [values for values in found if values is not None]

    @staticmethod
    def score(master: AssignmentModel, values: Mapping[cp_model.IntVar, int], weight: int) -> int:
        """weight * placed + priority of `values` (stage 1's objective)."""
        groups = master.prep.groups
        return sum((weight + groups[gi].priority) * values[v] for (gi, _, _), v in master.x.items())

    @staticmethod
    def travel(master: AssignmentModel, values: Mapping[cp_model.IntVar, int]) -> int:
        """Travel units of `values` (the travel stage's objective)."""
        groups = master.prep.groups
        return sum(
            travel_units(groups[gi].travel[vi]) * values[v] for (gi, _, vi), v in master.x.items()
        )

    def hint_placing(self, master: AssignmentModel, weight: int) -> None:
        """Hint the roster placing the most (stage 1's objective)."""
        options = self.candidates(master)
        if options:
            master.hint_values(max(options, key=lambda v: self.score(master, v, weight)))

    def hint_travel(
        self,
        master: AssignmentModel,
        weight: int,
        placed_value: int,
        remedy_value: int | None,
        current_travel: int,
    ) -> None:
        """Hint the roster of least travel among those reaching the earlier stages' optima,
        when it travels less than `current_travel`, the last stage's solution's (which
        stays the hint otherwise)."""
        best, best_travel = None, current_travel
        for values in self.candidates(master):
            if self.score(master, values, weight) < placed_value:
                continue
            if remedy_value is not None:
                remedy = sum(
                    (int(kind.mixed) + int(vi == ONLINE)) * values[v]
                    for (_, kind, vi), v in master.x.items()
                )
                if remedy > remedy_value:
                    continue
            travel = self.travel(master, values)
            if travel < best_travel:
                best, best_travel = values, travel
        if best is not None:
            master.hint_values(best)


def remedies_can_act(problem: PlanningProblem) -> bool:
    """Whether the round's remedies (online cohorts, mixing) could change its roster: some
    company could be placed in an online or a mixed cohort. When not, the round solves
    exactly as without them."""
    return AssignmentModel(prepare(problem)).uses_remedies()


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
    prep = prepare(problem)
    rnd = problem.round
    capacity = round_capacity(prep, min(20.0, 0.25 * time_limit), seed)
    # Pairs no optimal roster needs (exact; see `dominance`): the models forbid them.
    forbidden = frozenset(forbidden_pairs(prep, capacity))
    cuts: list[dict[str, int]] = []
    rounds = 0
    while True:
        master = AssignmentModel(prep, cuts=list(cuts), capacity=capacity, forbidden=forbidden)
        # Stage 1: most companies, then (in the same objective: the weight makes it
        # lexicographic) the highest total priority placed.
        weight = 1 + sum(g.priority * g.size for g in prep.groups)
        starts = RosterHints(hints)
        starts.hint_placing(master, weight)
        # The counts-only bound stops stage 1 as soon as a roster reaches it (as a
        # constraint in the model it slowed large rounds down: measured on 3,000 companies).
        bound = stage1_bound(prep, capacity, weight, min(10.0, 0.1 * time_limit), seed)
        plan: RemedyPlan | None = None
        planned_for = None  # the placed value `plan` (and a guided start) was sought for
        if master.uses_remedies() and bound is not None:
            # A roster at both counts bounds (placed, then fewest online or mixed places)
            # found directly proves stage 1 and the next one at once.
            seconds = min(10.0, 0.1 * time_limit)
            plan, planned_for = remedy_bound(prep, capacity, weight, bound, seconds, seed), bound
            if plan is not None and plan.pools is not None:
                guide_by_counts(master, plan.pools, settings, seconds, weight, bound)
        started_at: cp_model.CpSolver | None = None
        if not master.uses_remedies() and bound is not None and capacity.frontier is not None:
            # The calendar binds: a roster at the counts bound, built from the counts, is
            # optimal for stage 1 (measured on 1,000 companies: the model took 15-42 s to
            # find one; see `start`).
            start = counts_start(master, weight, bound, min(5.0, 0.05 * time_limit), seed)
            if start is not None and RosterHints.score(master, start, weight) == bound:
                started_at = checked_start(master, start, min(10.0, 0.1 * time_limit))
                master.hint_values(start)
        if started_at is not None and bound is not None:
            solver, first = started_at, StageResult("OPTIMAL", True, bound, bound)
            if progress:
                progress(f"companies placed: {first.value // weight} (the most possible)")
        else:
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
        travel: StageResult | None = None
        remedy_value: int | None = None
        # Leave time to form and date the cohorts afterwards.
        reserve = min(30.0, 0.1 * time_limit)
        travel_settings = dataclasses.replace(settings, deadline=settings.deadline - reserve)
        if master.uses_remedies():
            # Online and mixed cohorts only where they place more: fewest places in them
            # among the rosters placing the most, before travel is considered. The counts
            # bound stops the stage once reached (as in stage 1).
            half = time.time() + (travel_settings.deadline - time.time()) / 2
            if planned_for != first.value:  # stage 1 ended below the counts bound
                seconds = min(10.0, 0.1 * time_limit)
                plan = remedy_bound(prep, capacity, weight, first.value, seconds, seed)
                if plan is not None and plan.pools is not None:
                    guide_by_counts(master, plan.pools, settings, seconds, weight, first.value)
            solver2, fewest = solve_stage(
                master,
                "places in online or mixed cohorts",
                master.remedy_use(),
                False,
                dataclasses.replace(settings, deadline=half),
                lp_workers=False,  # measured: the default portfolio finds it 3x sooner
                target=None if plan is None else plan.bound,
            )
            if not fewest.found:
                proven = False
            else:
                solver, proven = solver2, proven and fewest.proven
                master.model.add(master.remedy_use() <= fewest.value)
                if fewest.value:
                    # Which segments can hold those few places at all (counts alone).
                    seconds = min(5.0, 0.05 * time_limit)
                    master.bound_remedy_pools(
                        remedy_pool_bounds(
                            prep, capacity, weight, first.value, fewest.value, seconds, seed
                        )
                    )
                remedy_value = fewest.value
                if fewest.proven and fewest.value == 0 and not cuts:
                    # No remedy is needed: travel on the model of the domain's rules alone
                    # (smaller, and with the single-cohort members it cannot use otherwise),
                    # started from this solution.
                    pure = AssignmentModel(prep, capacity=capacity, pure=True, forbidden=forbidden)
                    pure.model.add(pure.placed() >= placed_value)
                    pure.model.add(pure.priority() >= priority_value)
                    pure.bound_counts(
                        travel_ranges(prep, capacity, weight, first.value, 0, time_limit, seed)
                    )
                    pure.hint_from(master, solver)
                    solver3, travel = solve_stage(
                        pure,
                        "travel km",
                        pure.travel_units(),
                        False,
                        travel_settings,
                        TRAVEL_UNITS_PER_KM,
                    )
                    if travel.found:  # else keep the solution of the whole model
                        master = pure
        if travel is None:
            master.bound_counts(
                travel_ranges(prep, capacity, weight, first.value, remedy_value, time_limit, seed)
            )
            starts.hint_travel(master, weight, first.value, remedy_value, travel_of(master, solver))
            solver3, travel = solve_stage(
                master,
                "travel km",
                master.travel_units(),
                False,
                travel_settings,
                TRAVEL_UNITS_PER_KM,
            )
        if not travel.found:  # out of time before any solution of this stage: keep the last
            proven = False
        else:
            solver, proven = solver3, proven and travel.proven
        plans, date_hints = cohort_plans(prep, master, solver)
        dating = DatingProblem(
            prep.days, plans, date_hints, rnd.cohort_min, rnd.cohort_max, rnd.facilitators, seed
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
