"""Read a planning folder into a :class:`PlanningProblem`, reporting every problem at once.

A planning folder holds ``companies.csv``, ``venues.csv`` and ``round.toml``
(docs/planning-folder.md); instead of the two CSV files it may hold ``plan.xlsx`` with
sheets ``companies`` and ``venues``. Tables are read as text (ids keep their leading
zeros). All problems of all files are collected and raised together as one
:class:`InputError`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from camp_planner.i18n import N_, Message
from camp_planner.io._cells import DK_LAT, DK_LON, RowReader
from camp_planner.io.columns import (
    COMPANY_ALIASES,
    COMPANY_COLUMNS,
    SCORECARD_COLUMNS,
    SHEET_NAMES,
    VENUE_ALIASES,
    VENUE_COLUMNS,
    header_columns,
    table_kind,
)
from camp_planner.io.errors import Collector, InputError, InputProblem
from camp_planner.io.round_dates import outside_round_notes
from camp_planner.io.round_sheet import read_round_setting
from camp_planner.io.rows import _companies, _Reading, _venues
from camp_planner.io.tables import Table, normalise_column, read_csv_table, read_workbook
from camp_planner.models import (
    PlanningProblem,
)
from camp_planner.places.gazetteer import region_message

if TYPE_CHECKING:
    pass

COMPANIES_CSV = "companies.csv"
VENUES_CSV = "venues.csv"
WORKBOOK = "plan.xlsx"
#: The two tables of a planning folder, in words.
_KIND_WORDS = {"companies": N_("companies"), "venues": N_("venues")}

__all__ = [
    "COMPANY_ALIASES",
    "VENUE_ALIASES",
    "COMPANY_COLUMNS",
    "DK_LAT",
    "DK_LON",
    "SCORECARD_COLUMNS",
    "VENUE_COLUMNS",
    "load_folder",
    "load_folder_with_notes",
]


def load_folder(folder: Path) -> PlanningProblem:
    """Read and validate a planning folder.

    Args:
        folder: Folder with companies.csv, venues.csv and round.toml (or plan.xlsx and
            round.toml).

    Returns:
        The planning problem.

    Raises:
        InputError: Every problem found in any of the files.
    """
    return load_folder_with_notes(folder)[0]


def load_folder_with_messages(
    folder: Path, names: Mapping[str, str] | None = None
) -> tuple[PlanningProblem, list[Message]]:
    """Like :func:`load_folder`, also returning notes (ignored columns, derived levels, ...)
    as messages to render in the reader's language.

    Args:
        folder: The planning folder.
        names: The names the person gave the files saved here under the folder's own names
            (the web app's upload: ``{"plan.xlsx": "Tilmeldinger forår.xlsx"}``): problems
            and notes name the files so.

    Returns:
        The planning problem and notes for the coordinator.

    Raises:
        InputError: Every problem found in any of the files.
    """
    folder = Path(folder)
    if not folder.is_dir():
        expected = N_("an existing planning folder (companies.csv, venues.csv, round.toml)")
        raise InputError([InputProblem(str(folder), None, None, None, expected)])
    out = _Reading()
    round_config = read_round_setting(folder, out)  # round.toml, else the sheet "round"
    start = round_config.start if round_config else None
    names = dict(names or {})
    sheets = workbook_tables(folder, out, names)
    companies = _parse_table(
        folder, "companies", out, lambda t: _companies(t, start, out), sheets, names
    )
    venues = _parse_table(folder, "venues", out, lambda t: _venues(t, out), sheets, names)
    if out.problems:
        raise InputError(sorted(out.problems, key=_file_rank))
    assert round_config is not None and companies is not None and venues is not None
    if not venues:
        out.problem(_label(folder, "venues", names), None, None, None, N_("at least one venue"))
    if not companies:
        label = _label(folder, "companies", names)
        out.problem(label, None, None, None, N_("at least one company"))
    if out.problems:
        raise InputError(out.problems)
    problem = PlanningProblem(round=round_config, companies=tuple(companies), venues=tuple(venues))
    out.notes.extend(_outside_region_notes(out.readers, problem))
    out.notes.extend(outside_round_notes(out.readers, problem))
    return problem, out.notes


def load_folder_with_notes(folder: Path) -> tuple[PlanningProblem, list[str]]:
    """Like :func:`load_folder`, also returning notes (ignored columns, derived levels, ...)
    in English; :func:`load_folder_with_messages` returns them to render in any language.

    Args:
        folder: The planning folder.

    Returns:
        The planning problem and notes for the coordinator.

    Raises:
        InputError: Every problem found in any of the files.
    """
    problem, notes = load_folder_with_messages(folder)
    return problem, [str(note) for note in notes]


def _outside_region_notes(readers: list[RowReader], problem: PlanningProblem) -> list[Message]:
    """A note for every row whose town lies outside Region Midtjylland: its region and the
    distance to the nearest venue (accepted: the programme is open to every company)."""
    venues = [(v.venue_id, v.lat, v.lon) for v in problem.venues]
    notes = []
    for reader in readers:
        if reader.outside is None or not reader.ok:
            continue
        town = reader.text("town")
        note = region_message(reader.outside, venues, label=town)
        if note:
            row_note = N_("%(file)s row %(row)s: %(note)s")
            notes.append(Message(row_note, file=reader.file, row=reader.row, note=note))
    return notes


def _file_rank(problem: InputProblem) -> int:
    """Report companies, then venues, then round.toml (a stable sort keeps row order)."""
    for rank, stem in enumerate(("companies", "venues", "round")):
        if problem.file.startswith(stem) or problem.file.endswith(f":{stem}"):
            return rank
    return 3


# --------------------------------------------------------------------------- tables

_ALIASES = {"companies": COMPANY_ALIASES, "venues": VENUE_ALIASES}
#: The column that tells a sheet's kind when its name does not.
_KEY_COLUMN = {"companies": "company_id", "venues": "venue_id"}


def _label(folder: Path, kind: str, names: Mapping[str, str]) -> str:
    csv_name, workbook = f"{kind}.csv", workbook_path(folder)
    if (folder / csv_name).exists() or not workbook.exists():
        return names.get(csv_name, csv_name)
    return f"{names.get(workbook.name, workbook.name)}:{kind}"


def _parse_table(
    folder: Path,
    kind: str,
    out: Collector,
    parse: Callable[[Table], list[Any] | None],
    sheets: dict[str, Table] | None,
    names: Mapping[str, str],
) -> list[Any] | None:
    table = _read_table(folder, kind, out, sheets, names)
    return None if table is None else parse(table)


def _read_table(
    folder: Path,
    kind: str,
    out: Collector,
    sheets: dict[str, Table] | None,
    names: Mapping[str, str],
) -> Table | None:
    """Read `kind`.csv, else the workbook's sheet of that kind; report a missing file."""
    csv_path, xlsx_path = folder / f"{kind}.csv", workbook_path(folder)
    if not csv_path.exists() and not xlsx_path.exists():
        found = _csv_by_columns(folder, kind)
        if found is not None:  # e.g. "Tilmeldinger forår.csv": its columns say companies
            note = N_("%(file)s is read as the %(kind)s (by its columns)")
            out.notes.append(Message(note, file=found.name, kind=Message(_KIND_WORDS[kind])))
            csv_path = found
    if csv_path.exists():
        if xlsx_path.exists():
            note = N_("%(file)s is used; the %(kind)s of %(workbook)s are ignored")
            what = Message(_KIND_WORDS[kind])
            workbook = names.get(xlsx_path.name, xlsx_path.name)
            shown = names.get(csv_path.name, csv_path.name)
            out.notes.append(Message(note, file=shown, kind=what, workbook=workbook))
        label = names.get(csv_path.name, csv_path.name)
        return read_csv_table(csv_path, out, _ALIASES[kind], label=label)
    if not xlsx_path.exists():
        expected = Message(
            N_("file %(file)s (or %(workbook)s, sheet %(sheet)s)"),
            file=csv_path.name,
            workbook=WORKBOOK,
            sheet=kind,
        )
        out.problem(csv_path.name, None, None, None, expected)
        return None
    return None if sheets is None else sheets.get(kind)


def _csv_by_columns(folder: Path, kind: str) -> Path | None:
    """The one CSV file of another name in `folder` whose columns say it holds `kind`
    (:func:`camp_planner.io.columns.table_kind`); None when none or several do."""
    known = {"companies.csv", "venues.csv"}
    found = []
    for path in sorted(folder.glob("*.csv")):
        if path.name.lower() in known or not path.is_file():
            continue
        with path.open("rb") as handle:
            if table_kind(header_columns(handle.read(8192))) == kind:
                found.append(path)
    return found[0] if len(found) == 1 else None


def workbook_path(folder: Path) -> Path:
    """plan.xlsx, else the one workbook of another name in `folder` whose sheets' columns
    hold companies or venues (``Tilmeldinger forår.xlsx``); plan.xlsx (absent) when none
    or several do."""
    path = folder / WORKBOOK
    if path.exists():
        return path
    found = [
        other
        for other in sorted(folder.glob("*.xlsx"))
        if other.is_file() and not other.name.startswith("~$") and sheet_kinds(other)
    ]
    return found[0] if len(found) == 1 else path


def workbook_tables(
    folder: Path, out: Collector, names: Mapping[str, str] | None = None
) -> dict[str, Table] | None:
    """The workbook's companies and venues sheets, by kind: by name (English or Danish, any
    case), else by their columns; a problem naming the sheets found when neither tells.
    The workbook is plan.xlsx or one of another name (:func:`workbook_path`); `names`: the
    names the person gave the files (:func:`load_folder_with_messages`)."""
    path = workbook_path(folder)
    wanted = [k for k in ("companies", "venues") if not (folder / f"{k}.csv").exists()]
    if not wanted or not path.exists():
        return None
    label = (names or {}).get(path.name, path.name)
    if path.name != WORKBOOK:
        note = N_("%(file)s is read as the planning workbook (by its sheets' columns)")
        out.notes.append(Message(note, file=label))
    frames = read_workbook(path, out, label)
    if not frames:
        return None
    found: dict[str, Table] = {}
    unnamed: list[str] = []
    for sheet, frame in frames.items():
        kind = SHEET_NAMES.get(normalise_column(sheet))
        if kind is not None and kind not in found:
            found[kind] = Table.from_frame(f"{label}:{sheet}", frame, _ALIASES[kind])
        else:
            unnamed.append(sheet)
    for kind in wanted:
        if kind in found:
            continue
        matches = [
            sheet
            for sheet in unnamed
            if _KEY_COLUMN[kind]
            in Table.from_frame(sheet, frames[sheet].head(0), _ALIASES[kind]).columns
        ]
        if len(matches) == 1:
            sheet = matches[0]
            found[kind] = Table.from_frame(f"{label}:{sheet}", frames[sheet], _ALIASES[kind])
            note = N_("%(workbook)s: sheet %(sheet)s read as the %(kind)s (by its columns)")
            what = Message(_KIND_WORDS[kind])
            out.notes.append(Message(note, workbook=label, sheet=repr(sheet), kind=what))
            continue
        listed = ", ".join(repr(s) for s in frames)
        column = _KEY_COLUMN[kind]
        which = (
            Message(
                N_("several sheets have a %(column)s column (%(sheets)s)"),
                column=column,
                sheets=", ".join(map(repr, matches)),
            )
            if matches
            else Message(N_("no sheet has a %(column)s column"), column=column)
        )
        expected = Message(_NO_SHEET[kind], sheets=listed, which=which)
        out.problem(label, None, None, None, expected)
    return found


#: What a workbook without a sheet of that kind expected.
_NO_SHEET = {
    "companies": N_(
        "a sheet named 'companies' (or 'virksomheder'); the workbook has %(sheets)s and "
        "%(which)s: rename the companies sheet to 'companies'"
    ),
    "venues": N_(
        "a sheet named 'venues' (or 'steder'); the workbook has %(sheets)s and %(which)s: "
        "rename the venues sheet to 'venues'"
    ),
}


def sheet_kinds(path: Path) -> set[str]:
    """The kinds of table (``companies``, ``venues``) the sheets of a workbook hold, by
    their columns (:func:`camp_planner.io.columns.table_kind`); empty for a workbook
    that does not open."""
    try:
        frames = pd.read_excel(path, sheet_name=None, nrows=0, dtype=str)
    except Exception:  # noqa: BLE001 - a workbook that does not open holds no tables
        return set()
    kinds = {table_kind(normalise_column(c) for c in frame.columns) for frame in frames.values()}
    return {kind for kind in kinds if kind is not None}
