"""Company-venue pairs no optimal roster needs, when the calendar limits the cohorts.

Companies of one class (same segment, participants, priority and unavailable days) are
alike for every rule and for every objective but travel. When the facilitator's calendar
holds at most C cohorts of a module, at most L = C * cohort_max // participants companies
of a class can be placed, anywhere. So if a company of the class trains at venue v while
L others of the class are nearer to v, one of those L is not placed at all (at most L - 1
others are), and swapping the two keeps every rule, the companies placed and the priority,
and travels no more. Hence some optimal roster uses, at each venue, only the L nearest
companies of each class there: the other pairs can go. Each company keeps its own
nearest venue, so nobody loses every venue. Online cohorts (no travel) are left alone.

The pairs are returned (:func:`forbidden_pairs`), and the round's model creates no
variable for them (`AssignmentModel.forbidden`); the prepared data keeps every venue.
The exchange needs every rule to treat companies of one class alike: each rule of
`engine.rules.RULES` says whether it does, and tests/engine/test_rules.py checks that
all of them do and that the class here is at least as fine as the counts' class.

Measured (benchmarks/README.md): nothing changes while the calendar holds the
companies; 1,000 and 10,000 companies with one facilitator lose most of their pairs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping

from camp_planner.models import Segment, Step
from camp_planner.scheduler.calendar_frontier import CalendarCapacity
from camp_planner.scheduler.kinds import ONLINE
from camp_planner.scheduler.prepare import Prepared


def most_cohorts(capacity: CalendarCapacity) -> dict[Step, int] | None:
    """The most cohorts of each module the calendar holds (None: it holds every one)."""
    frontier = capacity.frontier
    if frontier is None or not frontier:
        return None
    fitting = [n2 for n2, n1 in enumerate(frontier) if n1 >= 0]
    if not fitting:
        return {Step.MODULE1: 0, Step.MODULE2: 0}
    return {Step.MODULE1: max(frontier), Step.MODULE2: max(fitting)}


def nearest_venue(travel: dict[int, float]) -> int | None:
    """The venue (not online) with the least travel; None if there is none."""
    venues = [v for v in travel if v != ONLINE]
    return min(venues, key=lambda v: (travel[v], v)) if venues else None


def forbidden_pairs(prep: Prepared, capacity: CalendarCapacity) -> list[tuple[int, int]]:
    """The (group, venue) pairs no optimal roster needs (see the module docstring), for the
    models to forbid; `prep` is left as it is. Exact only while every rule of
    `engine.rules.RULES` keeps companies of one class interchangeable (checked by
    tests/engine/test_rules.py)."""
    most = most_cohorts(capacity)
    if most is None:
        return []
    cohort_max = prep.problem.round.cohort_max

    def limit(segment: Segment, participants: int) -> int:
        return most[segment.module] * cohort_max // participants

    return nearest_pairs(prep, limit)


def keep_nearest(prep: Prepared, capacity: CalendarCapacity) -> int:
    """Drop the :func:`forbidden_pairs` from the groups' venues in `prep`; returns how many
    went. (The solve forbids them in its model instead and leaves `prep` whole.)"""
    pairs = forbidden_pairs(prep, capacity)
    for gi, venue in pairs:
        del prep.groups[gi].travel[venue]
    return len(pairs)


def beyond_nearest(prep: Prepared, placed_most: Mapping[Segment, int]) -> list[tuple[int, int]]:
    """(group, venue) pairs no roster placing at most `placed_most[segment]` companies of
    each segment needs (the same exchange, with that bound as L): for the travel stage,
    once the counts have bounded each segment's companies among the rosters reaching the
    earlier stages' optima (`placed_bound.count_ranges`)."""

    def limit(segment: Segment, participants: int) -> int:
        return placed_most.get(segment, 1 << 30)

    return nearest_pairs(prep, limit)


def nearest_pairs(prep: Prepared, limit: Callable[[Segment, int], int]) -> list[tuple[int, int]]:
    """The (group, venue) pairs beyond their class's `limit` nearest companies at that
    venue, other than a group's own nearest venue."""
    classes: dict[tuple[object, ...], list[int]] = defaultdict(list)
    for gi, group in enumerate(prep.groups):
        key = (group.segment, group.participants, group.priority, group.unavailable)
        classes[key].append(gi)
    pairs: list[tuple[int, int]] = []
    for members in classes.values():
        first = prep.groups[members[0]]
        most = limit(first.segment, first.participants)
        if sum(prep.groups[gi].size for gi in members) <= most:
            continue
        nearest = {gi: nearest_venue(prep.groups[gi].travel) for gi in members}
        venues = {v for gi in members for v in prep.groups[gi].travel if v != ONLINE}
        for venue in venues:
            here = sorted(
                (gi for gi in members if venue in prep.groups[gi].travel),
                key=lambda gi: (prep.groups[gi].travel[venue], gi),
            )
            nearer = 0
            for gi in here:
                if nearer >= most and nearest[gi] != venue:
                    pairs.append((gi, venue))
                nearer += prep.groups[gi].size
    return pairs
