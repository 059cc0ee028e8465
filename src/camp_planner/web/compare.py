"""Two rosters of a plan side by side (the web app's "Compare" on the versions page): how
many are placed, the travel, and who moved (another venue or other dates), read from the
rosters' own roster.json files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from camp_planner.io.roster_file import read_roster
from camp_planner.models import Roster

__all__ = ["compare_rosters"]


def _places(roster: Roster) -> dict[str, tuple[tuple[str, str, str], ...]]:
    """company_id -> (module, venue, dates) of every cohort it is a member of."""
    found: dict[str, list[tuple[str, str, str]]] = {}
    for cohort in roster.cohorts:
        days = ";".join(d.isoformat() for s in cohort.sessions for d in s.dates)
        for member in cohort.members:
            found.setdefault(member, []).append((str(cohort.module), cohort.venue_id, days))
    return {k: tuple(sorted(v)) for k, v in found.items()}


def _figures(roster: Roster) -> dict[str, Any]:
    return {
        "placed": roster.summary.placed,
        "unplaced": roster.summary.unplaced,
        "cohorts": len(roster.cohorts),
        "travel_km_total": round(roster.summary.travel_km_total, 1),
    }


def compare_rosters(first: Path, second: Path, names: dict[str, str]) -> dict[str, Any]:
    """The figures of two roster.json files and who moved between them.

    Returns:
        ``a`` and ``b`` (placed, unplaced, cohorts, travel_km_total), ``moved`` (placed in
        both, at another venue or on other dates: id, name, before, after), ``only_a`` and
        ``only_b`` (placed in one of them only).
    """
    a, b = read_roster(first), read_roster(second)
    pa, pb = _places(a), _places(b)
    moved = [
        {
            "company_id": cid, "name": names.get(cid, ""),
            "before": "; ".join(f"{v} {d}" for _, v, d in pa[cid]),
            "after": "; ".join(f"{v} {d}" for _, v, d in pb[cid]),
        }
        for cid in sorted(pa.keys() & pb.keys())
        if pa[cid] != pb[cid]
    ]  # fmt: skip
    return {
        "a": _figures(a),
        "b": _figures(b),
        "moved": moved,
        "only_a": sorted(pa.keys() - pb.keys()),
        "only_b": sorted(pb.keys() - pa.keys()),
    }
