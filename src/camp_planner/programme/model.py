"""One CP-SAT model over all rounds of the horizon (docs/rules.md "The programme").

Per round it has the roster model's rules, counted the same way (see
:mod:`camp_planner.scheduler.assignment`): x[g, s, r, v] companies of group g take step s
in round r at venue v; n[segment, r, v] cohorts hold them (cohort_min..cohort_max people
each, the strong link x <= size * w); max_venues, required and closed venues, max_cohorts
and the facilitator's calendar frontier of that round. Across rounds: each company takes
Module 1 at most once, and Module 2 only in a round after the one in which it took Module
1 (counted: the Module 2 takers up to round r are at most the Module 1 takers before r).
A company takes at most one step per round: Module 1 and Module 2 takers of one round are
different companies by the same count.

Objective, lexicographically (solved in stages, each keeping the optimum before it):
1. companies whose next step is planned in the horizon, then A/B companies whose whole
   track (Module 1 then Module 2) fits in it, then the total priority of those planned;
2. earlier rounds, weighted by who goes first (priority, then waiting);
3. travel.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from camp_planner.engine import rules
from camp_planner.engine.units import travel_units
from camp_planner.engine.view import RoundView
from camp_planner.models import Segment, Step, VenueStatus
from camp_planner.models.groups import cohorts_possible, fillable_totals
from camp_planner.programme.plan import Programme, ProgrammeGroup
from camp_planner.scheduler.calendar_frontier import CalendarCapacity

Key = tuple[int, Step, int, int]  # group, step, round, venue


@dataclass
class ProgrammeModel:
    """CP-SAT variables of the programme model, built rule by rule."""

    programme: Programme
    groups: list[ProgrammeGroup]
    #: per round, how many cohorts the facilitator's calendar holds
    capacities: list[CalendarCapacity]
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    x: dict[Key, cp_model.IntVar] = field(default_factory=dict)
    n: dict[tuple[Segment, int, int], cp_model.IntVar] = field(default_factory=dict)
    w: dict[tuple[Segment, int, int], cp_model.IntVar] = field(default_factory=dict)
    y: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    n_max: dict[tuple[Segment, int, int], int] = field(default_factory=dict)
    #: False for a model of one round whose steps are already decided (no rules across rounds)
    cross_round: bool = True
    #: (group, step, round) -> its x variables, in the order of x (built with them)
    by_step: dict[tuple[int, Step, int], list[cp_model.IntVar]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._variables()
        for (gi, step, r, _), var in self.x.items():
            self.by_step.setdefault((gi, step, r), []).append(var)
        self._views: dict[int, RoundView] = {}
        self._people_terms: dict[tuple[Segment, int, int], list[cp_model.LinearExprT]] = (
            self._people()
        )
        self.cohort_size()
        self.segment_fills_whole_cohorts()
        self.venue_used()
        self.max_venues()
        self.required_venues()
        self.venue_max_cohorts()
        self.facilitator_calendar()
        self.module1_at_most_once()
        if self.cross_round:
            self.module2_after_module1()

    # -- variables -----------------------------------------------------------------------
    def _variables(self) -> None:
        m = self.model
        people: dict[tuple[Segment, int, int], int] = defaultdict(int)
        for group in self.groups:
            for (r, _), option in group.options.items():
                for v in option.travel:
                    people[option.segment, r, v] += group.size * group.participants
        for (segment, r, v), total in sorted(
            people.items(), key=lambda kv: (kv[0][1], kv[0][0].label, kv[0][2])
        ):
            cmin = self.programme.rounds[r].cohort_min
            most = cohorts_possible(total, cmin)
            if most:
                name = f"{segment.label}_{r}_{v}"
                self.n_max[segment, r, v] = most
                self.n[segment, r, v] = m.new_int_var(0, most, f"n_{name}")
                self.w[segment, r, v] = m.new_bool_var(f"w_{name}")
        for gi, group in enumerate(self.groups):
            for (r, step), option in sorted(group.options.items()):
                for v in sorted(option.travel):
                    if (option.segment, r, v) in self.n:
                        self.x[gi, step, r, v] = m.new_int_var(
                            0, group.size, f"x_{gi}_{step}_{r}_{v}"
                        )
        for r in range(len(self.programme.rounds)):
            for v, venue in enumerate(self.programme.problem.venues):
                if venue.status != VenueStatus.CLOSED:
                    self.y[r, v] = m.new_bool_var(f"y_{r}_{venue.venue_id}")

    def decisions(self) -> list[cp_model.IntVar]:
        """x, n, w and y: every other variable follows from them."""
        return [*self.x.values(), *self.n.values(), *self.w.values(), *self.y.values()]

    def taken(self, gi: int, step: Step, r: int | None = None) -> cp_model.LinearExpr:
        """Companies of group `gi` taking `step` (in round `r`, or in any round)."""
        rounds = range(len(self.programme.rounds)) if r is None else (r,)
        return cp_model.LinearExpr.sum(
            [var for rr in rounds for var in self.by_step.get((gi, step, rr), ())]
        )

    def planned(self) -> cp_model.LinearExpr:
        """Companies whose next step is planned within the horizon."""
        return cp_model.LinearExpr.sum(
            [self.taken(gi, g.next_step) for gi, g in enumerate(self.groups) if g.next_step]
        )

    def tracks(self) -> cp_model.LinearExpr:
        """A/B companies that take both Module 1 and Module 2 within the horizon."""
        return cp_model.LinearExpr.sum(
            [self.taken(gi, Step.MODULE2) for gi, g in enumerate(self.groups) if g.whole_track]
        )

    def priority(self) -> cp_model.LinearExpr:
        """Total priority (who goes first) of the companies whose next step is planned."""
        terms, weights = [], []
        for (gi, step, _, _), var in self.x.items():
            group = self.groups[gi]
            if step == group.next_step and group.priority:
                terms.append(var)
                weights.append(group.priority)
        return cp_model.LinearExpr.weighted_sum(terms, weights)

    def earliness(self) -> cp_model.LinearExpr:
        """Steps in earlier rounds count more, and more so for who goes first."""
        last = len(self.programme.rounds) - 1
        terms, weights = [], []
        for (gi, _, r, _), var in self.x.items():
            if r < last:
                terms.append(var)
                weights.append((last - r) * (1 + self.groups[gi].priority))
        return cp_model.LinearExpr.weighted_sum(terms, weights)

    def travel_units(self) -> cp_model.LinearExpr:
        """Total travel of every step of the horizon, in 10 m units."""
        terms, weights = [], []
        for (gi, step, r, v), var in self.x.items():
            km = self.groups[gi].options[r, step].travel[v]
            terms.append(var)
            weights.append(travel_units(km))
        return cp_model.LinearExpr.weighted_sum(terms, weights)

    def travel_of(self, x: dict[Key, int]) -> int:
        """Travel units of given x values."""
        return sum(
            count * travel_units(self.groups[gi].options[r, step].travel[v])
            for (gi, step, r, v), count in x.items()
        )

    def values(self, x: dict[Key, int]) -> tuple[int, int, int, int]:
        """(planned, tracks, priority, earliness) of given x values (e.g. a hint)."""
        last = len(self.programme.rounds) - 1
        planned = tracks = priority = earliness = 0
        for (gi, step, r, _), count in x.items():
            group = self.groups[gi]
            if step == group.next_step:
                planned += count
                priority += count * group.priority
            if step == Step.MODULE2 and group.whole_track:
                tracks += count
            earliness += (last - r) * (1 + group.priority) * count
        return planned, tracks, priority, earliness

    def _people(self) -> dict[tuple[Segment, int, int], list[cp_model.LinearExprT]]:
        people: dict[tuple[Segment, int, int], list[cp_model.LinearExprT]] = defaultdict(list)
        for (gi, step, r, v), var in self.x.items():
            group = self.groups[gi]
            people[group.options[r, step].segment, r, v].append(group.participants * var)
        return people

    # -- rules of each round ---------------------------------------------------------------
    def view(self, r: int) -> RoundView:
        """Round `r`'s variables as the engine's rules see them (built once per round)."""
        if r not in self._views:
            self._views[r] = self._view(r)
        return self._views[r]

    def _view(self, r: int) -> RoundView:
        rnd = self.programme.rounds[r]
        n = {(s, v): var for (s, rr, v), var in self.n.items() if rr == r}
        return RoundView(
            model=self.model,
            venues=self.programme.problem.venues,
            y={v: var for (rr, v), var in self.y.items() if rr == r},
            cohorts=n,
            w={(s, v): var for (s, rr, v), var in self.w.items() if rr == r},
            n_max={(s, v): most for (s, rr, v), most in self.n_max.items() if rr == r},
            people={(s, v): t for (s, rr, v), t in self._people_terms.items() if rr == r},
            links=[
                (var, self.groups[gi].size, (self.groups[gi].options[r, step].segment, v))
                for (gi, step, rr, v), var in self.x.items()
                if rr == r
            ],
            smallest=lambda _: rnd.cohort_min,
            cohort_max=rnd.cohort_max,
            max_venues=rnd.max_venues,
            name=f"_{r}",
        )

    def views(self) -> list[RoundView]:
        """Every round's view, in order."""
        return [self.view(r) for r in range(len(self.programme.rounds))]

    def cohort_size(self) -> None:
        """8-10 participants per cohort, same module, level and age group (per round):
        `engine.rules.cohort_size`."""
        for view in self.views():
            rules.cohort_size(view)

    def segment_fills_whole_cohorts(self) -> None:
        """Implied and tighter: a segment's people in a round fill whole cohorts."""
        by_segment: dict[tuple[Segment, int], list[cp_model.LinearExprT]] = defaultdict(list)
        for (segment, r, _), terms in self._people_terms.items():
            by_segment[segment, r].extend(terms)
        people: dict[tuple[Segment, int], int] = defaultdict(int)
        for g in self.groups:
            for (r, step), option in g.options.items():
                if option.segment.module == step:
                    people[option.segment, r] += g.size * g.participants
        for (segment, r), terms in by_segment.items():
            rnd = self.programme.rounds[r]
            most = people.get((segment, r), 0)
            intervals = [
                [0, 0],
                *([lo, hi] for lo, hi in fillable_totals(most, rnd.cohort_min, rnd.cohort_max)),
            ]
            total = self.model.new_int_var_from_domain(
                cp_model.Domain.from_intervals(intervals), f"people_{segment.label}_{r}"
            )
            self.model.add(total == sum(terms))

    def venue_used(self) -> None:
        """A venue counts as used in a round exactly when it hosts a cohort then."""
        for view in self.views():
            rules.venue_used(view)

    def max_venues(self) -> None:
        """At most `max_venues` venues host cohorts in each round."""
        for view in self.views():
            rules.max_venues(view)

    def required_venues(self) -> None:
        """A `required` venue hosts at least one cohort in every round."""
        for view in self.views():
            rules.required_venues(view)

    def venue_max_cohorts(self) -> None:
        """A venue hosts at most `max_cohorts` cohorts in each round."""
        for view in self.views():
            rules.venue_max_cohorts(view)

    def facilitator_calendar(self) -> None:
        """One facilitator per session: each round's frontier on Module 1 / Module 2 cohorts."""
        for r, capacity in enumerate(self.capacities):
            rules.facilitator_calendar(self.view(r), capacity.frontier)

    # -- rules across rounds -----------------------------------------------------------------
    def module1_at_most_once(self) -> None:
        """A company takes Module 1 at most once (and Module 2 at most once)."""
        for gi, group in enumerate(self.groups):
            for step in group.steps:
                self.model.add(self.taken(gi, step) <= group.size)

    def module2_after_module1(self) -> None:
        """Module 2 only in a round after the one in which the company took Module 1 (or if
        Module 1 was done before the programme); one step per round follows from it."""
        rounds = len(self.programme.rounds)
        for gi, group in enumerate(self.groups):
            if not group.whole_track:
                continue
            for r in range(rounds):
                m2_so_far = sum(self.taken(gi, Step.MODULE2, rr) for rr in range(r + 1))
                m1_before = sum(self.taken(gi, Step.MODULE1, rr) for rr in range(r))
                self.model.add(m2_so_far <= m1_before)
