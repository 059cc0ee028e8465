"""The round's settings on a sheet of the workbook: ``round`` (or ``runde``), rows of key and
value (docs/planning-folder.md "The round on a sheet").

The keys are round.toml's, or their Danish names (:data:`DANISH_KEYS`); a value is written
as a spreadsheet cell: a date in any accepted form, lists separated by ``;``, the lab gap as
``14-42``, the level priority as ``A=2; B=1``, yes/no as ``ja``/``nej`` (or ``true``/
``false``). Every value is then checked as round.toml's are
(:func:`camp_planner.io.round_file.round_from_data`: the same :class:`RoundConfig`, the same
problems), with the sheet's row numbers. round.toml, when the folder has one, is used
instead (with a note).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from camp_planner.i18n import N_, Message
from camp_planner.io.errors import Collector, InputProblem
from camp_planner.io.round_file import ROUND_TOML, read_round, round_from_data
from camp_planner.io.tables import normalise_column, read_workbook
from camp_planner.models import RoundConfig

__all__ = ["DANISH_KEYS", "SHEETS", "read_round_setting", "read_round_sheet", "sheet_settings"]

WORKBOOK = "plan.xlsx"
#: The sheet's names (any case).
SHEETS = ("round", "runde")
#: Danish names of round.toml's keys on the sheet.
DANISH_KEYS: dict[str, str] = {
    "navn": "name",
    "første_dag": "start",
    "sidste_dag": "end",
    "hold_min": "cohort_min",
    "hold_max": "cohort_max",
    "flest_mødesteder": "max_venues",
    "tovholdere": "facilitators",
    "tovholder_fridage": "facilitator_unavailable",
    "dage_til_lab": "lab_gap_days",
    "vejfaktor": "road_factor",
    "længste_rejse_km": "max_travel_km",
    "niveau_for_ikke_godkendt_a": "unapproved_a_level",
    "prioritet_efter_niveau": "level_priority",
    "onlinehold": "online_cohorts",
    "onlinehold_min": "online_cohort_min",
    "bland_niveauer": "mix_levels",
    "bland_aldersgrupper": "mix_age_groups",
    "sprog": "language",
    "varsel_dage": "notice_days",
    "koordinator_navn": "coordinator_name",
    "koordinator_email": "coordinator_email",
    "sessioner_starter": "session_start",
    "sessioner_slutter": "session_end",
    "svar_senest": "reply_by",
}
_HEADERS = {"key", "nøgle", "noegle", "setting", "indstilling"}
_LISTS = ("facilitator_unavailable", "mix_levels", "mix_age_groups")
_WHOLE = ("cohort_min", "cohort_max", "max_venues", "facilitators", "online_cohort_min",
          "notice_days")  # fmt: skip
_NUMBERS = ("road_factor", "max_travel_km")
_YES = {"true", "ja", "yes", "1", "sand"}
_NO = {"false", "nej", "no", "0", "falsk"}


def read_round_setting(folder: Path, out: Collector) -> RoundConfig | None:
    """The round's settings: round.toml, else the workbook's ``round``/``runde`` sheet
    (problems and notes recorded in `out`)."""
    sheet = _sheet(folder, out) if (folder / WORKBOOK).exists() else None
    if (folder / ROUND_TOML).exists() or sheet is None:
        if sheet is not None:
            note = N_("%(file)s is used; the sheet %(sheet)s of %(workbook)s is ignored")
            found = Message(note, file=ROUND_TOML, sheet=repr(sheet[0]), workbook=WORKBOOK)
            out.notes.append(found)
        return read_round(folder / ROUND_TOML, out)
    return read_round_sheet(sheet[0], sheet[1], out)


def _sheet(folder: Path, out: Collector) -> tuple[str, pd.DataFrame] | None:
    scratch = Collector()  # the workbook's own problems are the tables' reader's to report
    frames = read_workbook(folder / WORKBOOK, scratch)
    for name, frame in frames.items():
        if normalise_column(name) in SHEETS:
            return name, frame
    return None


def read_round_sheet(name: str, frame: pd.DataFrame, out: Collector) -> RoundConfig | None:
    """The settings of one ``round`` sheet (its first row the header ``key``, ``value``, or
    a first setting), checked as round.toml's."""
    label = f"{WORKBOOK}:{name}"
    if frame.shape[1] < 2:
        out.problem(label, None, None, None, N_("two columns: key and value"))
        return None
    data, written, line = _settings(label, frame, out)
    before = len(out.problems)
    config = round_from_data(data, out, label, line.get)
    out.problems[before:] = [_as_written(p, written) for p in out.problems[before:]]
    return config


def sheet_settings(folder: Path) -> dict[str, Any]:
    """The keys and values (as round.toml would hold them) of the workbook's round sheet;
    {} when there is none (the folder was checked when it was kept)."""
    if not (folder / WORKBOOK).exists():
        return {}
    found = _sheet(folder, Collector())
    if found is None or found[1].shape[1] < 2:
        return {}
    return _settings(found[0], found[1], Collector())[0]


def _settings(
    label: str, frame: pd.DataFrame, out: Collector
) -> tuple[dict[str, Any], dict[str, str], dict[str, int]]:
    """The sheet's rows: key -> value, key -> the key as written, key -> its row."""
    rows: list[tuple[int, str, str]] = []
    header = [str(c).strip() for c in frame.columns[:2]]
    if normalise_column(header[0]) not in _HEADERS:  # no header row: it is a setting
        rows.append((1, header[0], "" if header[1].startswith("Unnamed:") else header[1]))
    for index, (key, value) in enumerate(frame.iloc[:, :2].itertuples(index=False), start=2):
        rows.append((index, str(key).strip(), str(value).strip()))
    data: dict[str, Any] = {}
    written: dict[str, str] = {}
    line: dict[str, int] = {}
    for row, key_text, value in rows:
        if not key_text:
            continue
        key = DANISH_KEYS.get(normalise_column(key_text), normalise_column(key_text))
        if key in data:
            expected = Message(N_("each key once (also on row %(row)s)"), row=line[key])
            out.problems.append(InputProblem.of(label, row, key_text, value, expected))
            continue
        data[key], written[key], line[key] = _value(key, value), key_text, row
    return data, written, line


def _as_written(problem: InputProblem, written: dict[str, str]) -> InputProblem:
    """A problem naming the key as the sheet writes it (Danish names too)."""
    from dataclasses import replace

    if problem.column in written:
        return replace(problem, column=written[problem.column])
    return problem


def _value(key: str, text: str) -> Any:
    """A cell's text in the form round.toml would hold (text the model then checks)."""
    if key in _LISTS:
        return [p.strip() for p in text.replace(",", ";").split(";") if p.strip()]
    if key == "lab_gap_days":
        parts = [p.strip() for p in text.replace(";", "-").replace(",", "-").split("-")]
        numbers = [_number(p, whole=True) for p in parts if p]
        return numbers if len(numbers) == 2 else text
    if key == "level_priority":
        found: dict[str, Any] = {}
        for part in text.replace(",", ";").split(";"):
            level, _, number = part.partition("=")
            if level.strip():
                found[level.strip().upper()] = _number(number.strip(), whole=True)
        return found or text
    if key == "online_cohorts":
        low = text.lower()
        return True if low in _YES else False if low in _NO else text
    if key in _WHOLE or key in _NUMBERS:
        return _number(text, whole=key in _WHOLE)
    return text


def _number(text: str, *, whole: bool) -> Any:
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        return text
    if whole:
        return int(number) if number.is_integer() else text
    return number
