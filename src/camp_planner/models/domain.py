"""Input side of the domain: companies, venues, the round's settings, the scorecard.

These models know nothing of files or of the solver; `camp_planner.io` builds them from a
planning folder and `camp_planner.scheduler` consumes them.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from camp_planner.models.enums import AgeGroup, Level, Step, VenueStatus

Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]

#: A company is young when founded less than this many years before the round starts.
YOUNG_YEARS = 3


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


class RoundConfig(_Frozen):
    """The settings of one round (`round.toml`, docs/planning-folder.md)."""

    name: str = Field(min_length=1)
    start: date
    end: date
    cohort_min: int = Field(default=8, ge=1)
    cohort_max: int = Field(default=10, ge=1)
    max_venues: int = Field(default=6, ge=1)
    facilitators: int = Field(default=1, ge=1)
    facilitator_unavailable: frozenset[date] = frozenset()
    lab_gap_days: tuple[int, int] = (14, 42)
    road_factor: float = Field(default=1.3, gt=0)
    max_travel_km: float = Field(default=0, ge=0)
    #: Level used for an A company the growth panel has not (yet) approved.
    unapproved_a_level: Level = Level.A
    #: added to every company's priority by its level (the region's policy; default 0)
    level_priority: dict[Level, int] = Field(
        default_factory=lambda: {Level.A: 0, Level.B: 0, Level.C: 0}
    )
    #: Module 1 cohorts may be held online (no venue, no travel)
    online_cohorts: bool = False
    #: people an online cohort needs at least (at most cohort_max)
    online_cohort_min: int = Field(default=5, ge=1)
    #: level mixes allowed in Module 1 cohorts, e.g. ("A+B",)
    mix_levels: tuple[str, ...] = ()
    #: levels at which young and established companies may share a cohort
    mix_age_groups: tuple[Level, ...] = ()
    #: language of the text people read in the outputs: "en" or "da"
    language: Literal["en", "da"] = "en"

    @model_validator(mode="after")
    def _consistent(self) -> RoundConfig:
        if self.end < self.start:
            raise ValueError(f"end {self.end} is before start {self.start}")
        if self.cohort_max < self.cohort_min:
            raise ValueError(f"cohort_max {self.cohort_max} < cohort_min {self.cohort_min}")
        lo, hi = self.lab_gap_days
        if not 0 < lo <= hi:
            raise ValueError(f"lab_gap_days must be [lo, hi] with 0 < lo <= hi, got {lo}, {hi}")
        return self

    @field_validator("lab_gap_days", mode="before")
    @classmethod
    def _pair(cls, value: object) -> object:
        if isinstance(value, list):
            return tuple(value)
        return value


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
