"""Deterministic benchmark rounds in Region Midtjylland (issue 3, item 6).

A round of ``n`` companies placed in the region's real towns (GeoNames, weighted by
population, jittered by up to 0.02 degrees), with the 19 municipal seats as candidate venues
(8 of them residential, as in the demo), ``max_venues = 6`` and the round of the demo,
2027-01-04 .. 2027-03-26.

Two variants share the companies and venues and differ only in the calendar:

- ``tight``: one facilitator, as DOMAIN.md says; from about 300 companies on the calendar
  (about 58 working days, 2-3 facilitator days per cohort) limits how many cohorts can run.
- ``loose``: enough facilitators (sessions per day) that the calendar cannot bind; then the
  roster problem is the calendar-free model that ``highs_mip.py`` solves.

The generator uses ``numpy.random.default_rng(seed)`` only; the same size, variant and seed
give the same problem.
"""

from __future__ import annotations

import math
from datetime import date

import numpy as np

from camp_planner.demo.generator import VENUE_TOWNS, venue_places
from camp_planner.models import Company, PlanningProblem, RoundConfig, Venue, working_days
from camp_planner.places.gazetteer import towns_in_region

SIZES = (60, 150, 300, 1000, 3000)
VARIANTS = ("tight", "loose")
ROUND_START, ROUND_END = date(2027, 1, 4), date(2027, 3, 26)
JITTER_DEG = 0.02
LEVEL_MIX = (("A", 0.10), ("B", 0.25), ("C", 0.65))
YOUNG_SHARE = 0.35
MODULE1_DONE_SHARE = 0.20
TWO_PARTICIPANTS_SHARE = 0.10
BLACKOUT_SHARE = 0.03  # companies with 1-3 unavailable days


def default_seed(n: int) -> int:
    """The seed used for a size unless one is given: the size itself."""
    return n


def _companies(n: int, rng: np.random.Generator) -> tuple[Company, ...]:
    towns = towns_in_region("18")
    weights = np.array([t.population for t in towns], dtype=float)
    weights /= weights.sum()
    days = working_days(ROUND_START, ROUND_END)
    levels = [level for level, _ in LEVEL_MIX]
    level_p = [share for _, share in LEVEL_MIX]
    width = len(str(n))
    companies = []
    for i in range(n):
        town = towns[int(rng.choice(len(towns), p=weights))]
        lat = town.lat + rng.uniform(-JITTER_DEG, JITTER_DEG)
        lon = town.lon + rng.uniform(-JITTER_DEG, JITTER_DEG)
        level = str(rng.choice(levels, p=level_p))
        young = bool(rng.random() < YOUNG_SHARE)
        # A/B companies with Module 1 done go to Module 2; C ones have no next step.
        completed = {"module1", "lab1"} if rng.random() < MODULE1_DONE_SHARE else set()
        participants = 2 if rng.random() < TWO_PARTICIPANTS_SHARE else 1
        unavailable: set[date] = set()
        if rng.random() < BLACKOUT_SHARE:
            picks = rng.choice(len(days), size=int(rng.integers(1, 4)), replace=False)
            unavailable = {days[int(d)] for d in picks}
        companies.append(
            Company(
                company_id=f"B{i:0{width}d}",
                name=f"Company {i} ({town.name})",
                lat=round(lat, 5),
                lon=round(lon, 5),
                town=town.name,
                young=young,
                level=level,
                completed=frozenset(completed),
                unavailable=frozenset(unavailable),
                participants=participants,
            )
        )
    return tuple(companies)


def venues() -> tuple[Venue, ...]:
    """The 19 municipal seats of Region Midtjylland; 8 are residential (as in the demo)."""
    places = venue_places()
    return tuple(
        Venue(
            venue_id=venue_id,
            name=name,
            lat=round(places[venue_id].lat, 5),
            lon=round(places[venue_id].lon, 5),
            town=town,
            residential=residential,
        )
        for venue_id, town, name, residential, _ in VENUE_TOWNS
    )


def loose_facilitators(companies: tuple[Company, ...], cohort_min: int) -> int:
    """Sessions per day enough that the calendar never binds.

    At most ``people // cohort_min`` cohorts, each needing at most 3 facilitator days
    (Module 2: two days, then its lab). Even if every session fell in the 20 working days
    that can take a module with its lab 14-42 days later (the round has about 40), this
    many facilitators would hold them all.
    """
    people = sum(c.participants for c in companies)
    return max(1, math.ceil(3 * (people // cohort_min) / 20))


def make_instance(n: int, variant: str = "tight", seed: int | None = None) -> PlanningProblem:
    """A benchmark round of `n` companies.

    Args:
        n: Number of companies.
        variant: ``tight`` (one facilitator) or ``loose`` (calendar does not bind).
        seed: Seed of ``numpy.random.default_rng``; default :func:`default_seed`.

    Returns:
        The validated planning problem.
    """
    if variant not in VARIANTS:
        raise ValueError(f"variant {variant!r} is not one of {VARIANTS}")
    rng = np.random.default_rng(default_seed(n) if seed is None else seed)
    companies = _companies(n, rng)
    facilitators = 1 if variant == "tight" else loose_facilitators(companies, 8)
    rnd = RoundConfig(
        name=f"bench-{n}-{variant}",
        start=ROUND_START,
        end=ROUND_END,
        cohort_min=8,
        cohort_max=10,
        max_venues=6,
        facilitators=facilitators,
    )
    return PlanningProblem(round=rnd, companies=companies, venues=venues())


def describe(problem: PlanningProblem) -> str:
    """One line: companies, people, segments' sizes, facilitators."""
    from collections import Counter

    groups: Counter[str] = Counter()
    for c in problem.companies:
        seg = problem.segment_of(c)
        groups[seg.label if seg else "no next step"] += 1
    people = sum(c.participants for c in problem.companies)
    parts = ", ".join(f"{k}: {v}" for k, v in sorted(groups.items()))
    return (
        f"{problem.round.name}: {len(problem.companies)} companies, {people} people, "
        f"facilitators {problem.round.facilitators}; {parts}"
    )


if __name__ == "__main__":
    for size in SIZES:
        for var in VARIANTS:
            print(describe(make_instance(size, var)))
