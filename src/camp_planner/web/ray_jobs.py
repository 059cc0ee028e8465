"""The web app's jobs on a Ray cluster (``serve --ray ADDRESS``; docs/ray.md, docs/web.md).

A job still has its own worker process (its status, Stop, the server's restart and the
crash detection are the job queue's, as without Ray), but that process only sends the
solves to the cluster and waits: a what-if's scenarios as Ray tasks
(:class:`~camp_planner.distributed.ray_executor.RayExecutor`, the counts of solves
finished / running / queued as the job's progress line), a solve as one Ray task that a
Stop stops the way the time limit does, keeping the best roster found (a flag the task
watches, set by the worker process). A worker process that ends (the server stopped or
killed) ends its tasks with it: Ray ends the tasks of a driver that is gone.

:data:`RAY_ENV` names the cluster; ``serve --ray`` sets it for its worker processes.
"""

from __future__ import annotations

import importlib
import os
import threading
from typing import Any

from camp_planner.distributed import SolveTask, connect
from camp_planner.distributed.executor import describe_failure
from camp_planner.distributed.tasks import for_the_cluster, from_the_cluster, run_task
from camp_planner.models import Roster

__all__ = ["RAY_ENV", "ray_address", "solve_on_ray"]

#: The environment variable with the Ray cluster's address the jobs are sent to.
RAY_ENV = "CAMP_PLANNER_RAY"
#: Seconds between the worker's and the task's looks at a Stop.
_TICK = 0.25


def ray_address() -> str | None:
    """The cluster the jobs go to (:data:`RAY_ENV`), None to solve in the worker."""
    return os.environ.get(RAY_ENV, "").strip() or None


def _stoppable_solve(task: SolveTask, flag: Any) -> Roster:
    """On the Ray worker: solve `task`; when `flag` is set, stop CP-SAT as its time limit
    does (:class:`~camp_planner.web.stopping.Stopper`) so the best roster comes back."""
    import ray
    from ortools.sat.python import cp_model

    from camp_planner.web.stopping import Stopper

    original = cp_model.CpSolver.solve
    stopper = Stopper()
    stopper.install()
    done = threading.Event()

    def watch() -> None:
        while not done.wait(_TICK):
            try:
                if ray.get(flag.is_set.remote(), timeout=10):
                    stopper.stop()
                    return
            except Exception:  # noqa: BLE001 - the flag is gone: the driver ended
                return

    threading.Thread(target=watch, daemon=True).start()
    try:
        return run_task(task)
    finally:
        done.set()
        cp_model.CpSolver.solve = original  # type: ignore[method-assign]


class _Flag:
    """A Stop, shared between the job's worker process and its Ray task."""

    def __init__(self) -> None:
        self.value = False

    def set(self) -> None:
        self.value = True

    def is_set(self) -> bool:
        return self.value


def solve_on_ray(address: str, task: SolveTask, stopped: threading.Event) -> Roster:
    """Solve `task` as one Ray task on the cluster at `address`; once `stopped` is set the
    task stops its search and returns its best roster. Ray runs a task whose worker died
    once more.

    Raises:
        RuntimeError: The task failed twice, in a sentence.
        ExecutorError: Ray is missing or the cluster cannot be reached.
    """
    connect(address)
    ray: Any = importlib.import_module("ray")  # installed: connect succeeded

    flag = ray.remote(num_cpus=0)(_Flag).remote()
    remote = ray.remote(max_retries=1, retry_exceptions=True)(_stoppable_solve)
    ref = remote.options(num_cpus=max(1, task.workers)).remote(for_the_cluster(task), flag)
    told = False
    try:
        while not ray.wait([ref], timeout=_TICK)[0]:
            if stopped.is_set() and not told:
                flag.set.remote()
                told = True
        roster: Roster = ray.get(ref)
    except ray.exceptions.RayError as exc:
        raise RuntimeError(
            f"the solve failed twice on the cluster: {describe_failure(exc)}"
        ) from exc
    finally:
        ray.kill(flag)
    return from_the_cluster(roster, task)
