"""Where many independent solves run: one after the other in this process (the default) or
as Ray tasks on a local Ray runtime or a cluster (docs/ray.md).

A solve travels as a :class:`SolveTask` (its problem, its hints and the solver settings) and
comes back as its roster, or as a :class:`TaskFailure` saying why it failed twice. The
what-if and remedies runners decide which solves run together (a *wave*) and merge the
rosters exactly as they always do; an executor only runs waves.

Ray is an optional extra (``pip install 'camp-planner[ray]'``): nothing here imports it
unless :func:`connect` is called with an address.
"""

from __future__ import annotations

from camp_planner.distributed.executor import (
    Counts,
    Executor,
    ExecutorError,
    LocalExecutor,
    SweepCancelled,
)
from camp_planner.distributed.tasks import SolveTask, TaskFailure, failed_roster, run_task

__all__ = [
    "Counts",
    "Executor",
    "ExecutorError",
    "LocalExecutor",
    "SolveTask",
    "SweepCancelled",
    "TaskFailure",
    "connect",
    "failed_roster",
    "run_task",
]


def connect(address: str, num_cpus: int | None = None) -> Executor:
    """The Ray executor for ``--ray ADDRESS``: ``"auto"`` starts a local Ray runtime (with
    `num_cpus` CPUs, default all), anything else joins the cluster at that address.

    Raises:
        ExecutorError: Ray is not installed, or the cluster cannot be reached.
    """
    from camp_planner.distributed.ray_executor import RayExecutor

    return RayExecutor.connect(address, num_cpus=num_cpus)
