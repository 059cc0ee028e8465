"""A what-if sweep solved here (one scenario after the other) against the same sweep as
Ray tasks on a local Ray runtime (``--ray auto``), and the wall time projected for a
cluster of N workers from the measured task times (docs/ray.md, benchmarks/README.md).

    .venv/bin/python benchmarks/ray_bench.py --size 1000 --scenarios 16 --time-limit 5

The scenarios: ``max_venues`` = 4, 5, ... (16 of them: 4..19 of the 19 venues) on the
``tight`` instance of ``instances.py``. Each line: mode, solver threads per solve, wall
seconds of the sweep, solves, the sum of companies placed and of travel km over the
scenarios, the 1-minute load average before. Solved here once per ``--local-workers``
value (threads per solve; default 2, the command's default, and 1, as each Ray task).
Ray waves are recorded (each task's solve seconds) and the projection on N workers
schedules them longest first on N workers, wave after wave, plus the measured overhead of
each wave (its wall time less its makespan on this machine's slots). Writes the JSON
given by ``--out``.
"""

from __future__ import annotations

import argparse
import heapq
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from camp_planner.distributed import SolveTask, TaskFailure  # noqa: E402
from camp_planner.distributed.executor import OnCounts, OnResult, Outcome  # noqa: E402
from camp_planner.distributed.ray_executor import RayExecutor  # noqa: E402
from camp_planner.whatif import Scenario, WhatIf, run_scenarios  # noqa: E402
from instances import make_instance  # noqa: E402


class Recorded:
    """An executor that records each wave: its wall seconds and each task's solve seconds."""

    parallel = True

    def __init__(self, inner: RayExecutor) -> None:
        self.inner = inner
        self.waves: list[dict[str, Any]] = []

    def run(
        self,
        tasks: Sequence[SolveTask],
        on_result: OnResult | None = None,
        on_counts: OnCounts | None = None,
    ) -> list[Outcome]:
        started = time.perf_counter()
        outcomes = self.inner.run(tasks, on_result, on_counts)
        seconds = [0.0 if isinstance(o, TaskFailure) else o.solver.wall_time_s for o in outcomes]
        self.waves.append({"wall_s": time.perf_counter() - started, "task_s": seconds})
        return outcomes

    def cancel(self) -> None:
        self.inner.cancel()

    def close(self) -> None:
        self.inner.close()


def makespan(durations: Sequence[float], workers: int) -> float:
    """Longest-first on `workers` identical workers: when the last one finishes."""
    loads = [0.0] * workers
    for duration in sorted(durations, reverse=True):
        heapq.heapreplace(loads, loads[0] + duration)
    return max(loads)


def projection(waves: list[dict[str, Any]], slots: int, counts: Sequence[int]) -> dict[int, float]:
    """Projected sweep seconds on N workers: each wave's makespan on N plus its overhead
    here (wall less its makespan on this machine's `slots`)."""
    out = {}
    for n in counts:
        total = 0.0
        for wave in waves:
            overhead = max(0.0, wave["wall_s"] - makespan(wave["task_s"], slots))
            total += makespan(wave["task_s"], n) + overhead
        out[n] = round(total, 1)
    return out


def summary(whatif: WhatIf) -> dict[str, Any]:
    rosters = [r.roster for r in whatif.results]
    return {
        "placed_sum": sum(r.summary.placed for r in rosters),
        "travel_km_sum": round(sum(r.summary.travel_km_total for r in rosters), 1),
        "statuses": sorted({r.solver.status.value for r in rosters}),
        "second_solves": sum(bool(r.second_solve_hints) for r in whatif.results),
        "failures": sum(bool(r.failure) for r in whatif.results),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--scenarios", type=int, default=16)
    parser.add_argument("--time-limit", type=float, default=5.0)
    parser.add_argument("--local-workers", default="2,1", help="threads per solve, one run each")
    parser.add_argument("--ray-workers", type=int, default=1)
    parser.add_argument("--cpus", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--out", type=Path, default=Path("benchmarks/results-ray.json"))
    args = parser.parse_args()
    problem = make_instance(args.size, "tight")
    scenarios = [Scenario(name=f"{n} venues", max_venues=n) for n in range(4, 4 + args.scenarios)]
    record: dict[str, Any] = {"size": args.size, "scenarios": len(scenarios), **vars(args)}
    record["out"] = str(args.out)

    record["local"] = {}
    for workers in (int(w) for w in args.local_workers.split(",")):
        load = os.getloadavg()[0]
        started = time.perf_counter()
        here = run_scenarios(problem, scenarios, args.time_limit, 0, workers)
        record["local"][workers] = {
            "wall_s": round(time.perf_counter() - started, 1),
            "load_before": load,
            **summary(here),
        }
        print(f"local, {workers} threads", record["local"][workers], flush=True)

    load = os.getloadavg()[0]
    started = time.perf_counter()
    executor = Recorded(RayExecutor.connect("auto", num_cpus=args.cpus))
    connected = time.perf_counter() - started
    on_ray = run_scenarios(
        problem, scenarios, args.time_limit, 0, args.ray_workers, executor=executor
    )
    executor.close()
    slots = max(1, args.cpus // args.ray_workers)
    record["ray"] = {
        "wall_s": round(time.perf_counter() - started, 1),
        "start_runtime_s": round(connected, 1),
        "load_before": load,
        "workers": args.ray_workers,
        "waves": executor.waves,
        "projected_s": projection(executor.waves, slots, (1, 2, 4, 8, 16, 32)),
        **summary(on_ray),
    }
    record["ratio_local_over_ray"] = {
        w: round(run["wall_s"] / record["ray"]["wall_s"], 2) for w, run in record["local"].items()
    }
    print("ray", {k: v for k, v in record["ray"].items() if k != "waves"}, flush=True)
    print("local wall / ray wall, by local threads per solve:", record["ratio_local_over_ray"])
    args.out.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
