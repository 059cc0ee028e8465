"""What-if scenarios: named changes to a round, applied to a planning problem.

A :class:`Scenario` overrides some of the round's settings (``max_venues``,
``max_travel_km``, ``facilitators``, ``cohort_min``, ``cohort_max``) and some venues'
status (``required`` / ``closed`` / ``candidate``); everything it does not name stays as the
planning folder says. :func:`apply_scenario` turns a problem into the scenario's problem,
which the ordinary roster solver (:func:`camp_planner.scheduler.solve`) then solves: the
what-if uses the same model as the roster, not a second one.

Scenarios file (``scenarios.toml``)
-----------------------------------

One ``[[scenario]]`` table per scenario, in the order the comparison shows them::

    [[scenario]]
    name = "Skive closed"
    closed = ["skive"]              # venue ids from venues.csv

    [[scenario]]
    name = "Ringkøbing required"
    required = ["ringkobing"]

    [[scenario]]
    name = "two facilitators, 5 venues"
    facilitators = 2
    max_venues = 5

    [[scenario]]
    name = "nobody over 60 km"
    max_travel_km = 60              # 0 = no limit
    cohort_min = 6
    cohort_max = 10
    candidate = ["lemvig"]          # reopen a venue the folder marks closed or required

Keys: ``name`` (required, unique), ``max_venues``, ``max_travel_km``, ``facilitators``,
``cohort_min``, ``cohort_max`` (numbers replacing round.toml's), ``required``, ``closed``,
``candidate`` (lists of venue ids whose status is set so). A venue id the folder does not
know is an error that lists the known ids; so is a venue in two of the lists.

The first row of the comparison is the baseline, which every other row is compared with:
the scenario named ``baseline`` (any case) if the file has one, otherwise the planning
folder as it is, added under the name ``baseline``.

``--venues 4-8`` instead makes one scenario per number of venues, ``4 venues`` ...
``8 venues`` (only ``max_venues`` changes), the first of the range being the baseline.
"""

from __future__ import annotations

import os
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Sequence
from difflib import get_close_matches
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from camp_planner.models import PlanningProblem, RoundConfig, Venue, VenueStatus

__all__ = [
    "BASELINE",
    "ROUND_KEYS",
    "Scenario",
    "ScenarioError",
    "apply_scenario",
    "parse_venue_range",
    "scenarios_from_toml",
    "slugify",
    "venue_range_scenarios",
    "with_baseline",
]

#: Name of the scenario every other one is compared with.
BASELINE = "baseline"
#: Scenario keys that replace a round.toml setting.
ROUND_KEYS = ("max_venues", "max_travel_km", "facilitators", "cohort_min", "cohort_max")
#: Scenario keys that set venues' status.
STATUS_KEYS: dict[str, VenueStatus] = {
    "required": VenueStatus.REQUIRED,
    "closed": VenueStatus.CLOSED,
    "candidate": VenueStatus.CANDIDATE,
}
_RANGE = re.compile(r"^\s*(\d+)\s*(?:(?:-|\.\.|–)\s*(\d+)\s*)?$")


class ScenarioError(ValueError):
    """A scenario (or a scenarios file, or a ``--venues`` range) cannot be used.

    Args:
        problems: Every problem found, one sentence each.
    """

    def __init__(self, problems: str | Iterable[str]) -> None:
        self.problems: list[str] = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


class Scenario(BaseModel):
    """A named change to the round; None / empty means "as the planning folder says"."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1)
    max_venues: int | None = Field(default=None, ge=1)
    max_travel_km: float | None = Field(default=None, ge=0)
    facilitators: int | None = Field(default=None, ge=1)
    cohort_min: int | None = Field(default=None, ge=1)
    cohort_max: int | None = Field(default=None, ge=1)
    required: tuple[str, ...] = ()
    closed: tuple[str, ...] = ()
    candidate: tuple[str, ...] = ()

    def __init__(self, name: str | None = None, /, **data: Any) -> None:
        if name is not None:
            data["name"] = name
        super().__init__(**data)

    @field_validator("name")
    @classmethod
    def _strip(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("a scenario needs a non-empty name")
        return value

    @field_validator("required", "closed", "candidate", mode="before")
    @classmethod
    def _ids(cls, value: object) -> object:
        if isinstance(value, str):
            return (value,)
        return value

    @property
    def is_baseline(self) -> bool:
        """True for the scenario named ``baseline`` (any case)."""
        return self.name.casefold() == BASELINE

    def changes(self) -> str:
        """What the scenario changes, in words, e.g. ``closed: skive; max_venues = 5``."""
        parts = [
            f"{key} = {getattr(self, key):g}"
            for key in ROUND_KEYS
            if getattr(self, key) is not None
        ]
        parts += [f"{key}: {', '.join(ids)}" for key in STATUS_KEYS if (ids := getattr(self, key))]
        return "; ".join(parts) if parts else "as planned"


def _venue_statuses(problem: PlanningProblem, scenario: Scenario) -> dict[str, VenueStatus]:
    known = [v.venue_id for v in problem.venues]
    problems: list[str] = []
    seen: dict[str, str] = {}
    wanted: dict[str, VenueStatus] = {}
    for key, status in STATUS_KEYS.items():
        for venue_id in getattr(scenario, key):
            if venue_id in seen and seen[venue_id] != key:
                problems.append(
                    f"scenario {scenario.name!r}: venue {venue_id!r} is both {seen[venue_id]} "
                    f"and {key}"
                )
            seen[venue_id] = key
            wanted[venue_id] = status
    unknown = [v for v in wanted if v not in known]
    if unknown:
        hints = [
            f"{u!r} (did you mean {close[0]!r}?)" if (close := get_close_matches(u, known, 1))
            else repr(u)
            for u in unknown
        ]  # fmt: skip
        problems.append(
            f"scenario {scenario.name!r}: unknown venue id{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(hints)}; the planning folder's venues are: {', '.join(known)}"
        )
    if problems:
        raise ScenarioError(problems)
    return wanted


def apply_scenario(problem: PlanningProblem, scenario: Scenario) -> PlanningProblem:
    """The planning problem with the scenario's changes; `problem` itself when there are none.

    Args:
        problem: The planning folder's problem.
        scenario: The changes.

    Returns:
        A new, validated problem (the same object when the scenario changes nothing, so a
        scenario equal to the plain folder is solved exactly like the roster).

    Raises:
        ScenarioError: An unknown venue id (the message lists the known ones), a venue in two
            status lists, or settings the round does not accept (e.g. cohort_max < cohort_min).
    """
    statuses = _venue_statuses(problem, scenario)
    update: dict[str, Any] = {}
    round_changes = {
        key: getattr(scenario, key)
        for key in ROUND_KEYS
        if getattr(scenario, key) is not None
        and getattr(scenario, key) != getattr(problem.round, key)
    }
    if round_changes:
        data = {**problem.round.model_dump(), **round_changes}
        try:
            update["round"] = RoundConfig.model_validate(data)
        except ValidationError as exc:
            messages = [err["msg"].removeprefix("Value error, ") for err in exc.errors()]
            raise ScenarioError(f"scenario {scenario.name!r}: {'; '.join(messages)}") from None
    if any(v.status != statuses[v.venue_id] for v in problem.venues if v.venue_id in statuses):
        update["venues"] = tuple(
            _with_status(v, statuses[v.venue_id]) if v.venue_id in statuses else v
            for v in problem.venues
        )
    if not update:
        return problem
    return problem.model_copy(update=update)


def _with_status(venue: Venue, status: VenueStatus) -> Venue:
    return venue if venue.status == status else venue.model_copy(update={"status": status})


def parse_venue_range(text: str) -> tuple[int, int]:
    """``"4-8"`` -> ``(4, 8)``; a single number ``"6"`` -> ``(6, 6)``.

    Raises:
        ScenarioError: Not a range of whole numbers from 1 upwards, low to high.
    """
    match = _RANGE.match(text or "")
    if not match:
        raise ScenarioError(f"--venues {text!r}: expected a number of venues or a range like 4-8")
    low = int(match.group(1))
    high = int(match.group(2)) if match.group(2) is not None else low
    if low < 1 or high < low:
        raise ScenarioError(
            f"--venues {text!r}: expected a range from low to high, at least 1 (e.g. 4-8)"
        )
    return low, high


def venue_range_scenarios(text: str, venue_count: int | None = None) -> list[Scenario]:
    """One scenario per number of venues: ``"4-8"`` -> ``4 venues`` ... ``8 venues``.

    Args:
        text: The range, e.g. ``"4-8"``.
        venue_count: Venues in the planning folder; when given, a range beyond it is an error.

    Raises:
        ScenarioError: A bad range.
    """
    low, high = parse_venue_range(text)
    if venue_count is not None and high > venue_count:
        raise ScenarioError(
            f"--venues {text!r}: the planning folder has only {venue_count} venue"
            f"{'s' if venue_count != 1 else ''}"
        )
    return [
        Scenario(f"{n} venue{'s' if n != 1 else ''}", max_venues=n) for n in range(low, high + 1)
    ]


def with_baseline(scenarios: Sequence[Scenario]) -> list[Scenario]:
    """The scenarios with the baseline first: the one named ``baseline``, else the plain
    folder prepended as ``baseline``."""
    base = [s for s in scenarios if s.is_baseline]
    if base:
        return [base[0], *(s for s in scenarios if s is not base[0])]
    return [Scenario(BASELINE), *scenarios]


def _where(index: int, entry: object) -> str:
    name = entry.get("name") if isinstance(entry, dict) else None
    return f"scenario {index}" + (f" ({name!r})" if isinstance(name, str) and name else "")


def scenarios_from_toml(text: str, source: str = "scenarios.toml") -> list[Scenario]:
    """Parse a scenarios file (format in the module docstring), in file order.

    Args:
        text: The file's text.
        source: The file's name, for messages.

    Returns:
        The scenarios as written (the baseline is added by :func:`with_baseline`).

    Raises:
        ScenarioError: Every problem found: TOML syntax, unknown keys, wrong types, duplicate
            names, no scenario at all.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{source}: not valid TOML: {exc}") from None
    example = '[[scenario]]\nname = "Skive closed"\nclosed = ["skive"]'
    problems = [
        f"{source}: unknown top-level key {key!r}; expected only [[scenario]] tables"
        for key in data
        if key != "scenario"
    ]
    entries = data.get("scenario", [])
    if not isinstance(entries, list) or not entries:
        problems.append(f"{source}: expected at least one scenario, written as\n{example}")
        raise ScenarioError(problems)
    allowed = ", ".join(Scenario.model_fields)
    scenarios: list[Scenario] = []
    for index, entry in enumerate(entries, start=1):
        where = f"{source}, {_where(index, entry)}"
        if not isinstance(entry, dict):
            problems.append(f"{where}: expected a [[scenario]] table")
            continue
        try:
            scenarios.append(Scenario.model_validate(entry))
        except ValidationError as exc:
            for err in exc.errors():
                key = ".".join(str(part) for part in err["loc"]) or "name"
                if err["type"] == "extra_forbidden":
                    problems.append(f"{where}: unknown key {key!r}; known keys: {allowed}")
                elif err["type"] == "missing":
                    problems.append(f"{where}: {key!r} is required")
                else:
                    msg = err["msg"].removeprefix("Value error, ")
                    problems.append(f"{where}: {key} = {err['input']!r}: {msg}")
    raw = [
        e["name"].strip()
        for e in entries
        if isinstance(e, dict) and isinstance(e.get("name"), str) and e["name"].strip()
    ]
    folded = [n.casefold() for n in raw]
    dupes = sorted({n for n in raw if folded.count(n.casefold()) > 1})
    if dupes:
        problems.append(f"{source}: duplicate scenario name(s): {', '.join(dupes)}")
    if problems:
        raise ScenarioError(problems)
    return scenarios


_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "aa", "Æ": "AE", "Ø": "O", "Å": "AA"})
_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(name: str, taken: set[str] | None = None) -> str:
    """A file-name-safe name: ``"Ringkøbing required"`` -> ``ringkobing-required``.

    Args:
        name: A scenario name.
        taken: Slugs already used; the result is added to it, with ``-2``, ``-3`` ... when
            needed to stay unique.
    """
    folded = unicodedata.normalize("NFKD", name.translate(_FOLD))
    ascii_name = folded.encode("ascii", "ignore").decode().lower()
    slug = _NOT_SLUG.sub("-", ascii_name).strip("-") or "scenario"
    if taken is None:
        return slug
    candidate, n = slug, 1
    while candidate in taken:
        n += 1
        candidate = f"{slug}-{n}"
    taken.add(candidate)
    return candidate


def read_scenarios(path: str | os.PathLike[str]) -> list[Scenario]:
    """Read a scenarios.toml file (format: :mod:`camp_planner.whatif.scenarios`).

    Args:
        path: The file.

    Returns:
        The scenarios in file order (without the added baseline).

    Raises:
        ScenarioError: The file cannot be read or has mistakes (all of them listed).
    """
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(f"{file}: no such scenarios file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"{file}: cannot be read: {exc}") from None
    return scenarios_from_toml(text, source=str(file))
