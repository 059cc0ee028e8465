"""`camp-planner score`: read scorecards.csv, score every row, write levels.csv (CONTRACT.md).

Input: `company_id` and the seven scorecard columns (`A`, `B`, `C` or empty, case and
surrounding spaces ignored; `none` also means none). Optional: `young`, and the figures
`growth_pct`, `growth_horizon_years`, `export_share` (0-1) and `panel_approved`. Other columns
are ignored with a note. Every problem of the file is collected and reported at once, with the
spreadsheet row number (the header is row 1).
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections import Counter
from pathlib import Path

import pandas as pd
from rich.console import Console
from rich.table import Table

from camp_planner.io.errors import InputProblem
from camp_planner.models.domain import Scorecard
from camp_planner.models.enums import Level
from camp_planner.scoring import BELOW_C, CRITERION_KEYS, ScoreResult, score

OUTPUT_COLUMNS: tuple[str, ...] = (
    "company_id",
    "level",
    "score_A",
    "score_B",
    "score_C",
    "explanation",
)
REQUIRED_COLUMNS: tuple[str, ...] = ("company_id", *CRITERION_KEYS)
FIGURE_COLUMNS: tuple[str, ...] = ("growth_pct", "growth_horizon_years", "export_share")
OPTIONAL_COLUMNS: tuple[str, ...] = ("young", *FIGURE_COLUMNS, "panel_approved")
_TRUE = {"true", "1", "yes", "y", "ja", "j", "x"}
_FALSE = {"false", "0", "no", "n", "nej", ""}
_LEVEL_EXPECTED = "A, B, C or empty"
_BOOL_EXPECTED = "true or false (or empty)"


#: One problem in an input file (the same record the planning-folder reader uses).
Problem = InputProblem


class ScorecardInputError(Exception):
    """The scorecards file has problems; ``problems`` lists all of them."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the scorecards file")
        self.problems = problems


def _read_table(path: Path) -> pd.DataFrame:
    """Read a CSV (comma or semicolon separated, UTF-8 or Windows-1252) or an Excel sheet."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        sheets = pd.read_excel(path, sheet_name=None, dtype=str, keep_default_na=False)
        return sheets.get("scorecards", next(iter(sheets.values())))
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    sep = ";" if first.count(";") > first.count(",") else ","
    return pd.read_csv(
        io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, skip_blank_lines=False
    )


def _parse_level(value: str) -> Level | None:
    text = value.strip().upper()
    if text in ("", "NONE", "-"):
        return None
    return Level(text)  # ValueError for anything else


def _parse_bool(value: str) -> bool:
    text = value.strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(value)


def _parse_float(value: str) -> float | None:
    text = value.strip().replace(",", ".")
    return float(text) if text else None


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
            [Problem(name, None, None, "not found", "an existing scorecards file")]
        )
    try:
        frame = _read_table(path)
    except (pd.errors.EmptyDataError, pd.errors.ParserError, ValueError, OSError) as exc:
        expected = "a CSV with a header row: company_id and the seven scorecard columns"
        raise ScorecardInputError([Problem(name, None, None, str(exc), expected)]) from None
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    problems = [
        Problem(name, 1, col, None, "a column named " + col)
        for col in REQUIRED_COLUMNS
        if col not in frame.columns
    ]
    problems += [
        Problem(name, 1, col, col, "each column name once")
        for col in _duplicates(list(frame.columns))
    ]
    if problems:
        raise ScorecardInputError(problems)
    known = set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS)
    ignored = [c for c in frame.columns if c not in known]
    cards: list[Scorecard] = []
    first_row: dict[str, int] = {}
    for index, record in enumerate(frame.to_dict("records")):
        values = {k: ("" if v is None else str(v)) for k, v in record.items()}
        if not any(v.strip() for v in values.values()):
            continue  # blank line
        row = index + 2  # the header is row 1
        row_problems: list[Problem] = []
        fields: dict[str, object] = {}
        company_id = values["company_id"].strip()
        if not company_id:
            row_problems.append(Problem(name, row, "company_id", "", "a company id"))
        elif company_id in first_row:
            expected = f"a unique company id (also in row {first_row[company_id]})"
            row_problems.append(Problem(name, row, "company_id", company_id, expected))
        else:
            first_row[company_id] = row
        for key in CRITERION_KEYS:
            try:
                fields[key] = _parse_level(values[key])
            except ValueError:
                row_problems.append(Problem(name, row, key, values[key], _LEVEL_EXPECTED))
        for key in ("young", "panel_approved"):
            if key in values:
                try:
                    parsed = _parse_bool(values[key])
                except ValueError:
                    row_problems.append(Problem(name, row, key, values[key], _BOOL_EXPECTED))
                    continue
                if key == "young" or values[key].strip():
                    fields[key] = parsed
        for key in FIGURE_COLUMNS:
            if key in values:
                try:
                    number = _parse_float(values[key])
                except ValueError:
                    number, bad = None, True
                else:
                    bad = number is not None and key == "export_share" and not 0 <= number <= 1
                if bad:
                    expected = "a share 0-1, e.g. 0.25" if key == "export_share" else "a number"
                    row_problems.append(Problem(name, row, key, values[key], expected))
                fields[key] = None if bad else number
        problems += row_problems
        if not row_problems:
            cards.append(Scorecard(company_id=company_id, **fields))  # type: ignore[arg-type]
    if problems:
        raise ScorecardInputError(problems)
    return cards, ignored


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 2)


def levels_frame(results: list[ScoreResult]) -> pd.DataFrame:
    """The levels.csv table (CONTRACT.md): one row per result, in order.

    Args:
        results: Scored scorecards.

    Returns:
        Columns company_id, level (A/B/C/below_C), score_A, score_B, score_C, explanation.
    """
    rows = [
        {
            "company_id": r.company_id,
            "level": BELOW_C if r.level is None else r.level.value,
            "score_A": _number(r.scores[Level.A]),
            "score_B": _number(r.scores[Level.B]),
            "score_C": _number(r.scores[Level.C]),
            "explanation": r.explanation,
        }
        for r in results
    ]
    return pd.DataFrame(rows, columns=list(OUTPUT_COLUMNS))


def write_levels(results: list[ScoreResult], out: Path) -> Path:
    """Write levels.csv atomically (temporary file in the same folder, then rename).

    Args:
        results: Scored scorecards.
        out: Target file; an existing folder gets ``levels.csv`` inside it.

    Returns:
        The path written.
    """
    target = out / "levels.csv" if out.is_dir() else out
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            levels_frame(results).to_csv(handle, index=False, lineterminator="\n")
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def print_problems(problems: list[Problem], err_console: Console) -> None:
    """Print every problem as one table."""
    table = Table(title=f"{len(problems)} problem(s) in the scorecards", show_lines=False)
    for column in ("file", "row", "column", "value", "expected"):
        table.add_column(column, overflow="fold")
    for p in problems:
        value = "" if p.value is None else repr(p.value)
        row = "" if p.row is None else str(p.row)
        table.add_row(p.file, row, p.column or "", value, p.expected)
    err_console.print(table)


def run_score(file: Path, out: Path, console: Console, err_console: Console) -> int:
    """The `camp-planner score` command.

    Args:
        file: Scorecards CSV.
        out: Where to write levels.csv.
        console: For the summary.
        err_console: For problems.

    Returns:
        0 on success, 2 when the input has problems or the output cannot be written.
    """
    try:
        cards, ignored = read_scorecards(file)
    except ScorecardInputError as exc:
        print_problems(exc.problems, err_console)
        return 2
    if ignored:
        console.print(f"Note: ignored column(s): {', '.join(ignored)}")
    results = [score(card) for card in cards]
    try:
        target = write_levels(results, out)
    except OSError as exc:
        print_problems([Problem(str(out), None, None, str(exc), "a writable path")], err_console)
        return 2
    counts = Counter(r.level.value if r.level else "below C" for r in results)
    parts = ", ".join(f"{lvl} {counts.get(lvl, 0)}" for lvl in ("A", "B", "C", "below C"))
    console.print(f"Scored {len(results)} companies: {parts}. Wrote {target}")
    pending = sum(r.a_recommendation_only for r in results)
    if pending:
        console.print(f"{pending} A level(s) are recommendations until the growth panel approves.")
    return 0
