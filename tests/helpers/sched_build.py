"""Tiny planning problems for the scheduler tests, and a solve-and-check helper.

Geometry: town A is (56.0, 9.5), town B is 0.1 degree north on the same meridian, (56.1, 9.5).
Along a meridian the haversine is R * dphi, so A-B = 6371.0088 km * 0.1 * pi / 180 =
11.1195 km great-circle, and one company's travel A->B is 11.1195 x 1.3 = 14.4554 km
(`LEG_KM`). A company at the same point as its venue travels 0 km.
"""

from __future__ import annotations

import json
import math
from datetime import date
from typing import Any

from camp_planner.models import Company, PlanningProblem, RoundConfig, Venue
from camp_planner.scheduler import solve
from tests.checker import check_roster

TOWN_A = (56.0, 9.5)
TOWN_B = (56.1, 9.5)
#: one-way travel km between town A and town B: R * radians(0.1) * road_factor 1.3
LEG_KM = 6371.0088 * math.radians(0.1) * 1.3
assert abs(LEG_KM - 14.45536) < 1e-5


def rnd(**kw: Any) -> RoundConfig:
    """A round of 12 weeks (2027-01-04 .. 2027-03-26) with tiny cohorts of 2-3 people."""
    base: dict[str, Any] = {
        "name": "T",
        "start": date(2027, 1, 4),
        "end": date(2027, 3, 26),
        "cohort_min": 2,
        "cohort_max": 3,
        "max_venues": 6,
        "facilitators": 1,
        "lab_gap_days": (14, 42),
        "road_factor": 1.3,
    }
    base.update(kw)
    return RoundConfig(**base)


def co(cid: str, at: tuple[float, float] = TOWN_A, **kw: Any) -> Company:
    """A company (level C, established, nothing done) at a point."""
    base: dict[str, Any] = {"level": "C", "young": False}
    base.update(kw)
    return Company(company_id=cid, name=f"Company {cid}", lat=at[0], lon=at[1], **base)


def ve(vid: str, at: tuple[float, float] = TOWN_A, **kw: Any) -> Venue:
    """A candidate venue at a point."""
    return Venue(venue_id=vid, name=f"Venue {vid}", lat=at[0], lon=at[1], **kw)


def run(
    round_config: RoundConfig,
    companies: list[Company],
    venues: list[Venue],
    *,
    expect_ok: bool = True,
    **solve_kw: Any,
) -> dict[str, Any]:
    """Solve, return roster.json as a dict; assert the checker accepts it."""
    problem = PlanningProblem(round=round_config, companies=tuple(companies), venues=tuple(venues))
    solve_kw.setdefault("time_limit", 20)
    roster = json.loads(solve(problem, **solve_kw).to_json())
    if expect_ok:
        assert check_roster(round_config, companies, venues, roster) == []
    return roster


def codes(roster: dict[str, Any]) -> dict[str, str]:
    """company_id -> unplaced code."""
    return {u["company_id"]: u["code"] for u in roster["unplaced"]}


def placed_ids(roster: dict[str, Any]) -> set[str]:
    """Ids of the placed companies."""
    return {m for c in roster["cohorts"] for m in c["members"]}


def all_dates(roster: dict[str, Any]) -> set[str]:
    """Every session date of the roster (ISO text)."""
    return {d for c in roster["cohorts"] for s in c["sessions"] for d in s["dates"]}


class RandomPick:
    """Random choices from `random.Random` (the same interface as a Hypothesis draw)."""

    def __init__(self, rng: Any) -> None:
        self.rng = rng

    def integers(self, lo: int, hi: int) -> int:
        return self.rng.randint(lo, hi)

    def floats(self, lo: float, hi: float) -> float:
        return round(self.rng.uniform(lo, hi), 4)


def random_instance(
    pick: Any, required: bool = True
) -> tuple[RoundConfig, list[Company], list[Venue]]:
    """A small random round: 5-30 companies, 2-5 venues, every rule in play.

    `pick` offers integers(lo, hi) and floats(lo, hi) (:class:`RandomPick` or a Hypothesis
    adapter). With `required` False no venue is `required`.
    """
    start = date(2027, 1, 4)
    weeks = pick.integers(4, 12)
    end = date.fromordinal(start.toordinal() + 7 * weeks - 3)  # a Friday
    span = end.toordinal() - start.toordinal()

    def some_days(most: int) -> frozenset[date]:
        return frozenset(
            date.fromordinal(start.toordinal() + pick.integers(0, span))
            for _ in range(pick.integers(0, most))
        )

    cmin = pick.integers(2, 4)
    lo_gap = pick.integers(5, 14)
    round_config = rnd(
        end=end,
        cohort_min=cmin,
        cohort_max=cmin + pick.integers(0, 2),
        max_venues=pick.integers(1, 3),
        facilitators=pick.integers(1, 2),
        facilitator_unavailable=some_days(4),
        lab_gap_days=(lo_gap, lo_gap + pick.integers(0, 21)),
        max_travel_km=[0, 0, 0, 60, 120][pick.integers(0, 4)],
        unapproved_a_level="ABC"[pick.integers(0, 2)],
    )
    venues = []
    for j in range(pick.integers(2, 5)):
        status = ["candidate"] * 6 + ["closed", "required" if required else "candidate"]
        venues.append(
            ve(
                f"v{j}",
                (pick.floats(55.9, 56.6), pick.floats(8.5, 10.5)),
                residential=pick.integers(0, 1) == 1,
                max_cohorts=[None, None, None, 0, 1, 2, 3][pick.integers(0, 6)],
                unavailable=some_days(3),
                status=status[pick.integers(0, 7)],
            )
        )
    companies = []
    completed = ["", "", "", "module1;lab1", "module1;lab1", "module1;lab1;module2;lab2"]
    for i in range(pick.integers(5, 30)):
        age: dict[str, Any]
        if pick.integers(0, 1):
            age = {"young": pick.integers(0, 2) == 0}
        else:
            age = {
                "founded": date.fromordinal(date(2022, 6, 1).toordinal() + pick.integers(0, 1400))
            }
        done = completed[pick.integers(0, 5)]
        companies.append(
            co(
                f"k{i:02d}",
                (pick.floats(55.9, 56.6), pick.floats(8.5, 10.5)),
                level="AABBBCCCCC"[pick.integers(0, 9)],
                panel_approved=[None, None, True, False][pick.integers(0, 3)],
                completed=frozenset(s for s in done.split(";") if s),
                unavailable=some_days(3),
                priority=[0, 0, 0, 1, 2][pick.integers(0, 4)],
                participants=[1, 1, 1, 2, 3][pick.integers(0, 4)],
                **age,
            )
        )
    return round_config, companies, venues


def partitions(items: tuple[int, ...]):
    """Every set partition of `items` (indices), as lists of blocks."""
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for part in partitions(rest):
        for i in range(len(part)):
            yield [*part[:i], (first, *part[i]), *part[i + 1 :]]
        yield [(first,), *part]
