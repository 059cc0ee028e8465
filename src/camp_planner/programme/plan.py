"""The programme's input: the rounds of the horizon and the companies as groups.

A programme is the planning folder's companies and venues over an ordered list of rounds
(programme.toml). Companies identical in everything the rules read (place, level, age,
steps done, participants, priority, waiting, unavailable days) are interchangeable in
every round; they form one :class:`ProgrammeGroup`, so the model counts them instead of
choosing among them (as :mod:`camp_planner.scheduler.prepare` does for one round).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from camp_planner.models import (
    Company,
    Level,
    PlanningProblem,
    RoundConfig,
    Segment,
    Step,
)
from camp_planner.scheduler.days import DayIndex
from camp_planner.scheduler.prepare import allowed_venues, placement_priority, unavailable_days


@dataclass(frozen=True)
class Programme:
    """A planning problem over several rounds (the first round's problem is `problem`)."""

    problem: PlanningProblem
    rounds: tuple[RoundConfig, ...]

    def round_problem(
        self, r: int, companies: tuple[Company, ...] | None = None
    ) -> PlanningProblem:
        """Round `r` as a planning problem of its own (companies as given, default the input)."""
        return self.problem.model_copy(
            update={
                "round": self.rounds[r],
                "companies": self.problem.companies if companies is None else companies,
            }
        )


@dataclass
class StepOption:
    """Where and how a group may take one step in one round."""

    segment: Segment
    #: venue index -> travel km
    travel: dict[int, float]
    #: working-day indices of the round the group cannot attend
    blackout: frozenset[int]


@dataclass
class ProgrammeGroup:
    """Interchangeable companies: their steps to take and, per round and step, where."""

    companies: list[Company]
    participants: int
    #: who goes first as one number (the policy priority, then the waiting rank)
    priority: int
    #: the steps still to take, in order (Module 1 then Module 2, or Module 2 only)
    steps: tuple[Step, ...]
    #: (round index, step) -> the option, when the group may take the step in that round
    options: dict[tuple[int, Step], StepOption] = field(default_factory=dict)

    @property
    def size(self) -> int:
        """Number of companies."""
        return len(self.companies)

    @property
    def next_step(self) -> Step | None:
        """The step the group waits for now."""
        return self.steps[0] if self.steps else None

    @property
    def whole_track(self) -> bool:
        """Module 1 and Module 2 are both to take (an A/B company that starts the track)."""
        return self.steps == (Step.MODULE1, Step.MODULE2)


def steps_to_take(problem: PlanningProblem, company: Company) -> tuple[Step, ...]:
    """The company's remaining steps: Module 1 (if not done) and Module 2 (A/B only)."""
    level = problem.level_of(company)
    steps: list[Step] = []
    if Step.MODULE1 not in company.completed:
        steps.append(Step.MODULE1)
    if level in (Level.A, Level.B) and Step.MODULE2 not in company.completed:
        steps.append(Step.MODULE2)
    return tuple(steps)


def _key(problem: PlanningProblem, company: Company, priority: int) -> tuple[object, ...]:
    return (
        company.lat,
        company.lon,
        company.participants,
        problem.level_of(company),
        company.founded,
        company.young,
        company.completed,
        company.unavailable,
        company.available_from,
        priority,
    )


def group_companies(programme: Programme) -> list[ProgrammeGroup]:
    """The programme's groups of interchangeable companies, with their options per round.

    A group may take a step in a round when it can attend a module and its lab there (its
    unavailable days and `available_from`) and some venue allows it (open, residential for
    Module 2, within `max_travel_km`).
    """
    problem = programme.problem
    priority = placement_priority(problem)
    buckets: dict[tuple[object, ...], list[Company]] = defaultdict(list)
    for company in problem.companies:
        if steps_to_take(problem, company):
            buckets[_key(problem, company, priority[company.company_id])].append(company)
    groups = []
    days = [DayIndex.for_problem(programme.round_problem(r)) for r in range(len(programme.rounds))]
    for members in buckets.values():
        first = members[0]
        group = ProgrammeGroup(
            companies=sorted(members, key=lambda c: c.company_id),
            participants=first.participants,
            priority=priority[first.company_id],
            steps=steps_to_take(problem, first),
        )
        for r in range(len(programme.rounds)):
            round_problem = programme.round_problem(r)
            blocked = unavailable_days(round_problem, first)
            if first.available_from and first.available_from > round_problem.round.end:
                continue
            for step in group.steps:
                if first.participants > round_problem.round.cohort_max:
                    continue
                segment = Segment(
                    module=step,
                    level=problem.level_of(first),
                    age_group=first.age_group(round_problem.round.start),
                )
                if not days[r].company_can_attend(step, blocked):
                    continue
                travel = allowed_venues(round_problem, first, segment, list(problem.venues))
                if travel:
                    group.options[r, step] = StepOption(
                        segment, travel, days[r].indices_of(blocked)
                    )
        groups.append(group)
    groups.sort(key=lambda g: g.companies[0].company_id)
    return groups


def first_day(rounds: tuple[RoundConfig, ...]) -> date:
    """The horizon's first day."""
    return rounds[0].start
