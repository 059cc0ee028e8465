"""The assignment model: which companies train at which venue, how many cohorts each venue
hosts per kind of cohort, within what the facilitator's calendar can hold.

Cohorts are counted, not enumerated: n[k, v] cohorts of kind k at venue v hold the people
assigned there (cohort_min * n <= people <= cohort_max * n). A kind is a segment (module x
level x age group) under the domain's rules; a round that allows mixing adds mixed kinds
that companies of several segments may join, and one that allows online cohorts adds the
venue :data:`~camp_planner.scheduler.kinds.ONLINE` for Module 1 (see `kinds`). Each kind
is a small facility-location problem of its own: w[k, v] says k has a cohort at v,
companies go only where w is set (x <= size * w, the strong link), and a kind of P people
can use at most P // cohort_min venues. The facilitator's calendar enters as a limit on
the numbers of Module 1 and Module 2 cohorts, online ones included (see
`calendar_frontier`). Counting instead of enumerating removes the symmetry between
identical cohorts and companies (see `prepare`); which member goes to which cohort on
which dates is settled afterwards by `dates.date_cohorts`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from camp_planner.engine import rules
from camp_planner.engine.units import travel_units
from camp_planner.engine.view import RoundView
from camp_planner.models import Roster, Segment, VenueStatus
from camp_planner.models.groups import cohorts_possible, fillable_totals, most_companies
from camp_planner.scheduler.best_members import best_members
from camp_planner.scheduler.calendar_frontier import CalendarCapacity
from camp_planner.scheduler.dominance import beyond_nearest
from camp_planner.scheduler.kinds import ONLINE, Kind, round_kinds, venue_min
from camp_planner.scheduler.placed_bound import CountRanges
from camp_planner.scheduler.prepare import Prepared


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
    #: the kinds of cohort the round allows (the segments, unless it allows mixing)
    kinds: list[Kind] = field(default_factory=list)
    #: (group index, kind, venue index) -> companies of the group in cohorts of the kind there
    x: dict[tuple[int, Kind, int], cp_model.IntVar] = field(default_factory=dict)
    #: (kind, venue index) -> number of cohorts, its upper bound, and "at least one"
    n: dict[tuple[Kind, int], cp_model.IntVar] = field(default_factory=dict)
    n_max: dict[tuple[Kind, int], int] = field(default_factory=dict)
    w: dict[tuple[Kind, int], cp_model.IntVar] = field(default_factory=dict)
    #: venue index -> venue used (real venues only: online cohorts use none)
    y: dict[int, cp_model.IntVar] = field(default_factory=dict)
    #: the domain's rules only: no mixed kinds, no online cohorts, whatever the round allows
    pure: bool = False
    #: (group index, venue index) pairs no optimal roster needs (`dominance.forbidden_pairs`)
    forbidden: frozenset[tuple[int, int]] = frozenset()

    def __post_init__(self) -> None:
        if not self.kinds:
            rnd = self.prep.problem.round
            self.kinds = round_kinds(rnd, {g.segment for g in self.prep.groups})
        if self.pure:
            self.kinds = [k for k in self.kinds if not k.mixed]
        self._variables()
        self.company_in_at_most_one_cohort()
        self.cohort_size()
        self.kind_fills_whole_cohorts()
        self.single_cohort_takes_best_members()
        self.venue_used()
        self.max_venues()
        self.required_venues()
        self.venue_max_cohorts()
        self.facilitator_calendar()
        self.assignments_cut_off()

    # -- variables ---------------------------------------------------------------------
    def kinds_of(self, gi: int) -> list[Kind]:
        """The kinds of cohort companies of group `gi` may join (its segment's first)."""
        segment = self.prep.groups[gi].segment
        return [k for k in self.kinds if k.admits(segment)]

    def _variables(self) -> None:
        m = self.model
        rnd = self.prep.problem.round
        people: dict[tuple[Kind, int], int] = defaultdict(int)
        for gi, group in enumerate(self.prep.groups):
            for kind in self.kinds_of(gi):
                for vi in group.travel:
                    if not (self.pure and vi == ONLINE) and (gi, vi) not in self.forbidden:
                        people[kind, vi] += group.size * group.participants
        for (kind, vi), total in sorted(people.items(), key=lambda kv: (kv[0][0].label, kv[0][1])):
            most = cohorts_possible(total, venue_min(rnd, vi))
            if most:  # else no cohort of this kind can ever fill at this venue
                where = "online" if vi == ONLINE else vi
                self.n_max[kind, vi] = most
                self.n[kind, vi] = m.new_int_var(0, most, f"n_{kind.label}_{where}")
                self.w[kind, vi] = m.new_bool_var(f"w_{kind.label}_{where}")
        for gi, group in enumerate(self.prep.groups):
            for kind in self.kinds_of(gi):
                for vi in sorted(group.travel):
                    if (kind, vi) in self.n and (gi, vi) not in self.forbidden:
                        where = "online" if vi == ONLINE else vi
                        name = (
                            f"x_{gi}_{where}" if not kind.mixed else f"x_{gi}_{kind.label}_{where}"
                        )
                        self.x[gi, kind, vi] = m.new_int_var(0, group.size, name)
        for vi, venue in enumerate(self.prep.venues):
            if venue.status != VenueStatus.CLOSED:
                self.y[vi] = m.new_bool_var(f"y_{venue.venue_id}")

    def hint_from(self, other: AssignmentModel, solver: cp_model.CpSolver) -> None:
        """Hint the values `solver` found for `other` to the variables both models have."""
        for key, var in self.x.items():
            if key in other.x:
                self.model.add_hint(var, solver.value(other.x[key]))
        for kv, var in (*self.n.items(), *self.w.items()):
            theirs = other.n if var.name.startswith("n_") else other.w
            if kv in theirs:
                self.model.add_hint(var, solver.value(theirs[kv]))
        for vi, var in self.y.items():
            self.model.add_hint(var, solver.value(other.y[vi]))

    def roster_values(self, roster: Roster) -> dict[cp_model.IntVar, int] | None:
        """The values of x, n, w and y that `roster` stands for here; None when it has a
        member, venue or kind of cohort this model does not have (e.g. a venue closed in
        this round). The values may still break a rule of this round (a solver hint only)."""
        group_of = {c.company_id: gi for gi, g in enumerate(self.prep.groups) for c in g.companies}
        venue_of = {v.venue_id: vi for vi, v in enumerate(self.prep.venues)}
        kind_of = {(k.module, k.level_text, k.age_text): k for k in self.kinds}
        x: dict[tuple[int, Kind, int], int] = defaultdict(int)
        n: dict[tuple[Kind, int], int] = defaultdict(int)
        for cohort in roster.cohorts:
            kind = kind_of.get((cohort.module, str(cohort.level), str(cohort.age_group)))
            vi = ONLINE if cohort.online else venue_of.get(cohort.venue_id)
            if kind is None or vi is None or (kind, vi) not in self.n:
                return None
            n[kind, vi] += 1
            for member in cohort.members:
                gi = group_of.get(member)
                if gi is None or (gi, kind, vi) not in self.x:
                    return None
                x[gi, kind, vi] += 1
        values: dict[cp_model.IntVar, int] = {}
        for xkey, var in self.x.items():
            values[var] = x.get(xkey, 0)
        for nkey, var in self.n.items():
            values[var] = n.get(nkey, 0)
            values[self.w[nkey]] = int(n.get(nkey, 0) > 0)
        for vi, var in self.y.items():
            values[var] = int(any(n.get((k, vi), 0) for k in self.kinds))
        return values

    def hint_solution(self, solver: cp_model.CpSolver) -> None:
        """Make the solution `solver` found for this model the solver's hint."""
        self.hint_values(
            {
                var: solver.value(var)
                for var in (*self.x.values(), *self.n.values(), *self.w.values(), *self.y.values())
            }
        )

    def hint_values(self, values: Mapping[cp_model.IntVar, int]) -> None:
        """Make `values` (of this model's variables) the solver's hint."""
        self.model.clear_hints()
        for var, value in values.items():
            self.model.add_hint(var, value)

    def remedy_pools(self) -> dict[tuple[Segment, tuple[Kind, bool]], list[cp_model.IntVar]]:
        """x of each segment in the online (True) or in-person (False) cohorts of a kind,
        for the kinds and places that are online or mixed."""
        terms: dict[tuple[Segment, tuple[Kind, bool]], list[cp_model.IntVar]] = defaultdict(list)
        for (gi, kind, vi), var in self.x.items():
            if kind.mixed or vi == ONLINE:
                terms[self.prep.groups[gi].segment, (kind, vi == ONLINE)].append(var)
        return terms

    def bound_remedy_pools(
        self, bounds: Mapping[tuple[Segment, tuple[Kind, bool]], tuple[int, int]]
    ) -> None:
        """Companies of a segment in online or mixed cohorts of a kind: between the bounds
        the counts proved (`placed_bound.remedy_pool_bounds`)."""
        terms = self.remedy_pools()
        for key, (low, high) in bounds.items():
            if key in terms:
                self.model.add_linear_constraint(sum(terms[key]), low, high)

    def bound_counts(self, ranges: CountRanges) -> None:
        """Cohorts of each pool (a kind, in person or online) and companies of each segment
        placed: within the ranges the counts proved for every roster reaching the earlier
        stages' optimum (`placed_bound.count_ranges`)."""
        cohorts: dict[tuple[Kind, bool], list[cp_model.IntVar]] = defaultdict(list)
        for (kind, vi), var in self.n.items():
            cohorts[kind, vi == ONLINE].append(var)
        for pool, (low, high) in ranges.cohorts.items():
            if pool in cohorts:
                self.model.add_linear_constraint(sum(cohorts[pool]), low, high)
        placed: dict[Segment, list[cp_model.IntVar]] = defaultdict(list)
        for (gi, _, _), var in self.x.items():
            placed[self.prep.groups[gi].segment].append(var)
        for segment, (low, high) in ranges.placed.items():
            if segment in placed:
                self.model.add_linear_constraint(sum(placed[segment]), low, high)
        # With at most `high` companies of a segment placed, only the nearest `high` of a
        # class at a venue are needed there (`dominance`): the others stay away.
        beyond = set(beyond_nearest(self.prep, {s: hi for s, (_, hi) in ranges.placed.items()}))
        for (gi, _, vi), var in self.x.items():
            if (gi, vi) in beyond:
                self.model.add(var == 0)

    def placed(self) -> cp_model.LinearExpr:
        """Number of companies placed."""
        return cp_model.LinearExpr.sum(list(self.x.values()))

    def priority(self) -> cp_model.LinearExpr:
        """Total priority of the companies placed."""
        keys = list(self.x)
        return cp_model.LinearExpr.weighted_sum(
            [self.x[k] for k in keys], [self.prep.groups[gi].priority for gi, _, _ in keys]
        )

    def travel_units(self) -> cp_model.LinearExpr:
        """Total travel of the placed companies, in 10 m units."""
        keys = list(self.x)
        return cp_model.LinearExpr.weighted_sum(
            [self.x[k] for k in keys],
            [travel_units(self.prep.groups[gi].travel[vi]) for gi, _, vi in keys],
        )

    def remedy_use(self) -> cp_model.LinearExpr:
        """Departures from the domain's cohort rules, counted per company placed: one for a
        place in a mixed cohort, one for a place in an online cohort (two for both)."""
        keys = [k for k in self.x if k[1].mixed or k[2] == ONLINE]
        return cp_model.LinearExpr.weighted_sum(
            [self.x[k] for k in keys], [int(kind.mixed) + int(vi == ONLINE) for _, kind, vi in keys]
        )

    def uses_remedies(self) -> bool:
        """Whether any company could be placed in a mixed or an online cohort."""
        return any(kind.mixed or vi == ONLINE for _, kind, vi in self.x)

    def _people(self) -> dict[tuple[Kind, int], list[cp_model.LinearExprT]]:
        people: dict[tuple[Kind, int], list[cp_model.LinearExprT]] = defaultdict(list)
        for (gi, kind, vi), var in self.x.items():
            people[kind, vi].append(self.prep.groups[gi].participants * var)
        return people

    # -- rules (docs/rules.md "Steps and cohorts", docs/planning-folder.md round.toml) ---
    def company_in_at_most_one_cohort(self) -> None:
        """Every company is in at most one cohort (the rest go to the unplaced list)."""
        by_group: dict[int, list[cp_model.IntVar]] = defaultdict(list)
        for (gi, _, _), var in self.x.items():
            by_group[gi].append(var)
        for gi, vars_ in by_group.items():
            self.model.add(sum(vars_) <= self.prep.groups[gi].size)

    def view(self) -> RoundView:
        """The round's variables as the engine's rules see them."""
        rnd = self.prep.problem.round
        return RoundView(
            model=self.model,
            venues=self.prep.venues,
            y=self.y,
            cohorts=self.n,
            w=self.w,
            n_max=self.n_max,
            people=self._people(),
            links=[
                (var, self.prep.groups[gi].size, (kind, vi))
                for (gi, kind, vi), var in self.x.items()
            ],
            smallest=lambda vi: venue_min(rnd, vi),
            cohort_max=rnd.cohort_max,
            max_venues=rnd.max_venues,
        )

    def cohort_size(self) -> None:
        """8-10 participants per cohort, same module, level and age group (or a kind the
        round allows): `engine.rules.cohort_size` (online cohorts: online_cohort_min)."""
        rules.cohort_size(self.view())

    def _kind_sizes(self, kind: Kind) -> list[int]:
        return [
            g.participants for g in self.prep.groups if kind.admits(g.segment) for _ in g.companies
        ]

    def kind_fills_whole_cohorts(self) -> None:
        """Implied by cohort_size, and much tighter in the linear relaxation: a kind of P
        people holds a total in one of [k * smallest cohort, k * cohort_max], uses at most
        P // cohort_min venues, and places at most as many companies as fit."""
        rnd = self.prep.problem.round
        by_kind: dict[Kind, list[cp_model.LinearExprT]] = defaultdict(list)
        for (kind, _), terms in self._people().items():
            by_kind[kind].extend(terms)
        for kind, terms in by_kind.items():
            sizes = self._kind_sizes(kind)
            people = sum(sizes)
            lowest = min(venue_min(rnd, vi) for k, vi in self.n if k == kind)
            domain = fillable_domain(people, lowest, rnd.cohort_max)
            total = self.model.new_int_var_from_domain(domain, f"people_{kind.label}")
            self.model.add(total == sum(terms))
            self.model.add(
                sum(w for (k, vi), w in self.w.items() if k == kind and vi != ONLINE)
                <= cohorts_possible(people, rnd.cohort_min)
            )
            members = [var for (_, k, _), var in self.x.items() if k == kind]
            self.model.add(sum(members) <= most_companies(sizes, domain.max()))

    def single_cohort_kinds(self) -> list[Kind]:
        """The kinds `single_cohort_takes_best_members` binds (none once a no-good exists):
        a segment's own kind that no mixed kind contains and whose people fill one cohort
        at most."""
        if self.cuts:
            return []
        rnd = self.prep.problem.round
        active = {k for k, _ in self.n}  # kinds that can hold a cohort somewhere
        found = []
        for kind in sorted(active, key=lambda k: k.label):
            if kind.mixed or any(o.mixed and o.contains(kind) for o in active):
                continue
            people = sum(
                g.size * g.participants for g in self.prep.groups if kind.admits(g.segment)
            )
            if people < 2 * min(venue_min(rnd, vi) for k, vi in self.n if k == kind):
                found.append(kind)
        return found

    def single_cohort_takes_best_members(self) -> None:
        """A segment that can fill only one cohort, and whose companies may join no other
        kind of cohort, takes, at the venue it uses, the best members for that venue (see
        `best_members`): x = members * w. This is implied by the lexicographic objective and
        makes the relaxation much tighter. It is not used once a no-good cut exists (member
        blackout days may then call for other members)."""
        rnd = self.prep.problem.round
        for kind in self.single_cohort_kinds():
            groups = {gi: g for gi, g in enumerate(self.prep.groups) if kind.admits(g.segment)}
            for (k, vi), w in self.w.items():
                if k != kind:
                    continue
                here = {
                    gi: g
                    for gi, g in groups.items()
                    if vi in g.travel and (gi, vi) not in self.forbidden
                }
                members = best_members(here, vi, venue_min(rnd, vi), rnd.cohort_max)
                if members is None:
                    self.model.add(w == 0)
                for gi in here:
                    self.model.add(self.x[gi, kind, vi] == (members or {}).get(gi, 0) * w)

    def venue_used(self) -> None:
        """A venue counts as used exactly when it hosts at least one cohort."""
        rules.venue_used(self.view())

    def max_venues(self) -> None:
        """At most `max_venues` distinct venues host cohorts this round."""
        rules.max_venues(self.view())

    def required_venues(self) -> None:
        """A `required` venue hosts at least one cohort."""
        rules.required_venues(self.view())

    def venue_max_cohorts(self) -> None:
        """A venue hosts at most `max_cohorts` cohorts this round (all steps)."""
        rules.venue_max_cohorts(self.view())

    def facilitator_calendar(self) -> None:
        """One facilitator leads every session: `engine.rules.facilitator_calendar` on the
        frontier `calendar_frontier` computed (venues' and members' unavailable days are
        settled when dating)."""
        if self.capacity is not None:
            rules.facilitator_calendar(self.view(), self.capacity.frontier)

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
