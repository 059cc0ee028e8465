"""The coordinator's by-hand baseline (issue 3, item 6).

What a coordinator does in Excel today:

1. every company to its nearest venue it may use (a residential one for Module 2);
2. keep the ``max_venues`` venues with most companies (``required`` venues first);
3. every company to its nearest kept venue;
4. per segment (module, level, age group) and venue: as many cohorts as the people allow,
   the nearest companies first, sizes balanced within ``cohort_min .. cohort_max``; the
   remainder is dropped;
5. dates by first fit on the facilitator's calendar: each cohort, Module 2 first, gets the
   earliest module day(s) and then the earliest lab day that are free for the facilitator,
   the venue and every member; a cohort that finds none is dropped.

The result is a roster.json document (CONTRACT.md) so the independent checker can judge it.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np

from bench_common import SegmentKey, allowed, unplaced_code
from camp_planner.models import PlanningProblem, is_working_day

#: (company index, participants, km)
Member = tuple[int, int, float]


@dataclass
class GreedyResult:
    """The baseline's roster and its numbers."""

    roster: dict[str, Any]
    placed: int
    travel_km: float
    seconds: float
    venues: list[str] = field(default_factory=list)
    undated_cohorts: int = 0


def keep_venues(problem: PlanningProblem, km: np.ndarray, ok: np.ndarray) -> list[int]:
    """Steps 1-2: the venues with most nearest companies, required ones first."""
    counts: Counter[int] = Counter()
    for ci in range(km.shape[0]):
        if ok[ci].any():
            counts[int(np.argmin(np.where(ok[ci], km[ci], np.inf)))] += 1
    required = [i for i, v in enumerate(problem.venues) if v.status.value == "required"]
    ranked = sorted(range(len(problem.venues)), key=lambda v: (-counts[v], v))
    others = [v for v in ranked if v not in required and counts[v] > 0]
    return (required + others)[: max(problem.round.max_venues, len(required))]


def cut_cohorts(members: list[Member], lo: int, hi: int) -> tuple[list[list[Member]], list[int]]:
    """Step 4: balanced cohorts of the nearest members; returns (cohorts, dropped indices).

    Tries the most cohorts the people allow (``people // lo``) and fewer until the sizes,
    two-person companies spread first, all land in ``lo .. hi``.
    """
    ordered = sorted(members, key=lambda m: (m[2], m[0]))
    people = sum(m[1] for m in ordered)
    for k in range(people // lo, 0, -1):
        kept, total = [], 0
        for m in ordered:
            if total + m[1] <= k * hi:
                kept.append(m)
                total += m[1]
        cohorts: list[list[Member]] = [[] for _ in range(k)]
        sizes = [0] * k
        for m in sorted(kept, key=lambda m: -m[1]):
            j = min(range(k), key=lambda j: (sizes[j], j))
            cohorts[j].append(m)
            sizes[j] += m[1]
        if all(lo <= s <= hi for s in sizes):
            in_cohort = {m[0] for m in kept}
            return cohorts, [m[0] for m in ordered if m[0] not in in_cohort]
    return [], [m[0] for m in ordered]


def _next_working_day(day: date) -> date:
    day += timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


class Calendar:
    """The facilitator's days: sessions per day, at most ``facilitators``."""

    def __init__(self, problem: PlanningProblem) -> None:
        rnd = problem.round
        self.start, self.end = rnd.start, rnd.end
        self.capacity = rnd.facilitators
        self.lab_gap = rnd.lab_gap_days
        self.load: Counter[date] = Counter()
        self.days = [
            self.start + timedelta(days=i)
            for i in range((self.end - self.start).days + 1)
            if is_working_day(self.start + timedelta(days=i))
            and self.start + timedelta(days=i) not in rnd.facilitator_unavailable
        ]
        self.day_set = set(self.days)

    def _free(self, day: date, blocked: set[date]) -> bool:
        return (
            self.start <= day <= self.end
            and day in self.day_set
            and day not in blocked
            and self.load[day] < self.capacity
        )

    def first_fit(self, module: str, blocked: set[date]) -> tuple[list[date], date] | None:
        """Earliest module day(s), then earliest lab day; books them, or None."""
        lo, hi = self.lab_gap
        for first in self.days:
            module_days = [first]
            if module == "module2":
                module_days.append(_next_working_day(first))
            if not all(self._free(d, blocked) for d in module_days):
                continue
            last = module_days[-1]
            for gap in range(lo, hi + 1):
                lab = last + timedelta(days=gap)
                if lab > self.end:
                    break
                if self._free(lab, blocked):
                    for d in [*module_days, lab]:
                        self.load[d] += 1
                    return module_days, lab
        return None


def greedy(problem: PlanningProblem) -> GreedyResult:
    """The coordinator's baseline roster of a round (see the module docstring)."""
    started = time.perf_counter()
    rnd = problem.round
    info = allowed(problem)
    km, ok = info.km, info.ok
    kept = keep_venues(problem, km, ok)
    mask = np.zeros(len(problem.venues), dtype=bool)
    mask[kept] = True
    groups: dict[tuple[SegmentKey, int], list[Member]] = defaultdict(list)
    for ci, seg in enumerate(info.segments):
        usable = ok[ci] & mask
        if seg is None or not usable.any():
            continue
        vi = int(np.argmin(np.where(usable, km[ci], np.inf)))
        groups[seg, vi].append((ci, problem.companies[ci].participants, float(km[ci, vi])))

    cohorts: list[tuple[SegmentKey, int, list[Member]]] = []
    for (seg, vi), members in sorted(groups.items()):
        cut, _ = cut_cohorts(members, rnd.cohort_min, rnd.cohort_max)
        cohorts.extend((seg, vi, c) for c in cut)
    # max_cohorts per venue: the coordinator keeps the first ones
    hosted: Counter[int] = Counter()
    limited = []
    for seg, vi, members in cohorts:
        cap = problem.venues[vi].max_cohorts
        if cap is None or hosted[vi] < cap:
            hosted[vi] += 1
            limited.append((seg, vi, members))
    # Module 2 first: it needs two consecutive free days
    limited.sort(key=lambda c: (c[0][0] != "module2", c[0], c[1]))

    calendar = Calendar(problem)
    out_cohorts: list[dict[str, Any]] = []
    placed: dict[int, float] = {}
    undated = 0
    for seg, vi, members in limited:
        venue = problem.venues[vi]
        blocked = set(venue.unavailable)
        for ci, _, _ in members:
            blocked |= problem.companies[ci].unavailable
        dates = calendar.first_fit(seg[0], blocked)
        if dates is None:
            undated += 1
            continue
        module_days, lab = dates
        lab_step = "lab1" if seg[0] == "module1" else "lab2"
        out_cohorts.append(
            {
                "cohort_id": f"G{len(out_cohorts) + 1:03d}",
                "venue_id": venue.venue_id,
                "module": seg[0],
                "level": seg[1],
                "age_group": seg[2],
                "members": [problem.companies[ci].company_id for ci, _, _ in members],
                "sessions": [
                    {"step": seg[0], "dates": [d.isoformat() for d in module_days]},
                    {"step": lab_step, "dates": [lab.isoformat()]},
                ],
            }
        )
        placed.update({ci: k for ci, _, k in members})

    unplaced = [
        {
            "company_id": c.company_id,
            "code": unplaced_code(problem, c),
            "reason": "not placed by the greedy baseline",
        }
        for ci, c in enumerate(problem.companies)
        if ci not in placed
    ]
    travel = float(sum(placed.values()))
    used = sorted({c["venue_id"] for c in out_cohorts})
    seconds = time.perf_counter() - started
    roster = {
        "round": rnd.name,
        "solver": {"status": "FEASIBLE", "wall_time_s": round(seconds, 3)},
        "cohorts": out_cohorts,
        "unplaced": unplaced,
        "summary": {
            "placed": len(placed),
            "unplaced": len(unplaced),
            "travel_km_total": round(travel, 3),
            "venues_used": used,
        },
    }
    return GreedyResult(roster, len(placed), travel, seconds, used, undated)
