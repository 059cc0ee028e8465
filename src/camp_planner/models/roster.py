"""Output side: the roster and its solver report, exactly as CONTRACT.md's roster.json."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from camp_planner.models.enums import AgeGroup, Level, SolverStatus, Step, UnplacedCode


class Session(BaseModel):
    """One session of a cohort: a step on one or more dates."""

    model_config = ConfigDict(frozen=True)

    step: Step
    dates: list[date]


class Cohort(BaseModel):
    """A "hold": companies of one module, level and age group at one venue."""

    cohort_id: str
    venue_id: str
    module: Step
    level: Level
    age_group: AgeGroup
    members: list[str]
    sessions: list[Session]


class Unplaced(BaseModel):
    """A company without a place this round, with a code and a sentence for people."""

    company_id: str
    code: UnplacedCode
    reason: str


class SolverReport(BaseModel):
    """What the solver proved. `objective`/`best_bound` are travel km of the final stage;
    `gap` is (objective - best_bound) / objective, 0 when proven optimal."""

    status: SolverStatus
    wall_time_s: float
    objective: float | None = None
    best_bound: float | None = None
    gap: float | None = None
    placed_bound: int | None = None
    message: str = ""


class Summary(BaseModel):
    """Totals of a roster."""

    placed: int
    unplaced: int
    travel_km_total: float
    venues_used: list[str]
    #: who went first where not everyone fit, in words (the policy and what it decided)
    policy: str = ""


class Roster(BaseModel):
    """The roster.json document."""

    round: str
    solver: SolverReport
    cohorts: list[Cohort] = Field(default_factory=list)
    unplaced: list[Unplaced] = Field(default_factory=list)
    summary: Summary
    #: travel km per placed company (extra key; CONTRACT allows additions)
    travel_km: dict[str, float] = Field(default_factory=dict)

    def to_json(self) -> str:
        """The roster as roster.json text."""
        return self.model_dump_json(indent=2)

    @classmethod
    def from_json(cls, text: str | bytes) -> Roster:
        """Read roster.json text."""
        return cls.model_validate_json(text)

    def cohort_of(self, company_id: str) -> Cohort | None:
        """The cohort a company is a member of, if placed."""
        for cohort in self.cohorts:
            if company_id in cohort.members:
                return cohort
        return None
