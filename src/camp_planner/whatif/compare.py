"""What-if figures: the metrics of one scenario's roster and the comparison of scenarios.

Per scenario (one row of ``whatif.csv``, docs/whatif.md), from the scenario's problem and the
roster :func:`camp_planner.scheduler.solve` found for it:

- ``placed``, ``unplaced`` and ``travel_km_total`` are the roster's own summary figures, so
  a scenario equal to the plain folder shows exactly the numbers of ``roster``;
- the travel figures are the one-way km of the *placed* companies (the roster's
  ``travel_km``, else great-circle km x road factor): ``travel_km_mean``, ``travel_km_p90``
  (nearest rank: the smallest distance that at least 90 % of them travel at most),
  ``travel_km_max`` and ``share_within_50km`` (travel <= 50 km, 0-1); all empty when
  nobody is placed;
- ``facilitator_days`` counts the distinct days with a session in the calendar (Module 2
  counts its two days), ``session_days`` (extra) the session days summed over cohorts
  (larger than ``facilitator_days`` only when two facilitators work on the same day).

Extra columns after docs/whatif.md's first ones: ``changes`` (the scenario in words),
``unplaced_<code>`` per unplaced code, ``session_days``, ``venues_added`` /
``venues_dropped`` and ``delta_<metric>`` (this scenario minus the first row, the baseline);
then what the solver proved and whether a difference means anything:
``travel_km_bound`` and ``travel_km_gap`` (the proven lower bound of the total travel and
how far the roster may be above it), ``placed_bound`` (the proven upper bound of the
companies placed), ``significant_placed`` and ``significant_travel_km_total`` and the
runner's ``second_solve_hints`` / ``second_solve_kept``; and ``failure`` (why a scenario
has no roster), only when a solve on an executor failed twice (docs/ray.md).

Significance: a scenario's difference to the baseline is *significant* when its absolute
value is larger than the two rosters' absolute gaps together (:func:`significant`). The
travel gap is ``travel_km_total - best_bound`` (0 when proven OPTIMAL; infinite when the
solver proved no bound), the placed gap ``placed_bound - placed`` (likewise). Within the
gaps, better rosters of the two scenarios could close or reverse the difference, so the
table must not read it as an effect of the scenario.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import Any

import pandas as pd

from camp_planner.models import PlanningProblem, Roster, SolverStatus, UnplacedCode, VenueStatus

__all__ = [
    "CONTRACT_COLUMNS",
    "DELTA_METRICS",
    "METRIC_LABELS",
    "WITHIN_KM",
    "SIGNIFICANCE_METRICS",
    "comparison_sheet",
    "facilitator_days",
    "nearest_rank",
    "placed_gap",
    "placed_travel_km",
    "scenario_metrics",
    "significant",
    "travel_gap_km",
    "venue_usage",
    "whatif_table",
]

#: The columns of whatif.csv that docs/whatif.md fixes, in order.
CONTRACT_COLUMNS = [
    "scenario", "max_venues", "venues", "cohorts", "placed", "unplaced",
    "travel_km_total", "travel_km_mean", "travel_km_p90", "travel_km_max",
    "share_within_50km", "facilitator_days", "status", "gap",
]  # fmt: skip
#: Metrics that get a ``delta_<metric>`` column (scenario minus baseline).
DELTA_METRICS = [
    "cohorts", "placed", "unplaced", "travel_km_total", "travel_km_mean", "travel_km_p90",
    "travel_km_max", "share_within_50km", "facilitator_days",
]  # fmt: skip
#: Metrics whose change gets a ``significant_<metric>`` column, with the gap of each.
SIGNIFICANCE_METRICS = ["placed", "travel_km_total"]
#: Columns after the deltas: the proven bounds, the significance, the second solve.
BOUND_COLUMNS = [
    "travel_km_bound", "travel_km_gap", "placed_bound",
    *(f"significant_{m}" for m in SIGNIFICANCE_METRICS),
    "second_solve_hints", "second_solve_kept",
]  # fmt: skip
#: "Within reasonable travel" for the share column, km one way.
WITHIN_KM = 50.0
#: How each metric is called in the comparison sheet and the printed table.
METRIC_LABELS: dict[str, str] = {
    "changes": "What changes",
    "max_venues": "Max venues",
    "venues": "Venues used",
    "cohorts": "Cohorts",
    "placed": "Companies placed",
    "unplaced": "Companies without a place",
    "travel_km_total": "Total travel (km, one way)",
    "travel_km_mean": "Mean travel per company (km)",
    "travel_km_p90": "90 % travel at most (km)",
    "travel_km_max": "Longest travel (km)",
    "share_within_50km": "Share within 50 km",
    "facilitator_days": "Facilitator days",
    "session_days": "Session days (all cohorts)",
    "status": "Solver status",
    "gap": "Gap (0 = proven best)",
    "travel_km_bound": "Total travel: proven lower bound (km)",
    "travel_km_gap": "Total travel: gap (km; 0 = proven best)",
    "placed_bound": "Companies placed: proven upper bound",
    "significant_placed": "Change in companies placed beyond the gaps",
    "significant_travel_km_total": "Change in total travel beyond the gaps",
    "second_solve_hints": "Solved again from the roster of",
    "second_solve_kept": "Second solve's roster kept",
    "failure": "Not solved because",
}
#: Rows of the comparison without a change against the baseline.
NO_CHANGE = frozenset({"changes", "status", "gap", "failure", *BOUND_COLUMNS})
#: Differences this close to the gaps count as within them (rounding of the km figures).
_SIGNIFICANCE_EPS = 1e-6
_KM_DIGITS = 3
_SHARE_DIGITS = 4


def placed_travel_km(problem: PlanningProblem, roster: Roster) -> list[float]:
    """One-way travel km of every placed company: the roster's figure, else computed."""
    companies = {c.company_id: c for c in problem.companies}
    venues = {v.venue_id: v for v in problem.venues}
    travel: list[float] = []
    for cohort in roster.cohorts:
        for company_id in cohort.members:
            km = roster.travel_km.get(company_id)
            if km is None:
                company, venue = companies.get(company_id), venues.get(cohort.venue_id)
                if company is None or venue is None:
                    continue
                km = problem.travel_km(company, venue)
            travel.append(float(km))
    return travel


def nearest_rank(values: Sequence[float], percent: int) -> float | None:
    """The nearest-rank percentile: the smallest value that `percent` % of values are <= to.

    ``nearest_rank([10, 20, ..., 100], 90) == 90``; None for no values.
    """
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, (percent * len(ordered) + 99) // 100)  # ceil(percent/100 * n), exactly
    return ordered[rank - 1]


def facilitator_days(roster: Roster) -> int:
    """Distinct days with at least one session (Module 2's two days count two)."""
    return len({day for c in roster.cohorts for s in c.sessions for day in s.dates})


def _session_days(roster: Roster) -> int:
    return sum(len(set(s.dates)) for c in roster.cohorts for s in c.sessions)


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _codes(codes: Counter[str]) -> list[str]:
    known = [code.value for code in UnplacedCode]
    return known + sorted(c for c in codes if c not in known)


def _missing(value: Any) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value))


def travel_gap_km(status: str, travel_km_total: Any, best_bound: Any) -> float:
    """How far a roster's total travel may be above the least possible, in km: 0 when
    proven OPTIMAL, ``travel_km_total - best_bound`` (at least 0) when a bound is proven,
    infinite when none is (e.g. no roster found)."""
    if status == SolverStatus.OPTIMAL.value:
        return 0.0
    if _missing(best_bound) or _missing(travel_km_total):
        return math.inf
    return max(0.0, float(travel_km_total) - float(best_bound))


def placed_gap(status: str, placed: Any, placed_bound: Any) -> float:
    """How many more companies a roster of the scenario might place: 0 when proven
    OPTIMAL, ``placed_bound - placed`` (at least 0) when a bound is proven, else infinite."""
    if status == SolverStatus.OPTIMAL.value:
        return 0.0
    if _missing(placed_bound) or _missing(placed):
        return math.inf
    return max(0.0, float(placed_bound) - float(placed))


def significant(difference: Any, gap: float, base_gap: float) -> bool | None:
    """Whether a difference between two rosters' figures is larger than their two gaps
    together: only then can no better roster of either scenario close or reverse it.

    ``significant(-34.1, 80.0, 0.0)`` is False (within the gaps); ``significant(-34.1,
    0.0, 0.0)`` is True (both proven). A difference of 0 is never significant; None when
    the difference is unknown.
    """
    if _missing(difference):
        return None
    return abs(float(difference)) > gap + base_gap + _SIGNIFICANCE_EPS


def _gaps(row: dict[str, Any]) -> dict[str, float]:
    status = str(row.get("status") or "")
    return {
        "placed": placed_gap(status, row.get("placed"), row.get("placed_bound")),
        "travel_km_total": travel_gap_km(
            status, row.get("travel_km_total"), row.get("travel_km_bound")
        ),
    }


def scenario_metrics(
    problem: PlanningProblem, roster: Roster, scenario: str, changes: str = ""
) -> dict[str, Any]:
    """The whatif.csv row of one scenario (without the delta columns).

    Args:
        problem: The scenario's planning problem (the one that was solved).
        roster: Its roster.
        scenario: The scenario's name.
        changes: The scenario in words (extra column ``changes``).

    Returns:
        docs/whatif.md's columns, then ``changes``, ``unplaced_<code>`` for every code,
        ``session_days``, ``travel_km_bound``, ``travel_km_gap`` (None: no bound proven)
        and ``placed_bound`` (a proven OPTIMAL roster is its own bound).
    """
    travel = placed_travel_km(problem, roster)
    placed = roster.summary.placed
    within = sum(1 for km in travel if km <= WITHIN_KM)
    codes = Counter(u.code.value for u in roster.unplaced)
    row: dict[str, Any] = {
        "scenario": scenario,
        "max_venues": problem.round.max_venues,
        "venues": ";".join(sorted(roster.summary.venues_used)),
        "cohorts": len(roster.cohorts),
        "placed": placed,
        "unplaced": roster.summary.unplaced,
        "travel_km_total": roster.summary.travel_km_total,
        "travel_km_mean": _round(sum(travel) / len(travel), _KM_DIGITS) if travel else None,
        "travel_km_p90": _round(nearest_rank(travel, 90), _KM_DIGITS),
        "travel_km_max": _round(max(travel), _KM_DIGITS) if travel else None,
        "share_within_50km": round(within / len(travel), _SHARE_DIGITS) if travel else None,
        "facilitator_days": facilitator_days(roster),
        "status": roster.solver.status.value,
        "gap": roster.solver.gap,
        "changes": changes,
    }
    for code in _codes(codes):
        row[f"unplaced_{code}"] = codes.get(code, 0)
    row["session_days"] = _session_days(roster)
    optimal = roster.solver.status == SolverStatus.OPTIMAL
    bound = roster.solver.best_bound
    row["travel_km_bound"] = roster.summary.travel_km_total if optimal and bound is None else bound
    gap = travel_gap_km(row["status"], roster.summary.travel_km_total, row["travel_km_bound"])
    row["travel_km_gap"] = None if math.isinf(gap) else round(gap, _KM_DIGITS)
    placed_bound = roster.solver.placed_bound
    row["placed_bound"] = placed if optimal and placed_bound is None else placed_bound
    return row


def _delta(value: Any, base: Any, metric: str) -> Any:
    if value is None or base is None or pd.isna(value) or pd.isna(base):
        return None
    diff = value - base
    if metric == "share_within_50km":
        return round(diff, _SHARE_DIGITS)
    if isinstance(diff, float):
        return round(diff, _KM_DIGITS)
    return int(diff)


def _venue_set(text: Any) -> list[str]:
    return [v for v in str(text or "").split(";") if v]


def whatif_table(rows: Sequence[dict[str, Any]]) -> pd.DataFrame:
    """The whatif.csv table: one row per scenario, the first the baseline.

    Args:
        rows: :func:`scenario_metrics` rows, baseline first.

    Returns:
        docs/whatif.md's columns in order, then ``changes``, ``unplaced_<code>``,
        ``session_days``, ``venues_added``, ``venues_dropped`` and ``delta_<metric>`` for
        :data:`DELTA_METRICS` (baseline row: 0 and empty lists), then
        :data:`BOUND_COLUMNS`: ``significant_<metric>`` is ``"true"`` / ``"false"``
        (:func:`significant`), empty in the baseline row.
    """
    if not rows:
        return pd.DataFrame(columns=CONTRACT_COLUMNS)
    codes: Counter[str] = Counter()
    for row in rows:
        codes.update(k.removeprefix("unplaced_") for k in row if k.startswith("unplaced_"))
    unplaced_cols = [f"unplaced_{c}" for c in _codes(codes)]
    base = rows[0]
    base_gaps = _gaps(base)
    base_venues = set(_venue_set(base["venues"]))
    out = []
    for row in rows:
        full = {col: row.get(col) for col in CONTRACT_COLUMNS}
        full["changes"] = row.get("changes", "")
        for col in unplaced_cols:
            full[col] = row.get(col, 0)
        full["session_days"] = row.get("session_days")
        venues = _venue_set(row["venues"])
        full["venues_added"] = ";".join(v for v in venues if v not in base_venues)
        full["venues_dropped"] = ";".join(sorted(base_venues - set(venues)))
        for metric in DELTA_METRICS:
            full[f"delta_{metric}"] = _delta(row.get(metric), base.get(metric), metric)
        for col in ("travel_km_bound", "travel_km_gap", "placed_bound"):
            full[col] = row.get(col)
        gaps = _gaps(row)
        for metric in SIGNIFICANCE_METRICS:
            verdict = None
            if row is not base:
                difference = full[f"delta_{metric}"]
                verdict = significant(difference, gaps[metric], base_gaps[metric])
            full[f"significant_{metric}"] = None if verdict is None else str(verdict).lower()
        full["second_solve_hints"] = row.get("second_solve_hints") or ""
        full["second_solve_kept"] = row.get("second_solve_kept")
        if any(r.get("failure") for r in rows):  # only when a solve failed (docs/ray.md)
            full["failure"] = row.get("failure") or ""
        out.append(full)
    frame = pd.DataFrame(out)
    for col in ("cohorts", "placed", "unplaced", "facilitator_days", "max_venues", *unplaced_cols):
        frame[col] = frame[col].astype("int64")
    return frame


def _label(metric: str) -> str:
    if metric in METRIC_LABELS:
        return METRIC_LABELS[metric]
    code = metric.removeprefix("unplaced_")
    return f"  without a place: {code.replace('_', ' ')}"


def comparison_rows(table: pd.DataFrame) -> list[str]:
    """The metrics the comparison shows, in order (unplaced codes only when some occur)."""
    codes = [
        c
        for c in table.columns
        if c.startswith("unplaced_") and c != "unplaced" and table[c].fillna(0).astype(int).any()
    ]
    proofs = [
        m
        for m in (
            "travel_km_bound",
            "placed_bound",
            *(f"significant_{m}" for m in SIGNIFICANCE_METRICS),
        )
        if m in table.columns
    ]
    if "second_solve_hints" in table.columns and table["second_solve_hints"].fillna("").any():
        proofs += [m for m in ("second_solve_hints", "second_solve_kept") if m in table.columns]
    if "failure" in table.columns:
        proofs.append("failure")
    return [
        "changes", "max_venues", "venues", "cohorts", "placed", "unplaced", *codes,
        "travel_km_total", "travel_km_mean", "travel_km_p90", "travel_km_max",
        "share_within_50km", "facilitator_days", "session_days", "status", "gap", *proofs,
    ]  # fmt: skip


def change_of(table: pd.DataFrame, index: int, metric: str) -> Any:
    """Scenario `index` minus the baseline (row 0) for one metric; text for the venues."""
    if metric == "venues":
        added = _venue_set(table.at[index, "venues_added"])
        dropped = _venue_set(table.at[index, "venues_dropped"])
        return " ".join([*(f"+{v}" for v in added), *(f"-{v}" for v in dropped)])
    if f"delta_{metric}" in table.columns:
        return _cell(table.at[index, f"delta_{metric}"])
    value, base = table.at[index, metric], table.at[0, metric]
    if isinstance(value, str) or isinstance(base, str):
        return None
    return _delta(value, base, metric)


def comparison_sheet(table: pd.DataFrame) -> pd.DataFrame:
    """The comparison turned sideways: one row per metric, one column per scenario, and
    after each scenario but the baseline a ``<name>: change`` column (scenario minus
    baseline), so "what do we lose if Skive closes?" is answered at a glance.

    Args:
        table: :func:`whatif_table`'s result.

    Returns:
        Columns ``metric``, then per scenario its name (and ``<name>: change``).
    """
    metrics = comparison_rows(table)
    data: dict[str, list[Any]] = {"metric": [_label(m) for m in metrics]}
    for index in range(len(table)):
        name = str(table.at[index, "scenario"])
        data[name] = [_sheet_cell(m, table.at[index, m]) for m in metrics]
        if index > 0:
            data[f"{name}: change"] = [
                None if m in NO_CHANGE else change_of(table, index, m) for m in metrics
            ]
    return pd.DataFrame(data)


def _sheet_cell(metric: str, value: Any) -> Any:
    """A comparison cell; the significance in words."""
    cell = _cell(value)
    if metric.startswith("significant_") and cell is not None:
        return "yes" if cell == "true" else "no: within the gaps"
    if metric == "second_solve_kept" and cell is not None:
        return "yes" if cell == "true" else "no: the first was as good"
    return cell


def _cell(value: Any) -> Any:
    """A table cell as a plain Python value; None for a missing one."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def venue_usage(
    problems: Sequence[PlanningProblem], rosters: Sequence[Roster], names: Sequence[str]
) -> pd.DataFrame:
    """Which venue hosts how many cohorts in each scenario (``closed`` / ``required`` noted).

    Args:
        problems: Each scenario's problem.
        rosters: Each scenario's roster.
        names: Each scenario's name.

    Returns:
        One row per venue of the first problem: ``venue_id``, ``venue``, then per scenario
        the number of cohorts it hosts (0 when unused), or ``closed``.
    """
    venues = problems[0].venues if problems else ()
    data: dict[str, list[Any]] = {
        "venue_id": [v.venue_id for v in venues],
        "venue": [v.name for v in venues],
    }
    for problem, roster, name in zip(problems, rosters, names, strict=True):
        status = {v.venue_id: v.status for v in problem.venues}
        hosted = Counter(c.venue_id for c in roster.cohorts)
        column: list[Any] = []
        for venue in venues:
            if status.get(venue.venue_id) == VenueStatus.CLOSED:
                column.append("closed")
            elif status.get(venue.venue_id) == VenueStatus.REQUIRED:
                column.append(f"{hosted.get(venue.venue_id, 0)} (required)")
            else:
                column.append(hosted.get(venue.venue_id, 0))
        data[name] = column
    return pd.DataFrame(data)
