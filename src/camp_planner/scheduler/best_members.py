"""Best members of a segment's only cohort at a venue.

A segment of fewer than 2 x cohort_min people can fill at most one cohort. Segments are
independent once venues are chosen, and the objective is lexicographic (companies placed,
then priority, then travel), so if such a segment has its cohort at venue v, its members
are exactly the lexicographically best subset for v. Precomputing that subset per venue
turns the segment into a choice of one venue with a known cost, whose linear relaxation is
far tighter than the one of free member variables.
"""

from __future__ import annotations

from camp_planner.engine.units import travel_units
from camp_planner.scheduler.prepare import Group

Value = tuple[int, int, int]  # (companies, priority, -travel units): larger is better


def best_members(
    groups: dict[int, Group], venue: int, cohort_min: int, cohort_max: int
) -> dict[int, int] | None:
    """Group index -> companies of the best cohort at `venue` (most companies, then highest
    priority, then least travel) with cohort_min..cohort_max people; None if none fills."""
    # 0/1 knapsack over companies on the cohort's people, values compared lexicographically.
    best: dict[int, tuple[Value, dict[int, int]]] = {0: ((0, 0, 0), {})}
    for gi in sorted(groups):
        group = groups[gi]
        travel = travel_units(group.travel[venue])
        for _ in range(group.size):
            for people, (value, chosen) in sorted(best.items(), reverse=True):
                total = people + group.participants
                if total > cohort_max:
                    continue
                candidate = (value[0] + 1, value[1] + group.priority, value[2] - travel)
                if total not in best or candidate > best[total][0]:
                    best[total] = (candidate, {**chosen, gi: chosen.get(gi, 0) + 1})
    feasible = [entry for people, entry in best.items() if people >= cohort_min]
    if not feasible:
        return None
    return max(feasible, key=lambda entry: entry[0])[1]
