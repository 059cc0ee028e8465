"""whatif.xlsx in the round's language (issue 18): the sheets' header rows, the comparison's
metric labels and its yes/no words, the scenario names the command makes (``6 venues``,
``baseline``) and the venues sheet's ``closed``/``required``. Sheet names stay, as in
roster.xlsx, and whatif.csv stays for programs (its keys in English).

English is the workbook as it always was: the labels below are
:data:`camp_planner.whatif.compare.METRIC_LABELS`' (a test keeps the two equal).
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from camp_planner.i18n import N_, gettext_for, ngettext_for

__all__ = ["METRIC_WORDS", "comparison_in", "scenario_name", "table_in", "venues_in"]

#: How each metric is called (the comparison's rows, the whatif sheet's header).
METRIC_WORDS: dict[str, str] = {
    "changes": N_("What changes"),
    "max_venues": N_("Max venues"),
    "venues": N_("Venues used"),
    "cohorts": N_("Cohorts"),
    "placed": N_("Companies placed"),
    "unplaced": N_("Companies without a place"),
    "travel_km_total": N_("Total travel (km, one way)"),
    "travel_km_mean": N_("Mean travel per company (km)"),
    "travel_km_p90": N_("90 % travel at most (km)"),
    "travel_km_max": N_("Longest travel (km)"),
    "share_within_50km": N_("Share within 50 km"),
    "facilitator_days": N_("Facilitator days"),
    "session_days": N_("Session days (all cohorts)"),
    "status": N_("Solver status"),
    "gap": N_("Gap (0 = proven best)"),
    "travel_km_bound": N_("Total travel: proven lower bound (km)"),
    "travel_km_gap": N_("Total travel: gap (km; 0 = proven best)"),
    "placed_bound": N_("Companies placed: proven upper bound"),
    "significant_placed": N_("Change in companies placed beyond the gaps"),
    "significant_travel_km_total": N_("Change in total travel beyond the gaps"),
    "second_solve_hints": N_("Solved again from the roster of"),
    "second_solve_kept": N_("Second solve's roster kept"),
    "failure": N_("Not solved because"),
}
#: Words of the comparison's cells (compare._sheet_cell) and of the venues sheet.
_CELLS = {
    "yes": N_("yes"),
    "no: within the gaps": N_("no: within the gaps"),
    "no: the first was as good": N_("no: the first was as good"),
    "closed": N_("closed"),
    "OPTIMAL": N_("proven best"),
    "FEASIBLE": N_("not proven best"),
}
_VENUES_NAME = re.compile(r"(\d+) venues?")
_REQUIRED = re.compile(r"(\d+) \(required\)")
_WITHOUT = "  without a place: "


def scenario_name(name: str, lang: str) -> str:
    """A scenario's name in `lang`: ``6 venues`` -> ``6 mødesteder``, ``baseline`` ->
    ``grundlag``; a name a person gave as it is."""
    if lang == "en":
        return name
    if match := _VENUES_NAME.fullmatch(name):
        n = int(match[1])
        ngettext = ngettext_for(lang)
        return ngettext("%(n)s venue", "%(n)s venues", n) % {"n": n}
    _ = gettext_for(lang)
    return _("baseline") if name == "baseline" else name


def _metric(metric: str, lang: str) -> str:
    _ = gettext_for(lang)
    if metric in METRIC_WORDS:
        return _(METRIC_WORDS[metric])
    if metric.startswith("delta_") and metric.removeprefix("delta_") in METRIC_WORDS:
        return _("change: %(metric)s") % {"metric": _(METRIC_WORDS[metric.removeprefix("delta_")])}
    return metric


def _cell(value: Any, lang: str) -> Any:
    if not isinstance(value, str):
        return value
    _ = gettext_for(lang)
    if value in _CELLS:
        return _(_CELLS[value])
    if match := _REQUIRED.fullmatch(value):
        return _("%(n)s (required)") % {"n": match[1]}
    if value.startswith(_WITHOUT):
        return "  " + _("without a place: %(code)s") % {"code": value.removeprefix(_WITHOUT)}
    return value


def table_in(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The ``whatif`` sheet in `lang`: its header as the metrics are called, the scenario
    names and status words translated (English: as it is)."""
    if lang == "en":
        return table
    out = table.copy()
    if "scenario" in out.columns:
        out["scenario"] = [scenario_name(str(n), lang) for n in out["scenario"]]
    if "status" in out.columns:
        out["status"] = [_cell(v, lang) for v in out["status"]]
    _ = gettext_for(lang)
    out.columns = [_("scenario") if c == "scenario" else _metric(str(c), lang) for c in out.columns]
    return out


def comparison_in(sheet: pd.DataFrame, lang: str, names: list[str]) -> pd.DataFrame:
    """The ``comparison`` sheet in `lang` (`names`: the scenarios' names, in order)."""
    if lang == "en":
        return sheet
    _ = gettext_for(lang)
    out = sheet.copy()
    labels = {v: k for k, v in METRIC_WORDS.items()}
    out["metric"] = [
        _metric(labels[m], lang) if m in labels else _cell(m, lang) for m in out["metric"]
    ]
    for column in out.columns[1:]:
        out[column] = [_cell(v, lang) for v in out[column]]
    headers = [_("metric")]
    for index, name in enumerate(names):
        shown = scenario_name(name, lang)
        headers.append(shown)
        if index > 0:
            headers.append(_("%(name)s: change") % {"name": shown})
    out.columns = headers
    return out


def venues_in(venues: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The ``venues`` sheet in `lang`: its header and the ``closed``/``required`` words."""
    if lang == "en":
        return venues
    _ = gettext_for(lang)
    out = venues.copy()
    for column in out.columns[2:]:
        out[column] = [_cell(v, lang) for v in out[column]]
    out.columns = [
        _("venue_id") if c == "venue_id" else _("venue") if c == "venue" else scenario_name(c, lang)
        for c in out.columns
    ]
    return out
