"""A planning problem: one round, its companies and venues, validated together."""

from __future__ import annotations

from collections import Counter
from datetime import date

from pydantic import BaseModel, ConfigDict, model_validator

from camp_planner.models.calendar import working_days
from camp_planner.models.domain import Company, RoundConfig, Venue
from camp_planner.models.enums import AgeGroup, Level, Step
from camp_planner.models.geo import haversine_km


class Segment(BaseModel):
    """Companies that may share a cohort: same next step (module), level and age group."""

    model_config = ConfigDict(frozen=True)

    module: Step
    level: Level
    age_group: AgeGroup

    @property
    def label(self) -> str:
        """e.g. ``B/young Module 2``."""
        number = "1" if self.module == Step.MODULE1 else "2"
        return f"{self.level.value}/{self.age_group.value} Module {number}"


class PlanningProblem(BaseModel):
    """The validated input of one round.

    `travel_km` optionally overrides the great-circle travel for (company_id, venue_id)
    pairs, e.g. from a coordinator's travel matrix.
    """

    model_config = ConfigDict(frozen=True)

    round: RoundConfig
    companies: tuple[Company, ...]
    venues: tuple[Venue, ...]
    travel_matrix: dict[tuple[str, str], float] = {}

    @model_validator(mode="after")
    def _unique_ids(self) -> PlanningProblem:
        for kind, ids in (
            ("company_id", [c.company_id for c in self.companies]),
            ("venue_id", [v.venue_id for v in self.venues]),
        ):
            dupes = sorted(i for i, n in Counter(ids).items() if n > 1)
            if dupes:
                raise ValueError(f"duplicate {kind}: {', '.join(dupes)}")
        return self

    def travel_km(self, company: Company, venue: Venue) -> float:
        """One-way travel km: the matrix if given, else great-circle km x road_factor."""
        key = (company.company_id, venue.venue_id)
        if key in self.travel_matrix:
            return self.travel_matrix[key]
        return haversine_km(company.lat, company.lon, venue.lat, venue.lon) * self.round.road_factor

    def level_of(self, company: Company) -> Level:
        """The level the roster uses: an unapproved A follows the round's policy."""
        if company.level == Level.A and company.panel_approved is False:
            return self.round.unapproved_a_level
        return company.level

    def segment_of(self, company: Company) -> Segment | None:
        """The company's segment this round, or None when it has no next step."""
        level = self.level_of(company)
        step = company.next_step()
        if step == Step.MODULE2 and level not in (Level.A, Level.B):
            step = None
        if step is None:
            return None
        return Segment(module=step, level=level, age_group=company.age_group(self.round.start))

    def policy_priority(self, company: Company) -> int:
        """Who goes first (docs/rules.md): the company's `priority` plus the round's
        `level_priority` for its level."""
        return company.priority + self.round.level_priority.get(self.level_of(company), 0)

    def waiting_ranks(self) -> dict[str, int]:
        """company_id -> how long it has waited, as a rank: 0 for no `waiting_since`, and
        1, 2, ... for ever earlier dates (the earliest date has the highest rank)."""
        dates = sorted({c.waiting_since for c in self.companies if c.waiting_since is not None})
        rank = {day: len(dates) - i for i, day in enumerate(dates)}
        return {
            c.company_id: 0 if c.waiting_since is None else rank[c.waiting_since]
            for c in self.companies
        }

    def working_days(self) -> list[date]:
        """Days the facilitator can hold a session: working days minus their unavailable days."""
        return working_days(self.round.start, self.round.end, self.round.facilitator_unavailable)
