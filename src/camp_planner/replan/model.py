"""The replan model: which slot each company takes, where and when each slot meets.

Cohorts are enumerated here (unlike the roster's counting model) because a published
cohort has an identity to keep: slot j is active (``a[j]``), meets at one venue
(``u[j, v]``), starts its module on working day ``start[j]`` and holds its lab on
``lab[j]`` (interval variables on the facilitator's calendar, as in
:func:`camp_planner.scheduler.dates.add_slot`), and holds the companies with
``x[c, j] = 1``. A change is a linear term:

- company moved: ``x[c, j]`` for a slot j other than c's published cohort;
- cohort moved to another venue: ``a[j] - u[j, old venue]``;
- session re-dated: ``a[j] - same_start[j]`` and ``a[j] - same_lab[j]``, where
  ``same_start[j] => start[j] == old start``;
- cohort cancelled: ``1 - a[j]``.

Travel (the last stage) is added only for that stage: one variable per slot, at least
its members' km to the venue it meets at (:meth:`ReplanModel.add_travel`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from camp_planner.engine import rules
from camp_planner.engine.units import travel_units
from camp_planner.engine.view import RoundView
from camp_planner.models import SESSION_DAYS, VenueStatus
from camp_planner.models.roster import ONLINE_VENUE_ID
from camp_planner.replan.setup import ChangeCost, PinField, Setup, Slot, free_facilitator_days
from camp_planner.scheduler.dates import CohortSlot, SlotVars, add_slot


def _starts_hit(days: frozenset[int], length: int) -> list[int]:
    """Module starts whose `length` days touch one of `days`."""
    return sorted({t - k for t in days for k in range(length)})


def _avoid(
    model: cp_model.CpModel, var: cp_model.IntVar, bad: list[int], when: cp_model.IntVar
) -> None:
    """`when` => `var` is none of `bad`."""
    if bad:
        domain = cp_model.Domain.from_values(bad).complement()
        model.add_linear_expression_in_domain(var, domain).only_enforce_if(when)


@dataclass
class ReplanModel:
    """CP-SAT variables and rules of one replan; objectives as expressions."""

    setup: Setup
    costs: ChangeCost
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    slot: dict[int, SlotVars] = field(default_factory=dict)
    a: dict[int, cp_model.IntVar] = field(default_factory=dict)
    u: dict[tuple[int, str], cp_model.IntVar] = field(default_factory=dict)
    x: dict[tuple[str, int], cp_model.IntVar] = field(default_factory=dict)
    same_start: dict[int, cp_model.IntVar] = field(default_factory=dict)
    same_lab: dict[int, cp_model.IntVar] = field(default_factory=dict)
    used: dict[str, cp_model.IntVar] = field(default_factory=dict)
    travel: dict[int, cp_model.IntVar] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._slots()
        self._members()
        self._facilitator()
        self._venues()
        self._pins()
        self._new_slot_order()

    # -- rules ---------------------------------------------------------------------------
    def _slots(self) -> None:
        m, days = self.model, self.setup.days
        venues = {v.venue_id: v for v in self.setup.problem.venues}
        for s in self.setup.slots:
            sv = add_slot(
                m,
                days,
                CohortSlot(s.module, forbidden=self.setup.past, optional=True),
                f"s{s.index}",
            )
            self.slot[s.index] = sv
            assert not isinstance(sv.present, int)
            self.a[s.index] = sv.present
            for vid in s.venues:
                u = m.new_bool_var(f"u{s.index}_{vid}")
                self.u[s.index, vid] = u
                if vid != ONLINE_VENUE_ID:
                    off = days.indices_of(venues[vid].unavailable)
                    _avoid(m, sv.start, _starts_hit(off, SESSION_DAYS[s.module]), u)
                    _avoid(m, sv.lab, sorted(off), u)
            m.add_exactly_one([*self.venue_vars(s), sv.present.Not()])
            if s.existing:
                self._same_dates(s, sv)

    def _same_dates(self, s: Slot, sv: SlotVars) -> None:
        m = self.model
        start = m.new_bool_var(f"same_start{s.index}")
        lab = m.new_bool_var(f"same_lab{s.index}")
        for same, var, old in ((start, sv.start, s.old_start), (lab, sv.lab, s.old_lab)):
            m.add_implication(same, self.a[s.index])
            if old is None or not _domain(var).contains(old):
                m.add(same == 0)
            else:
                m.add(var == old).only_enforce_if(same)
        self.same_start[s.index], self.same_lab[s.index] = start, lab

    def venue_vars(self, s: Slot) -> list[cp_model.IntVar]:
        """The slot's venue choices."""
        return [self.u[s.index, v] for v in s.venues]

    def _members(self) -> None:
        m, setup = self.model, self.setup
        rnd = setup.problem.round
        by_company: dict[str, list[cp_model.IntVar]] = defaultdict(list)
        for s in setup.slots:
            sv, length = self.slot[s.index], SESSION_DAYS[s.module]
            pinned = PinField.MEMBERS in s.pins
            size = []
            for cid, company in setup.companies.items():
                allowed = setup.allowed[cid]
                if not s.admits(setup.segment[cid]) or not any(v in allowed for v in s.venues):
                    continue
                if pinned and cid not in s.old_members:
                    continue
                x = m.new_bool_var(f"x{cid}_{s.index}")
                self.x[cid, s.index] = x
                by_company[cid].append(x)
                size.append(company.participants * x)
                for vid in s.venues:
                    if vid not in allowed:
                        m.add_bool_or([x.Not(), self.u[s.index, vid].Not()])
                blackout = setup.blackout[cid]
                _avoid(m, sv.start, _starts_hit(blackout, length), x)
                _avoid(m, sv.lab, sorted(blackout), x)
            people = cp_model.LinearExpr.sum(size)
            online = self.u.get((s.index, ONLINE_VENUE_ID), 0)
            m.add(people <= rnd.cohort_max * self.a[s.index])
            smallest = rnd.cohort_min * (self.a[s.index] - online) + rnd.online_cohort_min * online
            m.add(people >= smallest)
        for xs in by_company.values():
            m.add_at_most_one(xs)

    def _facilitator(self) -> None:
        m, setup = self.model, self.setup
        days = setup.days
        where = {d: i for i, d in enumerate(days.dates)}
        intervals = [iv for sv in self.slot.values() for iv in sv.intervals]
        for cohort in setup.history:
            for session in cohort.sessions:
                for d in session.dates:
                    if d in where:
                        intervals.append(m.new_fixed_size_interval_var(where[d], 1, f"h{d}"))
        if setup.problem.round.facilitators == 1:
            m.add_no_overlap(intervals)
        else:
            m.add_cumulative(intervals, [1] * len(intervals), setup.problem.round.facilitators)
        # Redundant: the facilitator-days the active cohorts take fit in those left.
        need = [(SESSION_DAYS[s.module] + 1) * self.a[s.index] for s in setup.slots]
        m.add(cp_model.LinearExpr.sum(need) <= max(0, free_facilitator_days(setup)))

    def _venues(self) -> None:
        m, setup = self.model, self.setup
        rnd = setup.problem.round
        held: dict[str, int] = defaultdict(int)
        for cohort in setup.history:
            if not cohort.online:
                held[cohort.venue_id] += 1
        slots_at: dict[str, list[cp_model.IntVar]] = defaultdict(list)
        for (_, vid), u in self.u.items():
            if vid != ONLINE_VENUE_ID:
                slots_at[vid].append(u)
        index: dict[str, int] = {}
        for vi, venue in enumerate(setup.problem.venues):
            vid = venue.venue_id
            index[vid] = vi
            used = m.new_bool_var(f"used_{vid}")
            self.used[vid] = used
            for u in slots_at[vid]:
                m.add_implication(u, used)
            if held[vid]:
                m.add(used == 1)
            elif not slots_at[vid] or venue.status == VenueStatus.CLOSED:
                m.add(used == 0)
        # The venue rules of the round, written once (`engine.rules`): each slot at a venue
        # is one cohort there; cohorts that have met count against max_cohorts and keep
        # their venues among the used ones.
        view = RoundView(
            model=m,
            venues=setup.problem.venues,
            y={index[vid]: used for vid, used in self.used.items()},
            cohorts={(j, index[vid]): u for (j, vid), u in self.u.items() if vid in index},
            max_venues=rnd.max_venues,
        )
        rules.required_venues(view)
        rules.venue_max_cohorts(view, held={index[v]: n for v, n in held.items() if v in index})
        rules.max_venues(view, most=max(rnd.max_venues, sum(1 for n in held.values() if n)))

    def _pins(self) -> None:
        m = self.model
        for s in self.setup.slots:
            if not s.pins:
                continue
            m.add(self.a[s.index] == 1)
            if PinField.MEMBERS in s.pins:
                for cid in s.old_members:
                    m.add(self.x[cid, s.index] == 1)
            if PinField.VENUE in s.pins:
                old = self.u.get((s.index, s.old_venue or ""))
                m.add(old == 1 if old is not None else self.a[s.index] == 0)
            if PinField.DATES in s.pins:
                m.add(self.same_start[s.index] == 1)
                m.add(self.same_lab[s.index] == 1)

    def _new_slot_order(self) -> None:
        """New cohorts of one kind are interchangeable: use them in order, dated in order.
        When reusing a cancelled cohort's id never costs more, a new cohort of a kind runs
        only while every unpinned published cohort of exactly that kind runs."""
        m = self.model
        by_kind: dict[tuple[object, ...], list[Slot]] = defaultdict(list)
        for s in self.setup.slots:
            by_kind[s.module, s.levels, s.ages, s.existing].append(s)
        for (module, levels, ages, existing), group in by_kind.items():
            if existing:
                continue
            for first, second in zip(group, group[1:], strict=False):
                m.add_implication(self.a[second.index], self.a[first.index])
                start1, start2 = self.slot[first.index].start, self.slot[second.index].start
                m.add(start1 <= start2).only_enforce_if(self.a[second.index])
            if self.costs.reuse_dominates():
                for published in by_kind.get((module, levels, ages, True), []):
                    m.add_implication(self.a[group[0].index], self.a[published.index])

    # -- objectives ------------------------------------------------------------------------
    def kept(self) -> cp_model.LinearExpr:
        """Companies of the published roster (future cohorts) that keep a place."""
        keys = [k for k in self.x if k[0] in self.setup.previous]
        return cp_model.LinearExpr.sum([self.x[k] for k in keys])

    def placed(self) -> cp_model.LinearExpr:
        """Companies placed (in the model; cohorts that have met come on top)."""
        return cp_model.LinearExpr.sum(list(self.x.values()))

    def priority(self, weights: dict[str, int]) -> cp_model.LinearExpr:
        """Total `weights` (who goes first) of the companies placed."""
        keys = list(self.x)
        return cp_model.LinearExpr.weighted_sum(
            [self.x[k] for k in keys], [weights[c] for c, _ in keys]
        )

    def change_cost(self) -> cp_model.LinearExpr:
        """The weighted changes against the published roster."""
        c = self.costs
        index_of = {s.cohort_id: s.index for s in self.setup.slots if s.existing}
        terms: list[cp_model.LinearExprT] = []
        for (cid, j), x in self.x.items():
            old = self.setup.previous.get(cid)
            if old is not None and index_of[old] != j:
                terms.append(c.moved * x)
        for s in self.setup.slots:
            if not s.existing:
                continue
            a = self.a[s.index]
            old_venue = self.u.get((s.index, s.old_venue or ""))
            terms.append(c.venue * (a - old_venue) if old_venue is not None else c.venue * a)
            terms.append(c.dates * (2 * a - self.same_start[s.index] - self.same_lab[s.index]))
            terms.append(c.cancelled * (1 - a))
        return cp_model.LinearExpr.sum(terms)

    def add_travel(self, likely: dict[int, list[str]] | None = None) -> cp_model.LinearExpr:
        """Add each slot's travel and return the total (10 m units).

        For the venue v a slot meets at, ``travel[j] >= sum_c km(c, v) x[c, j]`` (a big-M
        row per venue, relaxed when the slot meets elsewhere; minimising pushes it down to
        equality). Its linear relaxation is weak, so each slot also gets a row that is
        tight when its members are `likely` (a solution's): with M those members,
        ``travel[j] >= sum_v km(M, v) u[j, v] - sum_{c in M} most_km(c) (1 - x[c, j])``,
        valid whoever the members are (a member that leaves takes at most its farthest km
        away; newcomers only add)."""
        m, setup = self.model, self.setup
        rnd = setup.problem.round
        members: dict[int, list[str]] = defaultdict(list)
        for cid, j in self.x:
            members[j].append(cid)
        totals = []
        for s in setup.slots:
            cids = members[s.index]
            if not cids:
                continue
            km = {
                c: {v: travel_units(setup.allowed[c].get(v, 0.0)) for v in s.venues} for c in cids
            }
            rows = [(v, [km[c][v] for c in cids]) for v in s.venues]
            most = max(sum(sorted(units)[-rnd.cohort_max :]) for _, units in rows)
            travel = m.new_int_var(0, most, f"travel{s.index}")
            self.travel[s.index] = travel
            xs = [self.x[c, s.index] for c in cids]
            for vid, units in rows:
                top = sum(sorted(units)[-rnd.cohort_max :])
                load = cp_model.LinearExpr.weighted_sum(xs, units)
                m.add(travel >= load - top * (1 - self.u[s.index, vid]))
            known = [c for c in (likely or {}).get(s.index, []) if c in km]
            if known:
                at = cp_model.LinearExpr.weighted_sum(
                    [self.u[s.index, v] for v in s.venues],
                    [sum(km[c][v] for c in known) for v in s.venues],
                )
                leave = cp_model.LinearExpr.weighted_sum(
                    [self.x[c, s.index] for c in known], [max(km[c].values()) for c in known]
                )
                m.add(travel >= at - sum(max(km[c].values()) for c in known) + leave)
            totals.append(travel)
        return cp_model.LinearExpr.sum(totals)

    def decision_vars(self) -> list[cp_model.IntVar]:
        """Every variable a stage hands to the next as a hint."""
        return [
            *self.a.values(),
            *self.u.values(),
            *self.x.values(),
            *self.same_start.values(),
            *self.same_lab.values(),
            *self.used.values(),
            *(v for sv in self.slot.values() for v in (sv.start, sv.lab)),
            *self.travel.values(),
        ]


def _domain(var: cp_model.IntVar) -> cp_model.Domain:
    return cp_model.Domain.from_flat_intervals(list(var.proto.domain))
