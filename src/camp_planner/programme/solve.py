"""Solve a programme: the model over all rounds in lexicographic stages, then each round's
cohorts formed and dated, and a roster per round with every company accounted for.

The phases (`_ProgrammeSolve`): a start, the counts' optimum of the first two stages held
by every round (then both stages are proven without a search) or else the rounds planned
one by one (`starts`); steps planned, tracks and priority; earlier rounds (each stopped at
the counts' optimum); travel, with each segment's cohorts and each class's takers per
round bounded by what the counts prove at the earlier optima (`counts`), from the best of
its starts; then the cohorts of each round dated. A stage never ends worse than its start
(`adopt_start`)."""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from camp_planner.engine.stages import Progress
from camp_planner.engine.units import TRAVEL_UNITS_PER_KM
from camp_planner.models import SolverStatus, Step
from camp_planner.models.groups import cohorts_possible
from camp_planner.programme.counts import (
    bound_classes,
    bound_cohorts,
    class_ranges,
    cohort_ranges,
    counts_optimum,
    earliness_bound,
    steps_bound,
)
from camp_planner.programme.model import ProgrammeModel
from camp_planner.programme.plan import Programme, ProgrammeGroup, group_companies
from camp_planner.programme.stages import (
    Solution,
    Stage,
    is_feasible,
    programme_stage,
    rehint,
    solution_of,
)
from camp_planner.programme.starts import myopic_hint, per_round_travel, realize, venues_kept
from camp_planner.scheduler.calendar_frontier import CalendarCapacity, calendar_capacity
from camp_planner.scheduler.dates import (
    CohortPlan,
    DatedCohort,
    DatingProblem,
    PlanGroup,
    date_cohorts,
)
from camp_planner.scheduler.days import DayIndex


@dataclass
class RoundPlan:
    """What the model decided for one round: cohorts per (segment, venue) and their dates."""

    plans: list[CohortPlan]
    dated: list[DatedCohort]
    #: (group index, step) -> companies of the group taking the step this round, by venue
    takers: dict[tuple[int, Step], dict[int, list[str]]] = field(default_factory=dict)
    #: members left out because they could not meet on common dates
    left_out: list[str] = field(default_factory=list)


@dataclass
class ProgrammeSolution:
    """The solved programme: groups, stages, and each round's plan."""

    programme: Programme
    groups: list[ProgrammeGroup]
    stages: list[Stage]
    rounds: list[RoundPlan]
    status: SolverStatus
    wall_time_s: float
    message: str = ""
    #: company_id -> (round index, step) of every step it takes
    steps_of: dict[str, list[tuple[int, Step]]] = field(default_factory=dict)


def _capacities(
    programme: Programme, groups: list[ProgrammeGroup], seconds: float, seed: int
) -> tuple[list[DayIndex], list[CalendarCapacity]]:
    days, capacities = [], []
    for r, rnd in enumerate(programme.rounds):
        people: dict[object, int] = defaultdict(int)
        for group in groups:
            for (rr, _), option in group.options.items():
                if rr == r:
                    people[option.segment] += group.size * group.participants
        most = {
            module: sum(
                cohorts_possible(p, rnd.cohort_min)
                for s, p in people.items()
                if getattr(s, "module", None) == module
            )
            for module in (Step.MODULE1, Step.MODULE2)
        }
        index = DayIndex.for_problem(programme.round_problem(r))
        days.append(index)
        share = seconds / len(programme.rounds)
        capacities.append(
            calendar_capacity(
                index, rnd.facilitators, most[Step.MODULE1], most[Step.MODULE2], share, seed
            )
        )
    return days, capacities


def _assign_identities(
    pm: ProgrammeModel, values: Solution
) -> dict[tuple[int, Step, int], list[str]]:
    """(group, step, round) -> the companies taking it: Module 1 in round order from the
    group's companies; Module 2 from those who took Module 1 earliest."""
    rounds = len(pm.programme.rounds)
    out: dict[tuple[int, Step, int], list[str]] = {}
    for gi, group in enumerate(pm.groups):
        ids = [c.company_id for c in group.companies]
        m1_queue = list(ids) if Step.MODULE1 in group.steps else []
        m2_queue: list[str] = [] if Step.MODULE1 in group.steps else list(ids)
        for r in range(rounds):
            for step in group.steps:
                count = sum(values[var] for var in pm.by_step.get((gi, step, r), ()))
                queue = m1_queue if step == Step.MODULE1 else m2_queue
                out[gi, step, r] = queue[:count]
                del queue[:count]
            # Module 1 takers of this round may take Module 2 from the next round on.
            if Step.MODULE2 in group.steps and Step.MODULE1 in group.steps:
                m2_queue.extend(out[gi, Step.MODULE1, r])
    return out


def _round_plan(
    pm: ProgrammeModel,
    values: Solution,
    r: int,
    days: DayIndex,
    identities: dict[tuple[int, Step, int], list[str]],
    seed: int,
    seconds: float,
) -> RoundPlan:
    rnd = pm.programme.rounds[r]
    venues = pm.programme.problem.venues
    plans = []
    # this round's x by venue, and by (group, step) in venue order
    at_venue: dict[int, list[tuple[int, Step, int]]] = defaultdict(list)
    of_step: dict[tuple[int, Step], list[tuple[int, int]]] = defaultdict(list)
    for (gi, step, r3, v3), xv in sorted(pm.x.items(), key=lambda kv: kv[0][3]):
        if r3 == r and values[xv]:
            at_venue[v3].append((gi, step, values[xv]))
            of_step[gi, step].append((v3, values[xv]))
    for (segment, rr, v), var in sorted(pm.n.items(), key=lambda kv: (kv[0][0].label, kv[0][2])):
        count = values[var]
        if rr != r or not count:
            continue
        members = {}
        for gi, step, k in sorted(at_venue[v], key=lambda item: item[0]):
            option = pm.groups[gi].options[r, step]
            if option.segment == segment:
                members[gi] = PlanGroup(pm.groups[gi].participants, option.blackout, k)
        forbidden = days.indices_of(venues[v].unavailable)
        plans.append(CohortPlan(segment, v, count, forbidden, members))
    problem = DatingProblem(days, plans, [], rnd.cohort_min, rnd.cohort_max, rnd.facilitators, seed)
    dated = date_cohorts(problem, seconds=seconds)
    left_out: list[str] = []
    if dated is None:
        dated = date_cohorts(problem, repair=True, seconds=max(5.0, seconds)) or []
    # Companies per (group, step) and venue, in the order identities gave them.
    takers: dict[tuple[int, Step], dict[int, list[str]]] = defaultdict(dict)
    for gi, group in enumerate(pm.groups):
        for step in group.steps:
            queue = list(identities.get((gi, step, r), []))
            for v, k in of_step.get((gi, step), ()):
                takers[gi, step][v] = queue[:k]
                del queue[:k]
    used: dict[tuple[int, int], int] = defaultdict(int)
    for item in dated:
        for gi, k in item.members.items():
            used[item.plan_index, gi] += k
    for pi, plan in enumerate(plans):
        for gi, held in plan.groups.items():
            missing = held.available - used[pi, gi]
            if missing > 0:
                step = plan.segment.module
                left_out.extend(takers[gi, step][plan.venue][-missing:])
    return RoundPlan(plans=plans, dated=dated, takers=dict(takers), left_out=left_out)


@dataclass
class _ProgrammeSolve:
    """One programme's solve, phase by phase (`plan_programme` runs them in order)."""

    pm: ProgrammeModel
    started: float
    deadline: float
    #: seconds kept for dating and writing
    reserve: float
    seed: int
    workers: int
    progress: Progress | None
    stages: list[Stage] = field(default_factory=list)
    start: dict[cp_model.IntVar, int] = field(default_factory=dict)
    start_values: tuple[int, int, int, int] = (0, 0, 0, 0)
    #: (planned, tracks, priority) of the first stage's optimum
    firsts: tuple[int, int, int] = (0, 0, 0)
    #: the best programme so far (x, n, w, y), the one `finish` forms and dates
    best: Solution = field(default_factory=dict)
    #: a programme at the counts' optima of the first two stages (`start_counts`)
    counts_start: Solution = field(default_factory=dict)
    #: those optima: (first stage's weighted value, earliness)
    targets: tuple[int, int] = (0, 0)

    def stage(
        self,
        name: str,
        objective: cp_model.LinearExprT,
        maximize: bool,
        share: float | None,
        target: int | None = None,
    ) -> tuple[cp_model.CpSolver, Stage]:
        """A stage until `share` of the time left (None: until the reserve), stopped at
        `target` (a bound the counts proved)."""
        end = self.deadline - self.reserve
        if share is not None:
            end = time.time() + share * (end - time.time())
        return programme_stage(
            self.pm, name, objective, maximize, end, self.seed, self.workers, self.progress,
            self.started, target,
        )  # fmt: skip

    def counts_seconds(self) -> float:
        """Time for one counts model: 5 % of the limit, at most 5 s."""
        return min(5.0, 0.05 * (self.deadline - self.started))

    def weights(self) -> tuple[int, int]:
        """The first stage's weights of a next step planned and of a whole track."""
        total_priority = sum(g.size * g.priority for g in self.pm.groups)
        track_max = sum(g.size for g in self.pm.groups if g.whole_track)
        w_tracks = total_priority + 1
        return (track_max + 1) * w_tracks, w_tracks

    def start_counts(self, seconds: float) -> bool:
        """The counts' optimum of the first two stages, split into the groups and each
        round planned alone with its steps kept (the round's counts start, for the
        programme): when every round holds its part, the programme is at both upper bounds,
        so both stages are proven without a search. False when it is not found."""
        pm = self.pm
        w_planned, w_tracks = self.weights()
        optimum = counts_optimum(pm, w_planned, w_tracks, self.counts_seconds(), self.seed)
        if optimum is None:
            return False
        steps, earliness, counts = optimum
        if self.progress:
            self.progress("starting solution: the counts' optimum, each round on its own")
        found = realize(pm, counts, time.time() + seconds, self.seed, self.workers, None)
        if found is None:
            return False
        planned, tracks, priority, early = pm.values({k: found[v] for k, v in pm.x.items()})
        reached = w_planned * planned + w_tracks * tracks + priority == steps
        if not reached or early != earliness or not is_feasible(pm, found, seconds):
            return False
        self.counts_start, self.targets = found, (steps, earliness)
        self.start, self.start_values = found, (planned, tracks, priority, early)
        return True

    def start_myopic(self, seconds: float) -> None:
        """A starting solution from planning the rounds one by one (measured on the demo:
        without it the first stage was not proven in 10 s and the travel gap was 42 %
        after 20 s)."""
        pm = self.pm
        self.start = myopic_hint(pm, seconds, self.seed, self.workers, self.progress)
        for var, value in self.start.items():
            pm.model.add_hint(var, value)
        self.start_values = pm.values({key: self.start[var] for key, var in pm.x.items()})

    def steps_planned(self) -> bool:
        """Stage 1: next steps planned, then whole tracks, then priority, in one weighted
        objective; kept as constraints. False when nothing was found."""
        pm = self.pm
        w_planned, w_tracks = self.weights()
        objective = w_planned * pm.planned() + w_tracks * pm.tracks() + pm.priority()
        if self.counts_start:  # at the counts' optimum: proven without a search
            first = Stage("steps planned", "OPTIMAL", self.targets[0], self.targets[0])
            self.best = dict(self.counts_start)
            rehint(pm, self.best)
        else:
            # The counts' optimum stops the stage once reached (as the round's stage 1).
            target = steps_bound(pm, w_planned, w_tracks, self.counts_seconds(), self.seed)
            solver, first = self.stage("steps planned", objective, True, 0.35, target)
            if first.found:
                self.best = solution_of(pm, solver)
            planned, tracks, priority, _ = self.start_values
            self.adopt_start(first, w_planned * planned + w_tracks * tracks + priority, True)
        self.stages.append(first)
        if not first.found:
            return False
        planned, rest = divmod(first.value, w_planned)
        tracks, priority = divmod(rest, w_tracks)
        first.words = (
            f"{planned} next steps planned, {tracks} tracks (Module 1 and Module 2) "
            f"completed, {priority} points of priority and waiting among those placed (a "
            f"single number: steps x {w_planned:,} + tracks x {w_tracks:,} + points)"
        )
        pm.model.add(pm.planned() >= planned)
        pm.model.add(pm.tracks() >= tracks)
        pm.model.add(pm.priority() >= priority)
        self.firsts = (planned, tracks, priority)
        if self.start_values[:3] == self.firsts:  # the start is optimal so far: keep it
            rehint(pm, self.start)
        return True

    def earlier_rounds(self) -> None:
        """Stage 2: earlier rounds for who goes first."""
        pm = self.pm
        if self.counts_start:  # at the counts' optimum: proven without a search
            second = Stage("earlier rounds", "OPTIMAL", self.targets[1], self.targets[1])
        else:
            second = self.earliness_searched()
        if self.start_values[:3] == self.firsts:
            self.adopt_start(second, self.start_values[3], True)
        self.stages.append(second)
        if not second.found:
            return
        second.words = (
            f"earliness {second.value:,}: each step counts (rounds before the last it is "
            "in) x (1 + the company's priority and waiting points); higher means earlier "
            "rounds for those first in line"
        )
        pm.model.add(pm.earliness() >= second.value)
        if self.start_values[:3] == self.firsts and self.start_values[3] >= second.value:
            rehint(pm, self.start)

    def earliness_searched(self) -> Stage:
        """Stage 2 by CP-SAT, stopped at the counts' optimum."""
        pm = self.pm
        target = earliness_bound(pm, self.firsts, self.counts_seconds(), self.seed)
        solver, second = self.stage("earlier rounds", pm.earliness(), True, 0.3, target)
        if second.found:
            self.best = solution_of(pm, solver)
        else:  # none found in its time (seen on a loaded machine): the first stage's answer
            x = {key: self.best.get(var, 0) for key, var in pm.x.items()}
            second.status, second.value = "FEASIBLE", pm.values(x)[3]
        return second

    def least_travel(self) -> None:
        """Stage 3: travel, from the best of the last solution, the rounds' own least
        travel with their steps kept (usually far better), the whole programme with the
        better one's venues kept, and the start."""
        pm, second = self.pm, self.stages[-1]
        # Each segment's cohorts and each class's companies per round and step, proven on
        # the counts at the earlier optima.
        earliness = second.value if second.found else None
        ranges = cohort_ranges(pm, self.firsts, earliness, self.counts_seconds(), self.seed)
        bound_cohorts(pm, ranges)
        takers = class_ranges(pm, self.firsts, earliness, self.counts_seconds(), self.seed)
        bound_classes(pm, takers)
        end = time.time() + 0.35 * (self.deadline - self.reserve - time.time())
        per_round = per_round_travel(pm, self.best, end, self.seed, self.workers, self.progress)
        candidates = [self.best, per_round]
        end = time.time() + 0.3 * (self.deadline - self.reserve - time.time())
        better = min((dict(c) for c in candidates), key=self.travel_of)
        kept = venues_kept(pm, better, end, self.seed, self.workers)
        if kept is not None:
            candidates.append(kept)
        start_ok = self.start_values[:3] == self.firsts and (
            not second.found or self.start_values[3] >= second.value
        )
        if start_ok:
            candidates.append(self.start)
        hint = min(candidates, key=self.travel_of)
        rehint(pm, hint)
        solver, third = self.stage("travel km", pm.travel_units(), False, None)
        if third.found and third.value <= self.travel_of(hint):
            self.best = solution_of(pm, solver)
        elif is_feasible(pm, hint, min(5.0, max(0.5, self.deadline - time.time()))):
            # the stage's own answer travels more than its start (or it found none in its
            # time, e.g. on a loaded machine): the start is the answer, with the stage's bound
            self.best = hint
            third.status, third.value = "FEASIBLE", self.travel_of(hint)
        elif third.found:
            self.best = solution_of(pm, solver)
        self.stages.append(third)
        if third.found:
            third.words = f"{travel_units_to_km(third.value):,.1f} km travelled over the horizon"

    def travel_of(self, solution: Solution) -> int:
        """The travel units of a programme."""
        return self.pm.travel_of({key: solution.get(var, 0) for key, var in self.pm.x.items()})

    def adopt_start(self, stage: Stage, start_value: int, maximize: bool) -> None:
        """The start (the rounds planned one by one) as the stage's answer when it is better
        than what the stage found in its time and keeps every constraint: the programme is
        then never worse than the myopic coordinator's on the stage's objective."""
        better = start_value > stage.value if maximize else start_value < stage.value
        if not self.start or (stage.found and not better):
            return
        if not is_feasible(self.pm, self.start, min(5.0, max(0.5, self.deadline - time.time()))):
            if stage.found:
                rehint(self.pm, self.best)
            return
        self.best = dict(self.start)
        stage.status, stage.value = "FEASIBLE", start_value

    def nothing_found(self) -> ProgrammeSolution:
        """The answer when stage 1 found no programme."""
        first = self.stages[0]
        return ProgrammeSolution(
            self.pm.programme,
            self.pm.groups,
            self.stages,
            [],
            SolverStatus.TIME_LIMIT if first.status == "UNKNOWN" else SolverStatus.INFEASIBLE,
            round(time.time() - self.started, 3),
            message=f"no programme found ({first.status})",
        )

    def finish(self, days: list[DayIndex]) -> ProgrammeSolution:
        """Each round's cohorts formed and dated; who takes which step when."""
        pm, best = self.pm, {var: self.best.get(var, 0) for var in self.pm.decisions()}
        identities = _assign_identities(pm, best)
        rounds = [
            _round_plan(
                pm, best, r, days[r], identities, self.seed,
                max(1.0, (self.deadline - time.time()) / 2),
            )
            for r in range(len(pm.programme.rounds))
        ]  # fmt: skip
        steps_of: dict[str, list[tuple[int, Step]]] = defaultdict(list)
        left_out = {cid for plan in rounds for cid in plan.left_out}
        for (_, step, r), ids in sorted(identities.items(), key=lambda kv: kv[0][2]):
            for cid in ids:
                if cid not in left_out:
                    steps_of[cid].append((r, step))
        proven = all(stage.proven for stage in self.stages) and not left_out
        message = ""
        if left_out:
            message = (
                f"{len(left_out)} companies could not meet on common dates and were left "
                "out; their reasons say so"
            )
        return ProgrammeSolution(
            programme=pm.programme,
            groups=pm.groups,
            stages=self.stages,
            rounds=rounds,
            status=SolverStatus.OPTIMAL if proven else SolverStatus.FEASIBLE,
            wall_time_s=round(time.time() - self.started, 3),
            message=message,
            steps_of=dict(steps_of),
        )


def plan_programme(
    programme: Programme,
    time_limit: float = 120.0,
    seed: int = 0,
    workers: int = 2,
    progress: Progress | None = None,
) -> ProgrammeSolution:
    """The programme that plans the most next steps, then the most whole tracks, then
    earlier rounds for who goes first, then the least travel; every round valid alone.

    Args:
        programme: The companies, venues and rounds.
        time_limit: Wall-clock seconds for the whole solve.
        seed: CP-SAT random seed.
        workers: CP-SAT threads.
        progress: Called with a line of text on each improvement.
    """
    started = time.time()
    groups = group_companies(programme)
    days, capacities = _capacities(programme, groups, min(20.0, 0.2 * time_limit), seed)
    pm = ProgrammeModel(programme, groups, capacities)
    run = _ProgrammeSolve(
        pm,
        started,
        started + time_limit,
        min(20.0, 0.1 * time_limit),
        seed,
        workers,
        progress,
    )
    if not run.start_counts(0.25 * time_limit):
        run.start_myopic(0.25 * time_limit)
    if not run.steps_planned():
        return run.nothing_found()
    run.earlier_rounds()
    run.least_travel()
    return run.finish(days)


def travel_units_to_km(units: int) -> float:
    """The model's travel units as km."""
    return units / TRAVEL_UNITS_PER_KM
