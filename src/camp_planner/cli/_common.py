"""What every command shares: exit codes, the problem table, loading a planning folder,
solving with a live status line.

Commands only parse arguments, call the library, print and return an :class:`ExitCode`.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from camp_planner.io.errors import InputError, InputProblem
from camp_planner.models import PlanningProblem, Roster

console = Console()
err_console = Console(stderr=True)


class ExitCode(IntEnum):
    """The exit codes of every command."""

    #: Done: the outputs were written (or the check passed).
    OK = 0
    #: No roster found: the solver found none or failed (roster.json may list everyone unplaced).
    NO_ROSTER = 1
    #: The input or the request cannot be used; nothing was solved.
    BAD_INPUT = 2


def problem_table(problems: Iterable[InputProblem], title: str) -> Table:
    """Problems as one table: file, row, column, value, expected.

    Args:
        problems: The problems, in the order to show.
        title: The table's title.

    Returns:
        A table ready for ``console.print``.
    """
    table = Table(title=title, show_lines=False, expand=False)
    table.add_column("file", style="cyan", min_width=13, max_width=32, overflow="fold")
    table.add_column("row", min_width=3)
    table.add_column("column", style="magenta", min_width=6, overflow="fold")
    table.add_column("value", style="red", max_width=24, overflow="fold")
    table.add_column("expected", min_width=20, overflow="fold")
    for problem in problems:
        # Text() so that brackets in a value are shown, not read as rich markup.
        table.add_row(
            Text(problem.file),
            Text("" if problem.row is None else str(problem.row)),
            Text(problem.column or ""),
            Text("" if problem.value is None else repr(problem.value)),  # '' shows an empty cell
            Text(problem.expected),
        )
    return table


def print_problems(where: str, problems: list[InputProblem], err: Console) -> None:
    """Print every problem of `where` as one table, titled with their number."""
    count = len(problems)
    title = f"{where}: {count} problem{'s' if count != 1 else ''} - fix and run again"
    err.print(problem_table(problems, title))


def fail(err: Console, message: str, code: ExitCode = ExitCode.BAD_INPUT) -> ExitCode:
    """Print a sentence in red and return `code`."""
    err.print(Text(message, style="red"))
    return code


def refused(messages: list[str], err: Console, closing: str) -> bool:
    """Print the pre-solve checks' sentences and a closing line; False when there are none."""
    if not messages:
        return False
    for message in messages:
        err.print(Text(message, style="red"))
    err.print(Text(closing, style="red"))
    return True


def print_notes(notes: Iterable[str], out: Console) -> None:
    """Print the reader's notes (ignored columns, derived levels, ...)."""
    for note in notes:
        out.print(Text(f"note: {note}", style="yellow"))


def load_planning_folder(folder: Path, err: Console) -> tuple[PlanningProblem, list[str]] | None:
    """Read a planning folder; print why not (a sentence or the table of problems).

    Args:
        folder: The planning folder.
        err: Where problems go.

    Returns:
        The problem and its notes, or None when the folder cannot be used.
    """
    from camp_planner.io.folder import load_folder_with_notes

    folder = Path(folder)
    if not folder.is_dir():
        what = "is a file, not a folder" if folder.exists() else "does not exist"
        fail(
            err,
            f"Planning folder {folder} {what}: expected an existing planning folder with "
            "companies.csv, venues.csv and round.toml (try `camp-planner demo` for an example).",
        )
        return None
    try:
        return load_folder_with_notes(folder)
    except InputError as exc:
        print_problems(str(folder), exc.problems, err)
    except Exception as exc:  # noqa: BLE001 - a command never shows a traceback
        fail(err, f"Could not read {folder}: {type(exc).__name__}: {exc}")
    return None


def solver_args_problem(time_limit: float, workers: int) -> str | None:
    """A sentence when --time-limit or --workers cannot be used, else None."""
    if time_limit <= 0:
        return f"--time-limit must be positive, got {time_limit:g}"
    if workers < 1:
        return f"--workers must be at least 1, got {workers}"
    return None


def solve_with_progress(
    problem: PlanningProblem,
    time_limit: float,
    seed: int,
    workers: int,
    out: Console,
    deterministic: bool = False,
) -> Roster:
    """Solve with a live status line: spinner, the solver's latest improvement, elapsed time."""
    from camp_planner.scheduler import solve

    columns = (
        SpinnerColumn(),
        TextColumn("[bold]Solving[/] {task.description}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=out, transient=True) as progress:
        task = progress.add_task("building the model", total=None)

        def report(message: str) -> None:
            progress.update(task, description=escape(message))

        return solve(
            problem,
            time_limit=time_limit,
            seed=seed,
            workers=workers,
            progress=report,
            deterministic=deterministic,
        )
