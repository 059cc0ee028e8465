"""The what-if chart (``whatif.png``): travel and places per scenario, drawn with matplotlib.

For ``--venues`` ranges, lines against the number of venues: total one-way travel, the
mean and 90th-percentile travel per placed company, and companies placed (and without a
place). For named scenarios, one bar
per scenario in three panels (companies placed, total travel, mean travel), the baseline
in a darker colour. Where a roster is not proven best, its total travel shows the range
down to the proven lower bound (``travel_km_bound``), and a figure whose change against
the baseline is within the two rosters' gaps is marked ``n.s.`` (not significant).
Numbers on the chart are written as the language writes them (``2.613,8`` in Danish).

Figures are built with :class:`matplotlib.figure.Figure` and the Agg
canvas, never pyplot, so nothing depends on a display or on global pyplot state.
"""

from __future__ import annotations

import io
import math

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from camp_planner.i18n import N_, format_number, gettext_for

__all__ = ["figure_png", "venues_figure", "scenarios_figure", "whatif_figure"]

_TRAVEL = "#1f77b4"
_MEAN = "#ff7f0e"
_P90 = "#d62728"
_PLACED = "#2ca02c"
_UNPLACED = "#9e9e9e"
_BASE = "#33546e"
_OTHER = "#8fb3cf"


def _num(value: object) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan
    return number


def _annotate(ax: Axes, x: list[int], y: list[float], spec: str, colour: str, lang: str) -> None:
    for xi, yi in zip(x, y, strict=True):
        if not math.isnan(yi):
            text = format_number(yi, lang, spec)
            ax.annotate(text, (xi, yi), textcoords="offset points", xytext=(0, 7),
                        ha="center", fontsize=8, color=colour)  # fmt: skip


def _column(table: pd.DataFrame, column: str) -> list[object]:
    """A column's values; None for each row when the table has no such column."""
    return list(table[column]) if column in table.columns else [None] * len(table)


def _not_significant(table: pd.DataFrame, column: str) -> list[bool]:
    """Per row: its change of `column` against the baseline is within the gaps (and not 0)."""
    verdicts = _column(table, f"significant_{column}")
    changes = [_num(v) for v in _column(table, f"delta_{column}")]
    return [
        v == "false" and not math.isnan(c) and c != 0
        for v, c in zip(verdicts, changes, strict=True)
    ]


def venues_figure(table: pd.DataFrame, title: str = "", lang: str = "en") -> Figure:
    """Three panels against ``max_venues``: total travel; mean and 90th-percentile travel
    per company; companies placed and without a place.

    Args:
        table: The whatif table (columns ``max_venues``, ``travel_km_total``,
            ``travel_km_mean``, ``travel_km_p90``, ``placed``, ``unplaced``).
        title: Figure title.
        lang: The language of the labels.
    """
    _ = gettext_for(lang)
    data = table.sort_values("max_venues")
    x = [int(v) for v in data["max_venues"]]
    total = [_num(v) for v in data["travel_km_total"]]
    mean = [_num(v) for v in data["travel_km_mean"]]
    p90 = [_num(v) for v in data["travel_km_p90"]]
    placed = [int(v) for v in data["placed"]]
    unplaced = [int(v) for v in data["unplaced"]]

    fig = Figure(figsize=(8, 8.5), layout="constrained")
    FigureCanvasAgg(fig)
    top, middle, bottom = fig.subplots(3, 1, sharex=True)
    top.plot(x, total, marker="o", color=_TRAVEL)
    _annotate(top, x, total, ",.0f", _TRAVEL, lang)
    bound = [_num(v) for v in _column(data, "travel_km_bound")]
    known = [not math.isnan(b) and b < t - 0.05 for b, t in zip(bound, total, strict=True)]
    if any(known):
        low = [b if k else t for b, t, k in zip(bound, total, known, strict=True)]
        top.fill_between(x, low, total, color=_TRAVEL, alpha=0.15, linewidth=0,
                         label=_(N_("not proven best: down to the proven bound")))  # fmt: skip
        top.legend(loc="best", fontsize=8)
    top.set_ylabel(_(N_("km, one way")))
    top.set_title(_(N_("Total travel of the placed companies")))

    middle.plot(x, mean, marker="s", color=_MEAN, label=_(N_("mean")))
    middle.plot(
        x, p90, marker="^", linestyle="--", color=_P90, label=_(N_("9 in 10 travel at most"))
    )
    _annotate(middle, x, mean, ",.1f", _MEAN, lang)
    _annotate(middle, x, p90, ",.1f", _P90, lang)
    middle.set_ylabel(_(N_("km per company")))
    middle.set_title(_(N_("Travel per placed company")))
    middle.legend(loc="best", fontsize=8)

    bottom.plot(x, placed, marker="o", color=_PLACED, label=_(N_("placed")))
    bottom.plot(
        x, unplaced, marker="x", linestyle=":", color=_UNPLACED, label=_(N_("without a place"))
    )
    _annotate(bottom, x, [float(v) for v in placed], ".0f", _PLACED, lang)
    bottom.set_ylabel(_(N_("companies")))
    bottom.set_xlabel(_(N_("most venues allowed (max_venues)")))
    bottom.set_xticks(x)
    bottom.set_ylim(bottom=0, top=max([*placed, *unplaced, 1]) * 1.18)
    bottom.legend(loc="center right", fontsize=8)
    bottom.set_title(_(N_("Companies placed")))
    for ax in (top, middle, bottom):
        ax.margins(y=0.18)
        ax.grid(alpha=0.3)
    for ax in (top, middle):  # from zero: a change of 1 % must not look like a cliff
        ax.set_ylim(0, ax.get_ylim()[1])
    if title:
        fig.suptitle(title)
    return fig


def scenarios_figure(table: pd.DataFrame, title: str = "", lang: str = "en") -> Figure:
    """Horizontal bars per scenario: placed companies, total travel, mean travel.

    Args:
        table: The whatif table, baseline first.
        title: Figure title.
        lang: The language of the labels (the baseline's name too).
    """
    _ = gettext_for(lang)
    names = [str(n) for n in table["scenario"]]
    if names and names[0] == "baseline":
        names[0] = _(N_("baseline"))
    panels = [
        ("placed", _(N_("companies placed")), ",.0f"),
        ("travel_km_total", _(N_("total travel, km")), ",.0f"),
        ("travel_km_mean", _(N_("mean travel per company, km")), ",.1f"),
    ]
    height = max(2.8, 0.45 * len(names) + 1.6)
    fig = Figure(figsize=(12, height), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(1, len(panels), sharey=True)
    colours = [_BASE] + [_OTHER] * (len(names) - 1)
    positions = list(range(len(names)))
    notes: list[str] = []
    flagged = False
    unsure_mark = " (" + _(N_("n.s.")) + ")"
    for ax, (column, label, spec) in zip(axes, panels, strict=True):
        values = [_num(v) for v in table[column]]
        shown = [0.0 if math.isnan(v) else v for v in values]
        bars = ax.barh(positions, shown, color=colours)
        if column == "travel_km_total":
            bound = [_num(v) for v in _column(table, "travel_km_bound")]
            below = [
                t - b if not math.isnan(b) and b < t else 0.0
                for b, t in zip(bound, shown, strict=True)
            ]
            rows = [i for i, b in enumerate(below) if b > 0]
            if rows:
                ax.errorbar([shown[i] for i in rows], [positions[i] for i in rows],
                            xerr=[[below[i] for i in rows], [0.0] * len(rows)], fmt="none",
                            ecolor="#333333", capsize=3, linewidth=1)  # fmt: skip
                notes.append(_(N_("whisker: down to the proven lower bound (not proven best)")))
        unsure = _not_significant(table, column)
        if any(unsure) and not flagged:
            flagged = True
            notes.append(
                _(N_("n.s.: the change against the baseline is within the two rosters' gaps"))
            )
        ax.bar_label(
            bars,
            labels=[
                "-" if math.isnan(v) else format_number(v, lang, spec) + (unsure_mark if n else "")
                for v, n in zip(values, unsure, strict=True)
            ],
            padding=3,
            fontsize=8,
        )
        ax.set_title(label)
        ax.set_xlim(0, max([*shown, 1.0]) * 1.22)
        ax.set_axisbelow(True)
        ax.grid(axis="x", alpha=0.3)
    axes[0].set_yticks(positions, names)
    axes[0].invert_yaxis()
    if notes:
        fig.supxlabel("; ".join(notes), fontsize=8)
    if title:
        fig.suptitle(title)
    return fig


def whatif_figure(
    table: pd.DataFrame, by_venues: bool, title: str = "", lang: str = "en"
) -> Figure:
    """:func:`venues_figure` for a ``--venues`` range, else :func:`scenarios_figure`, with
    labels in `lang`."""
    if by_venues and table["max_venues"].nunique() > 1:
        return venues_figure(table, title, lang)
    return scenarios_figure(table, title, lang)


def figure_png(fig: Figure, dpi: int = 120) -> bytes:
    """The figure as PNG bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()
