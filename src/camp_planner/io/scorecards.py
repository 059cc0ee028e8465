"""Scorecard files: read scorecards.csv (or a workbook); levels.csv is written by
:mod:`camp_planner.outputs.levels_file`.

Input: `company_id` and the seven scorecard columns (`A`, `B`, `C` or empty, case and
surrounding spaces ignored; `none` also means none). Optional: `young`, and the figures
`growth_pct`, `growth_horizon_years`, `export_share` (0-1) and `panel_approved`. Other columns
are ignored with a note. Every problem of the file is collected and reported at once, with the
spreadsheet row number (the header is row 1).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from pathlib import Path

from camp_planner.i18n import N_, Message
from camp_planner.io.errors import Collector, InputError, InputProblem
from camp_planner.io.tables import (
    BOOL_EXPECTED,
    Table,
    parse_bool,
    parse_float,
    read_csv_table,
    read_workbook,
)
from camp_planner.models.domain import Scorecard
from camp_planner.models.enums import Level
from camp_planner.scoring import CRITERION_KEYS

REQUIRED_COLUMNS: tuple[str, ...] = ("company_id", *CRITERION_KEYS)
FIGURE_COLUMNS: tuple[str, ...] = ("growth_pct", "growth_horizon_years", "export_share")
OPTIONAL_COLUMNS: tuple[str, ...] = ("young", *FIGURE_COLUMNS, "panel_approved")
_LEVEL_EXPECTED = N_("A, B, C or empty")


#: One problem in an input file (the same record the planning-folder reader uses).
Problem = InputProblem


class ScorecardInputError(InputError):
    """The scorecards file has problems; ``problems`` lists all of them."""


def _read_table(path: Path, out: Collector) -> Table | None:
    """A CSV (the shared reader: separators, encodings) or a workbook's `scorecards` sheet
    (else its first sheet)."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        sheets = read_workbook(path, out)
        if not sheets:
            return None
        by_name = {name.strip().lower(): name for name in sheets}
        name = by_name.get("scorecards", next(iter(sheets)))
        return Table.from_frame(f"{path.name}:{name}", sheets[name])
    return read_csv_table(path, out)


def _parse_level(value: str) -> Level | None:
    text = value.strip().upper()
    if text in ("", "NONE", "-"):
        return None
    return Level(text)  # ValueError for anything else


def _duplicates(columns: list[str]) -> list[str]:
    """Column names given twice (pandas renames the second `x` to `x.1`)."""
    bases = [re.sub(r"\.\d+$", "", c) for c in columns]
    seen = Counter(base if base in columns else c for base, c in zip(bases, columns, strict=True))
    return [c for c, n in seen.items() if n > 1]


def read_scorecards(path: Path) -> tuple[list[Scorecard], list[str]]:
    """Read and validate a scorecards file.

    Args:
        path: CSV file (or Excel workbook with a `scorecards` sheet or a single sheet).

    Returns:
        The scorecards in file order, and the names of the ignored columns.

    Raises:
        ScorecardInputError: With every problem found (missing file or columns, bad values,
            empty or duplicate company ids).
    """
    name = str(path)
    if not path.is_file():
        raise ScorecardInputError(
            [Problem(name, None, None, "not found", N_("an existing scorecards file"))]
        )
    out = Collector()
    table = _read_table(path, out)
    if table is None:
        raise ScorecardInputError([replace(p, file=name) for p in out.problems])
    columns = table.columns
    problems = [
        Problem.of(name, 1, col, None, Message(N_("a column named %(column)s"), column=col))
        for col in REQUIRED_COLUMNS
        if col not in columns
    ]
    problems += [
        Problem(name, 1, col, col, N_("each column name once")) for col in _duplicates(columns)
    ]
    if problems:
        raise ScorecardInputError(problems)
    known = set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS)
    ignored = [c for c in columns if c not in known]
    cards: list[Scorecard] = []
    first_row: dict[str, int] = {}
    for index, values in enumerate(table.rows):
        if not any(v.strip() for v in values.values()):
            continue  # blank line
        row = index + 2  # the header is row 1
        row_problems: list[Problem] = []
        fields: dict[str, object] = {}
        company_id = values["company_id"].strip()
        if not company_id:
            row_problems.append(Problem(name, row, "company_id", "", N_("a company id")))
        elif company_id in first_row:
            unique = N_("a unique company id (also in row %(row)s)")
            again = Message(unique, row=first_row[company_id])
            row_problems.append(Problem.of(name, row, "company_id", company_id, again))
        else:
            first_row[company_id] = row
        for key in CRITERION_KEYS:
            try:
                fields[key] = _parse_level(values[key])
            except ValueError:
                row_problems.append(Problem(name, row, key, values[key], _LEVEL_EXPECTED))
        _flags_and_figures(name, row, values, fields, row_problems)
        problems += row_problems
        if not row_problems:
            cards.append(Scorecard(company_id=company_id, **fields))  # type: ignore[arg-type]
    if problems:
        raise ScorecardInputError(problems)
    return cards, ignored


def _flags_and_figures(
    name: str,
    row: int,
    values: dict[str, str],
    fields: dict[str, object],
    row_problems: list[Problem],
) -> None:
    """The optional columns of one row (young, panel_approved and the figures) into
    `fields`, their problems into `row_problems`."""
    for key in ("young", "panel_approved"):
        if key in values:
            parsed = parse_bool(values[key])
            if parsed is None and values[key].strip():
                row_problems.append(Problem(name, row, key, values[key], BOOL_EXPECTED))
                continue
            if key == "young":
                fields[key] = bool(parsed)  # empty: not young
            elif parsed is not None:
                fields[key] = parsed
    for key in FIGURE_COLUMNS:
        if key in values:
            text = values[key].strip()
            number = parse_float(text) if text else None
            bad = bool(text) and number is None
            bad = bad or (number is not None and key == "export_share" and not 0 <= number <= 1)
            if bad:
                expected = N_("a share 0-1, e.g. 0.25") if key == "export_share" else N_("a number")
                row_problems.append(Problem(name, row, key, values[key], expected))
            fields[key] = None if bad else number
