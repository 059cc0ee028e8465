"""Hand-made published rosters for the replan tests, on the tiny rounds of
`tests.helpers.sched_build` (cohorts of 2-3 people, towns A and B 14.455 km apart)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from camp_planner.models import (
    Cohort,
    Company,
    PlanningProblem,
    Roster,
    RoundConfig,
    Session,
    SolverReport,
    SolverStatus,
    Step,
    Summary,
    Unplaced,
    UnplacedCode,
    Venue,
)
from camp_planner.models.roster import CohortAgeGroup, CohortLevel
from camp_planner.replan import ReplanResult
from tests.checker import check_replan

LAB = {Step.MODULE1: Step.LAB1, Step.MODULE2: Step.LAB2}


def d(text: str) -> date:
    """An ISO date."""
    return date.fromisoformat(text)


def cohort(
    cid: str,
    venue: str,
    members: list[str],
    module: list[str],
    lab: str,
    step: Step = Step.MODULE1,
    level: str = "C",
    age: str = "established",
) -> Cohort:
    """A published cohort: its module on `module` (one date, two for Module 2), lab on `lab`."""
    return Cohort(
        cohort_id=cid,
        venue_id=venue,
        module=step,
        level=CohortLevel(level),
        age_group=CohortAgeGroup(age),
        members=sorted(members),
        sessions=[
            Session(step=step, dates=[d(x) for x in module]),
            Session(step=LAB[step], dates=[d(lab)]),
        ],
    )


def published(problem: PlanningProblem, cohorts: list[Cohort]) -> Roster:
    """A published roster of these cohorts; every other company waits (capacity)."""
    companies = {c.company_id: c for c in problem.companies}
    venues = {v.venue_id: v for v in problem.venues}
    travel = {
        m: round(problem.travel_km(companies[m], venues[c.venue_id]), 3)
        for c in cohorts
        for m in c.members
    }
    unplaced = [
        Unplaced(company_id=c.company_id, code=UnplacedCode.CAPACITY, reason="waiting")
        for c in problem.companies
        if c.company_id not in travel
    ]
    return Roster(
        round=problem.round.name,
        solver=SolverReport(status=SolverStatus.OPTIMAL, wall_time_s=0.0),
        cohorts=cohorts,
        unplaced=unplaced,
        summary=Summary(
            placed=len(travel),
            unplaced=len(unplaced),
            travel_km_total=round(sum(travel.values()), 3),
            venues_used=list(dict.fromkeys(c.venue_id for c in cohorts)),
        ),
        travel_km=travel,
    )


def problem_of(rnd: RoundConfig, companies: list[Company], venues: list[Venue]) -> PlanningProblem:
    """The planning problem of a round, its companies and venues."""
    return PlanningProblem(round=rnd, companies=tuple(companies), venues=tuple(venues))


def as_json(roster: Roster) -> dict[str, Any]:
    """roster.json as a dict."""
    return json.loads(roster.to_json())


def checked(
    problem: PlanningProblem,
    result: ReplanResult,
    as_of: date,
    pins: tuple[tuple[str, str], ...] = (),
) -> dict[str, Any]:
    """The replanned roster as a dict, after both checkers accepted it (and the change rows)."""
    new, old = as_json(result.roster), as_json(result.published)
    rows = [
        {k: (v.value if hasattr(v, "value") else v) for k, v in vars(r).items()}
        for r in result.rows
    ]
    errors = check_replan(
        problem.round, problem.companies, problem.venues, old, new, as_of, pins, rows
    )
    assert errors == [], errors
    return new


def members(roster: dict[str, Any]) -> dict[str, list[str]]:
    """cohort id -> members."""
    return {c["cohort_id"]: c["members"] for c in roster["cohorts"]}


def dates(roster: dict[str, Any]) -> dict[str, list[str]]:
    """cohort id -> every session date."""
    return {
        c["cohort_id"]: [x for s in c["sessions"] for x in s["dates"]] for c in roster["cohorts"]
    }
