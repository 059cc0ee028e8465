"""The round's calendar: working days are Monday-Friday except Danish public holidays."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def danish_holidays(year: int) -> frozenset[date]:
    """Danish public holidays of one year (the `holidays` package)."""
    return frozenset(holidays.country_holidays("DK", years=year).keys())


def is_working_day(day: date) -> bool:
    """Monday-Friday and not a Danish public holiday."""
    return day.weekday() < 5 and day not in danish_holidays(day.year)


def working_days(start: date, end: date, exclude: Iterable[date] = ()) -> list[date]:
    """Working days from `start` to `end` inclusive, minus the dates in `exclude`."""
    skip = set(exclude)
    days = []
    day = start
    while day <= end:
        if is_working_day(day) and day not in skip:
            days.append(day)
        day += timedelta(days=1)
    return days
