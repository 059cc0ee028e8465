"""The optimum with a tight calendar, against brute force on tiny rounds.

Two or three weeks from Mon 1 Feb 2027, short lab gaps, one or two facilitators, and
blackout days of the facilitator, the venues and the members: the calendar binds, so the
optimum depends on dating. The brute force tries every company -> (unplaced | venue)
assignment, every split of each venue's segment into cohorts of cohort_min..cohort_max
people, and searches dates for those cohorts (every module day / lab day pair the rules
allow, at most `facilitators` sessions a day); then keeps the lexicographic best: most
placed, most priority, least travel. Working days, next step and travel come from `checker`.
"""

from __future__ import annotations

import itertools
import json
from datetime import date, timedelta
from functools import cache
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from camp_planner.models import PlanningProblem
from camp_planner.scheduler import solve
from tests.checker import is_workday, is_young, next_step, next_workday, round_settings, travel
from tests.helpers.sched_build import TOWN_A, TOWN_B, co, partitions, rnd, ve

START = date(2027, 2, 1)


def date_options(s: dict[str, Any], module: str) -> list[tuple[date, ...]]:
    """(module day(s)..., lab day) the round allows for a cohort, ignoring blackouts."""
    days = [s["start"] + timedelta(days=i) for i in range((s["end"] - s["start"]).days + 1)]
    work = [d for d in days if is_workday(d)]
    lo, hi = s["lab_gap"]
    out = []
    for d in work:
        mod = (d,) if module == "module1" else (d, next_workday(d))
        if mod[-1] > s["end"]:
            continue
        out += [(*mod, lab) for lab in work if lo <= (lab - mod[-1]).days <= hi]
    return out


def datable(cohorts, s, venues, companies) -> bool:
    """Dates for every cohort (venue, module, members) within all blackouts and the load."""
    options = []
    for vi, module, members in cohorts:
        bad = set(s["facilitator_unavailable"]) | set(venues[vi].unavailable)
        for i in members:
            bad |= set(companies[i].unavailable)
        opts = [o for o in date_options(s, module) if not bad & set(o)]
        if not opts:
            return False
        options.append(opts)
    load: dict[date, int] = {}

    def place(k: int) -> bool:
        if k == len(options):
            return True
        for o in options[k]:
            if all(load.get(d, 0) < s["facilitators"] for d in o):
                for d in o:
                    load[d] = load.get(d, 0) + 1
                if place(k + 1):
                    return True
                for d in o:
                    load[d] -= 1
        return False

    return place(0)


def brute_force(round_config, companies, venues) -> tuple[int, int, float]:
    s = round_settings(round_config)
    seg = []
    for c in companies:
        step = next_step(c, s)
        seg.append(None if step is None else (step, c.level, is_young(c, s["start"])))
    km = [[travel(c, v, s) for v in venues] for c in companies]
    people = [c.participants for c in companies]

    @cache
    def splits(members: tuple[int, ...]) -> list[list[tuple[int, ...]]]:
        lo, hi = s["cohort_min"], s["cohort_max"]
        return [
            part
            for part in partitions(members)
            if all(lo <= sum(people[i] for i in b) <= hi for b in part)
        ]

    def allowed(i: int, j: int) -> bool:
        v = venues[j]
        if seg[i] is None or v.status == "closed":
            return False
        return seg[i][0] == "module1" or v.residential

    options = [
        [None, *(j for j in range(len(venues)) if allowed(i, j))] for i in range(len(companies))
    ]
    best = (0, 0, 0.0)
    for choice in itertools.product(*options):
        placed = [i for i, j in enumerate(choice) if j is not None]
        score = (
            len(placed),
            sum(companies[i].priority for i in placed),
            sum(km[i][choice[i]] for i in placed),
        )
        if (score[0], score[1], -score[2]) <= (best[0], best[1], -best[2]):
            continue
        groups: dict[tuple[int, Any], list[int]] = {}
        for i in placed:
            groups.setdefault((choice[i], seg[i]), []).append(i)
        if len({j for j, _ in groups}) > s["max_venues"]:
            continue
        keys = list(groups)
        for combo in itertools.product(*(splits(tuple(groups[k])) for k in keys)):
            cohorts = [
                (k[0], k[1][0], block)
                for k, part in zip(keys, combo, strict=True)
                for block in part
            ]
            per_venue = [sum(1 for c in cohorts if c[0] == j) for j in range(len(venues))]
            if any(
                v.max_cohorts is not None and per_venue[j] > v.max_cohorts
                for j, v in enumerate(venues)
            ):
                continue
            if datable(cohorts, s, venues, companies):
                best = score
                break
    return best


@st.composite
def tight_rounds(draw: Any) -> Any:
    weeks = draw(st.sampled_from([2, 3]))
    end = START + timedelta(days=7 * weeks - 3)
    work = [
        START + timedelta(days=i) for i in range(7 * weeks) if is_workday(START + timedelta(days=i))
    ]
    some_days = st.lists(st.sampled_from(work), max_size=4)
    cmin = draw(st.integers(1, 2))
    round_config = rnd(
        start=START,
        end=end,
        lab_gap_days=draw(st.sampled_from([(7, 7), (5, 10), (7, 14), (14, 14), (4, 4)])),
        cohort_min=cmin,
        cohort_max=cmin + draw(st.integers(0, 1)),
        facilitators=draw(st.sampled_from([1, 1, 2])),
        facilitator_unavailable=draw(some_days),
        max_venues=draw(st.integers(1, 2)),
    )
    venues = [
        ve(
            f"v{j}",
            draw(st.sampled_from([TOWN_A, TOWN_B])),
            residential=draw(st.booleans()),
            max_cohorts=draw(st.sampled_from([None, None, 1])),
            unavailable=draw(some_days),
        )
        for j in range(draw(st.integers(1, 2)))
    ]
    companies = [
        co(
            f"k{i}",
            draw(st.sampled_from([TOWN_A, TOWN_B])),
            level=draw(st.sampled_from("BC")),
            completed=draw(st.sampled_from([frozenset(), frozenset({"module1", "lab1"})])),
            unavailable=draw(st.lists(st.sampled_from(work), max_size=6)),
            priority=draw(st.sampled_from([0, 0, 1])),
            participants=draw(st.sampled_from([1, 1, 1, 2])),
        )
        for i in range(draw(st.integers(2, 6)))
    ]
    return round_config, companies, venues


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tight_rounds())
def test_optimum_with_a_tight_calendar_matches_brute_force(instance):
    round_config, companies, venues = instance
    problem = PlanningProblem(round=round_config, companies=tuple(companies), venues=tuple(venues))
    roster = json.loads(solve(problem, time_limit=10, seed=0, workers=2).to_json())
    placed, priority, km = brute_force(round_config, companies, venues)
    got = {m for c in roster["cohorts"] for m in c["members"]}
    assert (len(got), sum(c.priority for c in companies if c.company_id in got)) == (
        placed,
        priority,
    )
    assert roster["summary"]["travel_km_total"] == pytest.approx(km, abs=0.01 * len(got))
    assert roster["solver"]["status"] == "OPTIMAL"
