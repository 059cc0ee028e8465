"""Writing the next round's planning folder (``camp-planner next-round``).

The companies table is copied as the coordinator wrote it (every column kept), with two
columns set: ``completed`` and ``waiting_since``. The venues table is copied likewise, and
``round.toml`` is the new round's file. A folder that held ``plan.xlsx`` gets CSV files.
Each file is written atomically; writing twice gives the same files.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from camp_planner.io.errors import Collector, InputError
from camp_planner.io.folder import COMPANY_ALIASES, VENUE_ALIASES, workbook_tables
from camp_planner.io.tables import Table, read_csv_table
from camp_planner.outputs.atomic import atomic_write_bytes, atomic_write_text
from camp_planner.programme.carry import CarryOver, completed_text

COMPANIES_CSV = "companies.csv"
VENUES_CSV = "venues.csv"
ROUND_TOML = "round.toml"


def source_tables(folder: Path) -> tuple[Table, Table]:
    """The folder's companies and venues tables as written (CSV files, else the workbook's
    sheets), every column kept (InputError: every problem reading them)."""
    out = Collector()
    sheets = None
    if not (folder / COMPANIES_CSV).exists() or not (folder / VENUES_CSV).exists():
        sheets = workbook_tables(folder, out)
    companies = (
        read_csv_table(folder / COMPANIES_CSV, out, COMPANY_ALIASES)
        if (folder / COMPANIES_CSV).exists()
        else (sheets or {}).get("companies")
    )
    venues = (
        read_csv_table(folder / VENUES_CSV, out, VENUE_ALIASES)
        if (folder / VENUES_CSV).exists()
        else (sheets or {}).get("venues")
    )
    if companies is None or venues is None or out.problems:
        raise InputError(out.problems)
    return companies, venues


def csv_text(columns: list[str], rows: list[dict[str, str]]) -> str:
    """The rows as CSV text with these columns, cells as they were written."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def write_next_round(
    folder: Path, carry: dict[str, CarryOver], round_toml: Path, out: Path
) -> list[Path]:
    """Write the next round's planning folder into `out`.

    Args:
        folder: The round's planning folder (as read for the roster).
        carry: company_id -> its completed steps and waiting_since.
        round_toml: The new round's round.toml (copied as it is).
        out: The new planning folder (created).

    Returns:
        The files written.
    """
    companies, venues = source_tables(folder)
    columns = list(companies.columns)
    for column in ("completed", "waiting_since"):
        if column not in columns:
            columns.append(column)
    rows = []
    for row in companies.rows:
        if not any(row.values()):
            continue
        new = {column: row.get(column, "") for column in columns}
        change = carry.get(row.get("company_id", ""))
        if change is not None:
            new["completed"] = completed_text(change.completed)
            since = change.waiting_since
            new["waiting_since"] = since.isoformat() if since else ""
        rows.append(new)
    out.mkdir(parents=True, exist_ok=True)
    venue_rows = [r for r in venues.rows if any(r.values())]
    return [
        atomic_write_text(out / COMPANIES_CSV, csv_text(columns, rows)),
        atomic_write_text(out / VENUES_CSV, csv_text(list(venues.columns), venue_rows)),
        atomic_write_bytes(out / ROUND_TOML, round_toml.read_bytes()),
    ]
