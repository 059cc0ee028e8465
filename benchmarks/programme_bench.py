"""The programme model against the myopic coordinator, side by side in one run.

The myopic coordinator plans the rounds one after another: `roster` for the round, then
`next-round` (completed steps carried over, waiting_since set for who waits), then the next
round. The programme plans all rounds at once (`camp-planner programme`). Both see the same
companies, venues and rounds, and the same total time (the myopic one splits it evenly over
its rounds). Reported per method: companies whose next step is planned in the horizon, A/B
tracks completed (Module 1 and Module 2 in the horizon), A companies trained, total travel,
status and wall time; and whether the independent checker accepts the programme.

    python benchmarks/programme_bench.py [--instances demo,150x3-tight,...] [--time-limit 120]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

from camp_planner.demo.generator import write_demo_folder
from camp_planner.io.folder import load_folder
from camp_planner.models import Company, Level, PlanningProblem, RoundConfig, Step
from camp_planner.programme.carry import next_companies
from camp_planner.programme.plan import Programme
from camp_planner.programme.result import programme_result
from camp_planner.programme.solve import plan_programme
from camp_planner.scheduler import solve
from instances import make_instance

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
try:
    from tests.checker import check_programme
except ImportError:  # pragma: no cover
    check_programme = None

QUARTERS = (
    ("2027-Q1", date(2027, 1, 4), date(2027, 3, 26)),
    ("2027-Q2", date(2027, 4, 5), date(2027, 6, 25)),
    ("2027-Q3", date(2027, 8, 2), date(2027, 10, 22)),
    ("2027-Q4", date(2027, 11, 1), date(2028, 1, 21)),
)


@dataclass
class Row:
    instance: str
    method: str
    next_step_planned: int
    tracks_completed: int
    a_trained: int
    travel_km: float
    status: str
    seconds: float
    checker: str = ""


def _rounds(base: RoundConfig, count: int) -> tuple[RoundConfig, ...]:
    return tuple(
        base.model_copy(update={"name": name, "start": start, "end": end})
        for name, start, end in QUARTERS[:count]
    )


def _later_signups(problem: PlanningProblem, rounds: tuple[RoundConfig, ...]) -> PlanningProblem:
    """A third of the companies can start only in round 2, another third in round 3."""
    companies = []
    for i, c in enumerate(problem.companies):
        k = i % 3
        start = rounds[k].start if k and k < len(rounds) else None
        companies.append(c.model_copy(update={"available_from": start}))
    return problem.model_copy(update={"companies": tuple(companies)})


def instance(name: str) -> tuple[PlanningProblem, tuple[RoundConfig, ...]]:
    """demo (2 rounds), 150x3-tight, 150x3-signups, 300x4-tight, 300x3-loose."""
    if name == "demo":
        folder = write_demo_folder(Path("/tmp") / "camp-planner-bench-demo")
        problem = load_folder(folder)
        rounds = _rounds(problem.round, 2)
    else:
        size, rest = name.split("x")
        count, variant = rest.split("-")
        base = make_instance(int(size), "loose" if variant == "loose" else "tight")
        rounds = _rounds(base.round, int(count))
        problem = base
        if variant == "signups":
            problem = _later_signups(base, rounds)
    return problem.model_copy(update={"round": rounds[0]}), rounds


def _metrics(
    problem: PlanningProblem, taken: dict[str, set[Step]], travel: float
) -> tuple[int, int, int, float]:
    planned = tracks = a_trained = 0
    for c in problem.companies:
        steps = taken.get(c.company_id, set())
        first = c.next_step()
        level = problem.level_of(c)
        if first == Step.MODULE2 and level not in (Level.A, Level.B):
            first = None
        if first is not None and first in steps:
            planned += 1
        if Step.MODULE1 not in c.completed and level in (Level.A, Level.B):
            tracks += {Step.MODULE1, Step.MODULE2} <= steps
        a_trained += level == Level.A and bool(steps)
    return planned, tracks, a_trained, round(travel, 1)


def run_myopic(problem: PlanningProblem, rounds: tuple[RoundConfig, ...], seconds: float) -> Row:
    started = time.time()
    companies: tuple[Company, ...] = problem.companies
    taken: dict[str, set[Step]] = {}
    travel = 0.0
    statuses = []
    for rnd in rounds:
        current = problem.model_copy(update={"round": rnd, "companies": companies})
        roster = solve(current, time_limit=seconds / len(rounds), workers=2)
        statuses.append(roster.solver.status.value)
        travel += roster.summary.travel_km_total
        for cohort in roster.cohorts:
            for member in cohort.members:
                taken.setdefault(member, set()).add(cohort.module)
        companies = next_companies(current, roster)
    planned, tracks, a_trained, km = _metrics(problem, taken, travel)
    status = "OPTIMAL" if set(statuses) == {"OPTIMAL"} else "/".join(statuses)
    return Row("", "myopic (roster + next-round)", planned, tracks, a_trained, km, status,
               round(time.time() - started, 1))  # fmt: skip


def run_programme(
    problem: PlanningProblem, rounds: tuple[RoundConfig, ...], seconds: float
) -> tuple[Row, dict[str, Any]]:
    started = time.time()
    solution = plan_programme(Programme(problem, rounds), time_limit=seconds, workers=2)
    result = programme_result(solution)
    wall = round(time.time() - started, 1)
    taken: dict[str, set[Step]] = {}
    for cid, steps in solution.steps_of.items():
        taken[cid] = {step for _, step in steps}
    planned, tracks, a_trained, km = _metrics(problem, taken, 0.0)
    summary = result.document["summary"]
    assert isinstance(summary, dict)
    checked = "-"
    if check_programme is not None:
        document = json.loads(json.dumps(result.document))
        rosters = [json.loads(r.to_json()) for _, r in result.rounds]
        errors = check_programme(list(rounds), problem.companies, problem.venues, document, rosters)
        checked = "ok" if not errors else f"{len(errors)} errors: {errors[0]}"
    gaps = ", ".join(f"{s.name} {s.status}" for s in solution.stages if not s.proven)
    status = solution.status.value + (f" ({gaps})" if gaps else "")
    solver = result.document["solver"]
    assert isinstance(solver, dict)
    bound = solver.get("best_bound")
    travel = float(summary["travel_km_total"])
    if bound:
        # the summary's km are rounded to 0.1 km, the bound is not: no gap below zero
        status += f", travel gap {max(0.0, travel - bound) / travel:.2%}"
    row = Row("", "programme", planned, tracks, a_trained, round(travel, 1), status, wall, checked)
    return row, result.document


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--instances", default="demo,150x3-tight,150x3-signups,300x4-tight")
    parser.add_argument("--time-limit", type=float, default=120.0)
    parser.add_argument("--big-time-limit", type=float, default=300.0, help="for 300 companies")
    parser.add_argument("--out", type=Path, default=HERE / "results-programme.md")
    args = parser.parse_args()
    rows = []
    for name in args.instances.split(","):
        problem, rounds = instance(name)
        seconds = args.big_time_limit if name.startswith("300") else args.time_limit
        print(f"{name}: {len(problem.companies)} companies, {len(rounds)} rounds, {seconds:g} s")
        for row in (
            run_programme(problem, rounds, seconds)[0],
            run_myopic(problem, rounds, seconds),
        ):
            row.instance = name
            rows.append(row)
            print("  ", asdict(row), flush=True)
    header = (
        "| instance | method | next step planned | tracks completed | A trained | travel km | "
        "status | wall s | checker |\n|---|---|---:|---:|---:|---:|---|---:|---|"
    )
    lines = [
        "# Programme vs myopic (same run)",
        "",
        f"`python benchmarks/programme_bench.py --instances {args.instances} --time-limit "
        f"{args.time_limit:g} --big-time-limit {args.big_time_limit:g}`",
        "",
        header,
        *(
            f"| {r.instance} | {r.method} | {r.next_step_planned} | {r.tracks_completed} | "
            f"{r.a_trained} | {r.travel_km:,.1f} | {r.status} | {r.seconds:.1f} | {r.checker} |"
            for r in rows
        ),
        "",
    ]
    args.out.write_text("\n".join(lines), encoding="utf-8")
    args.out.with_suffix(".json").write_text(
        json.dumps([asdict(r) for r in rows], indent=1), encoding="utf-8"
    )
    print("\n".join(lines))


if __name__ == "__main__":
    main()
