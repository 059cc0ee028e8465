"""Solve a programme: the model over all rounds in lexicographic stages, then each round's
cohorts formed and dated, and a roster per round with every company accounted for."""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field, replace

from ortools.sat.python import cp_model

from camp_planner.engine.stages import Portfolio, Progress, Reporter, StageParameters, run_stage
from camp_planner.engine.units import TRAVEL_UNITS_PER_KM
from camp_planner.models import RoundConfig, Segment, SolverStatus, Step
from camp_planner.models.groups import cohorts_possible
from camp_planner.programme.model import Key, ProgrammeModel
from camp_planner.programme.plan import Programme, ProgrammeGroup, group_companies
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


def _stage(
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


def _rehint(pm: ProgrammeModel, hint: dict[cp_model.IntVar, int]) -> None:
    pm.model.clear_hints()
    for var, value in hint.items():
        pm.model.add_hint(var, value)


def cohort_ranges(
    people: dict[Segment, int], rnd: RoundConfig, capacity: CalendarCapacity, seed: int
) -> dict[Segment, tuple[int, int]]:
    """With the people of each segment in a round fixed: the fewest and the most cohorts
    each segment can have (whole cohorts of cohort_min..cohort_max people, the calendar's
    frontier on all of them together). As in the roster's travel stage (issue 13): the
    relaxation does not see these numbers on its own when the calendar binds."""
    model = cp_model.CpModel()
    k = {
        s: model.new_int_var(-(-p // rnd.cohort_max), p // rnd.cohort_min, f"k_{s.label}")
        for s, p in people.items()
        if p
    }
    if capacity.frontier is not None:
        frontier = capacity.frontier
        n2 = model.new_int_var(0, len(frontier) - 1, "n2")
        most_n1 = model.new_int_var(min(frontier), max(frontier), "most_n1")
        model.add(n2 == sum(v for s, v in k.items() if s.module == Step.MODULE2))
        model.add_element(n2, frontier, most_n1)
        model.add(sum(v for s, v in k.items() if s.module == Step.MODULE1) <= most_n1)
    ranges: dict[Segment, tuple[int, int]] = {}
    for segment, var in k.items():
        bounds = []
        for maximize in (False, True):
            if maximize:
                model.maximize(var)
            else:
                model.minimize(var)
            solver = cp_model.CpSolver()
            solver.parameters.num_workers = 1
            solver.parameters.random_seed = seed
            solver.parameters.max_time_in_seconds = 1.0
            if solver.solve(model) != cp_model.OPTIMAL:
                return {}
            bounds.append(round(solver.objective_value))
        ranges[segment] = (bounds[0], bounds[1])
    return ranges


def _per_round_travel(
    pm: ProgrammeModel,
    solver: cp_model.CpSolver,
    deadline: float,
    seed: int,
    workers: int,
    progress: Progress | None,
) -> dict[cp_model.IntVar, int]:
    """Least travel with who takes which step in which round kept as in `solver`'s solution.

    Kept that way, the rounds are independent (the rules across rounds and the objectives
    before travel only count steps per round), so each round is a small model of its own,
    solved alone: a starting solution for the travel stage of the whole model."""
    hint: dict[cp_model.IntVar, int] = {}
    rounds = len(pm.programme.rounds)
    for r in range(rounds):
        groups = [
            replace(g, options={(0, s): o for (rr, s), o in g.options.items() if rr == r})
            for g in pm.groups
        ]
        sub = ProgrammeModel(
            Programme(pm.programme.problem, (pm.programme.rounds[r],)),
            groups,
            [pm.capacities[r]],
            cross_round=False,
        )
        counts: dict[tuple[int, Step], int] = defaultdict(int)
        for (gi, step, rr, _), var in pm.x.items():
            if rr == r:
                counts[gi, step] += solver.value(var)
        people: dict[Segment, int] = defaultdict(int)
        for gi, group in enumerate(groups):
            for step in group.steps:
                if (0, step) in group.options:
                    sub.model.add(sub.taken(gi, step) == counts.get((gi, step), 0))
                    segment = group.options[0, step].segment
                    people[segment] += counts.get((gi, step), 0) * group.participants
        rnd = pm.programme.rounds[r]
        for segment, (low, high) in cohort_ranges(people, rnd, pm.capacities[r], seed).items():
            cohorts = [n for (s, _, _), n in sub.n.items() if s == segment]
            sub.model.add_linear_constraint(sum(cohorts), low, high)
        for (gi, step, _, v), var in sub.x.items():
            sub.model.add_hint(var, solver.value(pm.x[gi, step, r, v]))
        share = (deadline - time.time()) / (rounds - r)
        if progress:
            progress(f"travel of round {pm.programme.rounds[r].name} with its companies kept")
        sub_solver, stage = _stage(
            sub, "travel of one round", sub.travel_units(), False, time.time() + share, seed,
            workers, None, time.time(),
        )  # fmt: skip
        if not stage.found:
            return {}
        for (gi, step, _, v), var in sub.x.items():
            hint[pm.x[gi, step, r, v]] = sub_solver.value(var)
        for (segment, _, v), var in sub.n.items():
            hint[pm.n[segment, r, v]] = sub_solver.value(var)
            hint[pm.w[segment, r, v]] = sub_solver.value(sub.w[segment, 0, v])
        for (_, v), var in sub.y.items():
            hint[pm.y[r, v]] = sub_solver.value(var)
    for var in (*pm.x.values(), *pm.n.values(), *pm.w.values(), *pm.y.values()):
        hint.setdefault(var, 0)
    return hint


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
    pm: ProgrammeModel, solver: cp_model.CpSolver
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
                count = sum(
                    solver.value(var)
                    for (g, s, rr, _), var in pm.x.items()
                    if g == gi and s == step and rr == r
                )
                queue = m1_queue if step == Step.MODULE1 else m2_queue
                out[gi, step, r] = queue[:count]
                del queue[:count]
            # Module 1 takers of this round may take Module 2 from the next round on.
            if Step.MODULE2 in group.steps and Step.MODULE1 in group.steps:
                m2_queue.extend(out[gi, Step.MODULE1, r])
    return out


def _round_plan(
    pm: ProgrammeModel,
    solver: cp_model.CpSolver,
    r: int,
    days: DayIndex,
    identities: dict[tuple[int, Step, int], list[str]],
    seed: int,
    seconds: float,
) -> RoundPlan:
    rnd = pm.programme.rounds[r]
    venues = pm.programme.problem.venues
    plans = []
    for (segment, rr, v), var in sorted(pm.n.items(), key=lambda kv: (kv[0][0].label, kv[0][2])):
        count = solver.value(var)
        if rr != r or not count:
            continue
        members = {}
        for (gi, step, r3, v3), xv in pm.x.items():
            if r3 == r and v3 == v and solver.value(xv):
                option = pm.groups[gi].options[r, step]
                if option.segment == segment:
                    members[gi] = PlanGroup(
                        pm.groups[gi].participants, option.blackout, solver.value(xv)
                    )
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
            for (g, s, r3, v), xv in sorted(pm.x.items(), key=lambda kv: kv[0][3]):
                if g == gi and s == step and r3 == r and solver.value(xv):
                    k = solver.value(xv)
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


def myopic_hint(
    pm: ProgrammeModel, seconds: float, seed: int, workers: int, progress: Progress | None
) -> dict[cp_model.IntVar, int]:
    """A complete starting solution: the rounds planned one after another, as a coordinator
    would (``roster``, then ``next-round``), turned into the programme's variables. Each
    round's roster solves fast and is valid in the programme, so the stages start from it."""
    from camp_planner.programme.carry import next_companies
    from camp_planner.scheduler import solve as solve_round

    programme = pm.programme
    group_of = {c.company_id: gi for gi, g in enumerate(pm.groups) for c in g.companies}
    venue_index = {v.venue_id: i for i, v in enumerate(programme.problem.venues)}
    companies = programme.problem.companies
    x: dict[Key, int] = defaultdict(int)
    n: dict[tuple[object, int, int], int] = defaultdict(int)
    deadline = time.time() + seconds
    for r, rnd in enumerate(programme.rounds):
        current = programme.problem.model_copy(update={"round": rnd, "companies": companies})
        share = max(1.0, (deadline - time.time()) / (len(programme.rounds) - r))
        if progress:
            progress(f"starting solution: round {rnd.name} on its own")
        roster = solve_round(current, time_limit=share, seed=seed, workers=workers)
        for cohort in roster.cohorts:
            v = venue_index.get(cohort.venue_id)
            if v is None:
                continue
            segment = None
            for member in cohort.members:
                gi = group_of.get(member)
                option = None if gi is None else pm.groups[gi].options.get((r, cohort.module))
                if gi is None or option is None:
                    continue
                x[gi, cohort.module, r, v] += 1
                segment = option.segment
            if segment is not None:
                n[segment, r, v] += 1
        companies = next_companies(current, roster)
    hint: dict[cp_model.IntVar, int] = {}
    for key, var in pm.x.items():
        hint[var] = x.get(key, 0)
    for count_key, var in pm.n.items():
        hint[var] = n.get(count_key, 0)
        hint[pm.w[count_key]] = int(n.get(count_key, 0) > 0)
    for (r, v), var in pm.y.items():
        hint[var] = int(any(n.get((s, rr, vv), 0) for (s, rr, vv) in pm.n if rr == r and vv == v))
    return hint


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
    deadline = started + time_limit
    groups = group_companies(programme)
    days, capacities = _capacities(programme, groups, min(20.0, 0.2 * time_limit), seed)
    pm = ProgrammeModel(programme, groups, capacities)
    # A starting solution from planning the rounds one by one (measured on the demo: without
    # it the first stage was not proven in 10 s and the travel gap was 42 % after 20 s).
    start = myopic_hint(pm, 0.25 * time_limit, seed, workers, progress)
    for var, value in start.items():
        pm.model.add_hint(var, value)
    start_values = pm.values({key: start[var] for key, var in pm.x.items()})
    total_priority = sum(g.size * g.priority for g in groups)
    track_max = sum(g.size for g in groups if g.whole_track)
    w_tracks = total_priority + 1
    w_planned = (track_max + 1) * w_tracks
    stages: list[Stage] = []
    reserve = min(20.0, 0.1 * time_limit)  # dating and writing
    budget = deadline - reserve - time.time()
    solver, first = _stage(
        pm,
        "steps planned",
        w_planned * pm.planned() + w_tracks * pm.tracks() + pm.priority(),
        True,
        time.time() + 0.35 * budget,
        seed,
        workers,
        progress,
        started,
    )
    stages.append(first)
    if not first.found:
        return ProgrammeSolution(
            programme,
            groups,
            stages,
            [],
            SolverStatus.TIME_LIMIT if first.status == "UNKNOWN" else SolverStatus.INFEASIBLE,
            round(time.time() - started, 3),
            message=f"no programme found ({first.status})",
        )
    planned, rest = divmod(first.value, w_planned)
    tracks, priority = divmod(rest, w_tracks)
    first.words = (
        f"{planned} next steps planned, {tracks} tracks (Module 1 and Module 2) completed, "
        f"{priority} points of priority and waiting among those placed (a single number: "
        f"steps x {w_planned:,} + tracks x {w_tracks:,} + points)"
    )
    pm.model.add(pm.planned() >= planned)
    pm.model.add(pm.tracks() >= tracks)
    pm.model.add(pm.priority() >= priority)
    best = solver
    if start_values[:3] == (planned, tracks, priority):  # the start is optimal so far: keep it
        _rehint(pm, start)
    budget = deadline - reserve - time.time()
    solver2, second = _stage(
        pm, "earlier rounds", pm.earliness(), True, time.time() + 0.3 * budget, seed, workers,
        progress, started,
    )  # fmt: skip
    stages.append(second)
    if second.found:
        second.words = (
            f"earliness {second.value:,}: each step counts (rounds before the last it is "
            "in) x (1 + the company's priority and waiting points); higher means earlier "
            "rounds for those first in line"
        )
        best = solver2
        pm.model.add(pm.earliness() >= second.value)
        if start_values[:3] == (planned, tracks, priority) and start_values[3] >= second.value:
            _rehint(pm, start)
    # Rounds kept, travel per round: usually far better than the stages' last solution.
    budget = deadline - reserve - time.time()
    per_round = _per_round_travel(pm, best, time.time() + 0.35 * budget, seed, workers, progress)
    candidates = [{var: best.value(var) for var in start}]
    if per_round:
        candidates.append(per_round)
    start_ok = start_values[:3] == (planned, tracks, priority) and (
        not second.found or start_values[3] >= second.value
    )
    if start_ok:
        candidates.append(start)
    _rehint(pm, min(candidates, key=lambda h: pm.travel_of({k: h[v] for k, v in pm.x.items()})))
    solver3, third = _stage(
        pm, "travel km", pm.travel_units(), False, deadline - reserve, seed, workers, progress,
        started,
    )  # fmt: skip
    stages.append(third)
    if third.found:
        third.words = f"{travel_units_to_km(third.value):,.1f} km travelled over the horizon"
        best = solver3
    identities = _assign_identities(pm, best)
    rounds = [
        _round_plan(pm, best, r, days[r], identities, seed, max(1.0, (deadline - time.time()) / 2))
        for r in range(len(programme.rounds))
    ]
    steps_of: dict[str, list[tuple[int, Step]]] = defaultdict(list)
    left_out = {cid for plan in rounds for cid in plan.left_out}
    for (_, step, r), ids in sorted(identities.items(), key=lambda kv: kv[0][2]):
        for cid in ids:
            if cid not in left_out:
                steps_of[cid].append((r, step))
    proven = all(stage.proven for stage in stages) and not left_out
    message = ""
    if left_out:
        message = (
            f"{len(left_out)} companies could not meet on common dates and were left out; "
            "their reasons say so"
        )
    return ProgrammeSolution(
        programme=programme,
        groups=groups,
        stages=stages,
        rounds=rounds,
        status=SolverStatus.OPTIMAL if proven else SolverStatus.FEASIBLE,
        wall_time_s=round(time.time() - started, 3),
        message=message,
        steps_of=dict(steps_of),
    )


def travel_units_to_km(units: int) -> float:
    """The model's travel units as km."""
    return units / TRAVEL_UNITS_PER_KM
