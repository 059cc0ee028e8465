"""The round's settings as a form (the web app's "Settings" page and the JSON API).

The form only turns what a person typed into the values ``round.toml`` would hold; every
rule is the model's (:class:`camp_planner.models.RoundConfig`), checked through the
planning folder's own reader (:func:`camp_planner.io.round_file.round_from_data`), so a
form gets the same problem table as a file. The settings become ``round.toml``
(:func:`camp_planner.outputs.round_toml.round_toml_text`).
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from camp_planner.io.errors import Collector, InputProblem
from camp_planner.io.round_file import ROUND_TOML, round_from_data
from camp_planner.models import RoundConfig
from camp_planner.outputs.round_toml import round_toml_text
from camp_planner.web.form_days import DAYS_KEY, day_problems, typed_days
from camp_planner.web.i18n import N_, day_first

__all__ = [
    "FIELDS",
    "SettingField",
    "check_settings",
    "form_problems",
    "form_values",
    "read_written",
]


@dataclass(frozen=True)
class SettingField:
    """One setting of the form: its key in round.toml, label, help and kind of input."""

    key: str
    label: str
    help: str
    kind: str  # text, date, int, number, bool, dates, choice, checks, pair, levels, time
    options: tuple[str, ...] = ()


FIELDS: tuple[SettingField, ...] = (
    SettingField(
        "name",
        N_("Name of the round"),
        N_("Shown on every page and in the roster, e.g. Spring 2027."),
        "text",
    ),
    SettingField(
        "start", N_("First possible day"), N_("The first day a session may be held."), "date"
    ),
    SettingField(
        "end",
        N_("Last possible day"),
        N_("The last day a session may be held (on or after the first)."),
        "date",
    ),
    SettingField("cohort_min", N_("People per cohort, at least"), N_("Default 8."), "int"),
    SettingField(
        "cohort_max",
        N_("People per cohort, at most"),
        N_("Default 10; at least the smallest size."),
        "int",
    ),
    SettingField("max_venues", N_("Most venues used"), N_("Default 6."), "int"),
    SettingField(
        "facilitators",
        N_("Sessions on one day"),
        N_("How many facilitators can hold a session on the same day. Default 1."),
        "int",
    ),
    SettingField(
        "facilitator_unavailable",
        N_("Days the facilitator cannot"),
        N_("Dates separated by ; (e.g. 15-02-2027; 16-02-2027)."),
        "dates",
    ),
    SettingField(
        "lab_gap_days",
        N_("Days from a module to its lab"),
        N_("At least and at most, in calendar days. Default 14 to 42."),
        "pair",
    ),
    SettingField(
        "road_factor",
        N_("Road factor"),
        N_("Travel = distance as the crow flies x this. Default 1.3."),
        "number",
    ),
    SettingField(
        "max_travel_km",
        N_("Longest travel, km"),
        N_("Nobody is placed farther. 0 = no limit (default)."),
        "number",
    ),
    SettingField(
        "unapproved_a_level",
        N_("Level of an A the panel has not approved"),
        N_("Default A."),
        "choice",
        ("A", "B", "C"),
    ),
    SettingField(
        "level_priority",
        N_("Priority added by level"),
        N_("Who goes first when not all can be placed. Default 0 for each."),
        "levels",
    ),
    SettingField(
        "online_cohorts",
        N_("Module 1 may be held online"),
        N_("Online cohorts need no venue and no travel."),
        "bool",
    ),
    SettingField(
        "online_cohort_min",
        N_("People an online cohort needs, at least"),
        N_("Default 5; at most the largest cohort."),
        "int",
    ),
    SettingField(
        "mix_levels",
        N_("Levels that may share a Module 1 cohort"),
        N_("Default: none (every cohort one level)."),
        "checks",
        ("A+B", "B+C", "A+C", "A+B+C"),
    ),
    SettingField(
        "mix_age_groups",
        N_("Levels at which young and established may share a cohort"),
        N_("Default: none."),
        "checks",
        ("A", "B", "C"),
    ),
    SettingField(
        "language",
        N_("Language of the roster files"),
        N_("The language of the texts in the roster, the map and the invitations."),
        "choice",
        ("da", "en"),
    ),
    SettingField(
        "notice_days",
        N_("Days of notice for changes"),
        N_("After publishing, no session is moved or added within this many days. Default 7."),
        "int",
    ),
    SettingField(
        "coordinator_name",
        N_("Coordinator's name"),
        N_("Who invites (the invitations' organiser)."),
        "text",
    ),
    SettingField(
        "coordinator_email",
        N_("Coordinator's e-mail"),
        N_("The invitations' organiser and the reply address."),
        "text",
    ),
    SettingField(
        "session_start",
        N_("Sessions start at"),
        N_("Danish time, e.g. 09:00. Without start and end every invitation is all-day."),
        "time",
    ),
    SettingField("session_end", N_("Sessions end at"), N_("After the start, e.g. 16:00."), "time"),
    SettingField(
        "reply_by",
        N_("Answer by"),
        N_("The day companies are asked to answer the invitation by."),
        "date",
    ),
)
_LEVELS = ("A", "B", "C")
_LABELS = {spec.key: spec.label for spec in FIELDS}


def form_problems(problems: list[InputProblem], gettext: Any) -> list[InputProblem]:
    """The problems of settings typed into a form, each field named by its label as the
    form shows it, in the page's language (round.toml's key stays in the JSON API); the
    facilitator's days one problem per day as typed, with what the form takes
    (:func:`camp_planner.web.form_days.day_problems`), not round.toml's list syntax."""
    shown: list[InputProblem] = []
    for p in problems:
        if p.file not in (ROUND_TOML, "(settings)") or p.column not in _LABELS:
            shown.append(p)
            continue
        found = day_problems(p) if p.column == DAYS_KEY else [p]
        shown += [replace(q, column=gettext(_LABELS[p.column])) for q in found]
    return shown


def read_written(folder: Path) -> dict[str, Any]:
    """The keys and values the plan's round.toml holds ({} when it does not read: the
    folder was checked when it was kept); without round.toml, the workbook's round sheet's
    (:mod:`camp_planner.io.round_sheet`)."""
    path = folder / ROUND_TOML
    if not path.exists():
        from camp_planner.io.round_sheet import sheet_settings

        return sheet_settings(folder)
    try:
        return tomllib.loads(path.read_bytes().decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}


def form_values(config: RoundConfig | None) -> dict[str, Any]:
    """What each input shows: the plan's settings, or the defaults for a new plan."""
    shown: dict[str, Any] = {}
    for spec in FIELDS:
        field = RoundConfig.model_fields[spec.key]
        if config is not None:
            value = getattr(config, spec.key)
        elif field.is_required():
            value = None
        else:
            value = field.get_default(call_default_factory=True)
        shown[spec.key] = _shown(spec, value)
    return shown


def _shown(spec: SettingField, value: Any) -> Any:
    if value is None:
        return ""
    if spec.kind == "dates":
        return "; ".join(day_first(d) for d in sorted(value))
    if spec.kind == "date":
        return value.isoformat() if isinstance(value, date) else str(value)
    if spec.kind == "levels":
        return {getattr(k, "value", k): v for k, v in value.items()}
    if spec.kind == "checks":
        return [getattr(v, "value", v) for v in value]
    if spec.kind == "choice":
        return getattr(value, "value", value)
    if spec.kind == "pair":
        return list(value)
    if spec.kind == "number":
        return f"{value:g}"
    return value


def data_from_form(form: Mapping[str, Any], getlist: Any) -> dict[str, Any]:
    """The settings a form holds, as round.toml values (text that is not a number stays
    text: the model says what it expected). Empty inputs are left out (defaults)."""
    data: dict[str, Any] = {}
    for spec in FIELDS:
        value = _field_value(spec, form, getlist)
        if value is not None:
            data[spec.key] = value
    return data


def _field_value(spec: SettingField, form: Mapping[str, Any], getlist: Any) -> Any:
    key = spec.key
    text = str(form.get(key) or "").strip()
    if spec.kind == "bool":
        return True if text else None
    if spec.kind == "checks":
        return [str(v) for v in getlist(key) if str(v).strip()] or None
    if spec.kind == "pair":
        low, high = (str(form.get(f"{key}_{i}") or "").strip() for i in (0, 1))
        return [_number(low, whole=True), _number(high, whole=True)] if low or high else None
    if spec.kind == "levels":
        levels = {lv: str(form.get(f"{key}_{lv}") or "").strip() for lv in _LEVELS}
        given = {lv: _number(v, whole=True) for lv, v in levels.items() if v}
        return given or None
    if spec.kind == "dates":
        return typed_days(text) or None
    if not text:
        return None
    if spec.kind == "int":
        return _number(text, whole=True)
    if spec.kind == "number":
        return _number(text, whole=False)
    return text


def with_form_settings(assigned: Any, form: Any) -> Any:
    """An upload without round.toml whose form carries the settings (``name``, ``start``,
    ``end``, ...): round.toml made from them. An upload with round.toml, or without any
    setting, is left as it is.

    Raises:
        Problems: Every problem of the settings (and of the upload).
    """
    from camp_planner.web.common import Problems

    if ROUND_TOML in assigned.files or not any(form.get(s.key) for s in FIELDS):
        return assigned
    text, problems, _ = check_settings(data_from_form(form, form.getlist))
    if text is None:
        raise Problems(assigned.problems + problems)
    assigned.files[ROUND_TOML] = text.encode("utf-8")
    return assigned


def _number(text: str, *, whole: bool) -> Any:
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        return text
    if whole:
        return int(number) if number.is_integer() else text
    return number


def check_settings(
    data: dict[str, Any], before: Mapping[str, Any] | None = None
) -> tuple[str | None, list[InputProblem], RoundConfig | None]:
    """The round.toml of a form's settings, or every problem with them.

    A value equal to its default is written only when the old round.toml wrote it
    (`before`); keys the form does not show (``change_cost``) are kept from `before`.

    Returns:
        (round.toml text or None, problems, the settings or None).
    """
    before = dict(before or {})
    written = {
        k: v for k, v in data.items() if k in before or k in ("name", "start", "end")
        or _differs_from_default(k, v)
    }  # fmt: skip
    out = Collector()
    config = round_from_data(written, out, ROUND_TOML)
    if config is None:
        return None, out.problems, None
    extra = {k: v for k, v in before.items() if k not in RoundConfig.model_fields}
    return round_toml_text(config, written, extra), [], config


def _differs_from_default(key: str, value: Any) -> bool:
    field = RoundConfig.model_fields[key]
    default = field.get_default(call_default_factory=True)
    spec = next(s for s in FIELDS if s.key == key)
    return bool(_shown(spec, default) != _shown_written(spec, value))


def _shown_written(spec: SettingField, value: Any) -> Any:
    if spec.kind == "levels" and isinstance(value, dict):
        return {lv: value.get(lv, 0) for lv in _LEVELS}
    if spec.kind == "number" and isinstance(value, float):
        return f"{value:g}"
    return value
