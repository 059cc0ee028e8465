"""Sentences for companies the optimiser could consider but did not place."""

from __future__ import annotations

from camp_planner.models import PlanningProblem, Segment, UnplacedCode
from camp_planner.models.groups import fillable_people
from camp_planner.scheduler.prepare import Group


def segment_too_small(segment: Segment, companies: int, people: int, cohort_min: int) -> str:
    """e.g. "A/young Module 1 has 5 eligible companies (5 people); a cohort needs 8"."""
    return (
        f"{segment.label} has {companies} eligible companies ({people} people); "
        f"a cohort needs {cohort_min}"
    )


def unplaced_reason(
    problem: PlanningProblem,
    group: Group,
    segment_groups: list[Group],
    placed_priorities: list[int],
) -> tuple[UnplacedCode, str]:
    """Why a company of `group` has no place, given its segment and who of it was placed."""
    rnd = problem.round
    companies = sum(g.size for g in segment_groups)
    people = sum(g.size * g.participants for g in segment_groups)
    segment = group.segment
    if people < rnd.cohort_min:
        return UnplacedCode.SEGMENT_TOO_SMALL, segment_too_small(
            segment, companies, people, rnd.cohort_min
        )
    if any(p > group.priority for p in placed_priorities):
        return UnplacedCode.PRIORITY, (
            f"{segment.label} could not place everyone; companies with a higher priority "
            f"than {group.priority} were placed first"
        )
    holdable = fillable_people(people, rnd.cohort_min, rnd.cohort_max)
    if holdable < people:
        return UnplacedCode.CAPACITY, (
            f"{segment.label} has {people} people; cohorts of {rnd.cohort_min}-"
            f"{rnd.cohort_max} can hold {holdable}"
        )
    return UnplacedCode.CAPACITY, (
        f"{segment.label}: no room within the round's limits (max {rnd.max_venues} venues, "
        f"{rnd.facilitators} facilitator(s), venue capacities, travel and dates) while "
        f"placing as many companies as possible with the least travel"
    )
