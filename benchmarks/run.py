"""Run the roster benchmarks: greedy baseline, camp-planner, HiGHS (issue 3, item 6).

    python benchmarks/run.py [--sizes 60,150,300] [--variants tight,loose] [--time-limit 120]
                             [--workers 2] [--seed 0] [--out benchmarks/results.md]

For every size and variant (``instances.py``) it runs, one after the other on the same
machine: the greedy baseline (``greedy.py``), ``camp_planner.scheduler.solve`` and the
calendar-free MIP with HiGHS (``highs_mip.py``), each with the same time limit and threads.
Every roster of the greedy baseline and of camp-planner is judged by the independent checker
(``tests/checker.py``) when it can be imported. The table is printed and written as markdown,
with the machine it was measured on; it is rewritten (with the raw numbers beside it as
``.json``) after every size and variant.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import platform
import subprocess
import sys
import time
import traceback
from dataclasses import asdict, dataclass
from datetime import datetime
from importlib.metadata import version
from pathlib import Path
from typing import Any

from camp_planner.models import PlanningProblem
from camp_planner.scheduler import solve
from greedy import greedy
from highs_mip import solve_mip
from instances import describe, make_instance

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "tests"))
try:
    from checker import check_roster
except ImportError:  # pragma: no cover - the checker is another engineer's file
    check_roster = None


@dataclass
class Row:
    """One line of the table."""

    size: int
    variant: str
    method: str
    placed: int | None
    placed_bound: int | None
    travel: float | None
    travel_bound: float | None
    status: str
    gap: float | None
    seconds: float
    checker: str = ""
    ratio: float | None = None  # camp-planner wall / HiGHS wall, same run
    vs_highs: str = ""
    #: seconds until the final travel value was first found (time to the optimum when proven)
    to_best: float | None = None
    #: camp-planner run again: "same roster" or what differed
    repeat: str = ""


def _checker(problem: PlanningProblem, roster: dict[str, Any]) -> str:
    if check_roster is None:
        return "checker n/a"
    errors = check_roster(problem.round, problem.companies, problem.venues, roster)
    if not errors:
        return "checker OK"
    return f"checker: {len(errors)} errors, e.g. {errors[0]}"


def run_greedy(problem: PlanningProblem, size: int, variant: str) -> tuple[Row, dict[str, Any]]:
    """The coordinator's baseline: its row and its roster.json document."""
    res = greedy(problem)
    row = Row(
        size, variant, "greedy", res.placed, None, res.travel_km, None, "heuristic", None,
        res.seconds, _checker(problem, res.roster),
    )  # fmt: skip
    return row, res.roster


def _members(doc: dict[str, Any]) -> list[tuple[str, str, str, tuple[str, ...]]]:
    """A roster's cohorts as comparable tuples (venue, module, dates, members)."""
    return sorted(
        (c["venue_id"], c["module"], json.dumps(c["sessions"]), tuple(sorted(c["members"])))
        for c in doc["cohorts"]
    )


def run_camp_planner(
    problem: PlanningProblem,
    size: int,
    variant: str,
    time_limit: float,
    workers: int,
    seed: int,
    repeat: bool = False,
    deterministic: bool = False,
) -> Row:
    """camp_planner.scheduler.solve, wall time measured around the call; with `repeat`
    solved again with the same input, seed and workers, and the two rosters compared."""
    started = time.perf_counter()
    improved: list[float] = []  # when each travel-stage solution was found

    def progress(line: str) -> None:
        if line.startswith("travel km"):
            improved.append(time.perf_counter() - started)

    try:
        roster = solve(
            problem, time_limit=time_limit, seed=seed, workers=workers, progress=progress,
            deterministic=deterministic,
        )  # fmt: skip
    except Exception as exc:  # the benchmark reports a crash and carries on
        traceback.print_exc()
        seconds = time.perf_counter() - started
        return Row(size, variant, "camp-planner", None, None, None, None,
                   f"ERROR {type(exc).__name__}", None, seconds)  # fmt: skip
    seconds = time.perf_counter() - started
    doc = json.loads(roster.to_json())
    report = roster.solver
    travel = roster.summary.travel_km_total
    gap = report.gap
    if gap is None and report.best_bound is not None and travel > 0:
        gap = max(0.0, (travel - report.best_bound) / travel)
    method = "camp-planner" + (" (deterministic)" if deterministic else "")
    row = Row(
        size, variant, method, roster.summary.placed, report.placed_bound, travel,
        report.best_bound, report.status.value, gap, seconds, _checker(problem, doc),
        to_best=improved[-1] if improved else None,
    )  # fmt: skip
    if repeat:
        again = solve(
            problem, time_limit=time_limit, seed=seed, workers=workers,
            deterministic=deterministic,
        )  # fmt: skip
        other = json.loads(again.to_json())
        if _members(other) == _members(doc):
            row.repeat = "same roster"
        else:
            row.repeat = (
                f"differs ({again.summary.placed} placed, "
                f"{again.summary.travel_km_total:,.1f} km, {again.solver.status.value})"
            )
    return row


def run_highs(
    problem: PlanningProblem,
    size: int,
    variant: str,
    time_limit: float,
    threads: int,
    seed: int,
    start: dict[str, Any] | None = None,
    calendar: bool = False,
) -> Row:
    """The independent MIP, calendar-free or with the exact calendar (started from `start`
    when given)."""
    res = solve_mip(problem, time_limit, threads, seed, start_roster=start, calendar=calendar)
    method = "HiGHS (calendar)" if calendar else "HiGHS (no calendar)"
    if start is not None:
        method = method[:-1] + ", greedy start)"
    return Row(
        size, variant, method, res.placed, res.placed_bound, res.travel_km,
        res.travel_bound, res.status, res.gap, res.seconds, to_best=res.to_best,
    )  # fmt: skip


def compare(rows: list[Row]) -> None:
    """Fill the wall-time ratio and the travel against HiGHS (same size and variant): HiGHS
    with the calendar when it ran (the same problem), else the calendar-free one."""
    peers = [r for r in rows if r.method.startswith("HiGHS")]
    highs = next((r for r in peers if "(calendar" in r.method), peers[0] if peers else None)
    if highs is None or highs.placed is None:
        return
    for row in rows:
        if row in peers or row.placed is None or row.travel is None:
            continue
        if row.method.startswith("camp-planner") and highs.seconds > 0:
            row.ratio = row.seconds / highs.seconds
        if row.placed == highs.placed and highs.travel:
            pct = round(100 * (row.travel / highs.travel - 1), 1) + 0.0  # no "-0.0"
            row.vs_highs = f"{pct:+.1f} % km"
        else:
            row.vs_highs = f"{row.placed - highs.placed:+d} placed"


def _fmt(value: float | None, spec: str) -> str:
    """A number, or "—" when there is none (no bound, no gap: nothing proven)."""
    if value is None or not math.isfinite(value):
        return "—"
    return format(value, spec)


HEADER = (
    "| size | variant | method | placed | placed bound | travel km | travel bound | status "
    "| gap | to best s | wall s | wall / HiGHS | vs HiGHS | checker | run again |\n"
    "|---:|---|---|---:|---:|---:|---:|---|---:|---:|---:|---:|---|---|---|"
)


def markdown_row(r: Row) -> str:
    """A table row."""
    cells = [
        str(r.size), r.variant, r.method, _fmt(r.placed, "d"), _fmt(r.placed_bound, "d"),
        _fmt(r.travel, ",.1f"), _fmt(r.travel_bound, ",.1f"), r.status,
        _fmt(r.gap, ".2%").replace("%", " %"), _fmt(r.to_best, ".1f"),
        _fmt(r.seconds, ".1f"), _fmt(r.ratio, ".2f"), r.vs_highs or "—", r.checker or "—",
        r.repeat or "—",
    ]  # fmt: skip
    return "| " + " | ".join(cells) + " |"


def _git(*args: str) -> str:
    try:
        out = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return "?"
    return out.stdout.strip()


def scheduler_fingerprint() -> str:
    """sha256 (12 hex) of the scheduler's sources: which version of the code was measured."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "src" / "camp_planner" / "scheduler").glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def machine() -> dict[str, str]:
    """What the numbers were measured on."""
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    dirty = "dirty" if _git("status", "--porcelain") not in ("", "?") else "clean"
    return {
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "python": platform.python_version(),
        "ortools": version("ortools"),
        "highspy": version("highspy"),
        "git": f"{_git('rev-parse', '--short', 'HEAD')} ({dirty} working tree)",
        "scheduler sources sha256": scheduler_fingerprint(),
    }


def load() -> str:
    """The 1-minute load average (other processes share the machine)."""
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except OSError:
        return "?"


def write(
    out: Path, info: dict[str, str], args: argparse.Namespace, rows: list[Row], notes: list[str]
) -> str:
    """Write (and return) results.md."""
    lines = [
        "# Roster benchmark results",
        "",
        f"`python benchmarks/run.py --sizes {args.sizes} --variants {args.variants} "
        f"--time-limit {args.time_limit:g} --workers {args.workers} --seed {args.seed} "
        f"--methods {args.methods}"
        + (" --repeat" if args.repeat else "")
        + ("" if args.highs_start == "none" else f" --highs-start {args.highs_start}")
        + "`",
        "",
        *(f"- {k}: {v}" for k, v in info.items()),
        "",
        HEADER,
        *(markdown_row(r) for r in rows),
        "",
        "Instances and load (1-minute load average before each size/variant):",
        "",
        *(f"- {n}" for n in notes),
        "",
    ]
    text = "\n".join(lines)
    out.write_text(text, encoding="utf-8")
    raw = {"machine": info, "rows": [asdict(r) for r in rows], "instances": notes}
    out.with_suffix(".json").write_text(json.dumps(raw, indent=1, default=str), encoding="utf-8")
    return text


def main() -> None:
    """Parse the arguments, run every size and variant, write the table."""
    parser = argparse.ArgumentParser(description="Roster benchmarks (see benchmarks/README.md)")
    parser.add_argument("--sizes", default="60,150,300")
    parser.add_argument("--variants", default="tight,loose")
    parser.add_argument("--time-limit", type=float, default=120.0)
    parser.add_argument("--workers", type=int, default=2, help="camp-planner and HiGHS threads")
    parser.add_argument("--seed", type=int, default=0, help="solver seed")
    parser.add_argument(
        "--methods",
        default="greedy,camp-planner,highs,highs-calendar",
        help="any of greedy, camp-planner, camp-planner-deterministic, highs (calendar-free), "
        "highs-calendar (the exact time-indexed calendar)",
    )
    parser.add_argument(
        "--repeat", action="store_true", help="solve camp-planner's rounds twice and compare"
    )
    parser.add_argument(
        "--highs-start",
        choices=("none", "greedy"),
        default="none",
        help="start HiGHS from the greedy roster (default: from nothing)",
    )
    parser.add_argument("--out", type=Path, default=HERE / "results.md")
    args = parser.parse_args()
    methods = set(args.methods.split(","))
    info = machine()
    print(*(f"{k}: {v}" for k, v in info.items()), sep="\n", flush=True)
    rows: list[Row] = []
    notes: list[str] = []
    for size in (int(s) for s in args.sizes.split(",")):
        for variant in args.variants.split(","):
            problem = make_instance(size, variant)
            notes.append(f"{describe(problem)}; load {load()}")
            print(notes[-1], flush=True)
            these: list[Row] = []
            greedy_roster = None
            if "greedy" in methods or args.highs_start == "greedy":
                row, greedy_roster = run_greedy(problem, size, variant)
                if "greedy" in methods:
                    these.append(row)
            for method in ("camp-planner", "camp-planner-deterministic"):
                if method in methods:
                    these.append(
                        run_camp_planner(
                            problem,
                            size,
                            variant,
                            args.time_limit,
                            args.workers,
                            args.seed,
                            repeat=args.repeat,
                            deterministic=method.endswith("deterministic"),
                        )  # fmt: skip
                    )
            for method in ("highs", "highs-calendar"):
                if method in methods:
                    start = greedy_roster if args.highs_start == "greedy" else None
                    these.append(
                        run_highs(
                            problem,
                            size,
                            variant,
                            args.time_limit,
                            args.workers,
                            args.seed,
                            start,
                            calendar=method == "highs-calendar",
                        )  # fmt: skip
                    )
            compare(these)
            for row in these:
                print(markdown_row(row), flush=True)
            rows.extend(these)
            write(args.out, info, args, rows, notes)
    print()
    print(write(args.out, info, args, rows, notes))


if __name__ == "__main__":
    main()
