"""Reading an uploaded plan's files in a worker process, never in the web process.

An upload (and a kept plan when it is read again) is parsed by :func:`load_isolated` in a
child process with a CPU-time limit (:data:`CPU_SECONDS`) and a memory limit
(:data:`MEMORY_BYTES` above what the child starts with); a file that makes the readers
spin or swell ends that child, and the upload is answered with a problem, while the server
goes on. The child dies with the server (parent-death signal).
"""

from __future__ import annotations

import contextlib
import resource
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from camp_planner.i18n import N_, Message
from camp_planner.io.errors import InputError, InputProblem
from camp_planner.models import PlanningProblem

__all__ = ["CPU_SECONDS", "MEMORY_BYTES", "load_isolated", "run_isolated"]

#: CPU seconds the reading of one plan may take.
CPU_SECONDS = 60
#: Memory the reading of one plan may add, bytes.
MEMORY_BYTES = 2 * 1024**3
#: Wall-clock seconds before the child is ended (it may wait for a busy machine).
WALL_SECONDS = 3 * CPU_SECONDS
#: What a child runs: a file or folder to its value, or InputError with every problem
Reader = Callable[[Path], Any]


def _limit(kind: int, value: int) -> None:
    _, hard = resource.getrlimit(kind)
    if hard != resource.RLIM_INFINITY:
        value = min(value, hard)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(kind, (value, hard if hard != resource.RLIM_INFINITY else value))


def _address_space() -> int:
    """The child's virtual memory now, bytes (from /proc; 0 when unknown)."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _child(reader: Reader, path: str, conn: Connection, cpu: int, memory: int) -> None:
    from camp_planner.web.stopping import die_with_parent

    die_with_parent()
    _limit(resource.RLIMIT_CPU, cpu)
    _limit(resource.RLIMIT_AS, _address_space() + memory)
    try:
        result: tuple[str, Any] = ("ok", reader(Path(path)))
    except InputError as exc:
        result = ("problems", exc.problems)
    except MemoryError:
        result = ("limit", None)
    conn.send(result)
    conn.close()


def _load_plan(folder: Path) -> tuple[PlanningProblem, list[Message]]:
    from camp_planner.web.uploads import load_plan_folder

    return load_plan_folder(folder)


def _too_much(folder: Path) -> InputError:
    expected = Message(
        N_("files that can be read within %(cpu)s s of CPU time and %(memory)s GB of memory"),
        cpu=CPU_SECONDS,
        memory=MEMORY_BYTES // 1024**3,
    )
    return InputError([InputProblem.of(folder.name, None, None, None, expected)])


def run_isolated(
    reader: Reader, path: Path, name: str, cpu: int = CPU_SECONDS, memory: int = MEMORY_BYTES
) -> Any:
    """`reader(path)` in a child process named `name` with the limits (see the module
    docstring); `reader` is a module-level function (the child may be spawned).

    Raises:
        InputError: The reader's problems, or one saying `path` took too much.
    """
    from camp_planner.web.jobs import _context

    context = _context()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(
        target=_child, args=(reader, str(path), sender, cpu, memory), name=name, daemon=True
    )
    process.start()
    sender.close()
    try:
        if not receiver.poll(WALL_SECONDS):
            raise _too_much(path)
        kind, value = receiver.recv()
    except (EOFError, OSError):  # ended by its CPU or memory limit
        raise _too_much(path) from None
    finally:
        receiver.close()
        if process.is_alive():
            process.kill()
        process.join(timeout=5)
        with contextlib.suppress(ValueError):
            process.close()
    if kind == "problems":
        raise InputError(value)
    if kind != "ok":
        raise _too_much(path)
    return value


def load_isolated(
    folder: Path, cpu: int = CPU_SECONDS, memory: int = MEMORY_BYTES
) -> tuple[PlanningProblem, list[Message]]:
    """Read a plan's folder in a child process with limits (see the module docstring).

    Raises:
        InputError: Every problem of the files, or one saying they took too much.
    """
    problem, notes = run_isolated(_load_plan, folder, "camp-read", cpu, memory)
    return problem, notes
