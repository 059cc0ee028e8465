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
from camp_planner.models import RoundConfig

ROUND_TOML = "round.toml"


#: The keys of round.toml: the settings of :class:`RoundConfig`, and ``change_cost``, which
#: ``replan`` reads (camp_planner.replan).
ROUND_KEYS: tuple[str, ...] = (*RoundConfig.model_fields, "change_cost")


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
    """Check a round's settings (as read from TOML) through :class:`RoundConfig`, recording
    every problem.

    The rules are the model's; this reader only turns TOML's forms into the model's (dates
    written as text, day first too), notes unknown keys, and maps the model's errors to
    problems (file, line, key, value, what was expected).

    Args:
        data: Key -> TOML value.
        out: Where problems and notes go.
        label: The file named in problems.
        line_of: The line a key is on, for problems.

    Returns:
        The round's settings, or None when there were problems.
    """
    unknown = [k for k in data if k not in ROUND_KEYS]
    if unknown:
        keys = ", ".join(unknown)
        out.notes.append(
            Message(N_("%(file)s: key(s) %(keys)s not used (ignored)"), file=label, keys=keys)
        )
    values = {k: _model_form(k, v) for k, v in data.items() if k in RoundConfig.model_fields}
    try:
        return RoundConfig.model_validate(values, context={"written": set(values)})
    except ValidationError as exc:
        problems = []
        seen: set[str] = set()
        for err in exc.errors():
            key = str(err["loc"][0]) if err["loc"] else ""
            if key in seen:
                continue
            seen.add(key)
            if err["type"] == "missing":
                expected = Message(N_("a key %(key)s"), key=repr(key))
                problems.append(InputProblem.of(label, None, key, None, expected))
                continue
            row = line_of(key)
            problems.append(InputProblem.of(label, row, key, _show(data.get(key)), _expected(err)))
        out.problems.extend(sorted(problems, key=lambda p: p.row or 0))
        return None


#: What each key expects, when its value is not one the round accepts.
_EXPECTED: dict[str, str] = {
    "name": N_("a text"),
    "start": N_("a date, e.g. 2027-01-04"),
    "end": N_("a date, e.g. 2027-01-04"),
    "cohort_min": N_("a whole number >= 1"),
    "cohort_max": N_("a whole number >= 1"),
    "max_venues": N_("a whole number >= 1"),
    "facilitators": N_("a whole number >= 1"),
    "online_cohort_min": N_("a whole number >= 1"),
    "facilitator_unavailable": N_("a list of dates, e.g. [2027-02-15]"),
    "lab_gap_days": N_("[lo, hi], whole days with 0 < lo <= hi"),
    "road_factor": N_("a number > 0"),
    "max_travel_km": N_("a number >= 0 (0 = no limit)"),
    "unapproved_a_level": N_('"A", "B" or "C"'),
    "level_priority": N_("a table of levels and whole numbers >= 0, e.g. {A = 2, B = 1, C = 0}"),
    "online_cohorts": N_("true or false"),
    "mix_levels": N_('a list of level mixes, e.g. ["A+B"] (two or three of A, B, C joined by +)'),
    "mix_age_groups": N_('a list of levels, e.g. ["A", "B"]'),
    "language": N_('"en" or "da"'),
    "coordinator_name": N_("a text"),
    "coordinator_email": N_("an e-mail address, e.g. name@region.dk"),
    "session_start": N_('a time of day, e.g. "09:00"'),
    "session_end": N_('a time of day, e.g. "09:00"'),
    "reply_by": N_("a date, e.g. 2027-01-04"),
}


def _expected(err: Any) -> Message:
    """What a model error on one key expected, in words."""
    ctx = err.get("ctx") or {}
    if err["type"] == "end_before_start":
        return Message(N_("a date on or after start (%(start)s)"), start=ctx["start"])
    if err["type"] == "cohort_max_below_min":
        return Message(N_("at least cohort_min (%(low)s)"), low=ctx["low"])
    if err["type"] == "online_min_above_max":
        return Message(N_("at most cohort_max (%(high)s)"), high=ctx["high"])
    if err["type"] == "session_hours_pair":
        return Message(N_("both session_start and session_end, or neither"))
    if err["type"] == "session_end_before_start":
        return Message(N_("a time after session_start (%(start)s)"), start=ctx["start"])
    key = str(err["loc"][0]) if err["loc"] else ""
    return Message(_EXPECTED.get(key, N_("a valid value")))


def _model_form(key: str, value: Any) -> Any:
    """A TOML value in the form the model takes: dates written as text become dates."""
    if key in ("start", "end", "reply_by"):
        return _toml_date(value) or value
    if key == "facilitator_unavailable" and isinstance(value, list):
        return [_toml_date(v) or v for v in value]
    return value


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
    elif key in ROUND_KEYS:
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
