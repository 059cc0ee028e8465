"""The rows of a planning folder's tables into companies and venues, every problem recorded
with its file, row and column (docs/planning-folder.md)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from camp_planner.i18n import N_, Message, joined
from camp_planner.io._cells import RowReader, young_at
from camp_planner.io.columns import COMPANY_COLUMNS, SCORECARD_COLUMNS, VENUE_COLUMNS
from camp_planner.io.errors import Collector
from camp_planner.io.tables import Table, same_id
from camp_planner.models import Company, Level, Scorecard, Step, Venue, VenueStatus
from camp_planner.models.domain import is_email

if TYPE_CHECKING:
    from camp_planner.scoring import ScoreResult


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
        said = table.shown(given)
        out.problem(table.label, 1, missing, None, Message(beside, missing=missing, given=said))
        ok = False
    extra = [c for c in table.columns if c not in known]
    if extra:
        columns = ", ".join(repr(table.shown(c)) for c in extra)
        note = N_("%(file)s: column(s) %(columns)s not used (ignored)")
        out.notes.append(Message(note, file=table.label, columns=columns))
    return ok


def _rows(table: Table, out: Collector) -> list[RowReader]:
    """A reader per non-empty data row, numbered as in a spreadsheet (header = row 1)."""
    readers = [
        RowReader(table.label, i + 2, values, out, table.headers)
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
        shown = reader.shown(column)
        reader.fail(column, value, Message(expected, column=shown, row=seen[key]))
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
        note = N_(
            "%(file)s: scorecard columns incomplete (missing %(columns)s); "
            "levels come from the level column only"
        )
        out.notes.append(Message(note, file=table.label, columns=", ".join(partial)))
    seen: dict[str, int] = {}
    companies: list[Company] = []
    scored: list[bool] = []  # per company scored: below C
    for r in _rows(table, out):
        _company(r, start, seen, have, scored, companies)
    if scored:
        note = (
            N_(
                "%(file)s: level from the scorecard for %(count)s company "
                "(%(below)s below C, trained with C)"
            )
            if len(scored) == 1
            else N_(
                "%(file)s: level from the scorecard for %(count)s companies "
                "(%(below)s below C, trained with C)"
            )
        )
        count, below = len(scored), sum(scored)
        out.notes.append(Message(note, file=table.label, count=count, below=below))
    return companies


def _company(
    r: RowReader,
    start: date | None,
    seen: dict[str, int],
    have: set[str],
    scored: list[bool],
    companies: list[Company],
) -> None:
    """One row of companies.csv: appended to `companies`, or its problems recorded."""
    company_id = _unique(r, "company_id", seen)
    name = r.required("name")
    where = r.location()
    founded = r.iso_date("founded")
    young = r.boolean("young")
    _check_age(r, start, founded, young)
    panel = r.boolean("panel_approved")
    level, is_below_c = _row_level(r, start, have, company_id, founded, young, panel, scored)
    completed = r.choices(
        "completed", {s.value for s in Step}, N_("module1, lab1, module2, lab2 (';'-separated)")
    )
    unavailable = r.iso_dates("unavailable")
    priority = r.integer("priority", 0, low=0, expected=N_("a whole number >= 0"))
    participants = r.integer("participants", 1, low=1, high=3, expected=N_("1, 2 or 3"))
    waiting_since = r.iso_date("waiting_since")
    available_from = r.iso_date("available_from")
    signed_up = r.iso_date("signed_up")
    email = r.text("email") or None
    if email is not None and not is_email(email):
        r.fail("email", email, N_("an e-mail address, e.g. name@firma.dk"))
    if not r.ok:
        return
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
        signed_up=signed_up,
        contact_name=r.text("contact_name") or None,
        email=email,
    )


def _check_age(r: RowReader, start: date | None, founded: date | None, young: bool | None) -> None:
    """founded not in the future nor after the round's start; founded or young given; the
    two agreeing when both are."""
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


def _row_level(
    r: RowReader,
    start: date | None,
    have: set[str],
    company_id: str | None,
    founded: date | None,
    young: bool | None,
    panel: bool | None,
    scored: list[bool],
) -> tuple[Level | None, bool]:
    """The row's level (from `level`, else scored from its scorecard) and whether it is
    below C; a scored row appends its below-C flag to `scored`."""
    has_scorecard = set(SCORECARD_COLUMNS) <= have
    card = {key: r.level(key) for key in SCORECARD_COLUMNS if key in have}
    if r.text("level"):
        return r.level("level", N_("A, B or C")), False
    if has_scorecard and any(r.text(key) for key in SCORECARD_COLUMNS):
        if not r.ok:
            return None, False
        age = bool(young)
        if young is None and founded is not None:
            age = young_at(founded, start or date.today())
        result = _score(company_id or "", age, card, panel)
        scored.append(result.below_c)
        return result.roster_level, result.below_c
    r.fail(
        "level",
        "",
        N_("A, B or C, or the scorecard columns") if has_scorecard else N_("A, B or C"),
    )
    return None, False


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
            address=r.text("address") or None,
        )
    return venues
