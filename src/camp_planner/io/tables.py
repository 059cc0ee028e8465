"""Reading tables as coordinators save them, and the cell values they write.

One reader for every input table (the planning folder's companies and venues, scorecards):

- CSV files: UTF-8 (with or without BOM), Windows-1252 (Excel's default in Denmark) or
  UTF-16 (Excel's "Unicode text"); separated by ``,``, ``;`` (Danish Excel) or tabs;
  decimal commas. A file that is not a CSV at all (a workbook saved under a .csv name, an
  empty file, a binary) is reported in one sentence naming what it seems to be.
- Excel workbooks (.xlsx): every sheet, read as text.
- Column names match without regard to case, surrounding spaces, inner spaces or hyphens
  (``Company ID`` = ``company_id``), and Danish names are aliases (``navn`` = ``name``).

Cell values (:func:`parse_bool`, :func:`parse_date`, :func:`parse_float`): booleans as
``true``/``false``, ``sand``/``falsk`` (Danish Excel), ``yes``/``no``, ``ja``/``nej``,
``x``/empty, ``1``/``0``; dates as ISO ``2027-01-04`` or as Danish Excel writes them,
``04-01-2027`` or ``04.01.2027`` (day first).
"""

from __future__ import annotations

import calendar
import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from camp_planner.i18n import N_, Message
from camp_planner.io.errors import Collector

#: Words read as true / false (any case). Empty is "not given" (false where a flag is meant).
TRUE_WORDS: tuple[str, ...] = ("true", "sand", "yes", "ja", "x", "1", "y", "j")
FALSE_WORDS: tuple[str, ...] = ("false", "falsk", "no", "nej", "0", "n")
BOOL_EXPECTED = N_("true or false (also sand/falsk, yes/no, ja/nej, x or empty, 1/0)")
DATE_EXPECTED = N_("a date: 2027-01-04 (ISO), or 04-01-2027 or 04.01.2027 (day first)")
DATES_EXPECTED = N_(
    "dates separated by ';', each 2027-01-04 (ISO), or 04-01-2027 or 04.01.2027 (day first)"
)

_DANISH_DATE = re.compile(r"^(\d{1,2})[.-](\d{1,2})[.-](\d{2}|\d{4})$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]00:00(:00)?$")


class AmbiguousDateError(ValueError):
    """A date that could be read two ways (e.g. ``03-04-05``); the message says how
    (`message`, to translate)."""

    def __init__(self, message: Message) -> None:
        super().__init__(str(message))
        self.message = message


class NoSuchDayError(AmbiguousDateError):
    """A date written right that is no day of the calendar (``31-02-2019``, ``2019-02-30``):
    its message says so (a subclass, so every reader that lists a date's message lists it)."""


_ISO_SHAPE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def _no_such_day(text: str, day: int, month: int, year: int) -> NoSuchDayError | None:
    """The error for a day that does not exist in a real month; None when the month is no
    month at all (13) or the day no day (0, 32): those are not dates, not missing days."""
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    last = calendar.monthrange(year, month)[1]
    return NoSuchDayError(
        Message(
            N_("%(date)s: this day does not exist (the month has %(days)s days)"),
            date=repr(text),
            days=last,
        )
    )


def parse_bool(text: str) -> bool | None:
    """True or False for a boolean word (:data:`TRUE_WORDS`, :data:`FALSE_WORDS`), else None."""
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def parse_date(text: str) -> date | None:
    """A date written as ISO (``2027-01-04``; Excel's ``2027-01-04 00:00:00`` too) or as
    Danish Excel writes it, day first (``04-01-2027``, ``4.1.2027``); None if it is none.

    Raises:
        AmbiguousDateError: A two-digit year (``03-04-05`` is 3 April 2005 day first, but
            2003-04-05 as a short ISO date).
        NoSuchDayError: A day its month does not have (``31-02-2019``).
    """
    text = text.strip()
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    iso = _ISO_SHAPE.match(text)
    if iso:
        year, month, day = (int(g) for g in iso.groups())
        error = _no_such_day(text, day, month, year)
        if error is not None:
            raise error
        return None
    if _ISO_DATETIME.match(text):
        return datetime.fromisoformat(text).date()
    match = _DANISH_DATE.match(text)
    if match is None:
        return None
    day, month, year = (int(g) for g in match.groups())
    if len(match.group(3)) == 2:
        raise AmbiguousDateError(
            Message(
                N_(
                    "%(date)s could be read two ways (year %(day_first)s day first, or year "
                    "%(iso)s as a short ISO date); write the year with four digits"
                ),
                date=repr(text),
                day_first=f"20{match.group(3)}",
                iso=f"20{match.group(1)}",
            )
        )
    try:
        return date(year, month, day)
    except ValueError:
        error = _no_such_day(text, day, month, year)
        if error is not None:
            raise error from None
        return None


def parse_float(text: str) -> float | None:
    """A decimal number; a decimal comma (``56,15``) is accepted. None if not a number."""
    if "," in text and "." not in text:
        text = text.replace(",", ".")
    try:
        number = float(text)
    except ValueError:
        return None
    return number if number == number and abs(number) != float("inf") else None


def normalise_column(name: object) -> str:
    """``" Company ID "`` -> ``company_id``: lower case, inner spaces and hyphens as ``_``."""
    return re.sub(r"[\s\-]+", "_", str(name).strip().lower())


def same_id(text: str) -> str:
    """The form in which two ids are the same id: ``Skive`` and `` skive`` are one venue."""
    return text.strip().casefold()


@dataclass
class Table:
    """A table as read: its label for problems, normalised column names and rows of text.

    Attributes:
        label: File name as the coordinator knows it (``companies.csv``,
            ``plan.xlsx:Virksomheder``).
        columns: Column names, normalised and with aliases replaced by their English names.
        rows: One dict per data row, cell text stripped (empty string for an empty cell).
        renamed: Alias -> name for every column whose name was an alias.
        headers: Name -> the column's header as it stands in the file (``Stiftet`` for
            ``founded``), for problems: a person looks for the column they wrote.
    """

    label: str
    columns: list[str]
    rows: list[dict[str, str]]
    renamed: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)

    def shown(self, column: str) -> str:
        """`column` (``founded``, or ``founded/young``) as the file's header names it."""
        return shown_column(column, self.headers)

    @classmethod
    def from_frame(
        cls, label: str, frame: pd.DataFrame, aliases: Mapping[str, str] | None = None
    ) -> Table:
        """A table from a text DataFrame, its columns normalised and aliases applied."""
        frame = frame.fillna("").astype(str)
        aliases = aliases or {}
        columns: list[str] = []
        renamed: dict[str, str] = {}
        headers: dict[str, str] = {}
        for raw in frame.columns:
            name = normalise_column(raw)
            if name in aliases:
                renamed[name] = aliases[name]
                name = aliases[name]
            columns.append(name)
            headers.setdefault(name, str(raw).strip() or name)
        rows = [
            {col: str(v).strip() for col, v in zip(columns, values, strict=True)}
            for values in frame.itertuples(index=False, name=None)
        ]
        return cls(label, columns, rows, renamed, headers)


def shown_column(column: str, headers: Mapping[str, str]) -> str:
    """A column of a problem (``founded``, ``lat/lon/town``) with each name as the file's
    header writes it (`headers`: name -> header); a column the file lacks keeps its name."""
    return "/".join(headers.get(part, part) for part in column.split("/"))


#: What :func:`sniff` says of an empty file.
EMPTY = "empty"


def sniff(raw: bytes) -> str | None:
    """What a file that should be a CSV seems to be, when it is not text; None when text.

    Returns:
        e.g. ``"an Excel workbook (.xlsx)"`` (a text of the catalog), :data:`EMPTY` or None.
    """
    if not raw.strip():
        return EMPTY
    if raw.startswith(b"PK\x03\x04"):
        return N_("an Excel workbook (.xlsx) or another zip file, not a CSV text file")
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        return N_("an old Excel workbook (.xls), not a CSV text file")
    if raw.startswith(b"%PDF"):
        return N_("a PDF document, not a CSV text file")
    if _utf16(raw) is None and b"\x00" in raw[:4096]:
        return N_("a binary file, not a CSV text file")
    return None


def _utf16(raw: bytes) -> str | None:
    """The text of a UTF-16 file (with a BOM, or NULs every other byte), else None."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            return None
    head = raw[:200]
    if len(head) >= 4 and head[1::2].count(0) > len(head) // 4 and head[0::2].count(0) == 0:
        try:
            return raw.decode("utf-16-le")
        except UnicodeDecodeError:
            return None
    return None


def decode_text(raw: bytes, name: str, out: Collector) -> str:
    """The text of a CSV file: UTF-8, UTF-16 or Windows-1252 (with a note for the last two)."""
    utf16 = _utf16(raw)
    if utf16 is not None:
        out.notes.append(
            Message(N_("%(file)s is UTF-16 (Excel's Unicode text); read as such"), file=name)
        )
        return utf16
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        note = N_("%(file)s is not UTF-8; read as Windows-1252 (Excel's default)")
        out.notes.append(Message(note, file=name))
        return raw.decode("cp1252", errors="replace")


def separator(text: str) -> str:
    """The separator of a CSV text, from its header row: ``,``, ``;`` (Danish Excel, and
    the files this product writes for a Danish round) or a tab; ``,`` when tied."""
    header = text.splitlines()[0] if text.strip() else ""
    counts = {sep: header.count(sep) for sep in (",", ";", "\t")}
    return max(counts, key=lambda s: (counts[s], s == ","))


def csv_rows(text: str) -> list[dict[str, str]]:
    """The rows of a CSV text the product wrote (column -> cell text), with either
    separator (:func:`separator`) and without a leading byte-order mark."""
    text = text.removeprefix("\ufeff")
    return list(csv.DictReader(io.StringIO(text), delimiter=separator(text)))


def read_csv_table(
    path: Path, out: Collector, aliases: Mapping[str, str] | None = None, label: str | None = None
) -> Table | None:
    """Read a CSV file as text; record a problem (and return None) when it cannot be read.

    Args:
        path: The file.
        out: Where problems and notes go.
        aliases: Alternative column names (normalised) -> the name used.
        label: File label for problems; default the file's name.

    Returns:
        The table, or None.
    """
    name = label or path.name
    try:
        raw = path.read_bytes()
    except OSError as exc:
        out.problem(name, None, None, None, _unreadable(exc))
        return None
    seems = sniff(raw)
    if seems == EMPTY:
        out.problem(name, None, None, None, N_("a CSV file with a header row; this file is empty"))
        return None
    if seems is not None:
        expected = N_("a CSV file with a header row; this file seems to be %(what)s")
        out.problem(name, None, None, None, Message(expected, what=Message(seems)))
        return None
    text = decode_text(raw, name, out)
    sep = separator(text)
    try:
        frame = pd.read_csv(
            io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, skip_blank_lines=False
        )
    except pd.errors.EmptyDataError:
        out.problem(name, 1, None, None, N_("a header row with the column names"))
        return None
    except pd.errors.ParserError as exc:
        match = re.search(r"line (\d+)", str(exc))
        row = int(match.group(1)) if match else None
        out.problem(
            name, row, None, None, Message(N_("a well-formed CSV row (%(error)s)"), error=str(exc))
        )
        return None
    if sep == ";":
        note = N_("%(file)s uses ';' as separator (Danish Excel); read as such")
        out.notes.append(Message(note, file=name))
    elif sep == "\t":
        out.notes.append(Message(N_("%(file)s uses tabs as separator; read as such"), file=name))
    return Table.from_frame(name, frame, aliases)


def _unreadable(exc: OSError) -> Message:
    return Message(N_("a readable file (%(error)s)"), error=str(exc.strerror or exc))


def read_workbook(path: Path, out: Collector, label: str | None = None) -> dict[str, pd.DataFrame]:
    """Every sheet of an Excel workbook, as text, by sheet name; {} (with a problem) if none."""
    name = label or path.name
    try:
        raw_head = path.read_bytes()[:8]
    except OSError as exc:
        out.problem(name, None, None, None, _unreadable(exc))
        return {}
    if not raw_head.startswith(b"PK\x03\x04"):
        expected = (
            N_("an Excel workbook (.xlsx); this file seems to be an old Excel workbook (.xls)")
            if raw_head.startswith(b"\xd0\xcf")
            else N_("an Excel workbook (.xlsx); this file seems to be not one")
        )
        out.problem(name, None, None, None, expected)
        return {}
    try:
        sheets = pd.read_excel(path, sheet_name=None, dtype=str, keep_default_na=False)
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook is an input problem
        opens = N_("an Excel workbook (.xlsx) that opens (%(error)s)")
        out.problem(name, None, None, None, Message(opens, error=str(exc)))
        return {}
    return {str(sheet): frame for sheet, frame in sheets.items()}
