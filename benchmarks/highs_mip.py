"""An independent MIP of the roster model, solved by HiGHS, with or without the calendar.

Written from DOMAIN.md / CONTRACT.md alone; it shares no code with ``camp_planner.scheduler``
(segments and travel come from ``bench_common.py``). Without the calendar the rules are:

- ``a[c, v]`` binary: company ``c`` trains at venue ``v``; only for pairs where ``v`` is not
  closed, is residential when ``c``'s next step is Module 2, and is within ``max_travel_km``;
- ``n[s, v]`` integer: cohorts of segment ``s`` (module, level, age group) at ``v``;
- ``y[v]`` binary: venue ``v`` is used.

    sum_v a[c, v] <= 1                                      every company at most once
    cohort_min * n[s, v] <= sum_{c in s} p_c a[c, v] <= cohort_max * n[s, v]
                                                            people fill whole cohorts
    a[c, v] <= y[v]                                         strong link (one row per pair)
    n[s, v] <= M[s, v] * y[v]                               M = people of s at v // cohort_min
    sum_v y[v] <= max_venues
    y[v] = 1 and sum_s n[s, v] >= 1 for required venues; sum_s n[s, v] <= max_cohorts[v]

Members split among the ``n[s, v]`` cohorts of a (segment, venue) whenever the people lie in
``[cohort_min * n, cohort_max * n]`` and nobody brings more than ``cohort_max - cohort_min + 1``
people (here at most 3 against 10 - 8 + 1), so the model is exact for the cohort rules.

With ``calendar=True`` the facilitator's calendar is added, time-indexed (issue 13): working
days are Monday-Friday without Danish public holidays (the ``holidays`` package) and the
facilitator's unavailable days; ``z[m, a, b]`` integer counts the cohorts of module ``m``
held on working day ``a`` (Module 2: on ``a`` and the next working day) with their lab on
working day ``b``, ``lab_gap_days`` calendar days after the module's last day:

    sum_{(m, a, b) using day d} z[m, a, b] <= facilitators      every working day d
    sum_{a, b} z[m, a, b] = sum_{s of module m, v} n[s, v]        every cohort is dated

For the facilitator all cohorts of a module are alike, so these counts are exact for the
calendar. Venues' and companies' unavailable days are not in this aggregate (the benchmark
venues have none; about 3 % of the companies have 1-3), so with the calendar the model is
the roster problem up to those blackout days: its optimum is a lower bound on travel that
an exact roster meets whenever the blackouts do not bind.

The objective is lexicographic, in two solves: first maximise the companies placed; then,
with ``sum a >= placed``, minimise total travel km (the first solution is the start of the
second). With a calendar that does not bind (the ``loose`` variant), this is the roster
problem itself; with the calendar (``tight``) it is a relaxation: HiGHS's placed is an upper
bound on what any roster can place.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import highspy
import holidays
import numpy as np

from bench_common import SegmentKey, allowed
from camp_planner.models import PlanningProblem

FEASIBLE_POINT = int(highspy.SolutionStatus.kSolutionStatusFeasible)


@dataclass
class MipResult:
    """What HiGHS proved.

    Attributes:
        status: ``OPTIMAL`` when both stages are proven, else ``FEASIBLE`` (time limit with a
            solution) or HiGHS's model status.
        placed: companies placed; placed_bound: the best upper bound of stage 1.
        travel_km: total travel of stage 2; travel_bound: its best lower bound.
        gap: (travel - bound) / travel of stage 2.
        seconds: wall time of both stages, model building included.
        venues: venue ids used.
    """

    status: str
    placed: int
    placed_bound: int
    travel_km: float
    travel_bound: float
    gap: float
    seconds: float
    venues: list[str]
    stage_seconds: tuple[float, float] = (0.0, 0.0)
    #: seconds from the start until the final travel value was first found
    to_best: float | None = None


class _Rows:
    """Rows collected as sparse lists, passed to HiGHS in one call."""

    def __init__(self) -> None:
        self.lower: list[float] = []
        self.upper: list[float] = []
        self.starts: list[int] = []
        self.index: list[int] = []
        self.value: list[float] = []

    def add(self, cols: list[int], coefs: list[float], lo: float, hi: float) -> None:
        self.starts.append(len(self.index))
        self.index.extend(cols)
        self.value.extend(coefs)
        self.lower.append(lo)
        self.upper.append(hi)

    def pass_to(self, h: highspy.Highs) -> None:
        h.addRows(
            len(self.lower),
            np.array(self.lower, dtype=np.float64),
            np.array(self.upper, dtype=np.float64),
            len(self.index),
            np.array(self.starts, dtype=np.int32),
            np.array(self.index, dtype=np.int32),
            np.array(self.value, dtype=np.float64),
        )


@dataclass
class _Model:
    h: highspy.Highs
    a_cols: dict[tuple[int, int], int]
    y_cols: dict[int, int]
    n_cols: dict[tuple[SegmentKey, int], int]
    km: np.ndarray


def calendar_options(problem: PlanningProblem) -> dict[str, list[tuple[list[int], int]]]:
    """Per module, every (days the module takes, lab day) as working-day indices."""
    rnd = problem.round
    danish = holidays.country_holidays("DK", years=range(rnd.start.year, rnd.end.year + 1))
    off = set(rnd.facilitator_unavailable)
    days: list[date] = []
    day = rnd.start
    while day <= rnd.end:
        if day.weekday() < 5 and day not in danish:
            days.append(day)
        day += timedelta(days=1)
    lo, hi = rnd.lab_gap_days
    options: dict[str, list[tuple[list[int], int]]] = {}
    for module, length in (("module1", 1), ("module2", 2)):
        options[module] = []
        for a in range(len(days) - length + 1):
            held = list(range(a, a + length))
            if any(days[d] in off for d in held):
                continue
            last = days[held[-1]]
            for b, lab in enumerate(days):
                if lab not in off and lo <= (lab - last).days <= hi:
                    options[module].append((held, b))
    return options


def build(problem: PlanningProblem, calendar: bool = False) -> _Model:
    """The MIP of a round, calendar-free or with the calendar (see the module docstring)."""
    rnd = problem.round
    info = allowed(problem)
    inf = highspy.kHighsInf
    lower: list[float] = []
    upper: list[float] = []
    integer: list[int] = []

    def var(lo: float, hi: float) -> int:
        lower.append(lo)
        upper.append(hi)
        integer.append(len(lower) - 1)
        return len(lower) - 1

    a_cols: dict[tuple[int, int], int] = {}
    pairs: dict[tuple[SegmentKey, int], list[int]] = defaultdict(list)
    for ci, vi in zip(*np.nonzero(info.ok), strict=True):
        seg = info.segments[int(ci)]
        assert seg is not None
        a_cols[int(ci), int(vi)] = var(0, 1)
        pairs[seg, int(vi)].append(int(ci))
    y_cols = {
        vi: var(1 if v.status.value == "required" else 0, 1)
        for vi, v in enumerate(problem.venues)
        if v.status.value != "closed"
    }
    people = [c.participants for c in problem.companies]
    n_cols: dict[tuple[SegmentKey, int], tuple[int, int]] = {}
    for (seg, vi), members in pairs.items():
        most = sum(people[ci] for ci in members) // rnd.cohort_min
        cap = problem.venues[vi].max_cohorts
        if cap is not None:
            most = min(most, cap)
        if most > 0:
            n_cols[seg, vi] = (var(0, most), most)

    rows = _Rows()
    by_company: dict[int, list[int]] = defaultdict(list)
    for (ci, _), col in a_cols.items():
        by_company[ci].append(col)
    for cols in by_company.values():
        rows.add(cols, [1.0] * len(cols), -inf, 1)
    for (seg, vi), members in pairs.items():
        cols = [a_cols[ci, vi] for ci in members]
        coefs = [float(people[ci]) for ci in members]
        if (seg, vi) not in n_cols:  # too few people for one cohort: nobody goes there
            rows.add(cols, [1.0] * len(cols), 0, 0)
            continue
        n_col, most = n_cols[seg, vi]
        rows.add([*cols, n_col], [*coefs, -rnd.cohort_min], 0, inf)
        rows.add([*cols, n_col], [*coefs, -rnd.cohort_max], -inf, 0)
        rows.add([n_col, y_cols[vi]], [1.0, -most], -inf, 0)
    for (_, vi), col in a_cols.items():
        rows.add([col, y_cols[vi]], [1.0, -1.0], -inf, 0)
    rows.add(list(y_cols.values()), [1.0] * len(y_cols), -inf, rnd.max_venues)
    cohorts_at: dict[int, list[int]] = defaultdict(list)
    for (_, vi), (col, _) in n_cols.items():
        cohorts_at[vi].append(col)
    for vi, v in enumerate(problem.venues):
        cols = cohorts_at.get(vi, [])
        if v.status.value == "required":
            rows.add(cols, [1.0] * len(cols), 1, inf)
        if v.max_cohorts is not None and cols:
            rows.add(cols, [1.0] * len(cols), -inf, v.max_cohorts)
    if calendar:
        per_day: dict[int, list[int]] = defaultdict(list)
        for module, options in calendar_options(problem).items():
            dated = []
            for held, lab in options:
                col = var(0, rnd.facilitators)
                dated.append(col)
                for d in (*held, lab):
                    per_day[d].append(col)
            cohorts = [col for (seg, _), (col, _) in n_cols.items() if seg[0] == module]
            rows.add([*dated, *cohorts], [1.0] * len(dated) + [-1.0] * len(cohorts), 0, 0)
        for cols in per_day.values():
            rows.add(cols, [1.0] * len(cols), -inf, rnd.facilitators)

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.addVars(len(lower), np.array(lower, dtype=np.float64), np.array(upper, dtype=np.float64))
    h.changeColsIntegrality(
        len(integer),
        np.array(integer, dtype=np.int32),
        np.full(len(integer), highspy.HighsVarType.kInteger.value, dtype=np.uint8),
    )
    rows.pass_to(h)
    return _Model(h, a_cols, y_cols, {k: col for k, (col, _) in n_cols.items()}, info.km)


def _set_objective(model: _Model, costs: dict[int, float]) -> None:
    h = model.h
    num = h.getNumCol()
    cost = np.zeros(num, dtype=np.float64)
    for col, c in costs.items():
        cost[col] = c
    h.changeColsCost(num, np.arange(num, dtype=np.int32), cost)


def start_from_roster(
    problem: PlanningProblem, model: _Model, roster: dict[str, Any]
) -> np.ndarray:
    """A MIP start from a roster.json document (e.g. the greedy baseline's).

    Any roster obeying the cohort and venue rules is feasible here: the calendar-free model
    only drops rules.
    """
    values = np.zeros(model.h.getNumCol())
    company = {c.company_id: i for i, c in enumerate(problem.companies)}
    venue = {v.venue_id: i for i, v in enumerate(problem.venues)}
    for cohort in roster.get("cohorts", []):
        vi = venue[cohort["venue_id"]]
        seg = (cohort["module"], cohort["level"], cohort["age_group"])
        values[model.n_cols[seg, vi]] += 1
        values[model.y_cols[vi]] = 1
        for cid in cohort["members"]:
            values[model.a_cols[company[cid], vi]] = 1
    return values


def _set_start(h: highspy.Highs, values: np.ndarray) -> None:
    h.setSolution(len(values), np.arange(len(values), dtype=np.int32), values.astype(np.float64))


def _run(h: highspy.Highs, deadline: float) -> tuple[bool, float, float]:
    """Solve until `deadline`; (proven optimal, objective, dual bound)."""
    h.setOptionValue("time_limit", max(0.01, deadline - time.perf_counter()))
    h.run()
    info = h.getInfo()
    proven = h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return proven, info.objective_function_value, info.mip_dual_bound


def solve_mip(
    problem: PlanningProblem,
    time_limit: float = 60.0,
    threads: int = 2,
    seed: int = 0,
    start_roster: dict[str, Any] | None = None,
    calendar: bool = False,
) -> MipResult:
    """Maximise placed, then minimise travel, with HiGHS.

    Args:
        problem: the round.
        time_limit: wall seconds for both stages together (model building included).
        threads: HiGHS ``threads`` option.
        seed: HiGHS ``random_seed``.
        start_roster: a roster.json document to start stage 1 from (e.g. the greedy
            baseline's); None: HiGHS starts from nothing.
        calendar: add the facilitator's calendar (time-indexed); else calendar-free.
    """
    started = time.perf_counter()
    deadline = started + time_limit
    model = build(problem, calendar)
    h = model.h
    found: list[tuple[float, float]] = []  # (seconds from the start, objective) per improvement
    h.cbMipImprovingSolution.subscribe(
        lambda event: found.append(
            (time.perf_counter() - started, event.data_out.objective_function_value)
        )
    )
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("threads", threads)
    h.setOptionValue("random_seed", seed)
    a_cols = list(model.a_cols.values())

    # Stage 1: most companies placed.
    _set_objective(model, dict.fromkeys(a_cols, 1.0))
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    if start_roster is not None:
        _set_start(h, start_from_roster(problem, model, start_roster))
    t1 = time.perf_counter()
    proven1, placed_obj, placed_bound = _run(h, deadline)
    t1 = time.perf_counter() - t1
    if h.getInfo().primal_solution_status != FEASIBLE_POINT:
        status = h.modelStatusToString(h.getModelStatus())
        return MipResult(status, 0, 0, 0.0, 0.0, float("nan"), time.perf_counter() - started, [])
    start = h.getSolution().col_value
    placed = round(placed_obj)

    # Stage 2: least travel among the rosters placing that many.
    cols = np.array(a_cols, dtype=np.int32)
    h.addRow(placed, highspy.kHighsInf, len(a_cols), cols, np.ones(len(a_cols)))
    _set_objective(model, {col: float(model.km[key]) for key, col in model.a_cols.items()})
    h.changeObjectiveSense(highspy.ObjSense.kMinimize)
    _set_start(h, np.array(start))
    t2 = time.perf_counter()
    found.clear()
    proven2, travel, travel_bound = _run(h, deadline)
    to_best = next((at for at, value in found if value <= travel + 1e-6), t2 - started)
    t2 = time.perf_counter() - t2
    values = h.getSolution().col_value
    chosen = [key for key, col in model.a_cols.items() if values[col] > 0.5]
    used = sorted({problem.venues[vi].venue_id for _, vi in chosen})
    assert len(chosen) >= placed, (len(chosen), placed)
    if proven2 or travel <= 0:
        gap = 0.0
    elif np.isfinite(travel_bound):
        gap = max(0.0, (travel - travel_bound) / travel)
    else:  # stage 2 had no time left to prove anything
        gap = float("inf")
    status = "OPTIMAL" if proven1 and proven2 else "FEASIBLE"
    return MipResult(
        status=status,
        placed=len(chosen),
        placed_bound=int(np.floor(placed_bound + 1e-6)),
        travel_km=float(travel),
        travel_bound=float(travel_bound),
        gap=gap,
        seconds=time.perf_counter() - started,
        venues=used,
        stage_seconds=(t1, t2),
        to_best=to_best,
    )
