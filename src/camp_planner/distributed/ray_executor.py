"""Solves as Ray tasks, on a local Ray runtime (``--ray auto``) or a cluster (``--ray
ADDRESS``); docs/ray.md.

Each solve is one task: its :class:`~camp_planner.distributed.tasks.SolveTask` (problem,
hints and settings) is the argument, its roster the result. A task whose worker dies, or
that raises, is run once more by Ray itself (``max_retries=1, retry_exceptions=True``); a
task that fails twice becomes a :class:`~camp_planner.distributed.tasks.TaskFailure`
saying why, and the others are kept. Cancelling a sweep cancels its tasks (``ray.cancel``
with ``force=True``: queued ones never start, running ones are stopped).

A task carries the scenario's planning problem without the companies' names, contact
persons and e-mail addresses (:func:`~camp_planner.distributed.tasks.for_the_cluster`).
Each task asks Ray for as many CPUs as the solver has threads (``--workers``), so a
cluster never runs more solver threads than it has CPUs.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Sequence
from typing import Any

from camp_planner.distributed.executor import (
    Counts,
    ExecutorError,
    OnCounts,
    OnResult,
    Outcome,
    SweepCancelled,
    describe_failure,
)
from camp_planner.distributed.tasks import (
    SolveTask,
    TaskFailure,
    for_the_cluster,
    from_the_cluster,
    run_task,
)
from camp_planner.models import Roster

__all__ = ["RAY_MISSING", "RayExecutor"]

#: What a command says when --ray is given without Ray installed.
RAY_MISSING = (
    "--ray needs Ray, which is not installed: pip install 'camp-planner[ray]' "
    "(or leave out --ray to solve on this machine)"
)
#: Seconds between looks at the running tasks (for cancelling and the counts).
_TICK = 0.25


def _ray() -> Any:
    try:
        import ray
    except ImportError as exc:
        raise ExecutorError(RAY_MISSING) from exc
    return ray


class RayExecutor:
    """Runs waves of solves as Ray tasks."""

    parallel = True

    def __init__(
        self,
        function: Callable[[SolveTask], Roster] = run_task,
        *,
        owns_runtime: bool = False,
        max_retries: int = 1,
    ) -> None:
        """Use the Ray runtime this process is connected to (``ray.init`` called before).

        Args:
            function: What a task runs (the solver; tests give one that kills its worker).
            owns_runtime: :meth:`close` shuts the runtime down (it was started for us).
            max_retries: Ray's retries of a task whose worker died or that raised.
        """
        ray = _ray()
        if not ray.is_initialized():
            raise ExecutorError("Ray is not running: connect first (RayExecutor.connect)")
        self._ray = ray
        self._function = ray.remote(max_retries=max_retries, retry_exceptions=True)(function)
        self._owns = owns_runtime
        self._cancelled = threading.Event()

    @classmethod
    def connect(cls, address: str, num_cpus: int | None = None) -> RayExecutor:
        """Start a local Ray runtime (``"auto"``) or join the cluster at `address`.

        Raises:
            ExecutorError: Ray is not installed or the cluster cannot be reached.
        """
        ray = _ray()
        if ray.is_initialized():
            return cls()
        try:
            if address == "auto":
                ray.init(
                    address="local",
                    num_cpus=num_cpus,
                    include_dashboard=False,
                    log_to_driver=False,
                    configure_logging=False,
                )
            else:
                ray.init(address=address, log_to_driver=False, configure_logging=False)
        except Exception as exc:  # noqa: BLE001 - said in a sentence
            raise ExecutorError(
                f"Cannot join the Ray cluster at {address!r}: {describe_failure(exc)}"
            ) from exc
        return cls(owns_runtime=True)

    def _slots(self, workers: int) -> int:
        """How many tasks of `workers` threads the cluster runs at once."""
        cpus = float(self._ray.cluster_resources().get("CPU", 1.0))
        return max(1, int(cpus // max(1, workers)))

    def run(
        self,
        tasks: Sequence[SolveTask],
        on_result: OnResult | None = None,
        on_counts: OnCounts | None = None,
    ) -> list[Outcome]:
        """Submit every task, then collect them as they finish (see the module)."""
        ray = self._ray
        refs = [
            self._function.options(num_cpus=max(1, task.workers)).remote(for_the_cluster(task))
            for task in tasks
        ]
        position = {ref: i for i, ref in enumerate(refs)}
        outcomes: list[Outcome | None] = [None] * len(refs)
        pending = list(refs)
        slots = self._slots(max((t.workers for t in tasks), default=1))
        last: Counts | None = None
        try:
            while pending:
                if self._cancelled.is_set():
                    raise SweepCancelled("the sweep was cancelled")
                running = min(len(pending), slots)
                counts = Counts(len(refs) - len(pending), running, len(pending) - running)
                if on_counts and counts != last:
                    on_counts(counts)
                last = counts
                ready, pending = ray.wait(pending, num_returns=1, timeout=_TICK)
                for ref in ready:
                    outcome = self._outcome(ref)
                    if isinstance(outcome, Roster):
                        outcome = from_the_cluster(outcome, tasks[position[ref]])
                    outcomes[position[ref]] = outcome
                    if on_result:
                        on_result(position[ref], outcome)
        except BaseException:
            self._cancel_all(pending)
            raise
        if on_counts:
            on_counts(Counts(len(refs), 0, 0))
        return [o if o is not None else TaskFailure("no result") for o in outcomes]

    def _outcome(self, ref: Any) -> Outcome:
        ray = self._ray
        try:
            roster: Roster = ray.get(ref)
        except ray.exceptions.WorkerCrashedError as exc:
            return TaskFailure(f"its worker died twice ({describe_failure(exc)})")
        except ray.exceptions.RayTaskError as exc:
            cause = exc.cause if exc.cause is not None else exc
            return TaskFailure(f"failed twice, last: {describe_failure(cause)}")
        except ray.exceptions.RayError as exc:
            return TaskFailure(f"failed on the cluster: {describe_failure(exc)}")
        return roster

    def _cancel_all(self, pending: Sequence[Any]) -> None:
        """Cancel every task not finished, and wait until Ray has ended them."""
        ray = self._ray
        for ref in pending:
            ray.cancel(ref, force=True)
        for ref in pending:
            with contextlib.suppress(Exception):  # cancelled tasks raise, as they should
                ray.get(ref, timeout=30)

    def cancel(self) -> None:
        """Cancel the sweep running now: its loop cancels the tasks and stops."""
        self._cancelled.set()

    def close(self) -> None:
        """Shut down the local runtime started for this executor (a cluster stays)."""
        if self._owns and self._ray.is_initialized():
            self._ray.shutdown()
