"""Stopping a worker's solve while keeping the best roster it found, and tying a worker's
life to its server's.

:class:`Stopper` stops CP-SAT the way its time limit does: the search running now is
stopped (``stop_search``) and every later one (the travel stage, the dates) gets at most
:data:`AFTER_STOP` seconds, so the solve returns its best roster with its status and gap,
as when the time runs out. Only the worker process patches ``CpSolver.solve``.

:func:`die_with_parent` asks Linux to kill the worker when its parent (the fork server,
which ends with the web server) ends; :func:`process_start` is a process's start time, so
that the server ends an orphan worker of its data folder but never a process that got the
same pid later.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import threading
from pathlib import Path
from typing import Any

__all__ = ["AFTER_STOP", "Stopper", "die_with_parent", "end_orphan", "process_start"]

#: The most seconds a CP-SAT solve may take once a Stop came (the stages after it).
AFTER_STOP = 2.0
_PR_SET_PDEATHSIG = 1


class Stopper:
    """Stops the worker's CP-SAT solves (see the module's docstring)."""

    def __init__(self) -> None:
        self.stopped = threading.Event()
        self._active: set[Any] = set()
        self._lock = threading.Lock()

    def install(self) -> None:
        """Patch ``CpSolver.solve`` in this process so that it obeys :meth:`stop`."""
        from ortools.sat.python import cp_model

        original = cp_model.CpSolver.solve
        stopper = self

        def solve(solver: Any, model: Any, solution_callback: Any = None) -> Any:
            with stopper._lock:
                stopper._active.add(solver)
            try:
                if stopper.stopped.is_set():
                    params = solver.parameters
                    params.max_time_in_seconds = min(params.max_time_in_seconds, AFTER_STOP)
                return original(solver, model, solution_callback)
            finally:
                with stopper._lock:
                    stopper._active.discard(solver)

        cp_model.CpSolver.solve = solve  # type: ignore[method-assign,assignment]

    def stop(self) -> None:
        """Stop the search running now and shorten every later one."""
        self.stopped.set()
        with self._lock:
            active = list(self._active)
        for solver in active:
            with contextlib.suppress(Exception):
                solver.stop_search()


def die_with_parent() -> None:
    """Linux: this process gets SIGKILL when its parent ends (elsewhere: nothing)."""
    parent = os.getppid()
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent ended before the request was made
        os._exit(1)


def process_start(pid: int) -> str | None:
    """The process's start time (clock ticks since boot, from /proc), None if it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[-1].split()
    return fields[19] if len(fields) > 19 else None


def end_orphan(pid: int, started: str | None) -> bool:
    """Kill a worker left by an earlier server, if it still runs (same pid, same start).

    Returns:
        True when a process was killed.
    """
    if pid == os.getpid() or started is None or process_start(pid) != started:
        return False
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        return False
    return True
