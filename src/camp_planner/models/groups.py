"""Groups of companies that may share a cohort, and what whole cohorts can hold.

One place for the cohort-capacity arithmetic that the check, the pre-solve checks, the
optimiser and the unplaced reasons all use: a group (segment) of P people fills at most
P // cohort_min cohorts, and k cohorts hold between k * cohort_min and k * cohort_max people.
"""

from __future__ import annotations

from collections import Counter

from camp_planner.models.enums import AgeGroup, Step
from camp_planner.models.problem import PlanningProblem, Segment

#: Status text of a group whose people cannot fill even one cohort.
CANNOT_FILL = "cannot fill a cohort"


def cohorts_possible(people: int, cohort_min: int) -> int:
    """The most cohorts `people` people can fill (each needs `cohort_min`)."""
    return people // cohort_min


def fillable_totals(people: int, cohort_min: int, cohort_max: int) -> list[tuple[int, int]]:
    """For k = 1, 2, ... cohorts, the range of people they hold, up to `people` people.

    Returns:
        ``[(k * cohort_min, min(people, k * cohort_max)) for k = 1 .. people // cohort_min]``;
        together with 0, the totals whole cohorts can hold.
    """
    return [
        (k * cohort_min, min(people, k * cohort_max))
        for k in range(1, cohorts_possible(people, cohort_min) + 1)
    ]


def fillable_people(people: int, cohort_min: int, cohort_max: int) -> int:
    """The most of `people` people that whole cohorts of cohort_min..cohort_max hold."""
    return max((high for _, high in fillable_totals(people, cohort_min, cohort_max)), default=0)


def most_companies(participants: list[int], people_cap: int) -> int:
    """The most companies (each sending `participants` people) that fit in `people_cap`."""
    count = total = 0
    for p in sorted(participants):
        if total + p > people_cap:
            break
        count, total = count + 1, total + p
    return count


def _segment_order(segment: Segment) -> tuple[int, int, int]:
    return (
        0 if segment.module == Step.MODULE1 else 1,
        segment.level.rank,
        0 if segment.age_group == AgeGroup.ESTABLISHED else 1,
    )


def group_counts(problem: PlanningProblem) -> dict[Segment, tuple[int, int]]:
    """Companies and people per group (next step x level x age group).

    Args:
        problem: A validated planning problem.

    Returns:
        Segment -> (companies, people), in module, level, age-group order.
    """
    counts: dict[Segment, tuple[int, int]] = {}
    for company in problem.companies:
        segment = problem.segment_of(company)
        if segment is None:
            continue
        n, people = counts.get(segment, (0, 0))
        counts[segment] = (n + 1, people + company.participants)
    return dict(sorted(counts.items(), key=lambda item: _segment_order(item[0])))


def group_status(people: int, cohort_min: int, cohort_max: int) -> str:
    """Whether a group's people can fill cohorts of `cohort_min`-`cohort_max`.

    Returns:
        ``"cannot fill a cohort"``, ``"ok"`` or e.g. ``"at most 10 of 13 people fit"``.
    """
    if people < cohort_min:
        return CANNOT_FILL
    fit = fillable_people(people, cohort_min, cohort_max)
    return "ok" if fit == people else f"at most {fit} of {people} people fit"


def no_next_step(problem: PlanningProblem) -> Counter[str]:
    """Companies without a next step this round, by reason.

    Returns:
        Counts under ``track_complete`` (Module 2 done) and ``not_eligible`` (Module 1
        done, but not at level A or B).
    """
    counts: Counter[str] = Counter(track_complete=0, not_eligible=0)
    for company in problem.companies:
        if problem.segment_of(company) is not None:
            continue
        counts["track_complete" if Step.MODULE2 in company.completed else "not_eligible"] += 1
    return counts
