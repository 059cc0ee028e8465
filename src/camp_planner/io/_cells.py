"""Reading the cells of one input row, collecting a problem for every bad value.

Private helpers of :mod:`camp_planner.io.folder`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from pydantic import BaseModel, ValidationError

from camp_planner.i18n import N_, Message
from camp_planner.io.errors import Collector
from camp_planner.io.tables import (
    BOOL_EXPECTED,
    DATE_EXPECTED,
    DATES_EXPECTED,
    AmbiguousDateError,
    NoSuchDayError,
    parse_bool,
    parse_date,
    parse_float,
    shown_column,
)
from camp_planner.models import Level
from camp_planner.models.domain import YOUNG_YEARS
from camp_planner.places.gazetteer import (
    Place,
    TownError,
    in_midtjylland,
    nearest_match,
    resolve_town,
)

__all__ = ["DK_LAT", "DK_LON", "Collector", "RowReader", "parse_date", "parse_float", "young_at"]

#: Rough bounding box of Denmark (latitude, longitude), degrees.
DK_LAT = (54.4, 57.9)
DK_LON = (7.9, 15.3)
#: A row giving both lat/lon and a town: the town must lie within this many km.
TOWN_AGREE_KM = 15.0


def young_at(founded: date, start: date) -> bool:
    """Young = founded less than 3 years before `start` (as :meth:`Company.is_young`)."""
    try:
        anniversary = founded.replace(year=founded.year + YOUNG_YEARS)
    except ValueError:  # 29 February
        anniversary = date(founded.year + YOUNG_YEARS, 3, 1)
    return anniversary > start


class RowReader:
    """The cells of one data row, with parsers that record a problem on a bad value.

    Args:
        file: File label for problems.
        row: Spreadsheet row number (header = 1).
        values: Column -> cell text (stripped; empty string for an empty cell).
        out: Where problems go.
    """

    def __init__(
        self,
        file: str,
        row: int,
        values: dict[str, str],
        out: Collector,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.file = file
        self.row = row
        self.values = values
        self.out = out
        #: name -> the column's header in the file: problems name the column as written
        self.headers: Mapping[str, str] = headers or {}
        self.ok = True
        #: the row's town when it lies outside Region Midtjylland (accepted, with a note)
        self.outside: Place | None = None

    def text(self, column: str) -> str:
        """The cell's text; empty when the cell or the column is absent."""
        return self.values.get(column, "")

    def fail(self, column: str, value: str | None, expected: str | Message) -> None:
        """Record a problem in this row (`expected`: a text marked with ``N_``, or a
        :class:`Message`)."""
        self.ok = False
        self.out.problem(self.file, self.row, self.shown(column), value, expected)

    def shown(self, column: str) -> str:
        """`column` as the file's header writes it (``Stiftet`` for ``founded``)."""
        return shown_column(column, self.headers)

    def required(self, column: str) -> str | None:
        """A non-empty text."""
        value = self.text(column)
        if not value:
            required = Message(N_("a %(column)s (required)"), column=self.shown(column))
            self.fail(column, "", required)
            return None
        return value

    def _date(self, column: str, text: str, expected: str) -> date | None:
        try:
            day = parse_date(text)
        except NoSuchDayError as exc:
            self.fail(column, text, exc.message)  # "this day does not exist"
            return None
        except AmbiguousDateError as exc:
            both = Message(
                N_("%(expected)s; %(why)s"), expected=Message(DATE_EXPECTED), why=exc.message
            )
            self.fail(column, text, both)
            return None
        if day is None:
            self.fail(column, text, expected)
        return day

    def iso_date(self, column: str) -> date | None:
        """A date (ISO or Danish, see :func:`parse_date`) or None when empty."""
        text = self.text(column)
        return self._date(column, text, DATE_EXPECTED) if text else None

    def iso_dates(self, column: str) -> list[date] | None:
        """``;``-separated dates (empty = none)."""
        days = []
        for part in filter(None, (p.strip() for p in self.text(column).split(";"))):
            day = self._date(column, part, DATES_EXPECTED)
            if day is None:
                return None
            days.append(day)
        return days

    def boolean(self, column: str) -> bool | None:
        """A boolean word (:func:`parse_bool`), or None when empty."""
        text = self.text(column)
        if not text:
            return None
        value = parse_bool(text)
        if value is None:
            self.fail(column, text, BOOL_EXPECTED)
        return value

    def integer(
        self,
        column: str,
        default: int | None,
        low: int | None = None,
        high: int | None = None,
        expected: str = N_("a whole number"),
    ) -> int | None:
        """A whole number within [low, high], or `default` when empty."""
        text = self.text(column)
        if not text:
            return default
        number = parse_float(text)
        if number is None or number != int(number):
            self.fail(column, text, expected)
            return default
        value = int(number)
        if (low is not None and value < low) or (high is not None and value > high):
            self.fail(column, text, expected)
            return default
        return value

    def level(self, column: str, expected: str = N_("A, B, C or empty (none)")) -> Level | None:
        """A level A/B/C (any case), None when empty."""
        text = self.text(column).upper()
        if not text:
            return None
        if text not in ("A", "B", "C"):
            self.fail(column, self.text(column), expected)
            return None
        return Level(text)

    def choices(
        self, column: str, allowed: set[str], expected: str, single: bool = False
    ) -> list[str] | None:
        """``;``-separated words from `allowed` (any case); one word only if `single`
        (`expected`: the words allowed, a text marked with ``N_``)."""
        text = self.text(column)
        words = [w.strip().lower() for w in text.split(";") if w.strip()]
        one_of = Message(N_("one of: %(choices)s"), choices=Message(expected))
        if single and len(words) > 1:
            self.fail(column, text, one_of)
            return None
        for word in words:
            if word not in allowed:
                self.fail(column, word if not single else text, one_of)
                return None
        return words

    def location(self) -> tuple[float, float, str | None] | None:
        """(lat, lon, town): from lat/lon, else resolved from the town."""
        lat_text, lon_text, town = self.text("lat"), self.text("lon"), self.text("town")
        if not lat_text and not lon_text:
            if not town:
                self.fail("lat/lon/town", "", N_("lat and lon, or a Danish town"))
                return None
            try:
                place = resolve_town(town)
            except TownError as exc:
                self.fail("town", town, exc.text)
                return None
            if not in_midtjylland(place):
                self.outside = place
            return place.lat, place.lon, town
        for column, text in (("lat", lat_text), ("lon", lon_text)):
            if not text:
                self.fail(column, "", N_("both lat and lon (or only a town)"))
                return None
        lat, lon = parse_float(lat_text), parse_float(lon_text)
        if lat is None or lon is None:
            column, text = ("lat", lat_text) if lat is None else ("lon", lon_text)
            self.fail(column, text, N_("a decimal number of degrees, e.g. 56.15"))
            return None
        if not (DK_LAT[0] <= lat <= DK_LAT[1] and DK_LON[0] <= lon <= DK_LON[1]):
            swapped = DK_LAT[0] <= lon <= DK_LAT[1] and DK_LON[0] <= lat <= DK_LON[1]
            column, text = (
                ("lat", lat_text) if not DK_LAT[0] <= lat <= DK_LAT[1] else ("lon", lon_text)
            )
            box = f"lat {DK_LAT[0]}-{DK_LAT[1]}, lon {DK_LON[0]}-{DK_LON[1]}"
            expected = (
                N_("a point in Denmark: %(box)s (lat and lon swapped?)")
                if swapped
                else N_("a point in Denmark: %(box)s")
            )
            self.fail(column, text, Message(expected, box=box))
            return None
        if town:
            self._town_agrees(town, lat, lon)
        return lat, lon, town or None

    def _town_agrees(self, town: str, lat: float, lon: float) -> None:
        match = nearest_match(town, lat, lon)
        if match is None:
            note = N_("%(file)s row %(row)s: town %(town)s is not in the gazetteer; lat/lon used")
            self.out.notes.append(Message(note, file=self.file, row=self.row, town=repr(town)))
            return
        place, km = match
        if km > TOWN_AGREE_KM:
            expected = N_(
                "a town near lat/lon %(lat)s, %(lon)s: %(place)s is %(km)s km away; "
                "give lat/lon or town, not both disagreeing"
            )
            self.fail(
                "town",
                town,
                Message(expected, lat=lat, lon=lon, place=place.describe(), km=f"{km:.0f}"),
            )

    def build(self, into: list[Any], model: type[BaseModel], **fields: Any) -> None:
        """Build `model` and append it; a validation error becomes problems of this row."""
        try:
            into.append(model(**fields))
        except ValidationError as exc:
            for err in exc.errors():
                column = str(err["loc"][0]) if err["loc"] else "(row)"
                value = fields.get(column)
                self.fail(column, None if value is None else str(value), err["msg"])
