"""The executor interface and the in-process executor.

An executor runs one *wave* of independent solves and hands back each result as it comes
(:meth:`Executor.run`); which solves form a wave, and what their hints are, is the
runners' business, so every executor gives the same answers to the same wave.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import NamedTuple, Protocol

from camp_planner.distributed.tasks import SolveTask, TaskFailure, run_task
from camp_planner.models import Roster

__all__ = [
    "Counts",
    "Executor",
    "ExecutorError",
    "LocalExecutor",
    "OnCounts",
    "OnResult",
    "Outcome",
    "SweepCancelled",
    "Tally",
    "counts_text",
    "describe_failure",
]

#: What a task gives back: its roster, or why it failed.
Outcome = Roster | TaskFailure


class Counts(NamedTuple):
    """Solves of the current sweep: finished, running and queued."""

    finished: int
    running: int
    queued: int


def counts_text(counts: Counts) -> str:
    """``3 finished · 2 running · 11 queued``."""
    return f"{counts.finished} finished · {counts.running} running · {counts.queued} queued"


class Tally:
    """An `on_counts` for a whole sweep: the solves of earlier waves count as finished;
    passes the sweep's counts to `show`."""

    def __init__(self, show: Callable[[Counts], None]) -> None:
        self._show = show
        self._before = 0

    def __call__(self, counts: Counts) -> None:
        finished = self._before + counts.finished
        self._show(Counts(finished, counts.running, counts.queued))
        if counts.running == 0 and counts.queued == 0:  # the wave is over
            self._before = finished


#: Called with a task's position in the wave and its outcome, as each one finishes.
OnResult = Callable[[int, Outcome], None]
#: Called whenever the counts change.
OnCounts = Callable[[Counts], None]


class ExecutorError(Exception):
    """The executor cannot be used (Ray missing, the cluster unreachable), in a sentence."""


class SweepCancelled(Exception):
    """The sweep was cancelled (:meth:`Executor.cancel`); its tasks were cancelled too."""


class Executor(Protocol):
    """Runs waves of solves."""

    #: Whether the tasks of a wave run at the same time (Ray) or one after the other.
    parallel: bool

    def run(
        self,
        tasks: Sequence[SolveTask],
        on_result: OnResult | None = None,
        on_counts: OnCounts | None = None,
    ) -> list[Outcome]:
        """Run every task; the outcomes in the tasks' order.

        Raises:
            SweepCancelled: :meth:`cancel` was called; no task of the wave is left running.
        """
        ...

    def cancel(self) -> None:
        """Cancel the sweep (from any thread): the wave running now and every later one
        raise :class:`SweepCancelled`; a cancelled executor stays cancelled."""
        ...

    def close(self) -> None:
        """Let go of what the executor started (a local Ray runtime)."""
        ...


def describe_failure(exc: BaseException) -> str:
    """A failed task's exception in a sentence (its type and message, first line)."""
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__


class LocalExecutor:
    """Solves in this process, one task after the other; a task that raises is tried once
    more and then becomes a :class:`TaskFailure` (as a Ray task would)."""

    parallel = False

    def __init__(self, function: Callable[[SolveTask], Roster] = run_task, tries: int = 2) -> None:
        self._function = function
        self._tries = tries
        self._cancelled = threading.Event()

    def run(
        self,
        tasks: Sequence[SolveTask],
        on_result: OnResult | None = None,
        on_counts: OnCounts | None = None,
    ) -> list[Outcome]:
        out: list[Outcome] = []
        for position, task in enumerate(tasks):
            if self._cancelled.is_set():
                raise SweepCancelled("the sweep was cancelled")
            if on_counts:
                on_counts(Counts(position, 1, len(tasks) - position - 1))
            outcome: Outcome = TaskFailure("not run")
            for attempt in range(self._tries):
                try:
                    outcome = self._function(task)
                    break
                except Exception as exc:  # noqa: BLE001 - becomes the row's reason
                    outcome = TaskFailure(
                        f"failed {attempt + 1} times, last: {describe_failure(exc)}"
                    )
            out.append(outcome)
            if on_result:
                on_result(position, outcome)
        if on_counts:
            on_counts(Counts(len(tasks), 0, 0))
        return out

    def cancel(self) -> None:
        self._cancelled.set()

    def close(self) -> None:
        return None
