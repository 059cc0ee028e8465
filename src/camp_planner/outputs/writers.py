"""Files for the coordinator: roster.json, participants.csv and roster.xlsx.

All files are written atomically (:mod:`camp_planner.outputs.atomic`). The participants table
has one row per input company, in input order, placed or not, so a coordinator can filter
it in Excel. CSV files are UTF-8 with a byte-order mark, which Excel needs to show æ, ø
and å correctly, and are safe to open there (:mod:`camp_planner.outputs.excel_safe`).

In the workbook every date is a date cell (``YYYY-MM-DD``), one cell per day: a cohort's
module days are ``module_day_1`` and ``module_day_2`` (Module 2 takes two days) and its
lab is ``lab_day``; steps are called as people call them (``Module 1``, ``Lab 1``);
counts are whole numbers, km have one decimal and the gap is a percentage. The CSV keeps
its text columns (ids such as ``module1``, ``;``-joined ISO dates).

With ``language = "da"`` in round.toml the text people read is Danish
(:mod:`camp_planner.i18n`): the workbook's header row, the summary's labels and the words
in its cells (``Modul 1``, ``ung``, ``ikke placeret``, weekdays, the online place); the
unplaced reasons come from the roster in its language. Sheet names, ids, codes, levels,
roster.json and the CSV's headers and keys stay as they are, for programs.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from camp_planner.i18n import N_, age_label, gettext_for, step_label, weekday
from camp_planner.models import (
    LAB_OF,
    SESSION_DAYS,
    Cohort,
    Company,
    PlanningProblem,
    Roster,
    Step,
    Venue,
    working_days,
)
from camp_planner.models.roster import ONLINE_VENUE_ID
from camp_planner.outputs.atomic import atomic_path, atomic_write_text
from camp_planner.outputs.excel_safe import csv_text, protect_text_cells, xlsx_frame
from camp_planner.outputs.roster_workbook import stream_sheet

__all__ = [
    "BOOLEAN_FORMAT",
    "COUNT_FORMAT",
    "DATE_FORMAT",
    "KM_FORMAT",
    "ONLINE_LOCATION",
    "PERCENT_FORMAT",
    "STEP_LABELS",
    "by_column",
    "calendar_table",
    "format_sheet",
    "participants_table",
    "set_number_formats",
    "signed",
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
_MODULES = frozenset(LAB_OF)
_LABS = frozenset(LAB_OF.values())
_MAX_WIDTH = 60

#: Number formats of workbook cells: a date, a count (whole number), km (one decimal), a
#: share (percentage; the cell holds 0-1), a boolean (TRUE/FALSE in LibreOffice too).
DATE_FORMAT = "YYYY-MM-DD"
COUNT_FORMAT = "0"
KM_FORMAT = "#,##0.0"
PERCENT_FORMAT = "0.0%"
BOOLEAN_FORMAT = '"TRUE";"TRUE";"FALSE"'
#: A boolean in a Danish workbook (as Danish Excel shows one).
_DANISH_BOOLEAN_FORMAT = '"SAND";"SAND";"FALSK"'


def signed(number_format: str) -> str:
    """The format of a change: ``+`` before an increase (``+3``, ``-1.5``, ``0``)."""
    return f"+{number_format};-{number_format};{number_format}"


_WHOLE_FORMATS = {COUNT_FORMAT, signed(COUNT_FORMAT)}


#: How an online cohort's place is shown (its venue_id is ``online``).
ONLINE_LOCATION = N_("Online (no venue, no travel)")


def venue_location(venue: Venue | None, venue_id: str = "", lang: str = "en") -> str:
    """``"name, town"`` (just the name when it is the town or already names it, as in
    ``Papirfabrikken, Silkeborg``); :data:`ONLINE_LOCATION` (in `lang`) for an online
    cohort's ``online``; the id for an unknown venue."""
    if venue is None:
        return gettext_for(lang)(ONLINE_LOCATION) if venue_id == ONLINE_VENUE_ID else venue_id
    parts = {part.strip().casefold() for part in venue.name.split(",")}
    if venue.town and venue.town.strip().casefold() not in parts:
        return f"{venue.name}, {venue.town}"
    return venue.name


def _dates(cohort: Cohort | None, step: Step) -> str:
    if cohort is None:
        return ""
    days = [d for s in cohort.sessions if s.step == step for d in s.dates]
    return ";".join(d.isoformat() for d in sorted(days))


def _step_days(cohort: Cohort, steps: frozenset[Step]) -> list[date]:
    return sorted(d for s in cohort.sessions if s.step in steps for d in s.dates)


def _day_columns(roster: Roster) -> list[str]:
    """The workbook's date columns: ``module_day_1``, ``module_day_2``, ``lab_day`` (more
    only for a roster whose sessions are longer than the track's)."""
    module = max(
        [SESSION_DAYS[Step.MODULE2], *(len(_step_days(c, _MODULES)) for c in roster.cohorts)]
    )
    lab = max([1, *(len(_step_days(c, _LABS)) for c in roster.cohorts)])
    labs = ["lab_day"] if lab == 1 else [f"lab_day_{i}" for i in range(1, lab + 1)]
    return [f"module_day_{i}" for i in range(1, module + 1)] + labs


def _day_cells(cohort: Cohort | None, columns: list[str]) -> dict[str, date | None]:
    """One date (or None) per column of :func:`_day_columns`."""
    cells: dict[str, date | None] = dict.fromkeys(columns)
    if cohort is not None:
        for prefix, steps in (("module_day", _MODULES), ("lab_day", _LABS)):
            names = [c for c in columns if c.startswith(prefix)]
            cells.update(zip(names, _step_days(cohort, steps), strict=False))
    return cells


def _travel(problem: PlanningProblem, roster: Roster, company: Company, venue: Venue | None) -> Any:
    km = roster.travel_km.get(company.company_id)
    if km is None and venue is not None:
        km = problem.travel_km(company, venue)
    return round(km, 1) if km is not None else float("nan")


def write_roster_json(roster: Roster, path: str | os.PathLike[str]) -> Path:
    """Write roster.json (docs/roster-json.md) atomically.

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
    ``unplaced_code, unplaced_reason``; and, when the roster has online or mixed cohorts
    (docs/remedies.md), ``online`` and ``mixed`` (the company's cohort is online / mixes
    levels or age groups; empty when not placed).

    Args:
        problem: The round's input.
        roster: A roster for that input.

    Returns:
        A DataFrame with the columns above.
    """
    venues = {v.venue_id: v for v in problem.venues}
    cohort_of = {cid: c for c in roster.cohorts for cid in c.members}
    unplaced = {u.company_id: u for u in roster.unplaced}
    remedies = _has_remedies(roster)
    lang = problem.round.language
    rows = []
    for company in problem.companies:
        cohort = cohort_of.get(company.company_id)
        miss = unplaced.get(company.company_id)
        venue = _venue_of(venues, cohort)
        status = "placed" if cohort else ("unplaced" if miss else "missing")
        # the company's own level (a mixed cohort's level is e.g. A+B)
        level = cohort.level.value if cohort and not cohort.level.mixed else None
        row: dict[str, Any] = {
            "company_id": company.company_id,
            "name": company.name,
            "town": company.town or "",
            "level": level or problem.level_of(company).value,
            "below_c": company.below_c,
            "age_group": company.age_group(problem.round.start).value,
            "participants": company.participants,
            "priority": company.priority,
            "status": status,
            "cohort_id": cohort.cohort_id if cohort else "",
            "venue_id": cohort.venue_id if cohort else "",
            "venue": venue_location(venue, cohort.venue_id, lang) if cohort else "",
            "module": cohort.module.value if cohort else "",
        }
        for step in _STEPS:
            row[step.value] = _dates(cohort, step)
        row["travel_km"] = _travel(problem, roster, company, venue) if cohort else float("nan")
        row["unplaced_code"] = miss.code.value if miss else ""
        row["unplaced_reason"] = miss.reason if miss else ""
        if remedies:
            row["online"] = cohort.online if cohort else None
            row["mixed"] = cohort.mixed if cohort else None
        rows.append(row)
    columns = [
        "company_id", "name", "town", "level", "below_c", "age_group", "participants",
        "priority", "status", "cohort_id", "venue_id", "venue", "module",
        *(s.value for s in _STEPS), "travel_km", "unplaced_code", "unplaced_reason",
        *(["online", "mixed"] if remedies else []),
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def _has_remedies(roster: Roster) -> bool:
    """Whether the roster has an online or a mixed cohort (then tables show the columns
    ``online`` and ``mixed``)."""
    return any(c.online or c.mixed for c in roster.cohorts)


def _venue_of(venues: Mapping[str, Venue], cohort: Cohort | None) -> Venue | None:
    """The cohort's venue; None when not placed, online or unknown."""
    if cohort is None or cohort.online:
        return None
    return venues.get(cohort.venue_id)


def write_participants_csv(
    problem: PlanningProblem, roster: Roster, path: str | os.PathLike[str]
) -> Path:
    """Write :func:`participants_table` as CSV (UTF-8 with BOM for Excel), atomically;
    for a Danish round with ``;`` and decimal commas (:func:`~.excel_safe.csv_text`).

    Args:
        problem: The round's input.
        roster: A roster for that input.
        path: Target file, e.g. ``out/participants.csv``.

    Returns:
        The path written.
    """
    text = csv_text(participants_table(problem, roster), problem.round.language)
    return atomic_write_text(path, text, encoding="utf-8-sig")


def _participants_sheet(problem: PlanningProblem, roster: Roster) -> pd.DataFrame:
    """The workbook's participants: :func:`participants_table` with the step labelled for
    people and one date cell per day (``module_day_1``, ``module_day_2``, ``lab_day``)
    instead of the CSV's four text columns."""
    lang = problem.round.language
    _ = gettext_for(lang)
    table = participants_table(problem, roster)
    cohort_of = {cid: c for c in roster.cohorts for cid in c.members}
    columns = _day_columns(roster)
    days = [_day_cells(cohort_of.get(cid), columns) for cid in table["company_id"]]
    sheet = table.drop(columns=[s.value for s in _STEPS])
    sheet["module"] = [step_label(m, lang) if m else "" for m in table["module"]]
    if lang != "en":
        sheet["status"] = [_(_STATUS[s]) if s in _STATUS else s for s in sheet["status"]]
        sheet["age_group"] = [age_label(a, lang) for a in sheet["age_group"]]
    position = list(sheet.columns).index("module") + 1
    for offset, column in enumerate(columns):
        sheet.insert(position + offset, column, pd.Series([d[column] for d in days], dtype=object))
    return sheet


#: A company's status in the participants table, as people read it.
_STATUS = {"placed": N_("placed"), "unplaced": N_("unplaced"), "missing": N_("missing")}


def _cohorts_table(problem: PlanningProblem, roster: Roster) -> pd.DataFrame:
    lang = problem.round.language
    companies = {c.company_id: c for c in problem.companies}
    venues = {v.venue_id: v for v in problem.venues}
    days = _day_columns(roster)
    remedies = _has_remedies(roster)
    rows = []
    for cohort in roster.cohorts:
        members = [companies.get(cid) for cid in cohort.members]
        row: dict[str, Any] = {
            "cohort_id": cohort.cohort_id,
            "venue_id": cohort.venue_id,
            "venue": venue_location(_venue_of(venues, cohort), cohort.venue_id, lang),
            "module": step_label(cohort.module, lang),
            "level": cohort.level.value,
            "age_group": age_label(cohort.age_group, lang),
            "people": sum(m.participants if m else 1 for m in members),
            "companies": len(cohort.members),
            **_day_cells(cohort, days),
        }
        row["members"] = "; ".join(
            m.name if m else cid for m, cid in zip(members, cohort.members, strict=True)
        )
        if remedies:
            row["online"], row["mixed"] = cohort.online, cohort.mixed
        rows.append(row)
    columns = [
        "cohort_id", "venue_id", "venue", "module", "level", "age_group", "people",
        "companies", *days, "members", *(["online", "mixed"] if remedies else []),
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
        Columns ``date, weekday, cohort_id, step, day, venue, level, age_group, people,
        note``; ``step`` is labelled for people (``Module 2``), ``day`` is e.g. ``1/2``;
        the words in the round's language.
    """
    lang = problem.round.language
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
                        "step": step_label(session.step, lang),
                        "day": f"{i}/{length}" if length > 1 else "",
                        "venue": venue_location(_venue_of(venues, cohort), cohort.venue_id, lang),
                        "level": cohort.level.value,
                        "age_group": age_label(cohort.age_group, lang),
                        "people": people,
                    }
                )
    unavailable = problem.round.facilitator_unavailable
    days = sorted(set(working_days(problem.round.start, problem.round.end)) | set(by_day))
    empty = {
        "cohort_id": "", "step": "", "day": "", "venue": "", "level": "", "age_group": "",
        "people": None,
    }  # fmt: skip
    rows = []
    _ = gettext_for(lang)
    busy = _("facilitator unavailable")
    for day in days:
        note = busy if day in unavailable else ""
        for held in sorted(by_day.get(day, []), key=lambda s: s["cohort_id"]) or [empty]:
            rows.append({"date": day, "weekday": weekday(day, lang), **held, "note": note})
    columns = [
        "date", "weekday", "cohort_id", "step", "day", "venue", "level", "age_group", "people",
        "note",
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns).astype({"people": "Int64"})


#: The number format of each summary item that is a number.
_SUMMARY_FORMATS = {
    "objective (travel km)": KM_FORMAT,
    "best bound": KM_FORMAT,
    "gap": PERCENT_FORMAT,
    "wall time (s)": "0.00",
    "companies in input": COUNT_FORMAT,
    "placed": COUNT_FORMAT,
    "unplaced": COUNT_FORMAT,
    "cohorts": COUNT_FORMAT,
    "online cohorts": COUNT_FORMAT,
    "mixed cohorts": COUNT_FORMAT,
    "travel km total": KM_FORMAT,
    "venues used": COUNT_FORMAT,
}
#: The number format of each roster.xlsx column that holds numbers or dates.
_COLUMN_FORMATS = {
    "date": DATE_FORMAT,
    "people": COUNT_FORMAT,
    "companies": COUNT_FORMAT,
    "participants": COUNT_FORMAT,
    "priority": COUNT_FORMAT,
    "travel_km": KM_FORMAT,
}


def _summary_table(problem: PlanningProblem, roster: Roster) -> pd.DataFrame:
    venues = {v.venue_id: v for v in problem.venues}
    solver, summary = roster.solver, roster.summary
    used = [venue_location(venues.get(v), v) for v in summary.venues_used]
    items: list[tuple[str, Any]] = [
        (N_("round"), roster.round),
        (N_("solver status"), solver.status.value),
        (N_("objective (travel km)"), solver.objective),
        (N_("best bound"), solver.best_bound),
        (N_("gap"), solver.gap),
        (N_("wall time (s)"), round(solver.wall_time_s, 2)),
        (N_("solver message"), solver.message),
        (N_("companies in input"), len(problem.companies)),
        (N_("placed"), summary.placed),
        (N_("unplaced"), summary.unplaced),
        (N_("cohorts"), len(roster.cohorts)),
        *(
            [
                (N_("online cohorts"), sum(c.online for c in roster.cohorts)),
                (N_("mixed cohorts"), sum(c.mixed for c in roster.cohorts)),
            ]
            if _has_remedies(roster)
            else []
        ),
        (N_("travel km total"), round(summary.travel_km_total, 1)),
        (N_("venues used"), len(summary.venues_used)),
        (N_("venue names"), "; ".join(used)),
    ]
    return pd.DataFrame(items, columns=["item", "value"]).astype({"value": object})


#: The workbook's column names (its header row), marked for the catalog; a Danish workbook
#: shows them in Danish, programs read the CSV's.
_COLUMNS = (
    N_("cohort_id"), N_("venue_id"), N_("venue"), N_("module"), N_("level"), N_("age_group"),
    N_("people"), N_("companies"), N_("members"), N_("online"), N_("mixed"),
    N_("company_id"), N_("name"), N_("town"), N_("below_c"), N_("participants"),
    N_("priority"), N_("status"), N_("travel_km"), N_("unplaced_code"), N_("unplaced_reason"),
    N_("code"), N_("reason"), N_("date"), N_("weekday"), N_("step"), N_("day"), N_("note"),
    N_("item"), N_("value"), N_("lab_day"),
)  # fmt: skip
_NUMBERED_DAY = re.compile(r"(module_day|lab_day)_(\d+)")


def _column_title(name: object, lang: str) -> object:
    """A header cell in `lang`: ``travel_km`` -> ``km kørsel (én vej)``, ``module_day_2``
    -> ``moduldag 2``; a name not in the catalog as it is."""
    if not isinstance(name, str):
        return name
    _ = gettext_for(lang)
    numbered = _NUMBERED_DAY.fullmatch(name)
    if numbered:
        kind, n = numbered.groups()
        title = _("module_day_%(n)s") if kind == "module_day" else _("lab_day_%(n)s")
        return title % {"n": n}
    return _(name)


def set_number_formats(
    sheet: Worksheet,
    pick: Callable[[int, int], str | None],
    boolean_format: str = BOOLEAN_FORMAT,
) -> None:
    """Give the number and date cells below the header their number format.

    Args:
        sheet: A sheet written by pandas (header in row 1).
        pick: ``(row, column) -> format`` (1-based, as in the sheet), None for General.
            A whole-number format also stores a whole float as an int (95, not 95.0).
            Booleans show ``TRUE``/``FALSE`` (not 1/0) in LibreOffice too.
        boolean_format: The format of booleans (:data:`BOOLEAN_FORMAT`).
    """
    for row_number, row in enumerate(sheet.iter_rows(min_row=2), start=2):
        for column_number, cell in enumerate(row, start=1):
            value = cell.value
            if isinstance(value, bool):  # LibreOffice shows a bare boolean as 0 or 1
                cell.number_format = boolean_format
            if value is None or isinstance(value, (str, bool)):
                continue
            number_format = pick(row_number, column_number)
            if number_format is None:
                continue
            if number_format in _WHOLE_FORMATS and isinstance(value, float) and value.is_integer():
                cell.value = int(value)
            cell.number_format = number_format


def by_column(sheet: Worksheet, formats: Mapping[str, str]) -> Callable[[int, int], str | None]:
    """A :func:`set_number_formats` pick by the header of each column."""
    header = {cell.column: cell.value for cell in sheet[1]}

    def pick(row: int, column: int) -> str | None:
        name = header.get(column)
        if isinstance(name, str) and name.startswith(("module_day_", "lab_day")):
            return DATE_FORMAT
        return formats.get(name) if isinstance(name, str) else None

    return pick


def _shown_length(value: object) -> int:
    if isinstance(value, date):
        return len(DATE_FORMAT) + 2  # digits are wider than most letters
    return len(str(value))


_WRAPPED = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")


def format_sheet(sheet: Worksheet) -> None:
    """Bold header, frozen header row, fitting widths, no formulas, printable landscape."""
    protect_text_cells(sheet)  # a name like "=SUM(...)" is text, not a formula
    sheet.freeze_panes = "A2"
    for cell in sheet[1]:
        cell.font = Font(name="Calibri", size=11, bold=True)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_title_rows = "1:1"
    lines: dict[int, int] = {}  # row -> text lines of its longest wrapped cell
    last_column = sheet.max_column  # (computed once: it scans every cell)
    for index, column in enumerate(sheet.iter_cols(max_col=last_column), start=1):
        width = 8
        for cell in column:
            if cell.value is not None:
                length = _shown_length(cell.value)
                width = max(width, length + 2)
                if length > _MAX_WIDTH - 2:
                    cell.alignment = _WRAPPED
                    need = math.ceil(length * 1.1 / (_MAX_WIDTH - 2))
                    lines[cell.row] = max(lines.get(cell.row, 1), need)
        sheet.column_dimensions[get_column_letter(index)].width = min(width, _MAX_WIDTH)
    for row, count in lines.items():  # neither Excel nor LibreOffice grows rows on load
        sheet.row_dimensions[row].height = 15 * count
        (cells,) = sheet.iter_rows(min_row=row, max_row=row, max_col=last_column)
        for cell in cells:
            cell.alignment = _WRAPPED if cell.alignment.wrap_text else _TOP
    sheet.auto_filter.ref = sheet.dimensions


def write_roster_xlsx(
    problem: PlanningProblem, roster: Roster, path: str | os.PathLike[str]
) -> Path:
    """Write roster.xlsx atomically, with sheets for people who work in Excel.

    Sheets: ``cohorts`` (one row per cohort with its days and member names),
    ``participants`` (:func:`participants_table` with one date cell per day),
    ``unplaced`` (company, code, reason), ``calendar`` (:func:`calendar_table`) and
    ``summary`` (solver and totals). Dates are date cells, steps are labelled ``Module 1``
    etc. in every sheet, counts are whole numbers, the gap a percentage; text is stored
    as text (:mod:`camp_planner.outputs.excel_safe`). In the round's language (round.toml
    ``language``): the header row, the summary's labels and the words in the cells; the
    sheet names stay.

    Args:
        problem: The round's input.
        roster: A roster for that input.
        path: Target file, e.g. ``out/roster.xlsx``.

    Returns:
        The path written.

    Written in openpyxl's streaming mode (:mod:`camp_planner.outputs.roster_workbook`).
    """
    lang = problem.round.language
    _ = gettext_for(lang)
    sheets = {
        "cohorts": _cohorts_table(problem, roster),
        "participants": _participants_sheet(problem, roster),
        "unplaced": _unplaced_table(problem, roster),
        "calendar": calendar_table(problem, roster),
        "summary": _summary_table(problem, roster),
    }
    items = list(sheets["summary"]["item"])
    sheets["summary"]["item"] = [_(item) for item in items]
    booleans = BOOLEAN_FORMAT if lang == "en" else _DANISH_BOOLEAN_FORMAT
    target = Path(path)
    book = Workbook(write_only=True)
    with atomic_path(target) as tmp, _closing_sheets(book):
        for name, frame in sheets.items():
            table = xlsx_frame(frame)
            columns = list(table.columns)
            pick = (
                (lambda row, _col: _SUMMARY_FORMATS.get(items[row - 2]))
                if name == "summary"
                else _by_names(columns, _COLUMN_FORMATS)
            )
            header = columns if lang == "en" else [_column_title(c, lang) for c in columns]
            stream_sheet(
                book, name, table, header, pick, whole=frozenset(_WHOLE_FORMATS),
                booleans=booleans, date_format=DATE_FORMAT, max_width=_MAX_WIDTH,
            )  # fmt: skip
        book.save(tmp)
    return target


@contextmanager
def _closing_sheets(book: Workbook) -> Iterator[None]:
    """On a failure, close the streamed sheets' temporary files (no half-written sheet is
    left to be cleaned up by the garbage collector)."""
    try:
        yield
    except BaseException:
        for sheet in book.worksheets:
            with suppress(Exception):
                sheet.close()
        raise


def _by_names(columns: list[Any], formats: Mapping[str, str]) -> Callable[[int, int], str | None]:
    """:func:`by_column` for a table not yet in a sheet (its column names)."""

    def pick(row: int, column: int) -> str | None:
        name = columns[column - 1]
        if isinstance(name, str) and name.startswith(("module_day_", "lab_day")):
            return DATE_FORMAT
        return formats.get(name) if isinstance(name, str) else None

    return pick
