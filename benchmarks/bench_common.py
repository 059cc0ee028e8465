"""What the greedy baseline and the HiGHS model need from a round, recomputed from DOMAIN.md.

Nothing here comes from ``camp_planner.scheduler``: the next step, the segment and the travel
matrix are derived from the raw fields of the models, so a bug in the scheduler's
preparation cannot hide in the peers it is measured against.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from camp_planner.models import Company, PlanningProblem

EARTH_RADIUS_KM = 6371.0088

#: A segment: (module, level, age group); companies of one segment may share a cohort.
SegmentKey = tuple[str, str, str]


def roster_level(problem: PlanningProblem, company: Company) -> str:
    """The level the roster uses (an A without panel approval follows the round's policy)."""
    level = company.level.value
    if level == "A" and company.panel_approved is False:
        return problem.round.unapproved_a_level.value
    return level


def next_module(problem: PlanningProblem, company: Company) -> str | None:
    """module1 unless done; module2 for A/B that have not done it; else None."""
    done = {s.value for s in company.completed}
    if "module1" not in done:
        return "module1"
    if roster_level(problem, company) in ("A", "B") and "module2" not in done:
        return "module2"
    return None


def is_young(problem: PlanningProblem, company: Company) -> bool:
    """`young` as given, else founded less than 3 years before the round's start."""
    if company.young is not None:
        return company.young
    assert company.founded is not None
    start = problem.round.start
    return (start.year - company.founded.year, start.month, start.day) < (
        3,
        company.founded.month,
        company.founded.day,
    )


def segment(problem: PlanningProblem, company: Company) -> SegmentKey | None:
    """(module, level, age group) of the company's next step, or None."""
    module = next_module(problem, company)
    if module is None:
        return None
    age = "young" if is_young(problem, company) else "established"
    return (module, roster_level(problem, company), age)


def travel_matrix(problem: PlanningProblem) -> np.ndarray:
    """km[c, v]: one-way travel, great-circle km x road_factor (or the given matrix)."""
    lat_c = np.radians([c.lat for c in problem.companies])[:, None]
    lon_c = np.radians([c.lon for c in problem.companies])[:, None]
    lat_v = np.radians([v.lat for v in problem.venues])[None, :]
    lon_v = np.radians([v.lon for v in problem.venues])[None, :]
    h = (
        np.sin((lat_v - lat_c) / 2) ** 2
        + np.cos(lat_c) * np.cos(lat_v) * np.sin((lon_v - lon_c) / 2) ** 2
    )
    km = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h))) * problem.round.road_factor
    for (cid, vid), value in problem.travel_matrix.items():
        ci = next(i for i, c in enumerate(problem.companies) if c.company_id == cid)
        vi = next(i for i, v in enumerate(problem.venues) if v.venue_id == vid)
        km[ci, vi] = value
    return km


@dataclass(frozen=True)
class Allowed:
    """Which venue each company may use, and the segments.

    Attributes:
        km: travel km, companies x venues.
        ok: bool matrix: venue open, residential for Module 2, within max_travel_km, and
            the company has a next step.
        segments: segment per company (None when it has no next step).
    """

    km: np.ndarray
    ok: np.ndarray
    segments: list[SegmentKey | None]


def allowed(problem: PlanningProblem) -> Allowed:
    """Travel matrix, segments and the allowed (company, venue) pairs of a round."""
    km = travel_matrix(problem)
    segments = [segment(problem, c) for c in problem.companies]
    ok = np.ones(km.shape, dtype=bool)
    for vi, v in enumerate(problem.venues):
        if v.status.value == "closed":
            ok[:, vi] = False
    limit = problem.round.max_travel_km
    if limit > 0:
        ok &= km <= limit
    for ci, seg in enumerate(segments):
        if seg is None:
            ok[ci, :] = False
        elif seg[0] == "module2":
            ok[ci, :] &= np.array([v.residential for v in problem.venues])
    return Allowed(km, ok, segments)


def unplaced_code(problem: PlanningProblem, company: Company) -> str:
    """CONTRACT.md code of a company without a place (the peers do not explain further)."""
    if next_module(problem, company) is None:
        done = {s.value for s in company.completed}
        return "track_complete" if "module2" in done else "not_eligible"
    return "capacity"
