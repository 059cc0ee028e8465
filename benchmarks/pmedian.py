"""Known-optimum regression: OR-Library p-median instances solved with CP-SAT.

Mapping a p-median instance onto a camp-planner round is awkward (cohort sizes, geography),
so this checks the formulation idea the roster model rests on instead, with the same engine
(OR-Tools CP-SAT): binary assignment ``x[i, j]``, binary open site ``y[j]``, the *strong*
link ``x[i, j] <= y[j]`` (one row per pair, not the aggregated ``sum_i x[i, j] <= n y[j]``),
``sum_j x[i, j] = 1``, ``sum_j y[j] = p``, minimise ``sum d[i, j] x[i, j]``.

Data: ``shared/benchdata/orlib-pmed`` beside the repository (its parent folder's
``shared/``), or the folder named by ``PMED_DATA`` (Beasley's pmed1 ... pmed40); see its README:
undirected edges, the LAST line of a duplicated pair counts, distances are all-pairs
shortest paths (Floyd-Warshall), every vertex is a customer and a candidate site.

    python benchmarks/pmedian.py [pmed1,pmed2,...] [--time-limit 60] [--workers 2]
"""

from __future__ import annotations

import argparse
import csv
import os
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from ortools.sat.python import cp_model

#: The repository's parent folder holds ``shared/benchdata``; PMED_DATA overrides it.
DATA = Path(
    os.environ.get(
        "PMED_DATA",
        Path(__file__).resolve().parents[2] / "shared" / "benchdata" / "orlib-pmed",
    )
)


@dataclass(frozen=True)
class PMedian:
    """A p-median instance: shortest-path distances between n vertices, p medians."""

    name: str
    p: int
    dist: np.ndarray


@dataclass(frozen=True)
class PMedianResult:
    """CP-SAT's answer."""

    name: str
    status: str
    objective: int
    bound: int
    seconds: float
    medians: tuple[int, ...]


def read_instance(path: Path) -> PMedian:
    """Read an OR-Library pmed file: last duplicate edge wins, then Floyd-Warshall."""
    tokens = [int(t) for t in path.read_text().split()]
    n, m, p = tokens[:3]
    weight: dict[tuple[int, int], int] = {}
    for k in range(m):
        i, j, c = tokens[3 + 3 * k : 6 + 3 * k]
        weight[min(i, j) - 1, max(i, j) - 1] = c  # the last line for a pair counts
    dist = np.full((n, n), np.inf)
    np.fill_diagonal(dist, 0)
    for (i, j), c in weight.items():
        dist[i, j] = dist[j, i] = c
    for k in range(n):
        dist = np.minimum(dist, dist[:, k : k + 1] + dist[k : k + 1, :])
    assert np.isfinite(dist).all(), f"{path.name}: graph is not connected"
    return PMedian(path.stem, p, dist.astype(np.int64))


def published_optima(folder: Path = DATA) -> dict[str, int]:
    """``optimal.csv``: instance -> published optimum."""
    with (folder / "optimal.csv").open(newline="") as f:
        return {row["instance"]: int(row["optimal"]) for row in csv.DictReader(f)}


def solve_pmedian(
    instance: PMedian,
    time_limit: float = 60.0,
    workers: int = 2,
    seed: int = 0,
    use_max_lp: bool = True,
) -> PMedianResult:
    """Solve a p-median instance with CP-SAT (strong-link formulation).

    Args:
        instance: the instance.
        time_limit: CP-SAT's limit, seconds.
        workers: CP-SAT threads.
        seed: CP-SAT random seed.
        use_max_lp: add the ``max_lp`` subsolver (see the comment inside).
    """
    started = time.perf_counter()
    d = instance.dist
    n = d.shape[0]
    model = cp_model.CpModel()
    y = [model.new_bool_var(f"y{j}") for j in range(n)]
    x = [[model.new_bool_var(f"x{i}_{j}") for j in range(n)] for i in range(n)]
    for i in range(n):
        model.add_exactly_one(x[i])
        for j in range(n):
            model.add(x[i][j] <= y[j])
    model.add(sum(y) == instance.p)
    model.minimize(sum(int(d[i, j]) * x[i][j] for i in range(n) for j in range(n) if d[i, j]))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    if use_max_lp:
        # With 2 workers CP-SAT's portfolio has one LP worker, `default_lp`, at
        # linearization level 1, which leaves the two-variable rows x <= y out of the LP
        # (0 rows): bound 0 after 120 s on pmed1. `max_lp` (level 2) keeps them.
        solver.parameters.extra_subsolvers.append("max_lp")
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return PMedianResult(
            instance.name, solver.status_name(status), -1, -1, time.perf_counter() - started, ()
        )
    medians = tuple(j + 1 for j in range(n) if solver.value(y[j]))
    return PMedianResult(
        name=instance.name,
        status=solver.status_name(status),
        objective=round(solver.objective_value),
        bound=round(solver.best_objective_bound),
        seconds=time.perf_counter() - started,
        medians=medians,
    )


def main() -> None:
    """Solve the named instances and compare with the published optima."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instances", nargs="?", default="pmed1,pmed2,pmed3,pmed4,pmed5")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-max-lp", action="store_true", help="CP-SAT's default portfolio")
    args = parser.parse_args()
    optima = published_optima()
    failed = False
    print("| instance | n | p | published | CP-SAT | bound | status | seconds |")
    print("|---|---:|---:|---:|---:|---:|---|---:|")
    for name in args.instances.split(","):
        inst = read_instance(DATA / f"{name}.txt")
        res = solve_pmedian(inst, args.time_limit, args.workers, use_max_lp=not args.no_max_lp)
        ok = res.status == "OPTIMAL" and res.objective == optima[name]
        failed |= not ok
        print(
            f"| {name} | {inst.dist.shape[0]} | {inst.p} | {optima[name]} | {res.objective} | "
            f"{res.bound} | {res.status}{'' if ok else ' MISMATCH'} | {res.seconds:.1f} |",
            flush=True,
        )
    raise SystemExit(1 if failed else 0)


if __name__ == "__main__":
    main()
