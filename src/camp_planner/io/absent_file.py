"""absent.csv: the companies that did not come to the round they were placed in
(``next-round --absent``; docs/programme.md)."""

from __future__ import annotations

from pathlib import Path

from camp_planner.i18n import N_
from camp_planner.io.errors import Collector, InputError
from camp_planner.io.tables import read_csv_table

ABSENT_CSV_COLUMN = "company_id"


def read_absent(path: Path) -> frozenset[str]:
    """The ids of absent.csv's `company_id` column.

    Raises:
        InputError: The file cannot be read or has no company_id column.
    """
    out = Collector()
    table = read_csv_table(path, out)
    if table is not None and ABSENT_CSV_COLUMN not in table.columns:
        out.problem(path.name, 1, ABSENT_CSV_COLUMN, None, N_("a column company_id"))
    if table is None or out.problems:
        raise InputError(out.problems)
    return frozenset(row[ABSENT_CSV_COLUMN] for row in table.rows if row[ABSENT_CSV_COLUMN])
