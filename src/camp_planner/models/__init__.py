"""Domain models (pydantic v2); they know nothing of files or of the solver."""

from camp_planner.models.calendar import is_working_day, working_days
from camp_planner.models.domain import Company, RoundConfig, Scorecard, Venue
from camp_planner.models.enums import (
    LAB_OF,
    SESSION_DAYS,
    AgeGroup,
    Level,
    SolverStatus,
    Step,
    UnplacedCode,
    VenueStatus,
)
from camp_planner.models.geo import haversine_km
from camp_planner.models.problem import PlanningProblem, Segment
from camp_planner.models.roster import Cohort, Roster, Session, SolverReport, Summary, Unplaced

__all__ = [
    "LAB_OF",
    "SESSION_DAYS",
    "AgeGroup",
    "Cohort",
    "Company",
    "Level",
    "PlanningProblem",
    "Roster",
    "RoundConfig",
    "Scorecard",
    "Segment",
    "Session",
    "SolverReport",
    "SolverStatus",
    "Step",
    "Summary",
    "Unplaced",
    "UnplacedCode",
    "Venue",
    "VenueStatus",
    "haversine_km",
    "is_working_day",
    "working_days",
]
