"""Output side: the roster and its solver report, exactly as docs/roster-json.md's roster.json."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from camp_planner.models.enums import AgeGroup, Level, SolverStatus, Step, UnplacedCode

if TYPE_CHECKING:
    from camp_planner.models.problem import PlanningProblem

#: The `venue_id` of an online cohort (no venue, no travel; `round.toml` `online_cohorts`).
ONLINE_VENUE_ID = "online"


class CohortLevel(StrEnum):
    """A cohort's level: one level, or the levels of a mixed cohort joined by ``+``, highest
    first (``A+B``; `round.toml` `mix_levels`). A pure level equals its :class:`Level`."""

    A = "A"
    B = "B"
    C = "C"
    A_B = "A+B"
    A_C = "A+C"
    B_C = "B+C"
    A_B_C = "A+B+C"

    @classmethod
    def of(cls, levels: Iterable[Level | str]) -> CohortLevel:
        """The cohort level of members at these levels: ``{B, A}`` -> ``A+B``."""
        return cls("+".join(sorted({str(level) for level in levels})))

    @property
    def levels(self) -> tuple[Level, ...]:
        """The levels in the cohort, highest first."""
        return tuple(Level(part) for part in self.value.split("+"))

    @property
    def mixed(self) -> bool:
        """More than one level."""
        return "+" in self.value


class CohortAgeGroup(StrEnum):
    """A cohort's age group: ``young``, ``established``, or ``mixed`` when young and
    established companies share it (`round.toml` `mix_age_groups`)."""

    YOUNG = "young"
    ESTABLISHED = "established"
    MIXED = "mixed"

    @classmethod
    def of(cls, groups: Iterable[AgeGroup | str]) -> CohortAgeGroup:
        """The cohort age group of members in these age groups."""
        distinct = {str(group) for group in groups}
        return cls(distinct.pop()) if len(distinct) == 1 else cls.MIXED


class Session(BaseModel):
    """One session of a cohort: a step on one or more dates."""

    model_config = ConfigDict(frozen=True)

    step: Step
    dates: list[date]


class Cohort(BaseModel):
    """A "hold": companies of one module, level and age group at one venue.

    An online cohort has `venue_id` ``"online"`` and `online` set (no venue, no travel).
    A mixed cohort (the round's `mix_levels` / `mix_age_groups`) has `mixed` set and a
    `level` such as ``A+B`` and/or `age_group` ``mixed``. roster.json files written before
    these keys existed read as in-person, unmixed cohorts.
    """

    cohort_id: str
    venue_id: str
    module: Step
    level: CohortLevel
    age_group: CohortAgeGroup
    members: list[str]
    sessions: list[Session]
    online: bool = False
    mixed: bool = False


class Unplaced(BaseModel):
    """A company without a place this round, with a code and a sentence for people.

    `reason_code` and `reason_values` (issue 18) are what `reason` was rendered from, so a
    page renders it in its own language
    (:func:`camp_planner.scheduler.reason_text.render_reason`); None in rosters written
    before them, and for reasons that are not rendered that way yet."""

    company_id: str
    code: UnplacedCode
    reason: str
    reason_code: str | None = None
    reason_values: dict[str, Any] | None = None


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


class RosterKind(StrEnum):
    """What a roster.json is: only a `roster` or a `replan` can be the published roster;
    a what-if scenario's roster and a programme's forecast of a round are not (until a
    coordinator adopts one: ``--adopt``)."""

    ROSTER = "roster"
    REPLAN = "replan"
    WHATIF = "whatif"
    PROGRAMME = "programme"

    @property
    def publishable(self) -> bool:
        """Whether a roster of this kind may be taken as the published one."""
        return self in (RosterKind.ROSTER, RosterKind.REPLAN)


def fingerprint_of(problem: PlanningProblem) -> str:
    """A short fingerprint of the planning folder a roster is solved from: its companies,
    venues and round settings as read (``sha256:`` and 16 hex digits). The same folder gives
    the same fingerprint; any change of a value the solver reads gives another."""
    data = json.dumps(problem.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return "sha256:" + hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


class Roster(BaseModel):
    """The roster.json document. Keys it does not know (e.g. `replan`, which keeps the
    published invitations' UIDs) are kept, so reading and writing a roster loses nothing."""

    model_config = ConfigDict(extra="allow")

    round: str
    solver: SolverReport
    cohorts: list[Cohort] = Field(default_factory=list)
    unplaced: list[Unplaced] = Field(default_factory=list)
    summary: Summary
    #: travel km per placed company (extra key; CONTRACT allows additions)
    travel_km: dict[str, float] = Field(default_factory=dict)
    #: what this roster is (a roster.json written before this key reads as ``roster``)
    kind: RosterKind = RosterKind.ROSTER
    #: :func:`fingerprint_of` the folder it was solved from ("" when not known)
    folder_fingerprint: str = ""

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
