"""Problems found in an input file, reported all at once (never as a traceback).

The records only; the command layer prints them as a table (:mod:`camp_planner.cli._common`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


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
    """An input file or folder has one or more problems; all of them are in `problems`.

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


class Collector:
    """Problems and notes gathered while reading input files."""

    def __init__(self) -> None:
        self.problems: list[InputProblem] = []
        self.notes: list[str] = []

    def problem(
        self, file: str, row: int | None, column: str | None, value: str | None, expected: str
    ) -> None:
        """Record one problem (see :class:`InputProblem`)."""
        self.problems.append(InputProblem(file, row, column, value, expected))
