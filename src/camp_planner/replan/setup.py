"""What a replan starts from: the published roster split into history and future cohorts,
the companies the model decides on, and the cohort slots it may fill.

A published cohort with a session before `as_of` has met: it is *history* (venue, dates
and members fixed; members who left the folder just leave). Every other published cohort
is a *slot* the model may keep as it is, change (members, venue, dates) or cancel. New
cohorts are further slots, one kind of cohort (segment) each, as many as could be needed
(see :func:`new_slot_counts`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from camp_planner.models import (
    SESSION_DAYS,
    AgeGroup,
    Cohort,
    Company,
    Level,
    PlanningProblem,
    Roster,
    Segment,
    Step,
    UnplacedCode,
    VenueStatus,
)
from camp_planner.models.roster import ONLINE_VENUE_ID, CohortAgeGroup
from camp_planner.replan.notice import changes_from, redate_lost_labs
from camp_planner.scheduler.days import DayIndex
from camp_planner.scheduler.prepare import (
    allowed_venues,
    next_step_or_reason,
    not_yet_available,
    too_far_reason,
    unavailable_days,
)
from camp_planner.scheduler.reason_text import Reason


@dataclass(frozen=True)
class ChangeCost:
    """Weights of the changes a replan makes (round.toml ``[change_cost]``)."""

    #: per company moved to another cohort
    moved: int = 10
    #: per cohort moved to another venue (or online / in person)
    venue: int = 30
    #: per session (a module or a lab) moved to other dates
    dates: int = 20
    #: per published cohort that no longer runs
    cancelled: int = 80

    def reuse_dominates(self) -> bool:
        """Whether giving a cancelled cohort's id to a new cohort never costs more (then new
        cohorts of a kind are needed only once every published cohort of it runs)."""
        return self.cancelled >= self.venue + 2 * self.dates


class PinField(StrEnum):
    """The field of a published cohort a pin keeps."""

    MEMBERS = "members"
    VENUE = "venue"
    DATES = "dates"


@dataclass(frozen=True)
class Pin:
    """Keep one field of one published cohort (a row of pins.csv)."""

    cohort_id: str
    field: PinField


@dataclass
class Slot:
    """A cohort the model may run: a published (future) cohort or a new one."""

    index: int
    #: the published cohort's id; None for a new cohort
    cohort_id: str | None
    module: Step
    levels: frozenset[Level]
    ages: frozenset[AgeGroup]
    #: venue ids it may meet at (``online`` included when the round allows it)
    venues: list[str]
    old_venue: str | None = None
    old_start: int | None = None
    old_lab: int | None = None
    #: its published members still in the model
    old_members: list[str] = field(default_factory=list)
    pins: frozenset[PinField] = frozenset()

    def admits(self, segment: Segment) -> bool:
        """Whether a company of `segment` may join it."""
        return (
            segment.module == self.module
            and segment.level in self.levels
            and segment.age_group in self.ages
        )

    @property
    def existing(self) -> bool:
        """A published cohort (not a new one)."""
        return self.cohort_id is not None


@dataclass
class Setup:
    """Everything the replan model needs, and what was decided before it."""

    problem: PlanningProblem
    published: Roster
    as_of: date
    days: DayIndex
    #: working-day indices before `first_change` (no new session there)
    past: frozenset[int]
    #: the first day after the notice period: sessions before it are kept as they are
    first_change: date = date.min
    #: companies the model decides on, by id
    companies: dict[str, Company] = field(default_factory=dict)
    segment: dict[str, Segment] = field(default_factory=dict)
    #: company -> venue id -> travel km (``online``: 0)
    allowed: dict[str, dict[str, float]] = field(default_factory=dict)
    #: company -> working-day indices it cannot attend
    blackout: dict[str, frozenset[int]] = field(default_factory=dict)
    #: company -> why it has no place whatever the model does
    excluded: dict[str, tuple[UnplacedCode, str]] = field(default_factory=dict)
    #: cohorts that have met, members that left removed
    history: list[Cohort] = field(default_factory=list)
    slots: list[Slot] = field(default_factory=list)
    #: company -> the published (future) cohort it had a place in
    previous: dict[str, str] = field(default_factory=dict)
    #: sentences for the solver report
    notes: list[str] = field(default_factory=list)

    @property
    def history_members(self) -> set[str]:
        """Companies in cohorts that have met."""
        return {m for c in self.history for m in c.members}


def _first_date(cohort: Cohort) -> date:
    return min((d for s in cohort.sessions for d in s.dates), default=date.max)


def is_history(cohort: Cohort, as_of: date) -> bool:
    """Whether the cohort is kept as it is: a session before `as_of` (a replan passes the
    first day after the notice period, :func:`camp_planner.replan.notice.changes_from`)."""
    return _first_date(cohort) < as_of


def cohort_kind(cohort: Cohort) -> tuple[frozenset[Level], frozenset[AgeGroup]]:
    """The levels and age groups a published cohort admits (its label's)."""
    levels = frozenset(cohort.level.levels)
    if cohort.age_group == CohortAgeGroup.MIXED:
        return levels, frozenset(AgeGroup)
    return levels, frozenset({AgeGroup(cohort.age_group.value)})


def kind_allowed(
    problem: PlanningProblem, module: Step, levels: frozenset[Level], mixed_ages: bool
):
    """Whether the round (still) allows a cohort of these levels and age groups."""
    rnd = problem.round
    if len(levels) > 1:
        mixes = [frozenset(Level(p.strip()) for p in m.split("+")) for m in rnd.mix_levels]
        if module != Step.MODULE1 or not any(levels <= mix for mix in mixes):
            return False
    return not mixed_ages or levels <= set(rnd.mix_age_groups)


def venue_options(problem: PlanningProblem, module: Step) -> list[str]:
    """Venues a cohort of `module` may meet at: open, residential for Module 2; online."""
    options = [
        v.venue_id
        for v in problem.venues
        if v.status != VenueStatus.CLOSED and (module == Step.MODULE1 or v.residential)
    ]
    if module == Step.MODULE1 and problem.round.online_cohorts:
        options.append(ONLINE_VENUE_ID)
    return options


def _decide_companies(setup: Setup) -> None:
    """Companies the model decides on, or why they cannot have a place."""
    problem, days = setup.problem, setup.days
    rnd = problem.round
    lang = rnd.language
    venues = list(problem.venues)
    in_history = setup.history_members
    for company in problem.companies:
        cid = company.company_id
        if cid in in_history:
            continue
        result = next_step_or_reason(problem, company)
        if isinstance(result, tuple):
            setup.excluded[cid] = result
            continue
        segment = result
        if company.participants > rnd.cohort_max:
            values = {"people": company.participants, "most": rnd.cohort_max}
            setup.excluded[cid] = (UnplacedCode.CAPACITY, Reason("too_many_people", values, lang))
            continue
        allowed = {
            venues[j].venue_id: km
            for j, km in allowed_venues(problem, company, segment, venues).items()
        }
        if segment.module == Step.MODULE1 and rnd.online_cohorts:
            allowed[ONLINE_VENUE_ID] = 0.0
        if not allowed:
            setup.excluded[cid] = (UnplacedCode.TOO_FAR, too_far_reason(problem, company, segment))
            continue
        blocked = days.indices_of(unavailable_days(problem, company))
        if not days.session_options(segment.module, setup.past | blocked):
            code = UnplacedCode.UNAVAILABLE
            if company.available_from is not None and company.available_from > rnd.start:
                code = UnplacedCode.NOT_YET_AVAILABLE
            why = not_yet_available(problem, company, days) or Reason(
                "unavailable_from", {"date": setup.first_change.isoformat()}, lang
            )
            setup.excluded[cid] = (code, why)
            continue
        setup.companies[cid] = company
        setup.segment[cid] = segment
        setup.allowed[cid] = allowed
        setup.blackout[cid] = blocked


def _old_dates(days: DayIndex, cohort: Cohort) -> tuple[int | None, int | None]:
    """The published module start and lab as day indices (None where no longer one)."""
    where = {d: i for i, d in enumerate(days.dates)}
    module = next((s for s in cohort.sessions if s.step == cohort.module), None)
    lab = next((s for s in cohort.sessions if s.step != cohort.module), None)
    start = where.get(module.dates[0]) if module and module.dates else None
    if start is not None and module is not None:
        run = [where.get(d) for d in module.dates]
        if run != list(range(start, start + SESSION_DAYS[cohort.module])):
            start = None  # no longer consecutive working days
    end = where.get(lab.dates[0]) if lab and len(lab.dates) == 1 else None
    return start, end


def _existing_slots(setup: Setup, pins: dict[str, set[PinField]]) -> None:
    problem = setup.problem
    for cohort in setup.published.cohorts:
        if is_history(cohort, setup.first_change):
            continue
        levels, ages = cohort_kind(cohort)
        if not kind_allowed(problem, cohort.module, levels, len(ages) > 1):
            # The round no longer allows this mix: the cohort keeps its largest group.
            counts: dict[tuple[Level, AgeGroup], int] = defaultdict(int)
            for m in cohort.members:
                seg = setup.segment.get(m)
                if seg is not None and seg.level in levels and seg.age_group in ages:
                    counts[seg.level, seg.age_group] += 1
            level, age = (
                max(counts, key=lambda k: counts[k])
                if counts
                else (min(levels, key=lambda lv: lv.rank), min(ages))
            )
            levels, ages = frozenset({level}), frozenset({age})
            setup.notes.append(
                f"the round no longer allows cohort {cohort.cohort_id}'s mix; it keeps only "
                f"its {level.value}/{age.value} companies"
            )
        start, lab = _old_dates(setup.days, cohort)
        slot = Slot(
            index=len(setup.slots),
            cohort_id=cohort.cohort_id,
            module=cohort.module,
            levels=levels,
            ages=ages,
            venues=venue_options(problem, cohort.module),
            old_venue=cohort.venue_id,
            old_start=start,
            old_lab=lab,
            old_members=[m for m in cohort.members if m in setup.companies],
            pins=frozenset(pins.get(cohort.cohort_id, set())),
        )
        setup.slots.append(slot)
        for member in slot.old_members:
            setup.previous[member] = cohort.cohort_id


def free_facilitator_days(setup: Setup) -> int:
    """Facilitator-days left from `as_of` on, after the sessions of cohorts that have met."""
    days = setup.days
    free = sum(1 for i in range(days.count) if i not in setup.past and i not in days.blocked)
    where = {d: i for i, d in enumerate(days.dates)}
    held = sum(
        1
        for c in setup.history
        for s in c.sessions
        for d in s.dates
        if where.get(d) is not None and where[d] not in setup.past
    )
    return setup.problem.round.facilitators * free - held


def new_slot_counts(setup: Setup, costs: ChangeCost) -> dict[Segment, int]:
    """New cohorts per segment the model may open: as many as its people could fill, less
    its published cohorts when reusing a cancelled cohort's id never costs more
    (:meth:`ChangeCost.reuse_dominates`), and no more than the calendar could hold."""
    rnd = setup.problem.round
    people: dict[Segment, int] = defaultdict(int)
    for cid, seg in setup.segment.items():
        people[seg] += setup.companies[cid].participants
    free = free_facilitator_days(setup)
    counts = {}
    for seg in sorted(people, key=lambda s: s.label):
        smallest = rnd.cohort_min
        if seg.module == Step.MODULE1 and rnd.online_cohorts:
            smallest = min(smallest, rnd.online_cohort_min)
        most = people[seg] // smallest
        if costs.reuse_dominates():
            same = sum(
                1
                for s in setup.slots
                if s.existing
                and s.levels == {seg.level}
                and s.ages == {seg.age_group}
                and s.module == seg.module
            )
            most -= same
        most = min(most, max(0, free) // (SESSION_DAYS[seg.module] + 1))
        if most > 0:
            counts[seg] = most
    return counts


def next_cohort_ids(taken: set[str], count: int) -> list[str]:
    """`count` fresh ids ``C<n>`` numbered after every id in `taken`."""
    numbers = [int(m.group(1)) for t in taken if (m := re.fullmatch(r"C(\d+)", t))]
    first = max(numbers, default=0) + 1
    width = max(2, len(str(first + count)))
    return [f"C{n:0{width}d}" for n in range(first, first + count)]


def build_setup(
    problem: PlanningProblem,
    published: Roster,
    as_of: date,
    pins: list[Pin],
    costs: ChangeCost,
) -> Setup:
    """Split the published roster at `as_of` and decide which companies the model places.

    Args:
        problem: The planning folder as it is now.
        published: The published roster.
        as_of: Cohorts with a session before this day have met; with the notice period
            after it (round.toml `notice_days`) they are kept as they are.
        pins: Fields of published cohorts to keep.
        costs: The change weights (they bound how many new cohorts are needed).
    """
    days = DayIndex.for_problem(problem)
    first = changes_from(as_of, problem.round)
    past = frozenset(i for i, d in enumerate(days.dates) if d < first)
    setup = Setup(
        problem=problem, published=published, as_of=as_of, days=days, past=past, first_change=first
    )
    present = {c.company_id for c in problem.companies}
    for cohort in published.cohorts:
        if not is_history(cohort, first):
            continue
        members = [m for m in cohort.members if m in present]
        if not members:
            setup.notes.append(f"every member of {cohort.cohort_id}, which has met, withdrew")
            continue
        setup.history.append(cohort.model_copy(update={"members": members}))
    setup.history, moved = redate_lost_labs(problem, setup.history, days, first)
    setup.notes.extend(moved)
    _decide_companies(setup)
    by_cohort: dict[str, set[PinField]] = defaultdict(set)
    for pin in pins:
        by_cohort[pin.cohort_id].add(pin.field)
    _existing_slots(setup, by_cohort)
    for seg, count in new_slot_counts(setup, costs).items():
        for _ in range(count):
            setup.slots.append(
                Slot(
                    index=len(setup.slots),
                    cohort_id=None,
                    module=seg.module,
                    levels=frozenset({seg.level}),
                    ages=frozenset({seg.age_group}),
                    venues=venue_options(problem, seg.module),
                )
            )
    return setup
