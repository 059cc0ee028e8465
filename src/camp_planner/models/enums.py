"""Enumerations of the domain vocabulary (docs/rules.md; Danish names in
docs/planning-folder.md)."""

from __future__ import annotations

from enum import StrEnum


class Level(StrEnum):
    """Growth-potential level ("vækstpotentialeniveau"), A highest."""

    A = "A"
    B = "B"
    C = "C"

    @property
    def rank(self) -> int:
        """0 for A, 1 for B, 2 for C: lower is higher."""
        return "ABC".index(self.value)


class Step(StrEnum):
    """A step of the training track, in the order they are taken."""

    MODULE1 = "module1"
    LAB1 = "lab1"
    MODULE2 = "module2"
    LAB2 = "lab2"


class AgeGroup(StrEnum):
    """Young companies (< 3 years at the round's start) train apart from established ones."""

    YOUNG = "young"
    ESTABLISHED = "established"


class VenueStatus(StrEnum):
    """How a venue may be used this round."""

    CANDIDATE = "candidate"
    REQUIRED = "required"
    CLOSED = "closed"


class SolverStatus(StrEnum):
    """Status of a solve, PyJobShop-style; OPTIMAL only when proven."""

    OPTIMAL = "OPTIMAL"
    FEASIBLE = "FEASIBLE"
    INFEASIBLE = "INFEASIBLE"
    TIME_LIMIT = "TIME_LIMIT"  # the limit was hit before any roster was found


class UnplacedCode(StrEnum):
    """Why a company has no place this round (docs/roster-json.md)."""

    SEGMENT_TOO_SMALL = "segment_too_small"
    CAPACITY = "capacity"
    NOT_ELIGIBLE = "not_eligible"
    TRACK_COMPLETE = "track_complete"
    UNAVAILABLE = "unavailable"
    TOO_FAR = "too_far"
    PRIORITY = "priority"
    #: the company's next step is planned in a later round of the programme
    LATER_ROUND = "later_round"
    #: the company cannot start yet (`available_from` after the round)
    NOT_YET_AVAILABLE = "not_yet_available"


#: The module step each cohort is formed for, and the lab that follows it.
LAB_OF: dict[Step, Step] = {Step.MODULE1: Step.LAB1, Step.MODULE2: Step.LAB2}
#: Working days a session occupies the facilitator.
SESSION_DAYS: dict[Step, int] = {Step.MODULE1: 1, Step.LAB1: 1, Step.MODULE2: 2, Step.LAB2: 1}
