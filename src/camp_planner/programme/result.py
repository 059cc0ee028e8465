"""From a solved programme to a roster per round and the programme document.

Each round's roster is complete on its own: every company of the input once, in a cohort
or unplaced with a code (``later_round`` when its step is planned in a later round) and the
reason's ``reason_code`` and ``reason_values`` (scheduler/reason_text.py), with
``completed`` as it stands after the earlier rounds. The programme document lists each
company's planned steps and a sentence the coordinator can send.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

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
    Step,
    Unplaced,
    UnplacedCode,
)
from camp_planner.models.groups import group_counts
from camp_planner.models.roster import RosterKind
from camp_planner.programme.plan import steps_to_take
from camp_planner.programme.solve import ProgrammeSolution, Stage
from camp_planner.scheduler.days import DayIndex
from camp_planner.scheduler.prepare import next_step_or_reason, placement_priority
from camp_planner.scheduler.reason_text import Reason, reason_fields, segment_values
from camp_planner.scheduler.result import assemble_roster

STEP_NAMES = {Step.MODULE1: "Module 1", Step.MODULE2: "Module 2"}
#: The programme's own reasons are written in English, whatever the round's language (as
#: they always were); their codes let a page show them in its own language.
ENGLISH = "en"


@dataclass
class ProgrammeResult:
    """Everything the programme command writes."""

    document: dict[str, object]
    #: per round: its planning problem (completed as of that round) and roster
    rounds: list[tuple[PlanningProblem, Roster]]
    #: company_id -> the sentence for the coordinator
    sentences: dict[str, str]


def _completed_before(solution: ProgrammeSolution, r: int) -> dict[str, frozenset[Step]]:
    done: dict[str, set[Step]] = defaultdict(set)
    for cid, steps in solution.steps_of.items():
        for rr, step in steps:
            if rr < r:
                done[cid] |= {step, LAB_OF[step]}
    return {cid: frozenset(steps) for cid, steps in done.items()}


def _round_companies(solution: ProgrammeSolution, r: int) -> tuple[Company, ...]:
    done = _completed_before(solution, r)
    return tuple(
        c.model_copy(update={"completed": c.completed | done.get(c.company_id, frozenset())})
        for c in solution.programme.problem.companies
    )


def _cohorts(solution: ProgrammeSolution, r: int) -> tuple[list[Cohort], dict[str, float]]:
    plan = solution.rounds[r]
    index = DayIndex.for_problem(solution.programme.round_problem(r))
    venues = solution.programme.problem.venues
    cursor: dict[tuple[int, Step, int], int] = defaultdict(int)
    cohorts, travel = [], {}
    order = sorted(plan.dated, key=lambda d: (d.start, plan.plans[d.plan_index].venue))
    for number, item in enumerate(order, start=1):
        cplan = plan.plans[item.plan_index]
        segment = cplan.segment
        assert isinstance(segment, Segment)  # the programme forms no online or mixed cohorts
        step = segment.module
        members = []
        for gi, k in sorted(item.members.items()):
            chosen = plan.takers[gi, step][cplan.venue]
            start = cursor[gi, step, cplan.venue]
            for cid in chosen[start : start + k]:
                members.append(cid)
                option = solution.groups[gi].options[r, step]
                travel[cid] = round(option.travel[cplan.venue], 3)
            cursor[gi, step, cplan.venue] = start + k
        length = SESSION_DAYS[step]
        sessions = [
            Session(step=step, dates=[index.dates[item.start + k] for k in range(length)]),
            Session(step=LAB_OF[step], dates=[index.dates[item.lab]]),
        ]
        cohorts.append(
            Cohort(
                cohort_id=f"C{number:02d}",
                venue_id=venues[cplan.venue].venue_id,
                module=step,
                level=segment.level,
                age_group=segment.age_group,
                members=sorted(members),
                sessions=sessions,
            )
        )
    return cohorts, travel


def _why_not(
    solution: ProgrammeSolution, problem: PlanningProblem, company: Company
) -> tuple[UnplacedCode, str]:
    """Why a company has no step in a round in which none is planned for it."""
    result = next_step_or_reason(problem, company)
    if isinstance(result, tuple):
        return result
    segment = result
    later = [
        (rr, step)
        for rr, step in solution.steps_of.get(company.company_id, [])
        if problem.round.start < solution.programme.rounds[rr].start
    ]
    if later:
        rr, step = later[0]
        return UnplacedCode.LATER_ROUND, _later_reason(solution, problem, company, rr, step)
    if company.available_from and company.available_from > problem.round.end:
        dates = {"start": company.available_from.isoformat(), "end": problem.round.end.isoformat()}
        return UnplacedCode.NOT_YET_AVAILABLE, Reason("after_round", dates, ENGLISH)
    rnd = problem.round
    _, people = group_counts(problem).get(segment, (0, 0))
    if people < rnd.cohort_min:
        values: dict[str, object] = {
            "segment": segment_values(segment),
            "people": people,
            "min": rnd.cohort_min,
        }
        return UnplacedCode.SEGMENT_TOO_SMALL, Reason("horizon_too_small", values, ENGLISH)
    return UnplacedCode.CAPACITY, Reason(
        "horizon_full", {"segment": segment_values(segment)}, ENGLISH
    )


def _later_reason(
    solution: ProgrammeSolution, problem: PlanningProblem, company: Company, rr: int, step: Step
) -> Reason:
    """Why a company's step is planned for round `rr` and not for this one (issue 23): this
    round's places of its group went to companies that go first, or it is planned later so
    that more steps and tracks fit in the horizon (those rank above earlier rounds)."""
    here = problem.round
    planned = {"step": step.value, "round": solution.programme.rounds[rr].name, "here": here.name}
    if company.available_from and company.available_from > here.end:
        values = planned | {"start": company.available_from.isoformat()}
        return Reason("later_available", values, ENGLISH)
    segment = problem.segment_of(company)
    r = next(i for i, rnd in enumerate(solution.programme.rounds) if rnd.name == here.name)
    standing = placement_priority(problem)
    took = [
        other.company_id
        for other in problem.companies
        if (r, step) in solution.steps_of.get(other.company_id, [])
        and problem.segment_of(other) == segment
    ]
    if any(standing[cid] > standing[company.company_id] for cid in took):
        return Reason("later_full", planned, ENGLISH)
    return Reason("later_tracks", planned | {"n": len(took)}, ENGLISH)


def _roster(solution: ProgrammeSolution, r: int) -> tuple[PlanningProblem, Roster]:
    programme = solution.programme
    problem = programme.round_problem(r, _round_companies(solution, r))
    cohorts, travel = _cohorts(solution, r)
    placed = set(travel)
    left_out = set(solution.rounds[r].left_out)
    unplaced = []
    for company in problem.companies:
        if company.company_id in placed:
            continue
        reason: str
        if company.company_id in left_out:
            code, reason = UnplacedCode.UNAVAILABLE, Reason("no_common_dates", {}, ENGLISH)
        else:
            code, reason = _why_not(solution, problem, company)
        unplaced.append(
            Unplaced(
                company_id=company.company_id, code=code, reason=reason, **reason_fields(reason)
            )
        )
    total = round(sum(travel.values()), 3)
    proven = solution.status == SolverStatus.OPTIMAL
    report = SolverReport(
        status=solution.status,
        wall_time_s=solution.wall_time_s,
        objective=total,
        best_bound=total if proven else None,
        gap=0.0 if proven else None,
        message=solution.message or f"round {r + 1} of {len(programme.rounds)} of a programme",
    )
    roster = assemble_roster(problem, report, cohorts, unplaced, travel, kind=RosterKind.PROGRAMME)
    return problem, roster


def _sentence(
    solution: ProgrammeSolution,
    company: Company,
    where: dict[tuple[str, int], tuple[str, str]],
    unplaced: dict[str, tuple[UnplacedCode, str]],
) -> str:
    programme = solution.programme
    steps = solution.steps_of.get(company.company_id, [])
    names = {v.venue_id: v.name for v in programme.problem.venues}
    parts = []
    for r, step in steps:
        cohort, venue = where[company.company_id, r]
        verb = "in" if r == 0 else "planned for"
        parts.append(f"{STEP_NAMES[step]} {verb} {programme.rounds[r].name} at {names[venue]}")
    todo = steps_to_take(programme.problem, company)
    if not todo:
        return "Training track complete (or no further step at its level)."
    if not steps:
        code, reason = unplaced[company.company_id]
        hint = {
            UnplacedCode.SEGMENT_TOO_SMALL: (
                "more companies of its group signing up, or a remedy (online cohorts, mixing) "
                "would give it a place"
            ),
            UnplacedCode.CAPACITY: "more facilitator days or venues, or a higher priority",
            UnplacedCode.TOO_FAR: "a venue nearer to it, or a larger max_travel_km",
            UnplacedCode.NOT_YET_AVAILABLE: "a later round in the horizon",
            UnplacedCode.UNAVAILABLE: "fewer unavailable days",
        }.get(code, "a change of the round's settings")
        return f"No step fits the horizon: {reason}. What would change that: {hint}."
    missing = [s for s in todo if s not in {step for _, step in steps}]
    text = "; ".join(parts)
    if missing:
        text += f"; {STEP_NAMES[missing[0]]} does not fit the horizon yet"
    return text + "."


def _stage_row(stage: Stage) -> dict[str, object]:
    """A stage of programme.json: its value, bound and the value in words."""
    return {
        "stage": stage.name,
        "status": stage.status,
        "value": stage.value,
        "bound": stage.bound,
        "words": stage.words,
    }


def programme_result(solution: ProgrammeSolution) -> ProgrammeResult:
    """The rosters per round, the programme document and a sentence per company."""
    programme = solution.programme
    rounds = [_roster(solution, r) for r in range(len(programme.rounds))]
    where: dict[tuple[str, int], tuple[str, str]] = {}
    for r, (_, roster) in enumerate(rounds):
        for cohort in roster.cohorts:
            for member in cohort.members:
                where[member, r] = (cohort.cohort_id, cohort.venue_id)
    # The reason a company without any step gets: that of the round it would start in.
    unplaced: dict[str, tuple[UnplacedCode, str]] = {}
    coded: dict[str, dict[str, object]] = {}
    for _, roster in reversed(rounds):
        for u in roster.unplaced:
            unplaced[u.company_id] = (u.code, u.reason)
            coded[u.company_id] = {"reason_code": u.reason_code, "reason_values": u.reason_values}
    companies = []
    sentences = {}
    planned = tracks = 0
    for company in programme.problem.companies:
        cid = company.company_id
        steps = solution.steps_of.get(cid, [])
        todo = steps_to_take(programme.problem, company)
        taken = {step for _, step in steps}
        if todo and todo[0] in taken:
            planned += 1
        if todo == (Step.MODULE1, Step.MODULE2) and taken == set(todo):
            tracks += 1
        sentences[cid] = _sentence(solution, company, where, unplaced)
        no_step = not steps and cid in unplaced
        companies.append(
            {
                "company_id": cid,
                "steps": [
                    {
                        "step": step.value,
                        "round": programme.rounds[r].name,
                        "cohort_id": where[cid, r][0],
                        "venue_id": where[cid, r][1],
                    }
                    for r, step in steps
                ],  # fmt: skip
                "unplaced": (
                    {"code": unplaced[cid][0].value, "reason": unplaced[cid][1], **coded[cid]}
                    if no_step
                    else None
                ),
                "message": sentences[cid],
            }
        )
    stages = solution.stages
    document: dict[str, object] = {
        "rounds": [rnd.name for rnd in programme.rounds],
        "solver": {
            "status": solution.status.value,
            "wall_time_s": solution.wall_time_s,
            "objective": round(sum(r.summary.travel_km_total for _, r in rounds), 3),
            "best_bound": (
                round(stages[-1].bound / 100, 3) if stages and stages[-1].found else None
            ),
            "stages": [_stage_row(s) for s in stages],
            "message": solution.message,
        },
        "companies": companies,
        "summary": {
            "companies": len(programme.problem.companies),
            "next_step_planned": planned,
            "tracks_completed": tracks,
            "travel_km_total": round(sum(r.summary.travel_km_total for _, r in rounds), 3),
            "per_round": [
                {"round": r.round, "placed": r.summary.placed, "cohorts": len(r.cohorts)}
                for _, r in rounds
            ],
        },
    }
    return ProgrammeResult(document=document, rounds=rounds, sentences=sentences)
