"""Wall time of the roster with and without each remedy (docs/remedies.md), on the demo and
on a benchmark instance (``instances.py``), for benchmarks/README.md's "What was tried".

    .venv/bin/python benchmarks/remedies_bench.py --instances demo,300-loose --time-limit 60

Each line: instance, remedy, placed, places in online / mixed cohorts, travel km, status,
gap, wall seconds, the 1-minute load average before the solve. ``--no-pure-travel`` solves
the travel stage on the whole model (with every online / mixed place forced to 0) where
the scheduler would rebuild the model of the domain's rules, to measure that choice.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from camp_planner.demo.generator import write_demo_folder  # noqa: E402
from camp_planner.io.folder import load_folder  # noqa: E402
from camp_planner.models import Level, PlanningProblem, RoundConfig  # noqa: E402
from camp_planner.scheduler import solve  # noqa: E402
from instances import make_instance  # noqa: E402

REMEDIES: dict[str, dict[str, Any]] = {
    "none": {},
    "online": {"online_cohorts": True},
    "A+B": {"mix_levels": ("A+B",)},
    "B+C": {"mix_levels": ("B+C",)},
    "ages at A": {"mix_age_groups": (Level.A,)},
    "ages at C": {"mix_age_groups": (Level.C,)},
    "all": {
        "online_cohorts": True,
        "mix_levels": ("A+B", "B+C"),
        "mix_age_groups": (Level.A, Level.B, Level.C),
    },
}


def instance(name: str) -> PlanningProblem:
    if name == "demo":
        folder = Path("/tmp/remedies-bench-demo")
        if not (folder / "round.toml").exists():
            write_demo_folder(folder)
        return load_folder(folder)
    size, variant = name.split("-")
    return make_instance(int(size), variant)


def with_remedy(problem: PlanningProblem, changes: dict[str, Any]) -> PlanningProblem:
    data = {**problem.round.model_dump(), **changes}
    return problem.model_copy(update={"round": RoundConfig.model_validate(data)})


def no_pure_travel() -> None:
    """Travel on the whole model with every remedy place forced to 0 instead of rebuilding."""
    import camp_planner.scheduler.solve as solve_module
    from camp_planner.scheduler.assignment import AssignmentModel

    class Whole(AssignmentModel):
        def __post_init__(self) -> None:
            forced = self.pure
            self.pure = False
            super().__post_init__()
            if forced:
                self.model.add(self.remedy_use() == 0)

    solve_module.AssignmentModel = Whole  # type: ignore[misc]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--instances", default="demo,300-loose")
    parser.add_argument("--remedies", default=",".join(REMEDIES))
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--no-pure-travel", action="store_true")
    args = parser.parse_args()
    if args.no_pure_travel:
        no_pure_travel()
    for name in args.instances.split(","):
        base = instance(name)
        for remedy in args.remedies.split(","):
            problem = with_remedy(base, REMEDIES[remedy])
            load = os.getloadavg()[0]
            started = time.time()
            roster = solve(problem, time_limit=args.time_limit, seed=0, workers=2)
            wall = time.time() - started
            online = sum(len(c.members) for c in roster.cohorts if c.online)
            mixed = sum(len(c.members) for c in roster.cohorts if c.mixed)
            gap = "-" if roster.solver.gap is None else f"{roster.solver.gap:.2%}"
            print(
                f"{name:10} {remedy:10} placed {roster.summary.placed:4} online {online:3} "
                f"mixed {mixed:3} km {roster.summary.travel_km_total:10,.1f} "
                f"{roster.solver.status.value:8} gap {gap:>6} wall {wall:6.1f} s load {load:.1f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
