"""remedies.csv: the table of remedies, written atomically and safe to open in Excel."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from camp_planner.outputs.atomic import atomic_write_text
from camp_planner.outputs.excel_safe import csv_text

__all__ = ["REMEDIES_CSV", "write_remedies_csv"]

REMEDIES_CSV = "remedies.csv"


def write_remedies_csv(table: pd.DataFrame, path: str | os.PathLike[str], lang: str = "en") -> Path:
    """Write the remedies table as CSV (UTF-8 with BOM for Excel), atomically; every text
    cell (remedy names, settings, company ids) through
    :func:`camp_planner.outputs.excel_safe.csv_text`, so none runs as a formula.

    Args:
        table: :meth:`camp_planner.remedies.RemedyRun.table`.
        path: Target file, e.g. ``out/remedies.csv``.
        lang: The round's language: ``da`` writes ``;`` and decimal commas for Danish
            Excel, otherwise ``,`` and decimal points.

    Returns:
        The path written.
    """
    return atomic_write_text(path, csv_text(table, lang), encoding="utf-8-sig")
