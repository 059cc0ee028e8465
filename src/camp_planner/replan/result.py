"""From the replan's solution to a roster: published ids kept, new cohorts numbered after
them, every company a member or unplaced with a reason."""

from __future__ import annotations

import dataclasses
import time
from collections import defaultdict

from ortools.sat.python import cp_model

from camp_planner.i18n import N_, gettext_for
from camp_planner.models import (
    LAB_OF,
    SESSION_DAYS,
    Cohort,
    Company,
    PlanningProblem,
    Roster,
    Segment,
    Session,
    SolverReport,
    SolverStatus,
    Unplaced,
    UnplacedCode,
)
from camp_planner.models.roster import ONLINE_VENUE_ID, CohortAgeGroup, CohortLevel, RosterKind
from camp_planner.replan.model import ReplanModel
from camp_planner.replan.setup import ChangeCost, Setup, cohort_kind, next_cohort_ids
from camp_planner.replan.solve import Solved
from camp_planner.scheduler.reason_text import Reason, reason_fields, segment_values
from camp_planner.scheduler.result import assemble_roster

#: roster.json's summary.policy of a replanned roster
POLICY = N_(
    "replanned: companies with a place in the published roster keep one first; then the "
    "most companies placed (higher priority + level_priority, then longest waiting); then "
    "the fewest changes; then the least travel"
)


def label(problem: PlanningProblem, members: list[Company]) -> tuple[CohortLevel, CohortAgeGroup]:
    """A cohort's level and age group from its members."""
    start = problem.round.start
    return (
        CohortLevel.of(problem.level_of(c) for c in members),
        CohortAgeGroup.of(c.age_group(start) for c in members),
    )


def _cohort(problem: PlanningProblem, base: Cohort, members: list[str]) -> Cohort:
    by_id = {c.company_id: c for c in problem.companies}
    level, age = label(problem, [by_id[m] for m in members])
    return base.model_copy(
        update={
            "members": sorted(members),
            "level": level,
            "age_group": age,
            "mixed": level.mixed or age == CohortAgeGroup.MIXED,
        }
    )


def solution_cohorts(solved: Solved, retired: set[str]) -> list[Cohort]:
    """The cohorts: those that have met, then every active slot; in date order."""
    setup, rm = solved.setup, solved.model
    problem, days = setup.problem, setup.days
    cohorts = [_cohort(problem, c, c.members) for c in setup.history]
    active = [s for s in setup.slots if solved.value(rm.a[s.index])]
    taken = {c.cohort_id for c in setup.published.cohorts} | retired
    fresh = iter(next_cohort_ids(taken, sum(1 for s in active if not s.existing)))
    for s in active:
        sv = rm.slot[s.index]
        start, lab = solved.value(sv.start), solved.value(sv.lab)
        venue = next(v for v in s.venues if solved.value(rm.u[s.index, v]))
        members = [cid for (cid, j), x in rm.x.items() if j == s.index and solved.value(x)]
        base = Cohort(
            cohort_id=s.cohort_id or next(fresh),
            venue_id=venue,
            module=s.module,
            level=CohortLevel.C,
            age_group=CohortAgeGroup.ESTABLISHED,
            members=[],
            sessions=[
                Session(
                    step=s.module,
                    dates=[days.dates[start + k] for k in range(SESSION_DAYS[s.module])],
                ),
                Session(step=LAB_OF[s.module], dates=[days.dates[lab]]),
            ],
            online=venue == ONLINE_VENUE_ID,
        )
        cohorts.append(_cohort(problem, base, members))
    cohorts.sort(key=lambda c: (min(d for s in c.sessions for d in s.dates), c.cohort_id))
    return cohorts


def _feasible(setup: Setup, costs: ChangeCost, cid: str, seconds: float) -> bool | None:
    """Whether some roster under the rules and pins gives `cid` a place (None: unknown)."""
    rm = ReplanModel(setup, costs)
    rm.model.add(sum(x for (c, _), x in rm.x.items() if c == cid) == 1)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = 1
    status = solver.solve(rm.model)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return True
    return False if status == cp_model.INFEASIBLE else None


def lost_place_reason(
    solved: Solved, costs: ChangeCost, cid: str, kept: int, seconds: float = 3.0
) -> tuple[UnplacedCode, str]:
    """Why a company of the published roster has no place now."""
    setup = solved.setup
    lang = setup.problem.round.language
    old = setup.previous[cid]
    alone = _feasible(setup, costs, cid, seconds)
    if alone:
        values = {"cohort": old, "kept": kept, "total": len(setup.previous)}
        return UnplacedCode.CAPACITY, Reason("lost_to_other", values, lang)
    if alone is False and setup.blackout[cid]:
        free = dataclasses.replace(setup, blackout={**setup.blackout, cid: frozenset()})
        if _feasible(free, costs, cid, seconds):
            return UnplacedCode.UNAVAILABLE, Reason("lost_unavailable", {"cohort": old}, lang)
    return UnplacedCode.CAPACITY, Reason("lost_rules", {"cohort": old}, lang)


def _in_notice(setup: Setup, seg: Segment) -> bool:
    """Whether a cohort of the segment is kept only because it meets within the notice
    period (it has not met by --as-of; round.toml `notice_days`)."""
    for cohort in setup.history:
        first = min((d for x in cohort.sessions for d in x.dates), default=setup.as_of)
        levels, ages = cohort_kind(cohort)
        if (
            first >= setup.as_of
            and cohort.module == seg.module
            and seg.level in levels
            and seg.age_group in ages
        ):
            return True
    return False


def unplaced_list(
    solved: Solved, cohorts: list[Cohort], costs: ChangeCost, deadline: float
) -> list[Unplaced]:
    """Every company without a place, in folder order, with its code and reason (and the
    reason's code and values, scheduler/reason_text.py); why a company of the published
    roster lost its place is looked into until `deadline`."""
    setup, rm = solved.setup, solved.model
    problem = setup.problem
    lang = problem.round.language
    placed = {m for c in cohorts for m in c.members}
    seg_placed = {problem.segment_of(c) for c in problem.companies if c.company_id in placed}
    people: dict[object, int] = defaultdict(int)
    for cid, seg in setup.segment.items():
        people[seg] += setup.companies[cid].participants
    can_join = {cid for cid, _ in rm.x}
    kept = sum(1 for cid in setup.previous if cid in placed)
    reasons = dict(setup.excluded)
    for cid, seg in setup.segment.items():
        if cid in placed:
            continue
        if cid in setup.previous and cid in can_join:
            left = deadline - time.time()
            if left > 0.5:  # a solve or two per company, while the budget lasts
                reasons[cid] = lost_place_reason(solved, costs, cid, kept, min(2.0, left))
            else:
                values = {"cohort": setup.previous[cid], "kept": kept, "total": len(setup.previous)}
                reasons[cid] = (UnplacedCode.CAPACITY, Reason("lost_budget", values, lang))
            continue
        group: dict[str, object] = {"segment": segment_values(seg)}
        if cid in setup.previous:
            group["had"] = setup.previous[cid]
        if seg not in seg_placed and people[seg] < problem.round.cohort_min:
            values = group | {"people": people[seg], "min": problem.round.cohort_min}
            reasons[cid] = (UnplacedCode.SEGMENT_TOO_SMALL, Reason("left_too_small", values, lang))
        elif cid not in can_join:
            if _in_notice(setup, seg):
                group["notice"] = setup.first_change.isoformat()
            reasons[cid] = (UnplacedCode.CAPACITY, Reason("no_cohort_runs", group, lang))
        else:
            values = {"segment": segment_values(seg)}
            reasons[cid] = (UnplacedCode.CAPACITY, Reason("no_place_left", values, lang))
    return [
        Unplaced(
            company_id=c.company_id,
            code=reasons[c.company_id][0],
            reason=reasons[c.company_id][1],
            **reason_fields(reasons[c.company_id][1]),
        )
        for c in problem.companies
        if c.company_id in reasons and c.company_id not in placed
    ]


def travel_of(problem: PlanningProblem, cohorts: list[Cohort]) -> dict[str, float]:
    """Travel km per placed company (0 online)."""
    companies = {c.company_id: c for c in problem.companies}
    venues = {v.venue_id: v for v in problem.venues}
    travel = {}
    for cohort in cohorts:
        for m in cohort.members:
            km = 0.0 if cohort.online else problem.travel_km(companies[m], venues[cohort.venue_id])
            travel[m] = round(km, 3)
    return travel


def history_flags(problem: PlanningProblem, setup: Setup) -> list[str]:
    """Flags for cohorts that have met: now fewer people than a cohort needs (it keeps
    running), or a session still to come on a day the facilitator, the venue or a member
    is now unavailable (kept too: to be arranged by hand)."""
    companies = {c.company_id: c for c in problem.companies}
    venues = {v.venue_id: v for v in problem.venues}
    rnd = problem.round
    flags = []
    for cohort in setup.history:
        people = sum(companies[m].participants for m in cohort.members)
        smallest = rnd.online_cohort_min if cohort.online else rnd.cohort_min
        if people < smallest:
            flags.append(
                f"{cohort.cohort_id} has met and now has {people} people, fewer than the "
                f"{smallest} a cohort needs; it keeps running"
            )
        venue = venues.get(cohort.venue_id)
        for session in cohort.sessions:
            for day in session.dates:
                if day < setup.as_of:
                    continue
                who = [
                    name
                    for name, off in (
                        ("the facilitator", rnd.facilitator_unavailable),
                        (f"venue {cohort.venue_id}", venue.unavailable if venue else ()),
                        *((f"member {m}", companies[m].unavailable) for m in cohort.members),
                    )
                    if day in off
                ]
                if who:
                    flags.append(
                        f"{cohort.cohort_id} has met; its {session.step.value} on {day} is kept, "
                        f"but {', '.join(who)} cannot be there: arrange it by hand"
                    )
    return flags


def build_roster(
    solved: Solved,
    costs: ChangeCost,
    retired: set[str],
    started: float,
    message: str,
    deadline: float,
) -> Roster:
    """The replanned roster; `message` goes into the solver report."""
    problem = solved.setup.problem
    cohorts = solution_cohorts(solved, retired)
    unplaced = unplaced_list(solved, cohorts, costs, deadline)
    travel = travel_of(problem, cohorts)
    total = round(sum(travel.values()), 3)
    stages = {s.name: s for s in solved.stages}
    proven = all(s.proven for s in solved.stages)
    km = stages.get("travel km")
    bound = total if km is None or km.proven else min(total, km.bound)
    placed = stages.get("companies placed")
    placed_bound = None if placed is None else int(placed.bound)
    report = SolverReport(
        status=SolverStatus.OPTIMAL if proven else SolverStatus.FEASIBLE,
        wall_time_s=round(time.time() - started, 3),
        objective=total,
        best_bound=round(bound, 3),
        gap=0.0 if total == 0 else round((total - bound) / total, 6),
        placed_bound=placed_bound,
        message=message,
    )
    policy = gettext_for(problem.round.language)(POLICY)
    return assemble_roster(
        problem, report, cohorts, unplaced, travel, policy=policy, kind=RosterKind.REPLAN
    )
