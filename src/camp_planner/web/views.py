"""What the pages show, as plain data: the plan's groups, the roster by venue, the
facilitator's calendar, the what-if comparison. The words are the templates' (translated
there); texts defined here are marked with :func:`~camp_planner.web.i18n.N_`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

from camp_planner.io.errors import InputProblem
from camp_planner.models import (
    SESSION_DAYS,
    AgeGroup,
    PlanningProblem,
    Roster,
    Step,
    UnplacedCode,
    Venue,
)
from camp_planner.models.groups import (
    CANNOT_FILL,
    fillable_people,
    group_counts,
    group_status,
    no_next_step,
)
from camp_planner.web.i18n import N_, library_gettext
from camp_planner.web.programme import PROGRAMME_KIND, PROGRAMME_LINES
from camp_planner.web.reason_words import reason_shown, settings_in_words
from camp_planner.web.remedy_names import REMEDY_KIND, remedy_name

__all__ = [
    "AGE_LABELS",
    "CODE_LABELS",
    "STEP_LABELS",
    "comparison_view",
    "expected_text",
    "places_shown",
    "plan_view",
    "progress_text",
    "reason_shown",
    "roster_view",
    "settings_in_words",
]

STEP_LABELS: dict[Step, str] = {
    Step.MODULE1: N_("Module 1"),
    Step.LAB1: N_("Lab 1"),
    Step.MODULE2: N_("Module 2"),
    Step.LAB2: N_("Lab 2"),
}
AGE_LABELS: dict[str, str] = {
    AgeGroup.YOUNG.value: N_("young"),
    AgeGroup.ESTABLISHED.value: N_("established"),
    "mixed": N_("mixed"),
}
#: The venue id of an online cohort (no venue, no travel).
ONLINE = "online"
STATUS_LABELS: dict[str, str] = {
    "candidate": N_("candidate"),
    "required": N_("required"),
    "closed": N_("closed"),
}
CODE_LABELS: dict[str, str] = {
    UnplacedCode.SEGMENT_TOO_SMALL.value: N_("group too small for a cohort"),
    UnplacedCode.CAPACITY.value: N_("no room left"),
    UnplacedCode.NOT_ELIGIBLE.value: N_("not eligible"),
    UnplacedCode.TRACK_COMPLETE.value: N_("track complete"),
    UnplacedCode.UNAVAILABLE.value: N_("unavailable on every possible date"),
    UnplacedCode.TOO_FAR.value: N_("too far from every venue"),
    UnplacedCode.PRIORITY.value: N_("others went first (priority)"),
    UnplacedCode.LATER_ROUND.value: N_("placed in a later round"),
    UnplacedCode.NOT_YET_AVAILABLE.value: N_("not available yet"),
}
JOB_STATUS_LABELS: dict[str, str] = {
    "queued": N_("Waiting in the queue"),
    "running": N_("Running"),
    "done": N_("Done"),
    "failed": N_("Failed"),
    "cancelled": N_("Stopped"),
}
KIND_LABELS = {
    "solve": N_("Roster"), "whatif": N_("What-if"), "send": N_("Sending"),  # send: the outbox's
    **PROGRAMME_KIND, **REMEDY_KIND,
}  # fmt: skip


# -- the plan ---------------------------------------------------------------------------------


def expected_text(problem: InputProblem, lang: str) -> str:
    """What an input problem expected, in the page's language (the JSON API and the
    commands keep the English `expected`)."""
    return problem.expected_in(lang, library_gettext(lang))


def plan_view(problem: PlanningProblem) -> dict[str, Any]:
    """The round, its groups of companies (those too small for a cohort marked) and venues."""
    rnd = problem.round
    groups = []
    for segment, (companies, people) in group_counts(problem).items():
        status = group_status(people, rnd.cohort_min, rnd.cohort_max)
        kind = "ok" if status == "ok" else ("small" if status == CANNOT_FILL else "partly")
        groups.append(
            {
                "module": _step(segment.module),
                "level": segment.level.value,
                "age_group": AGE_LABELS.get(segment.age_group.value, segment.age_group.value),
                "companies": companies,
                "people": people,
                "status": kind,
                "fit": fillable_people(people, rnd.cohort_min, rnd.cohort_max),
            }
        )
    finished = no_next_step(problem)
    return {
        "round": rnd,
        "working_days": len(problem.working_days()),
        "companies": len(problem.companies),
        "people": sum(c.participants for c in problem.companies),
        "groups": groups,
        "small_groups": sum(g["status"] == "small" for g in groups),
        "track_complete": finished["track_complete"],
        "not_eligible": finished["not_eligible"],
        "below_c": sum(c.below_c for c in problem.companies),
        "venues": [
            {
                "venue_id": v.venue_id,
                "name": v.name,
                "town": v.town or "",
                "residential": v.residential,
                "max_cohorts": v.max_cohorts,
                "status": STATUS_LABELS.get(v.status.value, v.status.value),
                "closed": v.status.value == "closed",
                "unavailable": len(v.unavailable),
            }
            for v in problem.venues
        ],
    }


# -- the roster -------------------------------------------------------------------------------


@dataclass
class CohortRow:
    cohort_id: str
    module: str
    level: str
    age_group: str
    people: int
    sessions: list[tuple[str, list[date]]]
    members: list[str]


@dataclass
class VenueBlock:
    venue_id: str
    name: str
    town: str
    residential: bool
    cohorts: list[CohortRow] = field(default_factory=list)


def _step(step: Step) -> str:
    return STEP_LABELS.get(step, str(step))


def _place(venue: Venue | None, venue_id: str) -> tuple[str, str]:
    if venue is None:
        return (N_("Online") if venue_id == ONLINE else venue_id), ""
    town = venue.town if venue.town and venue.town.casefold() != venue.name.casefold() else ""
    return venue.name, town


def roster_view(problem: PlanningProblem, roster: Roster) -> dict[str, Any]:
    """Cohorts by venue, the facilitator's calendar and the unplaced, for the roster page."""
    companies = {c.company_id: c for c in problem.companies}
    venues = {v.venue_id: v for v in problem.venues}
    blocks: dict[str, VenueBlock] = {}
    calendar: list[dict[str, Any]] = []
    for cohort in roster.cohorts:
        venue = venues.get(cohort.venue_id)
        name, town = _place(venue, cohort.venue_id)
        block = blocks.setdefault(
            cohort.venue_id,
            VenueBlock(cohort.venue_id, name, town, bool(venue and venue.residential)),
        )
        people = sum(companies[m].participants if m in companies else 1 for m in cohort.members)
        sessions = sorted(
            ((_step(s.step), sorted(s.dates)) for s in cohort.sessions),
            key=lambda item: item[1][0] if item[1] else date.max,
        )
        block.cohorts.append(
            CohortRow(
                cohort.cohort_id,
                _step(cohort.module),
                cohort.level.value,
                AGE_LABELS.get(cohort.age_group.value, cohort.age_group.value),
                people,
                sessions,
                [companies[m].name if m in companies else m for m in cohort.members],
            )
        )
        for session in cohort.sessions:
            days = sorted(session.dates)
            length = max(len(days), SESSION_DAYS.get(session.step, 1))
            for i, day in enumerate(days, start=1):
                calendar.append(
                    {
                        "date": day,
                        "cohort_id": cohort.cohort_id,
                        "step": _step(session.step),
                        "day": f"{i}/{length}" if length > 1 else "",
                        "venue": name,
                        "people": people,
                        "off": False,
                    }
                )
    for day in sorted(problem.round.facilitator_unavailable):
        calendar.append({"date": day, "off": True})
    calendar.sort(key=lambda row: (row["date"], row.get("cohort_id", "")))
    unplaced: list[dict[str, Any]] = [
        {
            "company_id": u.company_id,
            "name": companies[u.company_id].name if u.company_id in companies else "",
            "town": (companies[u.company_id].town or "") if u.company_id in companies else "",
            "code": CODE_LABELS.get(u.code.value, u.code.value),
            "reason": u.reason,
            "reason_code": u.reason_code,
            "reason_values": u.reason_values,
        }
        for u in roster.unplaced
    ]
    # by reason, then by name (the id where a name is missing)
    unplaced.sort(key=lambda u: (u["code"], (u["name"] or u["company_id"]).casefold()))
    ordered = sorted(blocks.values(), key=lambda b: b.name.casefold())
    return {
        "venues": ordered,
        "calendar": calendar,
        "unplaced": unplaced,
        "people": sum(c.people for b in ordered for c in b.cohorts),
    }


def places_shown(problem: PlanningProblem, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of fit.csv or changes.csv as a page shows them: each ``*venue_id`` cell the
    venue's name (``Online`` for online), each ``*dates`` cell its days as dates (the page's
    ``day`` filter writes them); the files and the API keep the ids and ISO dates."""
    venues = {v.venue_id: v for v in problem.venues}
    shown = []
    for row in rows:
        out = dict(row)
        for key, value in row.items():
            if key.endswith("venue_id") and value:
                out[key] = _place(venues.get(str(value)), str(value))[0]
            elif key.endswith("dates"):
                out[key] = [date.fromisoformat(d) for d in str(value or "").split(";") if d]
        shown.append(out)
    return shown


# -- progress ---------------------------------------------------------------------------------

_SCENARIO = re.compile(r"scenario (\d+)/(\d+) \((.*)\): (.*)", re.S)
_NUMBER = r"(\d[\d,]*(?:\.\d+)?)"
_PLACED = re.compile(r"companies placed: (\d+) \([a-z ]*?(\d+), [\d.]+ s\)")
_TRAVEL = re.compile(rf"travel km: {_NUMBER} \([a-z ]*?{_NUMBER}, [\d.]+ s\)")
_FIXED = {
    "reading the plan": N_("Reading the plan"),
    "building the model": N_("Building the model"),
    "solving": N_("Solving"),
    "writing the files": N_("Writing the files"),
    **PROGRAMME_LINES,
    "members' unavailable days rule out this assignment; trying the next best": N_(
        "The members' unavailable days rule out this roster; trying the next best"
    ),
}


_DONE = re.compile(r"done: (OPTIMAL|FEASIBLE|INFEASIBLE|UNKNOWN|MODEL_INVALID)")
_DONE_SCENARIOS = re.compile(r"done: (\d+) scenarios?")
_SOLVER_WORDS = {"OPTIMAL": N_("proven best"), "FEASIBLE": N_("not proven best")}


def _ngettext_of(gettext: Callable[[str], str]) -> Callable[[str, str, int], str]:
    """``ngettext`` of the catalogue `gettext` belongs to (English rules without one)."""
    found = getattr(getattr(gettext, "__self__", None), "ngettext", None)
    if found is not None:
        return cast("Callable[[str, str, int], str]", found)
    return lambda one, many, n: one if n == 1 else many


def _scenario_name(name: str, gettext: Callable[[str], str]) -> str:
    """A `--venues` scenario's name ("5 venues") in the page's language; others as named."""
    if match := _VENUES_NAME.fullmatch(name):
        n = int(match[1])
        return _ngettext_of(gettext)("%(n)s venue", "%(n)s venues", n) % {"n": n}
    return gettext("baseline") if name == "baseline" else remedy_name(name, gettext)


def progress_text(line: str, gettext: Callable[[str], str], number: Callable[..., str]) -> str:
    """A worker's progress line in the page's language (unknown lines as they are)."""
    if match := _SCENARIO.fullmatch(line):
        inner = progress_text(match[4], gettext, number)
        return gettext("Scenario %(i)s of %(n)s (%(name)s): %(what)s") % {
            "i": match[1], "n": match[2], "name": _scenario_name(match[3], gettext),
            "what": inner,
        }  # fmt: skip
    if match := _DONE.fullmatch(line):
        status = match[1]
        word = gettext(_SOLVER_WORDS[status]) if status in _SOLVER_WORDS else status
        return gettext("Done: %(result)s") % {"result": word}
    if match := _DONE_SCENARIOS.fullmatch(line):
        n = int(match[1])
        ngettext = _ngettext_of(gettext)
        return ngettext("Done: %(n)s scenario", "Done: %(n)s scenarios", n) % {"n": n}
    if match := _PLACED.fullmatch(line):
        return gettext("Placing companies: %(placed)s so far (at most %(most)s possible)") % {
            "placed": match[1],
            "most": match[2],
        }
    if match := _TRAVEL.fullmatch(line):
        km, bound = (float(m.replace(",", "")) for m in (match[1], match[2]))
        return gettext("Shortening travel: %(km)s km so far (at least %(bound)s km)") % {
            "km": number(km),
            "bound": number(bound),
        }
    if line in _FIXED:
        return gettext(_FIXED[line])
    return line


# -- the what-if comparison -------------------------------------------------------------------

METRICS: list[tuple[str, str, str, int]] = [
    # (column, label, kind, better) - kind: count, km, share, venues, status; better: +1 when
    # more is better, -1 when less is, 0 when neither
    ("venues", N_("Venues used"), "venues", 0),
    ("cohorts", N_("Cohorts"), "count", 0),
    ("placed", N_("Companies placed"), "count", 1),
    ("unplaced", N_("Companies without a place"), "count", -1),
    ("travel_km_total", N_("Total travel (km, one way)"), "km", -1),
    ("travel_km_mean", N_("Mean travel per company (km)"), "km", -1),
    ("travel_km_p90", N_("Nine in ten travel at most (km)"), "km", -1),
    ("travel_km_max", N_("Longest travel (km)"), "km", -1),
    ("share_within_50km", N_("Share within 50 km"), "share", 1),
    ("facilitator_days", N_("Facilitator days"), "count", 0),
    ("status", N_("Result"), "status", 0),
]


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


_VENUES_NAME = re.compile(r"(\d+) venues?")
_CHANGE_KEYS = ("max_venues", "facilitators", "max_travel_km", "cohort_min", "cohort_max")


def _changes(entry: dict[str, Any], venue_names: dict[str, str]) -> list[tuple[str, Any]]:
    """What a scenario changes, as (key, value) pairs the template puts into words."""
    out: list[tuple[str, Any]] = [
        (k, entry[k]) for k in _CHANGE_KEYS if entry.get(k) not in (None, "")
    ]
    for key in ("closed", "required", "candidate"):
        ids = entry.get(key) or []
        if ids:
            out.append((key, ", ".join(venue_names.get(v, v) for v in ids)))
    return out


#: the whatif.csv column saying whether a metric's change is beyond the solver's gaps
_SIGNIFICANCE = {
    "placed": "significant_placed",
    "unplaced": "significant_placed",
    "travel_km_total": "significant_travel_km_total",
}


def _within_gaps(row: dict[str, Any], column: str) -> bool:
    """Whether the row's change in `column` is within the two rosters' gaps (whatif.csv's
    ``significant_*`` is false): not a difference the solver has shown."""
    flag = row.get(_SIGNIFICANCE.get(column, ""))
    return str(flag).strip().lower() in ("false", "0")


#: The objective's order (docs/DOMAIN): a figure's change is only a gain or a loss when no
#: figure of an earlier rank got worse (placed first, then travel).
_RANK = {
    "placed": 0, "unplaced": 0,
    "travel_km_total": 1, "travel_km_mean": 1, "travel_km_p90": 1, "travel_km_max": 1,
    "share_within_50km": 1,
}  # fmt: skip


def _worse_ranks(row: dict[str, Any], base: dict[str, Any]) -> set[int]:
    """The ranks in which the row has a figure worse than the baseline's."""
    out: set[int] = set()
    for column, _label, _kind, better in METRICS:
        rank = _RANK.get(column)
        value, ref = row.get(column), base.get(column)
        if rank is None or better == 0 or value is None or ref is None:
            continue
        if _missing(value) or _missing(ref):
            continue
        if (float(value) - float(ref)) * better < -1e-9:
            out.add(rank)
    return out


def _verdict(cell: dict[str, Any], change: float, better: int, outranked: bool) -> None:
    sign = (change > 1e-9) - (change < -1e-9)
    cell["verdict"] = (
        "same" if sign == 0 else
        "neutral" if better == 0 else
        "better" if sign == better else "worse"
    )  # fmt: skip
    if cell["verdict"] in ("better", "worse") and outranked:
        cell["verdict"] = "neutral"  # an earlier figure is worse: this one decides nothing
        cell["outranked"] = True


def comparison_view(
    columns: list[str],
    data: list[list[Any]],
    venue_names: dict[str, str],
    params: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """The comparison table: one row per metric, one column per scenario (baseline first),
    with each scenario's change against the baseline.

    Args:
        columns: The what-if table's columns (``whatif.csv``).
        data: Its rows.
        venue_names: venue_id -> name.
        params: The job's request (``venues`` or ``scenarios``), to say what each scenario
            changes.
    """
    params = params or {}
    rows = [dict(zip(columns, row, strict=False)) for row in data]
    scenarios = [str(r.get("scenario", "")) for r in rows]
    defined = {str(s.get("name", "")).strip(): s for s in params.get("scenarios") or []}
    headers: list[dict[str, Any]] = []
    for name in scenarios:
        match = _VENUES_NAME.fullmatch(name) if params.get("venues") else None
        if match:
            headers.append(
                {"name": name, "venues": int(match[1]), "changes": [("max_venues", int(match[1]))]}
            )
        elif name in defined:
            headers.append({"name": name, "changes": _changes(defined[name], venue_names)})
        else:
            headers.append({"name": name, "baseline": name == "baseline", "changes": []})
    base = rows[0] if rows else {}
    out = []
    for column, label, kind, better in METRICS:
        if column not in columns:
            continue
        cells = []
        for index, row in enumerate(rows):
            value = row.get(column)
            cell: dict[str, Any] = {"value": None if _missing(value) else value, "kind": kind}
            if kind == "venues":
                ids = [v for v in str(value or "").split(";") if v]
                cell["value"] = [venue_names.get(v, v) for v in ids]
                if index:
                    before = {v for v in str(base.get(column) or "").split(";") if v}
                    cell["added"] = [venue_names.get(v, v) for v in ids if v not in before]
                    cell["dropped"] = [
                        venue_names.get(v, v) for v in sorted(before) if v not in ids
                    ]
            elif kind in ("count", "km", "share") and index and value is not None:
                ref = base.get(column)
                if not _missing(value) and ref is not None and not _missing(ref):
                    change = float(value) - float(ref)
                    cell["change"] = change
                    rank = _RANK.get(column)
                    worse = _worse_ranks(row, base)
                    _verdict(
                        cell, change, better, rank is not None and min(worse, default=9) < rank
                    )
                    if cell["verdict"] != "same" and _within_gaps(row, column):
                        cell["verdict"] = "neutral"
                        cell["not_significant"] = True
            cells.append(cell)
        out.append({"metric": column, "label": label, "kind": kind, "cells": cells})
    gaps = [None if _missing(r.get("gap")) else r.get("gap") for r in rows]
    slugs = params.get("slugs") or []
    for header, slug in zip(headers, slugs, strict=False):
        header["slug"] = slug
    return {"scenarios": headers, "rows": out, "gaps": gaps}
