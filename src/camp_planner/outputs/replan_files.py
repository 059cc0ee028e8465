"""The files of ``replan`` and ``fit`` (docs/replan.md): round.toml's ``[change_cost]``,
pins.csv, changes.csv, fit.csv, the updated invitations and the cancellations.

Invitations keep their UIDs across replans so that a calendar client updates the events
it imported instead of adding new ones. :mod:`camp_planner.outputs.ics` makes a UID from the
cohort, the step, the session's first date and the round, so a re-dated session would get
a new UID there; ics.py has no hook to set UID or SEQUENCE, so this module takes the
events :func:`camp_planner.outputs.ics.session_events` builds and sets both itself:

- a published cohort's events keep the UIDs they were published with (read back from
  roster.json's ``replan.events`` after a replan, else recomputed as ics.py made them), and
  their ``SEQUENCE`` goes up by one where anything in the event changed;
- ``cancelled/<cohort_id>.ics`` (``METHOD:CANCEL``, ``STATUS:CANCELLED``, ``SEQUENCE`` up)
  for published cohorts that no longer run; a session that lost one of its runs of days
  (Module 2 on Friday + Monday now on consecutive days) gets that event cancelled in its
  cohort's file;
- ``facilitator.ics`` is rewritten with the same UIDs, cancelled events included.

roster.json gets the extra key ``replan`` (as_of, summary, proof, flags, retired cohort
ids, and every event's UID and SEQUENCE for the next replan).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from icalendar import Calendar, Event

from camp_planner.i18n import gettext_for
from camp_planner.models import Cohort, PlanningProblem, Roster
from camp_planner.outputs.atomic import atomic_write_bytes, atomic_write_text
from camp_planner.outputs.excel_safe import csv_text
from camp_planner.outputs.ics import PRODID, session_events
from camp_planner.outputs.roster_files import ROSTER_JSON, write_outputs
from camp_planner.replan.changes import CHANGE_COLUMNS
from camp_planner.replan.fit import FIT_COLUMNS, FitReport
from camp_planner.replan.run import ReplanResult

CHANGES_CSV = "changes.csv"
CANCELLED = "cancelled"
ROUND_TOML = "round.toml"
#: an event's identity and version: uid, sequence; keyed by (cohort, step, run of days)
Events = dict[tuple[str, str, int], dict[str, Any]]


# -- calendars ---------------------------------------------------------------------------
def _events(
    problem: PlanningProblem, roster: Roster, cohort: Cohort, stamp: datetime
) -> Iterator[tuple[str, int, Event]]:
    """(step, run index, event) of a cohort's sessions, as ics.py builds them."""
    for session in cohort.sessions:
        for k, event in enumerate(session_events(problem, roster, cohort, session, stamp=stamp)):
            yield session.step.value, k, event


def _content(event: Event) -> tuple[str, ...]:
    return tuple(
        str(event.get(key, "")) if key not in ("dtstart", "dtend") else str(event.decoded(key))
        for key in ("dtstart", "dtend", "summary", "location", "description")
    )


def published_events(
    problem: PlanningProblem, published: Roster, record: dict[str, Any], stamp: datetime
) -> tuple[Events, dict[tuple[str, str, int], Event]]:
    """Each published event's UID and SEQUENCE (from the record, else as ics.py made it),
    and the event as it was sent (recomputed)."""
    saved = {
        (e["cohort_id"], e["step"], int(e["run"])): e
        for e in record.get("events", [])
        if isinstance(e, dict) and {"cohort_id", "step", "run", "uid"} <= set(e)
    }
    known: Events = {}
    sent = {}
    for cohort in published.cohorts:
        for step, k, event in _events(problem, published, cohort, stamp):
            key = (cohort.cohort_id, step, k)
            old = saved.get(key, {})
            known[key] = {
                "uid": old.get("uid", str(event["uid"])),
                "sequence": int(old.get("sequence", 0)),
            }
            sent[key] = event
    return known, sent


def _stamped(event: Event, uid: str, sequence: int, cancelled: bool = False) -> Event:
    event.pop("uid", None)
    event.add("uid", uid)
    event.pop("sequence", None)
    event.add("sequence", sequence)
    if cancelled:
        event.pop("status", None)
        event.add("status", "CANCELLED")
    return event


def _calendar(name: str, method: str, events: list[Event]) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    cal.add("x-wr-calname", name)
    for event in sorted(events, key=lambda e: (e.decoded("dtstart"), str(e["uid"]))):
        cal.add_component(event)
    return cal


def write_calendars(
    problem: PlanningProblem, result: ReplanResult, record: dict[str, Any], out: Path
) -> tuple[Events, list[Path]]:
    """invitations/<cohort>.ics (UIDs kept, SEQUENCE raised where changed), facilitator.ics
    and cancelled/<cohort>.ics; returns every event's UID and SEQUENCE and the files."""
    stamp = datetime.now(UTC).replace(microsecond=0)
    _ = gettext_for(problem.round.language)
    new, old = result.roster, result.published
    known, sent = published_events(problem, old, record, stamp)
    taken = {v["uid"] for v in known.values()}
    events: Events = {}
    everything: list[Event] = []
    files: list[Path] = []
    for cohort in new.cohorts:
        mine, runs = [], set()
        for step, k, event in _events(problem, new, cohort, stamp):
            key = (cohort.cohort_id, step, k)
            runs.add(key)
            if key in known:
                uid, seq = known[key]["uid"], known[key]["sequence"]
                seq += int(_content(event) != _content(sent[key]))
            else:
                uid, seq = str(event["uid"]), 0
                while uid in taken:
                    uid = f"r{k}-{uid}"
            taken.add(uid)
            events[key] = {"uid": uid, "sequence": seq}
            mine.append(_stamped(event, uid, seq))
        for key, value in known.items():  # runs of days this cohort's sessions no longer have
            if key[0] == cohort.cohort_id and key not in runs:
                mine.append(_stamped(sent[key], value["uid"], value["sequence"] + 1, True))
        everything += mine
        name = _("Vækstcamp %(round)s — cohort %(cohort)s") % {
            "round": new.round,
            "cohort": cohort.cohort_id,
        }
        path = out / "invitations" / f"{cohort.cohort_id}.ics"
        files.append(atomic_write_bytes(path, _calendar(name, "PUBLISH", mine).to_ical()))
    cancelled_dir = out / CANCELLED
    for cohort_id in result.cohorts.cancelled:
        gone = [
            _stamped(sent[key], value["uid"], value["sequence"] + 1, True)
            for key, value in known.items()
            if key[0] == cohort_id
        ]
        everything += gone
        name = _("Vækstcamp %(round)s — cohort %(cohort)s (cancelled)") % {
            "round": old.round,
            "cohort": cohort_id,
        }
        path = cancelled_dir / f"{cohort_id}.ics"
        files.append(atomic_write_bytes(path, _calendar(name, "CANCEL", gone).to_ical()))
    for stale in cancelled_dir.glob("*.ics") if cancelled_dir.is_dir() else []:
        if stale.stem not in result.cohorts.cancelled:
            stale.unlink(missing_ok=True)
    name = _("Vækstcamp %(round)s — facilitator") % {"round": new.round}
    cal = _calendar(name, "PUBLISH", everything)
    files.append(atomic_write_bytes(out / "invitations" / "facilitator.ics", cal.to_ical()))
    return events, files


# -- outputs -----------------------------------------------------------------------------
def changes_frame(result: ReplanResult, names: dict[str, str] | None = None) -> pd.DataFrame:
    """changes.csv as a table: exactly :data:`CHANGE_COLUMNS`; `names` fills in the names
    of companies no longer in the folder."""
    names = names or {}
    rows = [
        {**asdict(r), "change": r.change.value, "name": r.name or names.get(r.company_id, "")}
        for r in result.rows
    ]
    return pd.DataFrame(rows, columns=list(CHANGE_COLUMNS))


def replan_record(result: ReplanResult, record: dict[str, Any], events: Events) -> dict[str, Any]:
    """roster.json's ``replan`` key."""
    retired = set(record.get("retired_cohort_ids", [])) | set(result.cohorts.cancelled)
    return {
        "as_of": result.as_of.isoformat(),
        "summary": result.summary,
        "changes_proven": result.changes_proven,
        "stages": [asdict(s) for s in result.stages],
        "flags": result.flags,
        "cancelled": result.cohorts.cancelled,
        "new_cohorts": result.cohorts.new,
        "retired_cohort_ids": sorted(retired),
        "events": [
            {"cohort_id": c, "step": s, "run": k, **v} for (c, s, k), v in sorted(events.items())
        ],
    }


def write_replan_outputs(
    problem: PlanningProblem,
    result: ReplanResult,
    record: dict[str, Any],
    out: str | os.PathLike[str],
    names: dict[str, str] | None = None,
) -> dict[str, Path]:
    """The roster's usual files, then changes.csv, the invitations with their UIDs kept,
    cancelled/*.ics and roster.json with its ``replan`` key; each file atomically.

    Args:
        problem: The planning folder as it is now.
        result: The replan.
        record: The published roster.json's ``replan`` key ({} when never replanned).
        out: The output folder.
        names: Names of companies no longer in the folder (:func:`published_names`).

    Returns:
        What was written, by kind (as :func:`write_outputs`, plus ``changes`` and
        ``cancelled``).
    """
    folder = Path(out)
    files = write_outputs(problem, result.roster, folder)
    events, _ = write_calendars(problem, result, record, folder)
    data = json.loads(result.roster.to_json())
    data["replan"] = replan_record(result, record, events)
    atomic_write_text(folder / ROSTER_JSON, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    files["changes"] = atomic_write_text(
        folder / CHANGES_CSV,
        csv_text(changes_frame(result, names), problem.round.language),
        encoding="utf-8-sig",
    )
    if result.cohorts.cancelled:
        files["cancelled"] = folder / CANCELLED
    return files


def retired_ids(record: dict[str, Any]) -> set[str]:
    """Cohort ids no longer used (cancelled in an earlier replan)."""
    return {str(i) for i in record.get("retired_cohort_ids", [])}


def fit_frame(report: FitReport) -> pd.DataFrame:
    """fit.csv as a table: exactly :data:`FIT_COLUMNS`; the impossible ones without rank."""
    rows = [
        {
            "rank": "" if o.rank is None else str(o.rank),
            "cohort_id": o.cohort_id,
            "venue_id": o.venue_id,
            "dates": o.dates,
            "travel_km": "" if o.travel_km is None else f"{o.travel_km:.1f}",
            "moves": ";".join(o.moves),
            "note": o.note,
        }
        for o in report.options
    ]
    if not rows and report.reason:
        rows.append({**dict.fromkeys(FIT_COLUMNS, ""), "note": report.reason})
    return pd.DataFrame(rows, columns=list(FIT_COLUMNS))


def write_fit_csv(report: FitReport, path: str | os.PathLike[str]) -> Path:
    """Write fit.csv atomically (UTF-8 with BOM, for Excel)."""
    return atomic_write_text(path, csv_text(fit_frame(report)), encoding="utf-8-sig")


__all__ = [
    "CHANGES_CSV",
    "changes_frame",
    "fit_frame",
    "retired_ids",
    "write_fit_csv",
    "write_replan_outputs",
]
