"""Before the model: who can take which step where, and groups of interchangeable companies.

Companies with the same segment, location, travel row, participants, priority and
unavailable days are interchangeable for the model; they become one :class:`Group` with a
count, which removes the symmetry between them and shrinks the model on real rounds where
many companies share a town.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

# The objectives' units live in the engine (written once); re-exported for older imports.
from camp_planner.engine.units import TRAVEL_UNITS_PER_KM as TRAVEL_UNITS_PER_KM
from camp_planner.engine.units import placement_priority as placement_priority
from camp_planner.models import (
    Company,
    Level,
    PlanningProblem,
    Segment,
    Step,
    UnplacedCode,
    Venue,
    VenueStatus,
)
from camp_planner.scheduler.days import DayIndex
from camp_planner.scheduler.kinds import ONLINE
from camp_planner.scheduler.reason_text import Reason


@dataclass
class Group:
    """Interchangeable companies of one segment (same place, size, priority, blackouts)."""

    segment: Segment
    companies: list[Company]
    participants: int
    #: who goes first, as one number: the policy priority, then the waiting rank
    #: (see :func:`placement_priority`); the model maximises its total over placed companies
    priority: int
    unavailable: frozenset[date]
    #: allowed venue index -> travel km (one-way)
    travel: dict[int, float]
    #: `priority` + the round's `level_priority` for the company's level
    policy_priority: int = 0
    #: on the waitlist since (None: not waiting)
    waiting_since: date | None = None

    @property
    def size(self) -> int:
        """Number of companies in the group."""
        return len(self.companies)


@dataclass
class Prepared:
    """Everything the model needs, plus the companies decided before solving."""

    problem: PlanningProblem
    days: DayIndex
    venues: list[Venue]
    groups: list[Group] = field(default_factory=list)
    #: company_id -> (code, reason) for companies left out before solving
    excluded: dict[str, tuple[UnplacedCode, str]] = field(default_factory=dict)
    #: sentences about the round itself, for the solver report
    notes: list[str] = field(default_factory=list)


def next_step_or_reason(
    problem: PlanningProblem, company: Company
) -> Segment | tuple[UnplacedCode, str]:
    """The company's segment, or why it has no step this round (docs/rules.md, "Module 2 ...
    only companies that took Module 1 and are at level A or B")."""
    segment = problem.segment_of(company)
    if segment is not None:
        return segment
    lang = problem.round.language
    if Step.MODULE2 in company.completed:
        return UnplacedCode.TRACK_COMPLETE, Reason("track_done", {}, lang)
    level = problem.level_of(company)
    if level not in (Level.A, Level.B):
        why = Reason("module2_level", {"level": level.value}, lang)
        return UnplacedCode.NOT_ELIGIBLE, why
    return UnplacedCode.TRACK_COMPLETE, Reason("track_complete", {}, lang)


def allowed_venues(
    problem: PlanningProblem, company: Company, segment: Segment, venues: list[Venue]
) -> dict[int, float]:
    """Venue index -> travel km for the venues the company may train at: not closed,
    residential for Module 2, within `max_travel_km` when set."""
    limit = problem.round.max_travel_km
    allowed: dict[int, float] = {}
    for j, venue in enumerate(venues):
        if venue.status == VenueStatus.CLOSED:
            continue
        if segment.module == Step.MODULE2 and not venue.residential:
            continue
        km = problem.travel_km(company, venue)
        if limit > 0 and km > limit:
            continue
        allowed[j] = km
    return allowed


def too_far_reason(problem: PlanningProblem, company: Company, segment: Segment) -> str:
    """Sentence for a company with no venue it may train at."""
    lang = problem.round.language
    limit = problem.round.max_travel_km
    residential = segment.module == Step.MODULE2
    if limit > 0:
        return Reason("too_far_limit", {"km": limit, "residential": residential}, lang)
    return Reason("too_far", {"residential": residential}, lang)


def round_too_short(problem: PlanningProblem, module: Step, lang: str | None = None) -> str:
    """Sentence for a round with no dates for a module and its lab (in `lang`, by default
    the round's language)."""
    rnd = problem.round
    lang = rnd.language if lang is None else lang
    lo, hi = rnd.lab_gap_days
    step = Step.MODULE1 if module == Step.MODULE1 else Step.MODULE2
    values = {"start": rnd.start.isoformat(), "end": rnd.end.isoformat(), "module": step.value}
    return Reason("round_too_short", values | {"lo": lo, "hi": hi}, lang)


def not_yet_available(problem: PlanningProblem, company: Company, days: DayIndex) -> str | None:
    """Why a company that cannot start before `available_from` has no dates this round."""
    start = company.available_from
    if start is None or start <= problem.round.start:
        return None
    if start > problem.round.end:
        values = {"start": start.isoformat(), "end": problem.round.end.isoformat()}
        return Reason("after_round", values, problem.round.language)
    return None


def unavailable_days(problem: PlanningProblem, company: Company) -> frozenset[date]:
    """The company's unavailable days, and every working day before its `available_from`."""
    start = company.available_from
    if start is None or start <= problem.round.start:
        return company.unavailable
    early = frozenset(d for d in problem.working_days() if d < start)
    return company.unavailable | early


def prepare(problem: PlanningProblem) -> Prepared:
    """Split the companies into those the model decides on (grouped) and those it cannot
    place whatever it does (with their reason)."""
    days = DayIndex.for_problem(problem)
    lang = problem.round.language
    venues = list(problem.venues)
    prep = Prepared(problem=problem, days=days, venues=venues)
    buckets: dict[tuple[object, ...], list[Company]] = defaultdict(list)
    priority = placement_priority(problem)
    blocked: dict[str, frozenset[date]] = {}
    allowed_of: dict[str, dict[int, float]] = {}
    segment_of: dict[str, Segment] = {}
    for company in problem.companies:
        result = next_step_or_reason(problem, company)
        if isinstance(result, tuple):
            prep.excluded[company.company_id] = result
            continue
        segment = result
        if company.participants > problem.round.cohort_max:
            prep.excluded[company.company_id] = (
                UnplacedCode.CAPACITY,
                Reason(
                    "too_many_people",
                    {"people": company.participants, "most": problem.round.cohort_max},
                    lang,
                ),
            )
            continue
        if not days.session_options(segment.module):
            reason = round_too_short(problem, segment.module)
            prep.excluded[company.company_id] = (UnplacedCode.CAPACITY, reason)
            if reason not in prep.notes:
                prep.notes.append(reason)
            continue
        allowed = allowed_venues(problem, company, segment, venues)
        if problem.round.online_cohorts and segment.module == Step.MODULE1:
            allowed[ONLINE] = 0.0  # an online cohort: no venue, no travel
        if not allowed:
            prep.excluded[company.company_id] = (
                UnplacedCode.TOO_FAR,
                too_far_reason(problem, company, segment),
            )
            continue
        later = not_yet_available(problem, company, days)
        if later is not None:
            prep.excluded[company.company_id] = (UnplacedCode.NOT_YET_AVAILABLE, later)
            continue
        blocked[company.company_id] = unavailable_days(problem, company)
        if not days.company_can_attend(segment.module, blocked[company.company_id]):
            code = UnplacedCode.UNAVAILABLE
            reason = Reason("unavailable_every_day", {}, lang)
            if blocked[company.company_id] != company.unavailable and company.available_from:
                code = UnplacedCode.NOT_YET_AVAILABLE
                start = company.available_from.isoformat()
                reason = Reason("starts_too_late", {"start": start}, lang)
            prep.excluded[company.company_id] = (code, reason)
            continue
        allowed_of[company.company_id] = allowed
        segment_of[company.company_id] = segment
        key = (
            segment,
            tuple(sorted((j, round(km, 6)) for j, km in allowed.items())),
            company.participants,
            priority[company.company_id],
            problem.policy_priority(company),
            company.waiting_since,
            blocked[company.company_id],
        )
        buckets[key].append(company)
    for members in buckets.values():
        first = members[0]
        prep.groups.append(
            Group(
                segment=segment_of[first.company_id],
                companies=sorted(members, key=lambda c: c.company_id),
                participants=first.participants,
                priority=priority[first.company_id],
                unavailable=blocked[first.company_id],
                travel=allowed_of[first.company_id],
                policy_priority=problem.policy_priority(first),
                waiting_since=first.waiting_since,
            )
        )
    prep.groups.sort(key=lambda g: (g.segment.label, g.companies[0].company_id))
    return prep
