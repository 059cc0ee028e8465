"""Input side of the domain: companies, venues, the round's settings, the scorecard.

These models know nothing of files or of the solver; `camp_planner.io` builds them from a
planning folder and `camp_planner.scheduler` consumes them.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from camp_planner.models.enums import AgeGroup, Level, Step, VenueStatus

Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]

#: A company is young when founded less than this many years before the round starts.
YOUNG_YEARS = 3
#: An e-mail address as a person types one: local part, @, a domain with a dot (no spaces).
_EMAIL = re.compile(r"^[^@\s,;:<>()\[\]\"]+@[^@\s,;:<>()\[\]\"]+\.[^@\s,;:<>()\[\]\".]{2,}$")
#: A time of day as written in round.toml: "09:00".
_CLOCK = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def is_email(text: str) -> bool:
    """True for ``name@firma.dk`` (one address; no display name, no spaces)."""
    return bool(_EMAIL.match(text)) and ".." not in text and not text.startswith(".")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Company(_Frozen):
    """A growth company that may take the next step of its training track this round.

    `level` is the level the roster uses (for a company below C it is C, with `below_c`
    set so coordinators can see it). `young` may be given directly; otherwise it is derived
    from `founded` and the round's start by :meth:`is_young`.
    """

    company_id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    lat: Latitude
    lon: Longitude
    town: str | None = None
    founded: date | None = None
    young: bool | None = None
    level: Level
    below_c: bool = False
    panel_approved: bool | None = None
    completed: frozenset[Step] = frozenset()
    unavailable: frozenset[date] = frozenset()
    priority: int = Field(default=0, ge=0)
    participants: int = Field(default=1, ge=1, le=3)
    #: the day the company joined the waitlist: among equals, the longest waiting go first
    waiting_since: date | None = None
    #: the company cannot start before this day (it signed up for a later round)
    available_from: date | None = None
    #: the day the company signed up (next-round: it waits from then when it has no
    #: `waiting_since`)
    signed_up: date | None = None
    #: the person the invitation is addressed to, and their e-mail address (optional)
    contact_name: str | None = None
    email: str | None = None

    @field_validator("email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value is not None and not is_email(value):
            raise ValueError(f"not an e-mail address: {value!r}")
        return value

    @model_validator(mode="after")
    def _age_known(self) -> Company:
        if self.founded is None and self.young is None:
            raise ValueError(f"company {self.company_id}: give either 'founded' or 'young'")
        return self

    def is_young(self, round_start: date) -> bool:
        """Young = founded less than 3 years before the round starts (or `young` as given)."""
        if self.young is not None:
            return self.young
        assert self.founded is not None  # guaranteed by _age_known
        try:
            three_years_on = self.founded.replace(year=self.founded.year + YOUNG_YEARS)
        except ValueError:  # founded on 29 February
            three_years_on = date(self.founded.year + YOUNG_YEARS, 3, 1)
        return three_years_on > round_start

    def age_group(self, round_start: date) -> AgeGroup:
        """The age group the company trains with this round."""
        return AgeGroup.YOUNG if self.is_young(round_start) else AgeGroup.ESTABLISHED

    def next_step(self) -> Step | None:
        """Module 1 unless done; else Module 2 for A/B companies without it; else none."""
        if Step.MODULE1 not in self.completed:
            return Step.MODULE1
        if self.level in (Level.A, Level.B) and Step.MODULE2 not in self.completed:
            return Step.MODULE2
        return None


class Venue(_Frozen):
    """A town that can host camps this round."""

    venue_id: str = Field(min_length=1)
    name: str = Field(min_length=1)
    lat: Latitude
    lon: Longitude
    town: str | None = None
    residential: bool = False
    max_cohorts: int | None = Field(default=None, ge=0)
    unavailable: frozenset[date] = frozenset()
    status: VenueStatus = VenueStatus.CANDIDATE
    #: street address for the invitation (optional; the town is used when absent)
    address: str | None = None


def _whole(value: object) -> object:
    """A whole number, not a bool nor a float (TOML and forms say ``8``, not ``8.0``)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise PydanticCustomError("whole_number", "a whole number")
    return value


def _number(value: object) -> object:
    """A number, not a bool."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PydanticCustomError("number", "a number")
    return value


def _day(value: object) -> object:
    """A date or an ISO date text (as JSON carries it), not a date and time (readers turn
    dates written in other forms into dates first)."""
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise PydanticCustomError("date", "a date") from None
    if isinstance(value, datetime) or not isinstance(value, date):
        raise PydanticCustomError("date", "a date")
    return value


def _level_text(value: object) -> Level:
    text = str(value).strip().upper()
    if text not in ("A", "B", "C"):
        raise PydanticCustomError("level", "a level")
    return Level(text)


WholeNumber = Annotated[int, BeforeValidator(_whole)]
Number = Annotated[float, BeforeValidator(_number)]
Day = Annotated[date, BeforeValidator(_day)]


class RoundConfig(_Frozen):
    """The settings of one round (`round.toml`, docs/planning-folder.md).

    Every rule a setting must keep is checked here, once: the planning folder's reader, the
    web app's settings form, what-if scenarios and the programme's rounds all validate
    through this model, and the reader maps its errors to problems (error type ``missing``,
    a field's own type such as ``whole_number``, or the cross-field types ``end_before_start``,
    ``cohort_max_below_min`` and ``online_min_above_max`` with the other value in the
    error's context).
    """

    name: str = Field(min_length=1)
    start: Day
    end: Day
    cohort_min: WholeNumber = Field(default=8, ge=1)
    cohort_max: WholeNumber = Field(default=10, ge=1)
    max_venues: WholeNumber = Field(default=6, ge=1)
    facilitators: WholeNumber = Field(default=1, ge=1)
    facilitator_unavailable: frozenset[Day] = frozenset()
    lab_gap_days: tuple[WholeNumber, WholeNumber] = (14, 42)
    road_factor: Number = Field(default=1.3, gt=0)
    max_travel_km: Number = Field(default=0, ge=0)
    #: Level used for an A company the growth panel has not (yet) approved.
    unapproved_a_level: Level = Level.A
    #: added to every company's priority by its level (the region's policy; default 0)
    level_priority: dict[Level, int] = Field(
        default_factory=lambda: {Level.A: 0, Level.B: 0, Level.C: 0}
    )
    #: Module 1 cohorts may be held online (no venue, no travel)
    online_cohorts: StrictBool = False
    #: people an online cohort needs at least (at most cohort_max)
    online_cohort_min: WholeNumber = Field(default=5, ge=1)
    #: level mixes allowed in Module 1 cohorts, e.g. ("A+B",)
    mix_levels: tuple[str, ...] = ()
    #: levels at which young and established companies may share a cohort
    mix_age_groups: tuple[Level, ...] = ()
    #: language of the text people read in the outputs: "en" or "da"
    language: Literal["en", "da"] = "en"
    #: replan neither moves nor adds a session on --as-of or within this many days after it
    notice_days: int = Field(default=7, ge=0, strict=True)
    #: who sends the invitations (ORGANIZER of the events; the From line's name)
    coordinator_name: str | None = None
    coordinator_email: str | None = None
    #: the sessions' hours, Danish time ("09:00", "16:00"); events are all-day without them
    session_start: str | None = None
    session_end: str | None = Field(default=None, validate_default=True)
    #: the day companies are asked to answer the invitation by
    reply_by: Day | None = None

    @field_validator("name", mode="before")
    @classmethod
    def _text(cls, value: object) -> object:
        if not isinstance(value, str):
            raise PydanticCustomError("text", "a text")
        return value.strip()

    @field_validator("end")
    @classmethod
    def _end_after_start(cls, end: date, info: ValidationInfo) -> date:
        start = info.data.get("start")
        if start is not None and end < start:
            raise PydanticCustomError(
                "end_before_start",
                "end {end} is before start {start}",
                {"start": start, "end": end},
            )
        return end

    @field_validator("cohort_max")
    @classmethod
    def _max_at_least_min(cls, high: int, info: ValidationInfo) -> int:
        low = info.data.get("cohort_min")
        if low is not None and high < low:
            raise PydanticCustomError(
                "cohort_max_below_min",
                "cohort_max {high} < cohort_min {low}",
                {"low": low, "high": high},
            )
        return high

    @field_validator("online_cohort_min")
    @classmethod
    def _online_min_at_most_max(cls, low: int, info: ValidationInfo) -> int:
        """A written online_cohort_min must fit cohort_max. Checked only for settings a person
        wrote (a file or a form passes ``context={"written": keys}``): a default above a
        small cohort_max, or settings built by the program (a remedy switching online cohorts
        on), mean "no online cohort fits", which the planner handles."""
        written = (info.context or {}).get("written")
        if written is None or "online_cohort_min" not in written:
            return low
        high = info.data.get("cohort_max")
        if high is not None and low > high:
            raise PydanticCustomError(
                "online_min_above_max",
                "online_cohort_min {low} > cohort_max {high}",
                {"low": low, "high": high},
            )
        return low

    @field_validator("facilitator_unavailable", mode="before")
    @classmethod
    def _days(cls, value: object) -> object:
        if not isinstance(value, list | tuple | set | frozenset):
            raise PydanticCustomError("date_list", "a list of dates")
        return frozenset(value)

    @field_validator("lab_gap_days", mode="before")
    @classmethod
    def _pair(cls, value: object) -> object:
        if isinstance(value, list):
            value = tuple(value)
        return value

    @field_validator("lab_gap_days")
    @classmethod
    def _gap(cls, value: tuple[int, int]) -> tuple[int, int]:
        lo, hi = value
        if not 0 < lo <= hi:
            raise PydanticCustomError(
                "lab_gap",
                "lab_gap_days must be [lo, hi] with 0 < lo <= hi, got {lo}, {hi}",
                {"lo": lo, "hi": hi},
            )
        return value

    @field_validator("unapproved_a_level", mode="before")
    @classmethod
    def _level(cls, value: object) -> object:
        return _level_text(value)

    @field_validator("level_priority", mode="before")
    @classmethod
    def _level_priority(cls, value: object) -> object:
        if not isinstance(value, dict):
            raise PydanticCustomError("level_priority", "a table of levels")
        out = {Level.A: 0, Level.B: 0, Level.C: 0}
        for key, number in value.items():
            ok = isinstance(number, int) and not isinstance(number, bool) and number >= 0
            if str(key).strip().upper() not in ("A", "B", "C") or not ok:
                raise PydanticCustomError("level_priority", "a table of levels")
            out[_level_text(key)] = number
        return out

    @field_validator("mix_levels", mode="before")
    @classmethod
    def _mixes(cls, value: object) -> object:
        """["a + b"] -> ("A+B",): each mix two or three distinct levels, highest first."""
        if not isinstance(value, list | tuple):
            raise PydanticCustomError("mix_levels", "a list of level mixes")
        mixes = []
        for item in value:
            parts = [p.strip().upper() for p in str(item).split("+")]
            if (
                len(parts) < 2
                or len(set(parts)) != len(parts)
                or any(p not in ("A", "B", "C") for p in parts)
            ):
                raise PydanticCustomError("mix_levels", "a list of level mixes")
            mixes.append("+".join(sorted(parts)))
        return tuple(dict.fromkeys(mixes))

    @field_validator("mix_age_groups", mode="before")
    @classmethod
    def _mix_ages(cls, value: object) -> object:
        if not isinstance(value, list | tuple):
            raise PydanticCustomError("level_list", "a list of levels")
        try:
            return tuple(dict.fromkeys(_level_text(v) for v in value))
        except PydanticCustomError:
            raise PydanticCustomError("level_list", "a list of levels") from None

    @field_validator("language", mode="before")
    @classmethod
    def _language(cls, value: object) -> object:
        return str(value).strip().lower()

    @field_validator("coordinator_name", mode="before")
    @classmethod
    def _name(cls, value: object) -> object:
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise PydanticCustomError("text", "a text")
        return value.strip() if isinstance(value, str) else value

    @field_validator("coordinator_email", mode="before")
    @classmethod
    def _coordinator_email(cls, value: object) -> object:
        if value is not None and (not isinstance(value, str) or not is_email(value.strip())):
            raise PydanticCustomError("email", "an e-mail address")
        return value.strip() if isinstance(value, str) else value

    @field_validator("session_start", "session_end", mode="before")
    @classmethod
    def _clock(cls, value: object) -> object:
        """``"9:00"``, ``"09:00"`` or TOML's ``09:00:00`` -> ``"09:00"``."""
        if value is None:
            return value
        text = value.strftime("%H:%M") if isinstance(value, time) else value
        if isinstance(text, str) and re.fullmatch(r"\d:\d\d", text.strip()):
            text = "0" + text.strip()
        if not isinstance(text, str) or not _CLOCK.match(text.strip()):
            raise PydanticCustomError("clock", "a time of day")
        return text.strip()

    @field_validator("session_end")
    @classmethod
    def _hours(cls, end: str | None, info: ValidationInfo) -> str | None:
        if "session_start" not in info.data:  # session_start has a problem of its own
            return end
        start = info.data["session_start"]
        if (start is None) != (end is None):
            raise PydanticCustomError("session_hours_pair", "both session hours, or neither")
        if start is not None and end is not None and end <= start:
            raise PydanticCustomError(
                "session_end_before_start",
                "session_end {end} is not after session_start {start}",
                {"start": start, "end": end},
            )
        return end


class Scorecard(_Frozen):
    """What a growth consultant records for a company: the level reached per criterion.

    A criterion left as None is met at no level. `ambition` and `market` may instead be
    derived from figures (see `camp_planner.scoring`).
    """

    company_id: str = ""
    young: bool = False
    ambition: Level | None = None
    scalability: Level | None = None
    organisation: Level | None = None
    market: Level | None = None
    financing: Level | None = None
    technology: Level | None = None
    role_model: Level | None = None
    #: expected annual growth % (revenue, employment, export) and its horizon in years
    growth_pct: float | None = None
    growth_horizon_years: float | None = None
    #: export share of sales, 0-1
    export_share: float | None = Field(default=None, ge=0, le=1)
    panel_approved: bool | None = None
