"""Problems found in an input file, reported all at once (never as a traceback).

The records only; the command layer prints them as a table (:mod:`camp_planner.cli._common`).
What a problem expected is English text (the commands and the JSON API show it as it is);
the web app shows it in the page's language (:meth:`InputProblem.expected_in`, with the
library's catalog, :mod:`camp_planner.i18n`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from camp_planner.i18n import Message, gettext_for


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
        expected: What was expected instead, in words (English).
        message: `expected` as a text to translate with its values, when it has any; None
            when `expected` is a fixed text (then it is its own msgid) or is not in the
            catalog (a sentence of pydantic's).
    """

    file: str
    row: int | None
    column: str | None
    value: str | None
    expected: str
    message: Message | None = field(default=None, compare=False, repr=False)

    @classmethod
    def of(
        cls,
        file: str,
        row: int | None,
        column: str | None,
        value: str | None,
        expected: str | Message,
    ) -> InputProblem:
        """A problem whose `expected` may be a :class:`Message` (kept for translation)."""
        if isinstance(expected, Message):
            return cls(file, row, column, value, str(expected), expected)
        return cls(file, row, column, value, expected)

    def expected_in(self, lang: str, gettext: Callable[[str], str] | None = None) -> str:
        """`expected` in `lang`, looked up with `gettext` (default: the library's catalog);
        a text not in the catalog stays English."""
        _ = gettext or gettext_for(lang)
        if self.message is not None:
            return self.message.render(lang, _)
        return _(self.expected) if self.expected else self.expected  # "" is the header

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
        #: Notes for the coordinator, each a message to render in the reader's language.
        self.notes: list[Message] = []

    def problem(
        self,
        file: str,
        row: int | None,
        column: str | None,
        value: str | None,
        expected: str | Message,
    ) -> None:
        """Record one problem (see :class:`InputProblem`); `expected` is a fixed text marked
        with :func:`~camp_planner.i18n.N_`, or a :class:`~camp_planner.i18n.Message`."""
        self.problems.append(InputProblem.of(file, row, column, value, expected))
