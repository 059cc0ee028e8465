"""Reading ``round.toml``: the settings of one round (docs/planning-folder.md), checked key
by key."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from camp_planner.i18n import N_, Message
from camp_planner.io.errors import Collector, InputProblem
from camp_planner.io.tables import AmbiguousDateError, parse_date
from camp_planner.models import Level, RoundConfig

ROUND_TOML = "round.toml"


_ROUND_REQUIRED = ("name", "start", "end")
_ROUND_KEYS = (
    *_ROUND_REQUIRED,
    "cohort_min",
    "cohort_max",
    "max_venues",
    "facilitators",
    "facilitator_unavailable",
    "lab_gap_days",
    "road_factor",
    "max_travel_km",
    "unapproved_a_level",
    "level_priority",
    "online_cohorts",
    "online_cohort_min",
    "mix_levels",
    "mix_age_groups",
    "language",
    "change_cost",  # read by `replan` (camp_planner.outputs.replan_files)
)


def read_round(path: Path, out: Collector) -> RoundConfig | None:
    """Read and check round.toml, recording problems (with line numbers) and notes.

    Args:
        path: The round.toml file.
        out: Where problems and notes go.

    Returns:
        The round's settings, or None when there were problems.
    """
    if not path.exists():
        out.problem(ROUND_TOML, None, None, None, N_("file round.toml (name, start, end, ...)"))
        return None
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        out.problems.append(_syntax_problem(text, exc))
        return None
    return round_from_data(data, out, ROUND_TOML, line_finder(text))


def line_finder(text: str) -> Callable[[str], int | None]:
    """key -> the number of the first line of `text` that sets it (None if none)."""
    lines = text.splitlines()

    def line_of(key: str) -> int | None:
        pattern = re.compile(rf"^\s*{re.escape(key)}\s*=")
        return next((i + 1 for i, line in enumerate(lines) if pattern.match(line)), None)

    return line_of


def round_from_data(
    data: dict[str, Any],
    out: Collector,
    label: str = ROUND_TOML,
    line_of: Callable[[str], int | None] = lambda key: None,
) -> RoundConfig | None:
    """Check a round's settings key by key (as read from TOML), recording every problem.

    Args:
        data: Key -> TOML value.
        out: Where problems and notes go.
        label: The file named in problems.
        line_of: The line a key is on, for problems.

    Returns:
        The round's settings, or None when there were problems.
    """
    before = len(out.problems)

    def bad(key: str, expected: str | Message) -> None:
        value = data.get(key)
        out.problem(label, line_of(key), key, _show(value), expected)

    for key in _ROUND_REQUIRED:
        if key not in data:
            out.problem(label, None, key, None, Message(N_("a key %(key)s"), key=repr(key)))
    unknown = [k for k in data if k not in _ROUND_KEYS]
    if unknown:
        out.notes.append(f"{label}: key(s) {', '.join(unknown)} not used (ignored)")
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key not in _ROUND_KEYS:
            continue
        checked = _round_value(key, value)
        if isinstance(checked, _Skip):
            continue
        if isinstance(checked, _Bad):
            bad(key, checked.expected)
        else:
            values[key] = checked
    start, end = values.get("start"), values.get("end")
    if start is not None and end is not None and end < start:
        bad("end", Message(N_("a date on or after start (%(start)s)"), start=start))
    low, high = values.get("cohort_min", 8), values.get("cohort_max", 10)
    if high < low:
        bad("cohort_max", Message(N_("at least cohort_min (%(low)s)"), low=low))
    online_min = values.get("online_cohort_min")
    if online_min is not None and online_min > high:
        bad("online_cohort_min", Message(N_("at most cohort_max (%(high)s)"), high=high))
    if len(out.problems) > before:
        out.problems[before:] = sorted(out.problems[before:], key=lambda p: p.row or 0)
        return None
    try:
        return RoundConfig(**values)
    except ValidationError as exc:  # pragma: no cover - the checks above mirror the model
        for err in exc.errors():
            field = str(err["loc"][0]) if err["loc"] else None
            out.problem(label, line_of(field) if field else None, field, None, err["msg"])
        return None


class _Skip:
    """A key another command reads (not a RoundConfig field)."""


class _Bad:
    def __init__(self, expected: str) -> None:
        self.expected = expected


def _round_value(key: str, value: Any) -> Any:
    """The checked value of one round.toml key, or a _Bad saying what was expected."""
    if key == "name":
        return value.strip() if isinstance(value, str) and value.strip() else _Bad(N_("a text"))
    if key in ("start", "end"):
        return _toml_date(value) or _Bad(N_("a date, e.g. 2027-01-04"))
    if key in ("cohort_min", "cohort_max", "max_venues", "facilitators"):
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 1
        return value if ok else _Bad(N_("a whole number >= 1"))
    if key == "facilitator_unavailable":
        days = [_toml_date(v) for v in value] if isinstance(value, list) else [None]
        return days if all(days) else _Bad(N_("a list of dates, e.g. [2027-02-15]"))
    if key == "lab_gap_days":
        ok = (
            isinstance(value, list)
            and len(value) == 2
            and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
            and 0 < value[0] <= value[1]
        )
        return tuple(value) if ok else _Bad(N_("[lo, hi], whole days with 0 < lo <= hi"))
    if key in ("road_factor", "max_travel_km"):
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if key == "road_factor":
            return value if number and value > 0 else _Bad(N_("a number > 0"))
        return value if number and value >= 0 else _Bad(N_("a number >= 0 (0 = no limit)"))
    if key == "unapproved_a_level":
        text = str(value).strip().upper()
        return Level(text) if text in ("A", "B", "C") else _Bad(N_('"A", "B" or "C"'))
    if key == "level_priority":
        return _level_priority(value)
    if key == "online_cohorts":
        return value if isinstance(value, bool) else _Bad(N_("true or false"))
    if key == "online_cohort_min":
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 1
        return value if ok else _Bad(N_("a whole number >= 1"))
    if key == "mix_levels":
        return _mix_levels(value)
    if key == "mix_age_groups":
        levels = [str(v).strip().upper() for v in value] if isinstance(value, list) else None
        if levels is None or any(v not in ("A", "B", "C") for v in levels):
            return _Bad(N_('a list of levels, e.g. ["A", "B"]'))
        return tuple(Level(v) for v in dict.fromkeys(levels))
    if key == "change_cost":
        return _Skip()
    if key == "language":
        text = str(value).strip().lower()
        return text if text in ("en", "da") else _Bad(N_('"en" or "da"'))
    return value  # pragma: no cover


def _level_priority(value: Any) -> Any:
    expected = N_("a table of levels and whole numbers >= 0, e.g. {A = 2, B = 1, C = 0}")
    if not isinstance(value, dict):
        return _Bad(expected)
    out = {Level.A: 0, Level.B: 0, Level.C: 0}
    for key, number in value.items():
        level = str(key).strip().upper()
        ok = isinstance(number, int) and not isinstance(number, bool) and number >= 0
        if level not in ("A", "B", "C") or not ok:
            return _Bad(expected)
        out[Level(level)] = number
    return out


def _mix_levels(value: Any) -> Any:
    """["A+B"] -> ("A+B",): each mix two or three distinct levels, written highest first."""
    expected = N_('a list of level mixes, e.g. ["A+B"] (two or three of A, B, C joined by +)')
    if not isinstance(value, list):
        return _Bad(expected)
    mixes = []
    for item in value:
        parts = [p.strip().upper() for p in str(item).split("+")]
        if (
            len(parts) < 2
            or len(set(parts)) != len(parts)
            or any(p not in ("A", "B", "C") for p in parts)
        ):
            return _Bad(expected)
        mixes.append("+".join(sorted(parts)))
    return tuple(dict.fromkeys(mixes))


def _toml_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return parse_date(value)
        except AmbiguousDateError:
            return None
    return None


#: What each key expects, for a line TOML cannot read.
_KEY_EXPECTED = {
    "name": N_('a text in quotes, e.g. name = "2027-Q1"'),
    "start": N_('a date, e.g. start = 2027-01-04 (or in quotes: start = "04-01-2027")'),
    "end": N_('a date, e.g. end = 2027-03-26 (or in quotes: end = "26-03-2027")'),
    "facilitator_unavailable": N_("a list of dates, e.g. [2027-02-15, 2027-02-16]"),
    "lab_gap_days": N_("two whole numbers of days, e.g. [14, 42]"),
    "unapproved_a_level": N_('a level in quotes: "A", "B" or "C"'),
}


def _syntax_problem(text: str, exc: tomllib.TOMLDecodeError) -> InputProblem:
    """A TOML syntax error as a problem naming the line, its key and what it expects."""
    match = re.search(r"line (\d+)", str(exc))
    line = int(match.group(1)) if match else None
    content = text.splitlines()[line - 1] if line and line <= len(text.splitlines()) else ""
    key_match = re.match(r"\s*([A-Za-z0-9_\-]+)\s*=\s*(.*?)\s*(#.*)?$", content)
    if key_match is None:
        lines = Message(N_("key = value lines (%(error)s)"), error=str(exc))
        return InputProblem.of(ROUND_TOML, line, None, content.strip() or None, lines)
    key, value = key_match.group(1), key_match.group(2)
    if key in _KEY_EXPECTED:
        expected = Message(_KEY_EXPECTED[key])
    elif key in _ROUND_KEYS:
        expected = Message(N_("a number") if key not in ("name",) else N_("a text in quotes"))
    else:
        expected = Message(N_("a valid value (%(error)s)"), error=str(exc))
    unreadable = Message(N_("%(expected)s (TOML cannot read this line)"), expected=expected)
    return InputProblem.of(ROUND_TOML, line, key, value, unreadable)


def _show(value: Any) -> str | None:
    """A TOML value as it would be written (``true``, not ``True``)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list):
        return "[" + ", ".join(str(_show(v)) for v in value) + "]"
    return str(value)
