"""What-if files: the scenarios file read, the comparison written.

Files written to the output folder, each atomically:

- ``whatif.csv``: one row per scenario, the baseline first; docs/whatif.md's columns, then
  extras (see :mod:`camp_planner.whatif.compare`). UTF-8, no byte-order mark; counts
  are whole numbers, shares 0-1, text safe to open in Excel
  (:mod:`camp_planner.outputs.excel_safe`).
- ``whatif.xlsx``: sheets ``whatif`` (the same rows), ``comparison`` (one row per metric,
  one column per scenario and its change against the baseline) and ``venues`` (cohorts per
  venue and scenario). Counts are whole numbers, km have one decimal, shares and the gap
  are percentages, changes show their sign (``+3``, ``-1.1%``).
- ``whatif.png``: the chart (:mod:`camp_planner.whatif.chart`).
- ``rosters/<scenario>.json``: each scenario's roster (roster.json format), so any
  scenario can be mapped later with ``camp-planner map FOLDER --roster ...``.
- with ``--maps``: ``maps/<scenario>.html``, each scenario's travel map.

The scenarios file format is described in :mod:`camp_planner.whatif.scenarios`; the
command is :mod:`camp_planner.cli.whatif`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from camp_planner.i18n import N_, gettext_for
from camp_planner.models.roster import RosterKind
from camp_planner.outputs.atomic import atomic_path, atomic_write_bytes, atomic_write_text
from camp_planner.outputs.excel_safe import csv_text, xlsx_frame
from camp_planner.outputs.whatif_words import comparison_in, table_in, venues_in
from camp_planner.outputs.writers import (
    COUNT_FORMAT,
    KM_FORMAT,
    PERCENT_FORMAT,
    format_sheet,
    set_number_formats,
    signed,
    write_roster_json,
)
from camp_planner.whatif.chart import figure_png, whatif_figure
from camp_planner.whatif.compare import comparison_rows, comparison_sheet
from camp_planner.whatif.runner import WhatIf

__all__ = [
    "WHATIF_CSV",
    "WHATIF_PNG",
    "WHATIF_XLSX",
    "write_whatif",
    "write_whatif_csv",
    "write_whatif_png",
    "whatif_title",
    "write_whatif_xlsx",
]

WHATIF_CSV = "whatif.csv"
WHATIF_XLSX = "whatif.xlsx"
WHATIF_PNG = "whatif.png"
ROSTERS_DIR = "rosters"
MAPS_DIR = "maps"


#: The metrics that count something (and the ``unplaced_<code>`` columns).
_COUNTS = frozenset(
    {
        "max_venues",
        "cohorts",
        "placed",
        "placed_bound",
        "unplaced",
        "facilitator_days",
        "session_days",
    }
)


def _kind(metric: str) -> str | None:
    """``count``, ``km`` or ``share`` for a metric (or ``delta_`` column) of the table."""
    metric = metric.removeprefix("delta_")
    if metric in _COUNTS or metric.startswith("unplaced_"):
        return "count"
    if metric.startswith("travel_km"):
        return "km"
    if metric in ("share_within_50km", "gap"):
        return "share"
    return None


def _format(metric: str, change: bool) -> str | None:
    """The number format of a metric's cells; `change`: of its change against the baseline."""
    plain = {"count": COUNT_FORMAT, "km": KM_FORMAT, "share": PERCENT_FORMAT}.get(
        _kind(metric) or ""
    )
    return signed(plain) if plain and change else plain


def _whole_counts(table: pd.DataFrame) -> pd.DataFrame:
    """The table with every count column of whole numbers (95, not 95.0, even beside an
    empty cell)."""
    out = table.copy()
    for column in table.columns:
        if _kind(str(column)) != "count" or pd.api.types.is_integer_dtype(table[column]):
            continue
        numbers = pd.to_numeric(table[column], errors="coerce")
        if numbers.notna().any() and (numbers.dropna() % 1 == 0).all():
            out[column] = numbers.astype("Int64")
    return out


def write_whatif_csv(table: pd.DataFrame, path: str | os.PathLike[str], lang: str = "en") -> Path:
    """Write whatif.csv (docs/whatif.md) atomically: UTF-8, ``\\n`` line ends, no BOM, counts
    as whole numbers, text safe to open in Excel
    (:func:`camp_planner.outputs.excel_safe.csv_text`); for a Danish round (`lang`) with
    ``;`` and decimal commas."""
    return atomic_write_text(path, csv_text(_whole_counts(table), lang))


def _table_pick(columns: list[str]) -> Callable[[int, int], str | None]:
    """Number formats of the ``whatif`` sheet, by column (`columns`: the table's own names,
    whatever language the header is in)."""
    return lambda _row, column: _format(
        columns[column - 1], columns[column - 1].startswith("delta_")
    )


def _comparison_pick(table: pd.DataFrame) -> Callable[[int, int], str | None]:
    """Number formats of the ``comparison`` sheet: by row (its metric); the ``change``
    columns (the 4th, 6th, ... column: after each scenario but the baseline) signed."""
    metrics = comparison_rows(table)
    return lambda row, column: _format(metrics[row - 2], column > 2 and column % 2 == 0)


def _venues_pick(_row: int, column: int) -> str | None:
    """The ``venues`` sheet: the cohorts each scenario holds at a venue, after its id and name."""
    return COUNT_FORMAT if column > 2 else None


def write_whatif_xlsx(
    table: pd.DataFrame,
    path: str | os.PathLike[str],
    venues: pd.DataFrame | None = None,
    lang: str = "en",
) -> Path:
    """Write whatif.xlsx atomically: sheets ``whatif``, ``comparison`` and ``venues``.

    Args:
        table: The whatif table (baseline first).
        path: Target file.
        venues: Cohorts per venue and scenario (:func:`camp_planner.whatif.venue_usage`);
            the sheet is left out when None.
        lang: The round's language: the header rows, the metrics' labels, the scenario
            names the command makes and the cells' words (:mod:`.whatif_words`); the
            sheet names stay.
    """
    table = _whole_counts(table)
    names = [str(n) for n in table["scenario"]] if "scenario" in table.columns else []
    sheets = {
        "whatif": table_in(table, lang),
        "comparison": comparison_in(comparison_sheet(table), lang, names),
    }
    if venues is not None:
        sheets["venues"] = venues_in(venues, lang)
    target = Path(path)
    with atomic_path(target) as tmp, pd.ExcelWriter(tmp, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            xlsx_frame(frame).to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            if name == "whatif":
                set_number_formats(sheet, _table_pick([str(c) for c in table.columns]))
            elif name == "comparison":
                set_number_formats(sheet, _comparison_pick(table))
            else:
                set_number_formats(sheet, _venues_pick)
            format_sheet(sheet)
            sheet.freeze_panes = "B2"
    return target


def write_whatif_png(
    table: pd.DataFrame,
    path: str | os.PathLike[str],
    by_venues: bool,
    title: str = "",
    lang: str = "en",
) -> Path:
    """Draw the chart (:func:`camp_planner.whatif.chart.whatif_figure`) in `lang` and write
    it."""
    return atomic_write_bytes(path, figure_png(whatif_figure(table, by_venues, title, lang)))


def whatif_title(name: str, lang: str) -> str:
    """The chart's title in `lang`: ``What-if, round <name>`` (``What-if`` without a name)."""
    _ = gettext_for(lang)
    return _(N_("What-if, round %(name)s")) % {"name": name} if name else _(N_("What-if"))


def write_whatif(
    whatif: WhatIf,
    out: str | os.PathLike[str],
    by_venues: bool,
    maps: bool = False,
) -> list[Path]:
    """Write every what-if file into `out` (see the module docstring).

    Args:
        whatif: The solved scenarios.
        out: Output folder (created).
        by_venues: Chart against the number of venues (a ``--venues`` range).
        maps: Also write ``maps/<scenario>.html``.

    Returns:
        The files written.
    """
    folder = Path(out)
    table = whatif.table()
    name = whatif.results[0].problem.round.name if whatif.results else ""
    lang = whatif.results[0].problem.round.language if whatif.results else "en"
    title = whatif_title(name, lang)
    written = [
        write_whatif_csv(table, folder / WHATIF_CSV, lang),
        write_whatif_xlsx(table, folder / WHATIF_XLSX, whatif.venues(), lang),
        write_whatif_png(table, folder / WHATIF_PNG, by_venues, title, lang),
    ]
    for result in whatif.results:
        scenario = result.roster.model_copy(update={"kind": RosterKind.WHATIF})  # not published
        written.append(write_roster_json(scenario, folder / ROSTERS_DIR / f"{result.slug}.json"))
    if maps:
        from camp_planner.outputs.maps import write_map

        for result in whatif.results:
            target = folder / MAPS_DIR / f"{result.slug}.html"
            written.append(write_map(result.problem, result.roster, target))
    return written
