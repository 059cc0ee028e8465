"""Problems found in a planning folder, reported all at once (never as a traceback)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rich.table import Table
from rich.text import Text


@dataclass(frozen=True)
class InputProblem:
    """One thing wrong in an input file.

    Attributes:
        file: File name as the coordinator knows it, e.g. ``companies.csv`` or
            ``plan.xlsx:companies``.
        row: Row number as a spreadsheet shows it (the header is row 1, the first data row is
            row 2); for ``round.toml`` the line number. None when not applicable.
        column: Column (or ``round.toml`` key) at fault; None when not applicable.
        value: The offending value as written; None when not applicable.
        expected: What was expected instead, in words.
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    expected: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column is not None:
            where += f", column {self.column}"
        got = f": got {self.value!r}" if self.value not in (None, "") else ""
        return f"{where}{got}; expected {self.expected}"


class InputError(Exception):
    """The planning folder has one or more problems; all of them are in `problems`.

    Args:
        problems: Every problem found, in file and row order.
    """

    def __init__(self, problems: Iterable[InputProblem]) -> None:
        self.problems: list[InputProblem] = list(problems)
        count = len(self.problems)
        super().__init__(f"{count} input problem{'s' if count != 1 else ''}")

    def __str__(self) -> str:
        lines = [self.args[0] + ":"] + [f"  {problem}" for problem in self.problems]
        return "\n".join(lines)

    def render(self, title: str | None = None) -> Table:
        """Render the problems as a rich table (file, row, column, value, expected).

        Args:
            title: Table title; defaults to e.g. ``"3 input problems"``.

        Returns:
            A table ready for ``console.print``.
        """
        table = Table(title=title or str(self.args[0]), show_lines=False, expand=False)
        table.add_column("file", style="cyan", min_width=13, max_width=32, overflow="fold")
        table.add_column("row", justify="right", min_width=3)
        table.add_column("column", style="magenta", min_width=6, overflow="fold")
        table.add_column("value", style="red", max_width=24, overflow="fold")
        table.add_column("expected", min_width=20, overflow="fold")
        for problem in self.problems:
            # Text() so that brackets in a value are shown, not read as rich markup.
            table.add_row(
                Text(problem.file),
                Text("" if problem.row is None else str(problem.row)),
                Text(problem.column or ""),
                Text("" if problem.value is None else problem.value),
                Text(problem.expected),
            )
        return table
