"""Sentences for companies the optimiser could consider but did not place."""

from __future__ import annotations

from collections.abc import Mapping

from camp_planner.models import PlanningProblem, Segment, UnplacedCode
from camp_planner.models.groups import fillable_people
from camp_planner.scheduler.prepare import Group
from camp_planner.scheduler.remedy_hints import remedy_hints, too_small, too_small_sentence


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
    placed: list[Group],
    placed_in_round: list[Group] | None = None,
    round_people: Mapping[Segment, int] | None = None,
) -> tuple[UnplacedCode, str]:
    """Why a company of `group` has no place, given its segment and who of it was placed
    (one entry of `placed` per placed company of the segment), naming the policy that
    decided: higher priority, then longer waiting, then shorter travel."""
    rnd = problem.round
    companies = sum(g.size for g in segment_groups)
    people = sum(g.size * g.participants for g in segment_groups)
    segment = group.segment
    # `round_people` (people per segment of the round) lets the reason weigh the remedies:
    # online cohorts and mixing (remedy_hints).
    everyone = round_people if round_people is not None else {segment: people}
    if too_small(rnd, segment, everyone):
        return UnplacedCode.SEGMENT_TOO_SMALL, too_small_sentence(rnd, segment, companies, everyone)
    if any(p.policy_priority > group.policy_priority for p in placed):
        return UnplacedCode.PRIORITY, (
            f"{segment.label} could not place everyone; companies with a higher priority "
            f"than {group.policy_priority} (priority + level_priority) were placed first"
        )
    if any(p.priority > group.priority for p in placed):
        since = min(p.waiting_since for p in placed if p.waiting_since is not None)
        return UnplacedCode.PRIORITY, (
            f"{segment.label} could not place everyone; with equal priority, companies "
            f"waiting longer (since {since}) were placed first"
        )
    holdable = fillable_people(people, rnd.cohort_min, rnd.cohort_max)
    if holdable < people:
        hints = remedy_hints(rnd, segment, everyone)  # e.g. online cohorts would hold them all
        return UnplacedCode.CAPACITY, (
            f"{segment.label} has {people} people; cohorts of {rnd.cohort_min}-"
            f"{rnd.cohort_max} can hold {holdable}; with equal priority and waiting, shorter "
            "travel won" + "".join(f"; {hint}" for hint in hints)
        )
    limits = (
        f"{segment.label}: no room within the round's limits (max {rnd.max_venues} venues, "
        f"{rnd.facilitators} facilitator(s), venue capacities, travel and dates) while "
        "placing as many companies as possible"
    )
    if any(p.policy_priority > group.policy_priority for p in placed_in_round or []):
        return UnplacedCode.CAPACITY, (
            f"{limits}; companies of other groups with a higher priority than "
            f"{group.policy_priority} (priority + level_priority) were placed first"
        )
    return UnplacedCode.CAPACITY, f"{limits}; with equal priority and waiting, shorter travel won"
