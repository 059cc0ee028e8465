"""levels.csv: one row per scored scorecard (docs/scoring.md)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from camp_planner.models.enums import Level
from camp_planner.outputs.atomic import atomic_write_text
from camp_planner.outputs.excel_safe import csv_text
from camp_planner.scoring import BELOW_C, ScoreResult

OUTPUT_COLUMNS: tuple[str, ...] = (
    "company_id",
    "level",
    "score_A",
    "score_B",
    "score_C",
    "explanation",
)


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 2)


def levels_frame(results: list[ScoreResult]) -> pd.DataFrame:
    """The levels.csv table (docs/scoring.md): one row per result, in order.

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
    """Write levels.csv atomically, its text safe to open in Excel
    (:func:`camp_planner.outputs.excel_safe.csv_text`).

    Args:
        results: Scored scorecards.
        out: Target file; an existing folder gets ``levels.csv`` inside it.

    Returns:
        The path written.
    """
    target = out / "levels.csv" if out.is_dir() else out
    return atomic_write_text(target, csv_text(levels_frame(results)))
