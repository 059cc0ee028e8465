"""Files for the coordinator: roster.json, participants.csv and roster.xlsx.

All files are written atomically (:mod:`camp_planner.io.atomic`). The participants table
has one row per input company, in input order, placed or not, so a coordinator can filter
it in Excel. CSV files are UTF-8 with a byte-order mark, which Excel needs to show æ, ø
and å correctly.
"""

from __future__ import annotations

import math
import os
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from camp_planner.io.atomic import atomic_path, atomic_write_text
from camp_planner.models import (
    SESSION_DAYS,
    Cohort,
    Company,
    PlanningProblem,
    Roster,
    Step,
    Venue,
    working_days,
)

__all__ = [
    "STEP_LABELS",
    "calendar_table",
    "format_sheet",
    "participants_table",
    "venue_location",
    "write_participants_csv",
    "write_roster_json",
    "write_roster_xlsx",
]

#: How a step is called in everything people read.
STEP_LABELS: dict[Step, str] = {
    Step.MODULE1: "Module 1",
    Step.LAB1: "Lab 1",
    Step.MODULE2: "Module 2",
    Step.LAB2: "Lab 2",
}
_STEPS = list(Step)
_WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MAX_WIDTH = 60


def venue_location(venue: Venue | None, venue_id: str = "") -> str:
    """``"name, town"`` (just the name when it is the town); the id for an unknown venue."""
    if venue is None:
        return venue_id
    if venue.town and venue.town.casefold() != venue.name.casefold():
        return f"{venue.name}, {venue.town}"
    return venue.name


def _dates(cohort: Cohort | None, step: Step) -> str:
    if cohort is None:
        return ""
    days = [d for s in cohort.sessions if s.step == step for d in s.dates]
    return ";".join(d.isoformat() for d in sorted(days))


def _travel(problem: PlanningProblem, roster: Roster, company: Company, venue: Venue | None) -> Any:
    km = roster.travel_km.get(company.company_id)
    if km is None and venue is not None:
        km = problem.travel_km(company, venue)
    return round(km, 1) if km is not None else float("nan")


def write_roster_json(roster: Roster, path: str | os.PathLike[str]) -> Path:
    """Write roster.json (CONTRACT.md) atomically.

    Args:
        roster: The roster to write.
        path: Target file, e.g. ``out/roster.json``.

    Returns:
        The path written.
    """
    return atomic_write_text(path, roster.to_json() + "\n")


def participants_table(problem: PlanningProblem, roster: Roster) -> pd.DataFrame:
    """One row per input company (input order): where and when it trains, or why not.

    Columns: ``company_id, name, town, level, below_c, age_group, participants, priority,
    status`` (``placed``, ``unplaced`` or ``missing`` when the roster does not mention the
    company), ``cohort_id, venue_id, venue, module, module1, lab1, module2, lab2`` (each a
    ``;``-joined list of ISO dates), ``travel_km`` (one-way, roster's figure when given),
    ``unplaced_code, unplaced_reason``.

    Args:
        problem: The round's input.
        roster: A roster for that input.

    Returns:
        A DataFrame with the columns above.
    """
    venues = {v.venue_id: v for v in problem.venues}
    cohort_of = {cid: c for c in roster.cohorts for cid in c.members}
    unplaced = {u.company_id: u for u in roster.unplaced}
    rows = []
    for company in problem.companies:
        cohort = cohort_of.get(company.company_id)
        miss = unplaced.get(company.company_id)
        venue = venues.get(cohort.venue_id) if cohort else None
        status = "placed" if cohort else ("unplaced" if miss else "missing")
        level = cohort.level if cohort else problem.level_of(company)
        row: dict[str, Any] = {
            "company_id": company.company_id,
            "name": company.name,
            "town": company.town or "",
            "level": level.value,
            "below_c": company.below_c,
            "age_group": company.age_group(problem.round.start).value,
            "participants": company.participants,
            "priority": company.priority,
            "status": status,
            "cohort_id": cohort.cohort_id if cohort else "",
            "venue_id": cohort.venue_id if cohort else "",
            "venue": venue_location(venue, cohort.venue_id) if cohort else "",
            "module": cohort.module.value if cohort else "",
        }
        for step in _STEPS:
            row[step.value] = _dates(cohort, step)
        row["travel_km"] = _travel(problem, roster, company, venue) if cohort else float("nan")
        row["unplaced_code"] = miss.code.value if miss else ""
        row["unplaced_reason"] = miss.reason if miss else ""
        rows.append(row)
    columns = [
        "company_id", "name", "town", "level", "below_c", "age_group", "participants",
        "priority", "status", "cohort_id", "venue_id", "venue", "module",
        *(s.value for s in _STEPS), "travel_km", "unplaced_code", "unplaced_reason",
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def write_participants_csv(
    problem: PlanningProblem, roster: Roster, path: str | os.PathLike[str]
) -> Path:
    """Write :func:`participants_table` as CSV (UTF-8 with BOM for Excel), atomically.

    Args:
        problem: The round's input.
        roster: A roster for that input.
        path: Target file, e.g. ``out/participants.csv``.

    Returns:
        The path written.
    """
    text = participants_table(problem, roster).to_csv(index=False, lineterminator="\n")
    return atomic_write_text(path, text, encoding="utf-8-sig")


def _cohorts_table(problem: PlanningProblem, roster: Roster) -> pd.DataFrame:
    companies = {c.company_id: c for c in problem.companies}
    venues = {v.venue_id: v for v in problem.venues}
    rows = []
    for cohort in roster.cohorts:
        members = [companies.get(cid) for cid in cohort.members]
        row: dict[str, Any] = {
            "cohort_id": cohort.cohort_id,
            "venue_id": cohort.venue_id,
            "venue": venue_location(venues.get(cohort.venue_id), cohort.venue_id),
            "module": STEP_LABELS[cohort.module],
            "level": cohort.level.value,
            "age_group": cohort.age_group.value,
            "people": sum(m.participants if m else 1 for m in members),
            "companies": len(cohort.members),
        }
        for step in _STEPS:
            row[STEP_LABELS[step]] = _dates(cohort, step)
        row["members"] = "; ".join(
            m.name if m else cid for m, cid in zip(members, cohort.members, strict=True)
        )
        rows.append(row)
    columns = [
        "cohort_id", "venue_id", "venue", "module", "level", "age_group", "people",
        "companies", *(STEP_LABELS[s] for s in _STEPS), "members",
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def _unplaced_table(problem: PlanningProblem, roster: Roster) -> pd.DataFrame:
    names = {c.company_id: c.name for c in problem.companies}
    rows = [
        {
            "company_id": u.company_id,
            "name": names.get(u.company_id, ""),
            "code": u.code.value,
            "reason": u.reason,
        }
        for u in roster.unplaced
    ]
    return pd.DataFrame(rows, columns=["company_id", "name", "code", "reason"])


def calendar_table(problem: PlanningProblem, roster: Roster) -> pd.DataFrame:
    """The facilitator's calendar: every working day of the round, one row per session.

    Free working days get one row with empty session columns; days the facilitator is
    unavailable say so in ``note``. Weekends and public holidays are left out unless a
    session falls on one.

    Args:
        problem: The round's input.
        roster: A roster for that input.

    Returns:
        Columns ``date, weekday, cohort_id, step, day, venue, level, people, note``.
    """
    venues = {v.venue_id: v for v in problem.venues}
    companies = {c.company_id: c for c in problem.companies}
    by_day: dict[date, list[dict[str, Any]]] = {}
    for cohort in roster.cohorts:
        people = sum(
            companies[cid].participants if cid in companies else 1 for cid in cohort.members
        )
        for session in cohort.sessions:
            days = sorted(session.dates)
            for i, day in enumerate(days, start=1):
                length = max(len(days), SESSION_DAYS.get(session.step, 1))
                by_day.setdefault(day, []).append(
                    {
                        "cohort_id": cohort.cohort_id,
                        "step": STEP_LABELS[session.step],
                        "day": f"{i}/{length}" if length > 1 else "",
                        "venue": venue_location(venues.get(cohort.venue_id), cohort.venue_id),
                        "level": f"{cohort.level.value}/{cohort.age_group.value}",
                        "people": people,
                    }
                )
    unavailable = problem.round.facilitator_unavailable
    days = sorted(set(working_days(problem.round.start, problem.round.end)) | set(by_day))
    empty = {"cohort_id": "", "step": "", "day": "", "venue": "", "level": "", "people": None}
    rows = []
    for day in days:
        note = "facilitator unavailable" if day in unavailable else ""
        for held in sorted(by_day.get(day, []), key=lambda s: s["cohort_id"]) or [empty]:
            rows.append({"date": day, "weekday": _WEEKDAYS[day.weekday()], **held, "note": note})
    columns = ["date", "weekday", "cohort_id", "step", "day", "venue", "level", "people", "note"]
    return pd.DataFrame(rows, columns=columns).astype({"people": "Int64"})


def _summary_table(problem: PlanningProblem, roster: Roster) -> pd.DataFrame:
    venues = {v.venue_id: v for v in problem.venues}
    solver, summary = roster.solver, roster.summary
    used = [venue_location(venues.get(v), v) for v in summary.venues_used]
    items: list[tuple[str, Any]] = [
        ("round", roster.round),
        ("solver status", solver.status.value),
        ("objective (travel km)", solver.objective),
        ("best bound", solver.best_bound),
        ("gap", solver.gap),
        ("wall time (s)", round(solver.wall_time_s, 2)),
        ("solver message", solver.message),
        ("companies in input", len(problem.companies)),
        ("placed", summary.placed),
        ("unplaced", summary.unplaced),
        ("cohorts", len(roster.cohorts)),
        ("travel km total", round(summary.travel_km_total, 1)),
        ("venues used", len(summary.venues_used)),
        ("venue names", "; ".join(used)),
    ]
    return pd.DataFrame(items, columns=["item", "value"]).astype({"value": object})


def format_sheet(sheet: Worksheet) -> None:
    """Bold header, frozen header row, fitting widths, no formulas, printable landscape."""
    sheet.freeze_panes = "A2"
    for cell in sheet[1]:
        cell.font = Font(name="Calibri", size=11, bold=True)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = "1:1"
    lines: dict[int, int] = {}  # row -> text lines of its longest wrapped cell
    for index, column in enumerate(sheet.iter_cols(), start=1):
        width = 8
        for cell in column:
            if cell.data_type == "f":  # a name like "=SUM(...)" is text, not a formula
                cell.data_type = "s"
            if cell.value is not None:
                text = cell.value.isoformat() if isinstance(cell.value, date) else str(cell.value)
                width = max(width, len(text) + 2)
                if len(text) > _MAX_WIDTH - 2:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                    need = math.ceil(len(text) * 1.1 / (_MAX_WIDTH - 2))
                    lines[cell.row] = max(lines.get(cell.row, 1), need)
        sheet.column_dimensions[get_column_letter(index)].width = min(width, _MAX_WIDTH)
    for row, count in lines.items():  # neither Excel nor LibreOffice grows rows on load
        sheet.row_dimensions[row].height = 15 * count
        for cell in sheet[row]:
            cell.alignment = Alignment(wrap_text=cell.alignment.wrap_text, vertical="top")
    sheet.auto_filter.ref = sheet.dimensions


def write_roster_xlsx(
    problem: PlanningProblem, roster: Roster, path: str | os.PathLike[str]
) -> Path:
    """Write roster.xlsx atomically, with sheets for people who work in Excel.

    Sheets: ``cohorts`` (one row per cohort with its dates and member names),
    ``participants`` (:func:`participants_table`), ``unplaced`` (company, code, reason),
    ``calendar`` (:func:`calendar_table`) and ``summary`` (solver and totals).

    Args:
        problem: The round's input.
        roster: A roster for that input.
        path: Target file, e.g. ``out/roster.xlsx``.

    Returns:
        The path written.
    """
    sheets = {
        "cohorts": _cohorts_table(problem, roster),
        "participants": participants_table(problem, roster),
        "unplaced": _unplaced_table(problem, roster),
        "calendar": calendar_table(problem, roster),
        "summary": _summary_table(problem, roster),
    }
    target = Path(path)
    with (
        atomic_path(target) as tmp,
        pd.ExcelWriter(tmp, engine="openpyxl", date_format="YYYY-MM-DD") as writer,
    ):
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, index=False)
            format_sheet(writer.sheets[name])
    return target
