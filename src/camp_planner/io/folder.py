"""Read a planning folder into a :class:`PlanningProblem`, reporting every problem at once.

A planning folder holds ``companies.csv``, ``venues.csv`` and ``round.toml``
(docs/planning-folder.md); instead of the two CSV files it may hold ``plan.xlsx`` with
sheets ``companies`` and ``venues``. Tables are read as text (ids keep their leading
zeros). All problems of all files are collected and raised together as one
:class:`InputError`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from camp_planner.i18n import N_, Message, joined
from camp_planner.io._cells import DK_LAT, DK_LON, RowReader, young_at
from camp_planner.io.errors import Collector, InputError, InputProblem
from camp_planner.io.round_file import ROUND_TOML, read_round
from camp_planner.io.tables import Table, normalise_column, read_csv_table, read_workbook, same_id
from camp_planner.models import (
    Company,
    Level,
    PlanningProblem,
    Scorecard,
    Step,
    Venue,
    VenueStatus,
)
from camp_planner.places.gazetteer import region_note

if TYPE_CHECKING:
    from camp_planner.scoring import ScoreResult

COMPANIES_CSV = "companies.csv"
VENUES_CSV = "venues.csv"
WORKBOOK = "plan.xlsx"

#: The seven scorecard columns, in docs/scoring.md's order.
SCORECARD_COLUMNS: tuple[str, ...] = (
    "ambition",
    "scalability",
    "organisation",
    "market",
    "financing",
    "technology",
    "role_model",
)
COMPANY_COLUMNS: tuple[str, ...] = (
    "company_id",
    "name",
    "lat",
    "lon",
    "town",
    "founded",
    "young",
    "level",
    *SCORECARD_COLUMNS,
    "panel_approved",
    "completed",
    "unavailable",
    "priority",
    "participants",
    "waiting_since",
    "available_from",
)
VENUE_COLUMNS: tuple[str, ...] = (
    "venue_id",
    "name",
    "lat",
    "lon",
    "town",
    "residential",
    "max_cohorts",
    "unavailable",
    "status",
)
__all__ = [
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


def load_folder_with_notes(folder: Path) -> tuple[PlanningProblem, list[str]]:
    """Like :func:`load_folder`, also returning notes (ignored columns, derived levels, ...).

    Args:
        folder: The planning folder.

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
    round_config = read_round(folder / ROUND_TOML, out)
    start = round_config.start if round_config else None
    sheets = workbook_tables(folder, out)
    companies = _parse_table(folder, "companies", out, lambda t: _companies(t, start, out), sheets)
    venues = _parse_table(folder, "venues", out, lambda t: _venues(t, out), sheets)
    if out.problems:
        raise InputError(sorted(out.problems, key=_file_rank))
    assert round_config is not None and companies is not None and venues is not None
    if not venues:
        out.problem(_label(folder, "venues"), None, None, None, N_("at least one venue"))
    if not companies:
        out.problem(_label(folder, "companies"), None, None, None, N_("at least one company"))
    if out.problems:
        raise InputError(out.problems)
    problem = PlanningProblem(round=round_config, companies=tuple(companies), venues=tuple(venues))
    out.notes.extend(_outside_region_notes(out.readers, problem))
    return problem, out.notes


def _outside_region_notes(readers: list[RowReader], problem: PlanningProblem) -> list[str]:
    """A note for every row whose town lies outside Region Midtjylland: its region and the
    distance to the nearest venue (accepted: the programme is open to every company)."""
    venues = [(v.venue_id, v.lat, v.lon) for v in problem.venues]
    notes = []
    for reader in readers:
        if reader.outside is None or not reader.ok:
            continue
        town = reader.text("town")
        note = region_note(reader.outside, venues, label=town)
        if note:
            notes.append(f"{reader.file} row {reader.row}: {note}")
    return notes


def _file_rank(problem: InputProblem) -> int:
    """Report companies, then venues, then round.toml (a stable sort keeps row order)."""
    for rank, stem in enumerate(("companies", "venues", "round")):
        if problem.file.startswith(stem) or problem.file.endswith(f":{stem}"):
            return rank
    return 3


# --------------------------------------------------------------------------- tables

#: Column names of a location, in both tables.
_LOCATION_ALIASES: dict[str, str] = {
    "by": "town",
    "bredde": "lat",
    "breddegrad": "lat",
    "latitude": "lat",
    "længde": "lon",
    "længdegrad": "lon",
    "longitude": "lon",
    "lng": "lon",
}
#: Danish (and other common) column names -> the names of the contract, normalised.
COMPANY_ALIASES: dict[str, str] = {
    "cvr": "company_id",
    "cvr_nr": "company_id",
    "cvr_nr.": "company_id",
    "cvr_nummer": "company_id",
    "virksomhed_id": "company_id",
    "id": "company_id",
    "navn": "name",
    "virksomhed": "name",
    "virksomhedsnavn": "name",
    **_LOCATION_ALIASES,
    "stiftet": "founded",
    "stiftelsesdato": "founded",
    "ung": "young",
    "niveau": "level",
    "vækstniveau": "level",
    "vækstambition": "ambition",
    "skalerbarhed": "scalability",
    "skalérbarhed": "scalability",
    "organisatorisk_kapacitet": "organisation",
    "marked": "market",
    "finansiering": "financing",
    "teknologi": "technology",
    "ny_teknologi": "technology",
    "rollemodel": "role_model",
    "vækstpanel": "panel_approved",
    "panel_godkendt": "panel_approved",
    "gennemført": "completed",
    "gennemfoert": "completed",
    "utilgængelig": "unavailable",
    "ikke_tilgængelig": "unavailable",
    "prioritet": "priority",
    "deltagere": "participants",
    "antal_deltagere": "participants",
    "venter_siden": "waiting_since",
    "tilgængelig_fra": "available_from",
}
VENUE_ALIASES: dict[str, str] = {
    "sted_id": "venue_id",
    "id": "venue_id",
    "navn": "name",
    "sted": "name",
    **_LOCATION_ALIASES,
    "overnatning": "residential",
    "internat": "residential",
    "max_hold": "max_cohorts",
    "maks_hold": "max_cohorts",
    "utilgængelig": "unavailable",
    "ikke_tilgængelig": "unavailable",
}
#: Sheet names of the workbook (normalised) -> the kind of table they hold.
SHEET_NAMES: dict[str, str] = {
    "companies": "companies",
    "virksomheder": "companies",
    "venues": "venues",
    "steder": "venues",
    "mødesteder": "venues",
}
_ALIASES = {"companies": COMPANY_ALIASES, "venues": VENUE_ALIASES}
#: The column that tells a sheet's kind when its name does not.
_KEY_COLUMN = {"companies": "company_id", "venues": "venue_id"}


def _label(folder: Path, kind: str) -> str:
    if (folder / f"{kind}.csv").exists() or not (folder / WORKBOOK).exists():
        return f"{kind}.csv"
    return f"{WORKBOOK}:{kind}"


def _parse_table(
    folder: Path,
    kind: str,
    out: Collector,
    parse: Callable[[Table], list[Any] | None],
    sheets: dict[str, Table] | None,
) -> list[Any] | None:
    table = _read_table(folder, kind, out, sheets)
    return None if table is None else parse(table)


def _read_table(
    folder: Path, kind: str, out: Collector, sheets: dict[str, Table] | None
) -> Table | None:
    """Read `kind`.csv, else the workbook's sheet of that kind; report a missing file."""
    csv_path, xlsx_path = folder / f"{kind}.csv", folder / WORKBOOK
    if csv_path.exists():
        if xlsx_path.exists():
            out.notes.append(f"{csv_path.name} is used; the {kind} of {WORKBOOK} are ignored")
        return read_csv_table(csv_path, out, _ALIASES[kind])
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


def workbook_tables(folder: Path, out: Collector) -> dict[str, Table] | None:
    """The workbook's companies and venues sheets, by kind: by name (English or Danish, any
    case), else by their columns; a problem naming the sheets found when neither tells."""
    path = folder / WORKBOOK
    wanted = [k for k in ("companies", "venues") if not (folder / f"{k}.csv").exists()]
    if not wanted or not path.exists():
        return None
    frames = read_workbook(path, out)
    if not frames:
        return None
    found: dict[str, Table] = {}
    unnamed: list[str] = []
    for sheet, frame in frames.items():
        kind = SHEET_NAMES.get(normalise_column(sheet))
        if kind is not None and kind not in found:
            found[kind] = Table.from_frame(f"{WORKBOOK}:{sheet}", frame, _ALIASES[kind])
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
            found[kind] = Table.from_frame(f"{WORKBOOK}:{sheet}", frames[sheet], _ALIASES[kind])
            out.notes.append(f"{WORKBOOK}: sheet {sheet!r} read as the {kind} (by its columns)")
            continue
        names = ", ".join(repr(s) for s in frames)
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
        out.problem(WORKBOOK, None, None, None, Message(_NO_SHEET[kind], sheets=names, which=which))
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


def _check_columns(
    table: Table, known: tuple[str, ...], required: list[tuple[str, ...]], out: Collector
) -> bool:
    """Report missing columns (each entry of `required` is alternatives); note unknown ones."""
    ok = True
    have = set(table.columns)
    for alternatives in required:
        if not any(set(alt.split("+")) <= have for alt in alternatives):
            wanted = joined(
                [joined(alt.split("+"), N_("%(a)s and %(b)s")) for alt in alternatives],
                N_("%(a)s or %(b)s"),
            )
            expected = Message(N_("a column %(columns)s"), columns=wanted)
            out.problem(table.label, 1, "/".join(alternatives), None, expected)
            ok = False
    if ok and ("lat" in have) != ("lon" in have) and "lat" in known:
        given, missing = ("lat", "lon") if "lat" in have else ("lon", "lat")
        beside = N_("a column %(missing)s beside %(given)s (or neither)")
        out.problem(table.label, 1, missing, None, Message(beside, missing=missing, given=given))
        ok = False
    extra = [c for c in table.columns if c not in known]
    if extra:
        out.notes.append(
            f"{table.label}: column(s) {', '.join(repr(c) for c in extra)} not used (ignored)"
        )
    return ok


def _rows(table: Table, out: Collector) -> list[RowReader]:
    """A reader per non-empty data row, numbered as in a spreadsheet (header = row 1)."""
    readers = [
        RowReader(table.label, i + 2, values, out)
        for i, values in enumerate(table.rows)
        if any(values.values())
    ]
    if isinstance(out, _Reading):
        out.readers.extend(readers)
    return readers


class _Reading(Collector):
    """Problems and notes of a folder, and the rows read (for notes that need every file)."""

    def __init__(self) -> None:
        super().__init__()
        self.readers: list[RowReader] = []


def _unique(reader: RowReader, column: str, seen: dict[str, int]) -> str | None:
    value = reader.required(column)
    if value is None:
        return None
    key = same_id(value)
    if key in seen:
        expected = N_(
            "a unique %(column)s (already on row %(row)s; ids that differ only in case "
            "or spaces are the same id)"
        )
        reader.fail(column, value, Message(expected, column=column, row=seen[key]))
        return None
    seen[key] = reader.row
    return value


# --------------------------------------------------------------------------- companies


def _companies(table: Table, start: date | None, out: Collector) -> list[Company] | None:
    have = set(table.columns)
    level_sources = ("level", "+".join(SCORECARD_COLUMNS))
    required = [("company_id",), ("name",), ("lat+lon", "town"), ("founded", "young")]
    if not _check_columns(table, COMPANY_COLUMNS, [*required, level_sources], out):
        return None
    has_scorecard = set(SCORECARD_COLUMNS) <= have
    partial = [c for c in SCORECARD_COLUMNS if c not in have]
    if not has_scorecard and len(partial) < len(SCORECARD_COLUMNS):
        out.notes.append(
            f"{table.label}: scorecard columns incomplete (missing {', '.join(partial)}); "
            "levels come from the level column only"
        )
    seen: dict[str, int] = {}
    companies: list[Company] = []
    scored = below_c = 0
    for r in _rows(table, out):
        company_id = _unique(r, "company_id", seen)
        name = r.required("name")
        where = r.location()
        founded = r.iso_date("founded")
        young = r.boolean("young")
        if founded is not None:
            if founded > date.today():
                future = N_("a founding date that is not in the future")
                r.fail("founded", r.text("founded"), future)
            elif start is not None and founded > start:
                before = N_("a date on or before the round's start %(start)s")
                r.fail("founded", r.text("founded"), Message(before, start=start))
        if r.text("founded") == "" and r.text("young") == "":
            r.fail("founded/young", "", N_("founded (ISO date) or young (true/false)"))
        elif founded is not None and young is not None and start is not None:
            derived = young_at(founded, start)
            if derived != young:
                agree = N_(
                    "%(young)s, as founded %(founded)s says (young = founded less than 3 years "
                    "before %(start)s); give one of them or make them agree"
                )
                r.fail(
                    "young",
                    r.text("young"),
                    Message(agree, young=str(derived).lower(), founded=founded, start=start),
                )
        panel = r.boolean("panel_approved")
        card = {key: r.level(key) for key in SCORECARD_COLUMNS if key in have}
        level: Level | None = None
        is_below_c = False
        if r.text("level"):
            level = r.level("level", N_("A, B or C"))
        elif has_scorecard and any(r.text(key) for key in SCORECARD_COLUMNS):
            if r.ok:
                age = bool(young)
                if young is None and founded is not None:
                    age = young_at(founded, start or date.today())
                result = _score(company_id or "", age, card, panel)
                level, is_below_c = result.roster_level, result.below_c
                scored += 1
                below_c += is_below_c
        else:
            r.fail(
                "level",
                "",
                N_("A, B or C, or the scorecard columns") if has_scorecard else N_("A, B or C"),
            )
        completed = r.choices(
            "completed", {s.value for s in Step}, N_("module1, lab1, module2, lab2 (';'-separated)")
        )
        unavailable = r.iso_dates("unavailable")
        priority = r.integer("priority", 0, low=0, expected=N_("a whole number >= 0"))
        participants = r.integer("participants", 1, low=1, high=3, expected=N_("1, 2 or 3"))
        waiting_since = r.iso_date("waiting_since")
        available_from = r.iso_date("available_from")
        if not r.ok:
            continue
        assert where is not None and level is not None
        r.build(
            companies,
            Company,
            company_id=company_id,
            name=name,
            lat=where[0],
            lon=where[1],
            town=where[2],
            founded=founded,
            young=young,
            level=level,
            below_c=is_below_c,
            panel_approved=panel,
            completed=frozenset(Step(s) for s in completed or []),
            unavailable=frozenset(unavailable or []),
            priority=priority,
            participants=participants,
            waiting_since=waiting_since,
            available_from=available_from,
        )
    if scored:
        out.notes.append(
            f"{table.label}: level from the scorecard for {scored} compan"
            f"{'y' if scored == 1 else 'ies'} ({below_c} below C, trained with C)"
        )
    return companies


def _score(company_id: str, young: bool, card: dict[str, Any], panel: bool | None) -> ScoreResult:
    from camp_planner.scoring import score

    return score(Scorecard(company_id=company_id, young=young, panel_approved=panel, **card))


# --------------------------------------------------------------------------- venues


def _venues(table: Table, out: Collector) -> list[Venue] | None:
    required = [("venue_id",), ("name",), ("lat+lon", "town")]
    if not _check_columns(table, VENUE_COLUMNS, required, out):
        return None
    seen: dict[str, int] = {}
    venues: list[Venue] = []
    statuses = {s.value for s in VenueStatus}
    for r in _rows(table, out):
        venue_id = _unique(r, "venue_id", seen)
        name = r.required("name")
        where = r.location()
        residential = r.boolean("residential")
        max_cohorts = r.integer(
            "max_cohorts", None, low=0, expected=N_("a whole number >= 0 or empty")
        )
        unavailable = r.iso_dates("unavailable")
        status = r.choices("status", statuses, N_("candidate, required or closed"), single=True)
        if not r.ok:
            continue
        assert where is not None
        r.build(
            venues,
            Venue,
            venue_id=venue_id,
            name=name,
            lat=where[0],
            lon=where[1],
            town=where[2],
            residential=bool(residential),
            max_cohorts=max_cohorts,
            unavailable=frozenset(unavailable or []),
            status=VenueStatus(status[0]) if status else VenueStatus.CANDIDATE,
        )
    return venues
