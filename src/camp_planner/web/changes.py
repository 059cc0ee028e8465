"""The changes after publishing, as a new version of the plan's files: withdrawals (rows
taken out of the companies table), late sign-ups (rows added from a small companies CSV),
a venue's unavailable days (its ``unavailable`` column) and the facilitator's
(``facilitator_unavailable`` of round.toml). The tables are copied as the coordinator wrote
them (every column kept; a workbook becomes companies.csv and venues.csv, as
``camp-planner next-round`` writes them); the new version is then read and checked as an
upload is, so every rule is the readers'.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from camp_planner.io.errors import Collector, InputError, InputProblem
from camp_planner.io.folder import COMPANY_ALIASES
from camp_planner.io.round_file import ROUND_TOML
from camp_planner.io.tables import read_csv_table
from camp_planner.outputs.next_round import csv_text, source_tables
from camp_planner.web.common import Problems
from camp_planner.web.settings import check_settings, read_written

__all__ = ["Changes", "changed_files"]

COMPANIES, VENUES, WORKBOOK = "companies.csv", "venues.csv", "plan.xlsx"
LATE_LABEL = "late sign-ups"


@dataclass
class Changes:
    """What changed since the roster was published."""

    withdrawn: set[str] = field(default_factory=set)
    #: the late sign-ups as a companies CSV (the planning folder's columns)
    late: bytes | None = None
    #: venue_id -> days it can no longer host (text, any accepted date form)
    venue_days: dict[str, list[str]] = field(default_factory=dict)
    #: the facilitator's unavailable days (None: unchanged)
    facilitator_days: list[str] | None = None

    def empty(self) -> bool:
        return not (self.withdrawn or self.late or self.venue_days) and (
            self.facilitator_days is None
        )


def changed_files(folder: Path, changes: Changes) -> tuple[dict[str, bytes], tuple[str, ...]]:
    """The files of the new version, and the files it no longer has.

    Raises:
        Problems: Every problem (an unknown company or venue, an unreadable late sign-up,
            a setting that does not read).
    """
    try:
        companies, venues = source_tables(folder)
    except InputError as exc:
        raise Problems(exc.problems) from None
    problems: list[InputProblem] = []
    known = {row.get("company_id", "") for row in companies.rows}
    for company_id in sorted(changes.withdrawn - known):
        problems.append(InputProblem("withdrawn", None, "company_id", company_id, "a company"))
    columns = list(companies.columns)
    rows = [
        r
        for r in companies.rows
        if any(r.values()) and r.get("company_id") not in changes.withdrawn
    ]
    if changes.late:
        late_rows = _late_rows(changes.late, problems)
        columns += [c for row in late_rows for c in row if c not in columns]
        rows += late_rows
    venue_rows = [dict(r) for r in venues.rows if any(r.values())]
    venue_columns = list(venues.columns)
    by_id = {row.get("venue_id", ""): row for row in venue_rows}
    for venue_id, days in changes.venue_days.items():
        row = by_id.get(venue_id)
        if row is None:
            problems.append(InputProblem("venue_days", None, "venue_id", venue_id, "a venue"))
            continue
        if "unavailable" not in venue_columns:
            venue_columns.append("unavailable")
        old = [d.strip() for d in row.get("unavailable", "").split(";") if d.strip()]
        row["unavailable"] = ";".join(dict.fromkeys(old + [d.strip() for d in days if d.strip()]))
    files = {
        COMPANIES: csv_text(columns, [{c: r.get(c, "") for c in columns} for r in rows]).encode(),
        VENUES: csv_text(
            venue_columns, [{c: r.get(c, "") for c in venue_columns} for r in venue_rows]
        ).encode(),
    }
    if changes.facilitator_days is not None:
        before = read_written(folder)
        data: dict[str, Any] = {**before, "facilitator_unavailable": changes.facilitator_days}
        data = {k: v for k, v in data.items() if k != "change_cost"}
        text, found, _ = check_settings(data, before)
        problems += found
        if text is not None:
            files[ROUND_TOML] = text.encode("utf-8")
    if problems:
        raise Problems(problems)
    return files, (WORKBOOK,) if (folder / WORKBOOK).exists() else ()


def _late_rows(data: bytes, problems: list[InputProblem]) -> list[dict[str, str]]:
    """The rows of a late sign-ups CSV (its problems recorded)."""
    out = Collector()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / COMPANIES
        path.write_bytes(data)
        table = read_csv_table(path, out, COMPANY_ALIASES, label=LATE_LABEL)
    problems.extend(out.problems)
    if table is None:
        return []
    return [dict(r) for r in table.rows if any(r.values())]
