"""The optimum itself, against brute force on tiny rounds with a loose calendar.

Twelve weeks, two facilitators and no blackout days: a handful of cohorts always fits the
calendar, so the optimum is a pure grouping problem. The brute force tries every company ->
(unplaced | venue) assignment, checks each venue's companies of one segment split into
cohorts of cohort_min..cohort_max people (every set partition), the venue rules (closed,
residential, max_cohorts with the fewest cohorts, required, max_venues, max_travel_km) and
keeps the lexicographic best: most placed, then most priority, then least travel. It shares
nothing with the scheduler; travel, next step and age come from `checker`.

Every company sends one person or two, so cohorts of people can be unpackable (cohort_min =
cohort_max = 3 with companies of 2 people) and the counts of people alone do not settle it.
"""

from __future__ import annotations

import itertools
import json
from functools import cache
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from camp_planner.models import PlanningProblem
from camp_planner.scheduler import solve
from tests.checker import check_roster, is_young, next_step, round_settings, travel
from tests.helpers.sched_build import co, partitions, rnd, ve


def brute_force(round_config, companies, venues) -> tuple[int, int, float] | None:
    """(placed, priority, travel km) of the best roster, or None if none meets the rules."""
    s = round_settings(round_config)
    segment = []
    for c in companies:
        step = next_step(c, s)
        level = s["unapproved_a_level"] if c.panel_approved is False and c.level == "A" else c.level
        segment.append(None if step is None else (step, level, is_young(c, s["start"])))
    km = [[travel(c, v, s) for v in venues] for c in companies]
    people = [c.participants for c in companies]

    @cache
    def fewest_cohorts(members: tuple[int, ...]) -> int | None:
        best = None
        for part in partitions(members):
            if all(s["cohort_min"] <= sum(people[i] for i in b) <= s["cohort_max"] for b in part):
                best = len(part) if best is None else min(best, len(part))
        return best

    def allowed(i: int, j: int) -> bool:
        v = venues[j]
        if segment[i] is None or v.status == "closed":
            return False
        if segment[i][0] == "module2" and not v.residential:
            return False
        return not (s["max_travel_km"] > 0 and km[i][j] > s["max_travel_km"])

    options = [
        [None] + [j for j in range(len(venues)) if allowed(i, j)] for i in range(len(companies))
    ]
    best: tuple[int, int, float] | None = None
    for choice in itertools.product(*options):
        groups: dict[tuple[int, Any], list[int]] = {}
        for i, j in enumerate(choice):
            if j is not None:
                groups.setdefault((j, segment[i]), []).append(i)
        cohorts_at = [0] * len(venues)
        ok = True
        for (j, _), members in groups.items():
            n = fewest_cohorts(tuple(members))
            if n is None:
                ok = False
                break
            cohorts_at[j] += n
        if not ok:
            continue
        used = {j for j, _ in groups}
        if len(used) > s["max_venues"]:
            continue
        if any(
            v.max_cohorts is not None and cohorts_at[j] > v.max_cohorts
            for j, v in enumerate(venues)
        ):
            continue
        if any(v.status == "required" and j not in used for j, v in enumerate(venues)):
            continue
        placed = [i for i, j in enumerate(choice) if j is not None]
        score = (
            len(placed),
            sum(companies[i].priority for i in placed),
            sum(km[i][choice[i]] for i in placed),
        )
        if best is None or (score[0], score[1], -score[2]) > (best[0], best[1], -best[2]):
            best = score
    return best


@st.composite
def tiny_rounds(draw: Any) -> Any:
    n = draw(st.integers(3, 7))
    cmin = draw(st.integers(1, 3))
    round_config = rnd(
        cohort_min=cmin,
        cohort_max=cmin + draw(st.integers(0, 2)),
        max_venues=draw(st.integers(1, 3)),
        facilitators=2,
        max_travel_km=draw(st.sampled_from([0, 0, 40.0])),
    )
    point = st.tuples(st.sampled_from([56.0, 56.1, 56.3]), st.sampled_from([9.5, 9.7, 10.0]))
    venues = [
        ve(
            f"v{j}",
            draw(point),
            residential=draw(st.booleans()),
            max_cohorts=draw(st.sampled_from([None, None, 1, 2])),
            status=draw(st.sampled_from(["candidate"] * 4 + ["closed", "required"])),
        )
        for j in range(draw(st.integers(2, 3)))
    ]
    companies = [
        co(
            f"k{i}",
            draw(point),
            level=draw(st.sampled_from("ABC")),
            young=draw(st.booleans()),
            completed=draw(st.sampled_from([frozenset(), frozenset({"module1", "lab1"})])),
            priority=draw(st.sampled_from([0, 0, 1, 2])),
            participants=draw(st.sampled_from([1, 1, 2])),
        )
        for i in range(n)
    ]
    return round_config, companies, venues


M1 = frozenset({"module1", "lab1"})
#: found by this test in a work-in-progress scheduler: 3 placed, reported OPTIMAL. Optimum:
#: k1, k2, k4 one Module 1 cohort each (cohorts of 1), k3 Module 2, all at v1 -> 4 placed,
#: priority 2, 0 km (k0, level C with Module 1 done, is not eligible).
FOUR_COHORTS_OF_ONE = (
    rnd(cohort_min=1, cohort_max=1, max_venues=1, facilitators=2),
    [
        co("k0", completed=M1),
        co("k1", level="A"),
        co("k2", level="A"),
        co("k3", level="A", completed=M1, priority=1),
        co("k4", level="B", priority=1),
    ],
    [ve("v0"), ve("v1", residential=True)],
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tiny_rounds())
@example(FOUR_COHORTS_OF_ONE)
def test_optimum_matches_brute_force(instance):
    round_config, companies, venues = instance
    problem = PlanningProblem(round=round_config, companies=tuple(companies), venues=tuple(venues))
    roster = json.loads(solve(problem, time_limit=10, seed=0, workers=2).to_json())
    best = brute_force(round_config, companies, venues)
    if best is None:  # e.g. a required venue nobody can fill
        assert roster["solver"]["status"] == "INFEASIBLE"
        assert roster["cohorts"] == []
        return
    assert check_roster(round_config, companies, venues, roster) == []
    assert roster["solver"]["status"] == "OPTIMAL"
    placed = {m for c in roster["cohorts"] for m in c["members"]}
    priority = sum(c.priority for c in companies if c.company_id in placed)
    assert (len(placed), priority) == best[:2]
    # the model rounds travel to 10 m per company
    assert roster["summary"]["travel_km_total"] == pytest.approx(best[2], abs=0.01 * len(placed))
