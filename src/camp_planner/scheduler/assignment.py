"""The assignment model: which companies train at which venue, how many cohorts each venue
hosts per segment, within what the facilitator's calendar can hold.

Cohorts are counted, not enumerated: n[s, v] cohorts of segment s at venue v hold the
people assigned there (cohort_min * n <= people <= cohort_max * n). Each segment is a
small facility-location problem of its own: w[s, v] says s has a cohort at v, companies go
only where w is set (x <= size * w, the strong link), and a segment of P people can use at
most P // cohort_min venues. The facilitator's calendar enters as a limit on the numbers
of Module 1 and Module 2 cohorts (see `calendar_frontier`). Counting instead of enumerating
removes the symmetry between identical cohorts and companies (see `prepare`); which member
goes to which cohort on which dates is settled afterwards by `dates.date_cohorts`.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from camp_planner.models import Segment, Step, VenueStatus
from camp_planner.models.groups import cohorts_possible, fillable_totals, most_companies
from camp_planner.scheduler.best_members import best_members
from camp_planner.scheduler.calendar_frontier import CalendarCapacity
from camp_planner.scheduler.prepare import TRAVEL_UNITS_PER_KM, Prepared


def fillable_domain(people: int, cohort_min: int, cohort_max: int) -> cp_model.Domain:
    """Totals of people that whole cohorts can hold: 0 and [k*min, k*max] up to `people`."""
    intervals = [[0, 0], *([lo, hi] for lo, hi in fillable_totals(people, cohort_min, cohort_max))]
    return cp_model.Domain.from_intervals(intervals)


@dataclass
class AssignmentModel:
    """CP-SAT variables of the assignment model, built rule by rule."""

    prep: Prepared
    #: assignments found impossible to date; each is forbidden (a no-good cut)
    cuts: list[dict[str, int]] = field(default_factory=list)
    #: how many cohorts the facilitator's calendar holds (None: not limited)
    capacity: CalendarCapacity | None = None
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    #: (group index, venue index) -> companies of the group assigned to the venue
    x: dict[tuple[int, int], cp_model.IntVar] = field(default_factory=dict)
    #: (segment, venue index) -> number of cohorts, its upper bound, and "at least one"
    n: dict[tuple[Segment, int], cp_model.IntVar] = field(default_factory=dict)
    n_max: dict[tuple[Segment, int], int] = field(default_factory=dict)
    w: dict[tuple[Segment, int], cp_model.IntVar] = field(default_factory=dict)
    #: venue index -> venue used
    y: dict[int, cp_model.IntVar] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._variables()
        self.company_in_at_most_one_cohort()
        self.cohort_size()
        self.segment_fills_whole_cohorts()
        self.single_cohort_takes_best_members()
        self.venue_used()
        self.max_venues()
        self.required_venues()
        self.venue_max_cohorts()
        self.facilitator_calendar()
        self.assignments_cut_off()

    # -- variables ---------------------------------------------------------------------
    def _variables(self) -> None:
        m = self.model
        cmin = self.prep.problem.round.cohort_min
        people: dict[tuple[Segment, int], int] = defaultdict(int)
        for group in self.prep.groups:
            for vi in group.travel:
                people[group.segment, vi] += group.size * group.participants
        for (segment, vi), total in sorted(
            people.items(), key=lambda kv: (kv[0][0].label, kv[0][1])
        ):
            most = cohorts_possible(total, cmin)
            if most:  # else no cohort of this segment can ever fill at this venue
                self.n_max[segment, vi] = most
                self.n[segment, vi] = m.new_int_var(0, most, f"n_{segment.label}_{vi}")
                self.w[segment, vi] = m.new_bool_var(f"w_{segment.label}_{vi}")
        for gi, group in enumerate(self.prep.groups):
            for vi in sorted(group.travel):
                if (group.segment, vi) in self.n:
                    self.x[gi, vi] = m.new_int_var(0, group.size, f"x_{gi}_{vi}")
        for vi, venue in enumerate(self.prep.venues):
            if venue.status != VenueStatus.CLOSED:
                self.y[vi] = m.new_bool_var(f"y_{venue.venue_id}")

    def placed(self) -> cp_model.LinearExpr:
        """Number of companies placed."""
        return cp_model.LinearExpr.sum(list(self.x.values()))

    def priority(self) -> cp_model.LinearExpr:
        """Total priority of the companies placed."""
        keys = list(self.x)
        return cp_model.LinearExpr.weighted_sum(
            [self.x[k] for k in keys], [self.prep.groups[gi].priority for gi, _ in keys]
        )

    def travel_units(self) -> cp_model.LinearExpr:
        """Total travel of the placed companies, in 10 m units."""
        keys = list(self.x)
        return cp_model.LinearExpr.weighted_sum(
            [self.x[k] for k in keys],
            [round(self.prep.groups[gi].travel[vi] * TRAVEL_UNITS_PER_KM) for gi, vi in keys],
        )

    def _people(self) -> dict[tuple[Segment, int], list[cp_model.LinearExprT]]:
        people: dict[tuple[Segment, int], list[cp_model.LinearExprT]] = defaultdict(list)
        for (gi, vi), var in self.x.items():
            group = self.prep.groups[gi]
            people[group.segment, vi].append(group.participants * var)
        return people

    # -- rules (DOMAIN.md "Cohort rules" and CONTRACT.md round.toml) ----------------------
    def company_in_at_most_one_cohort(self) -> None:
        """Every company is in at most one cohort (the rest go to the unplaced list)."""
        by_group: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for (gi, _), var in self.x.items():
            by_group[gi].append(var)
        for gi, vars_ in by_group.items():
            self.model.add(sum(vars_) <= self.prep.groups[gi].size)

    def cohort_size(self) -> None:
        """8-10 participants per cohort, same module, level and age group: the people of a
        segment at a venue fill its n cohorts there, each between cohort_min and cohort_max
        (a company counts its `participants`); companies go only where w says the segment
        has a cohort."""
        rnd = self.prep.problem.round
        for key, terms in self._people().items():
            self.model.add(sum(terms) >= rnd.cohort_min * self.n[key])
            self.model.add(sum(terms) <= rnd.cohort_max * self.n[key])
            self.model.add(self.n[key] >= self.w[key])
            self.model.add(self.n[key] <= self.n_max[key] * self.w[key])
        for (gi, vi), var in self.x.items():
            group = self.prep.groups[gi]
            self.model.add(var <= group.size * self.w[group.segment, vi])

    def segment_fills_whole_cohorts(self) -> None:
        """Implied by cohort_size, and much tighter in the linear relaxation: a segment of P
        people holds a total in one of [k * cohort_min, k * cohort_max], uses at most
        P // cohort_min venues, and places at most as many companies as fit."""
        rnd = self.prep.problem.round
        by_segment: dict[Segment, list[cp_model.LinearExprT]] = defaultdict(list)
        for (segment, _), terms in self._people().items():
            by_segment[segment].extend(terms)
        for segment, terms in by_segment.items():
            sizes = [
                g.participants
                for g in self.prep.groups
                if g.segment == segment
                for _ in g.companies
            ]
            people = sum(sizes)
            domain = fillable_domain(people, rnd.cohort_min, rnd.cohort_max)
            total = self.model.new_int_var_from_domain(domain, f"people_{segment.label}")
            self.model.add(total == sum(terms))
            self.model.add(
                sum(w for (s, _), w in self.w.items() if s == segment)
                <= cohorts_possible(people, rnd.cohort_min)
            )
            members = [
                var for (gi, _), var in self.x.items() if self.prep.groups[gi].segment == segment
            ]
            self.model.add(sum(members) <= most_companies(sizes, domain.max()))

    def single_cohort_takes_best_members(self) -> None:
        """A segment that can fill only one cohort takes, at the venue it uses, the best
        members for that venue (see `best_members`): x = members * w. This is implied by the
        lexicographic objective and makes the relaxation much tighter. It is not used once
        a no-good cut exists (member blackout days may then call for other members)."""
        if self.cuts:
            return
        cmin, cmax = self.prep.problem.round.cohort_min, self.prep.problem.round.cohort_max
        for segment in {s for s, _ in self.n}:
            groups = {gi: g for gi, g in enumerate(self.prep.groups) if g.segment == segment}
            people = sum(g.size * g.participants for g in groups.values())
            if people >= 2 * cmin:
                continue
            for (seg, vi), w in self.w.items():
                if seg != segment:
                    continue
                here = {gi: g for gi, g in groups.items() if vi in g.travel}
                members = best_members(here, vi, cmin, cmax)
                if members is None:
                    self.model.add(w == 0)
                for gi in here:
                    self.model.add(self.x[gi, vi] == (members or {}).get(gi, 0) * w)

    def venue_used(self) -> None:
        """A venue counts as used exactly when it hosts at least one cohort."""
        by_venue: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for (_, vi), w in self.w.items():
            by_venue[vi].append(w)
            self.model.add_implication(w, self.y[vi])
        for vi, used in self.y.items():
            self.model.add_bool_or(by_venue.get(vi, [])).only_enforce_if(used)

    def max_venues(self) -> None:
        """At most `max_venues` distinct venues host cohorts this round."""
        self.model.add(sum(self.y.values()) <= self.prep.problem.round.max_venues)

    def required_venues(self) -> None:
        """A `required` venue hosts at least one cohort."""
        for vi, venue in enumerate(self.prep.venues):
            if venue.status == VenueStatus.REQUIRED and vi in self.y:
                self.model.add(self.y[vi] == 1)

    def venue_max_cohorts(self) -> None:
        """A venue hosts at most `max_cohorts` cohorts this round (all steps)."""
        for vi, venue in enumerate(self.prep.venues):
            if venue.max_cohorts is not None:
                self.model.add(
                    sum(var for (_, v), var in self.n.items() if v == vi) <= venue.max_cohorts
                )

    def facilitator_calendar(self) -> None:
        """One facilitator leads every session: at most `facilitators` sessions a day, so
        the round holds at most frontier[N2] Module 1 cohorts beside N2 Module 2 cohorts
        (see `calendar_frontier`; venues' and members' unavailable days are settled when dating)."""
        if self.capacity is None or self.capacity.frontier is None:
            return
        frontier = self.capacity.frontier
        n1 = sum(var for (s, _), var in self.n.items() if s.module == Step.MODULE1)
        n2 = sum(var for (s, _), var in self.n.items() if s.module == Step.MODULE2)
        n2_var = self.model.new_int_var(0, len(frontier) - 1, "cohorts_module2")
        most_n1 = self.model.new_int_var(min(frontier), max(frontier), "most_module1")
        self.model.add(n2_var == n2)
        self.model.add_element(n2_var, frontier, most_n1)
        self.model.add(n1 <= most_n1)

    def assignment_vars(self) -> dict[str, cp_model.IntVar]:
        """x and n variables by name, the values a no-good cut refers to."""
        return {var.name: var for var in (*self.x.values(), *self.n.values())}

    def assignments_cut_off(self) -> None:
        """Assignments whose members' blackout days leave no dating are forbidden: each cut
        names variables and values that may not all hold at once (a no-good)."""
        by_name = self.assignment_vars()
        for cut in self.cuts:
            same = []
            for name, value in cut.items():
                if name not in by_name:  # that variable cannot be nonzero here
                    if value:
                        break
                    continue
                b = self.model.new_bool_var(f"same_{name}")
                self.model.add(by_name[name] == value).only_enforce_if(b)
                self.model.add(by_name[name] != value).only_enforce_if(b.negated())
                same.append(b)
            else:
                self.model.add_bool_or([b.negated() for b in same])
