"""What the commands that run many solves share: ``--ray`` (where the solves run) and the
progress bar of solves finished / running / queued (docs/ray.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from camp_planner.distributed import Counts, Executor, ExecutorError, connect
from camp_planner.distributed.executor import Tally, counts_text

__all__ = ["counter", "counts_text", "open_executor", "sweep_progress"]


def open_executor(ray: str | None) -> Executor | None:
    """The executor for ``--ray`` (None without it: solve here, as always).

    Raises:
        ExecutorError: A sentence: Ray missing, the address empty or unreachable.
    """
    if ray is None:
        return None
    if not ray.strip():
        raise ExecutorError("--ray needs 'auto' or a cluster's address, e.g. 10.0.0.5:6379")
    return connect(ray.strip())


def sweep_progress(console: Console) -> Progress:
    """The progress bar: what runs now, the bar, done of all, the counts, the time."""
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[counts]}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )


def counter(bar: Progress, task: Any) -> Callable[[Counts], None]:
    """An `on_counts` that shows the counts of the sweep's solves on the bar."""
    return Tally(lambda counts: bar.update(task, counts=counts_text(counts)))
