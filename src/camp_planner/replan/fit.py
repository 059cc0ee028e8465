"""`fit`: the best places for one company (a late sign-up or a waiting company) in a
published roster: a published cohort with a free place, one that makes room by moving
others, or a new cohort; and why the other cohorts of its group cannot take it.

Each option is the replan model with the company placed there: the companies of the
published roster keep their places (as many as can keep one at all), no other company is
added, and the fewest weighted changes are made, then the least travel in total. Options
are ranked by those changes, then by that total travel, then by the company's own travel:
the order in which `replan` decides, so the option ranked first is the one `replan` applies
when this company is the only change (issue 23; tests/replan/test_fit_agrees.py). Changes the folder
needs whatever happens to the company (a venue lost, a withdrawal) are reported once, as
the baseline, not in every option's note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from ortools.sat.python import cp_model

from camp_planner.engine.units import TRAVEL_UNITS_PER_KM, travel_units
from camp_planner.i18n import gettext_for, ngettext_for
from camp_planner.models import SESSION_DAYS, PlanningProblem, Roster
from camp_planner.replan.model import ReplanModel
from camp_planner.replan.setup import ChangeCost, Pin, PinField, Setup, Slot, build_setup
from camp_planner.replan.solve import IGNORED_SUBSOLVERS

#: fit.csv's columns, in order
FIT_COLUMNS = ("rank", "cohort_id", "venue_id", "dates", "travel_km", "moves", "note")
#: the weight of one change unit over one 10 m of the company's travel
_OVER_TRAVEL = 10**7


class FitError(ValueError):
    """The company cannot be looked up (not in the folder); the message says why."""


@dataclass
class FitOption:
    """One place for the company, or (no venue, rank None) a cohort that cannot take it."""

    cohort_id: str
    venue_id: str = ""
    dates: str = ""
    travel_km: float | None = None
    moves: list[str] = field(default_factory=list)
    note: str = ""
    cost: int = 0
    rank: int | None = None
    #: travel km of everybody the option places (replan's last stage; not in fit.csv)
    total_km: float = 0.0


@dataclass
class FitReport:
    """The options for one company, best first, then the impossible ones."""

    company_id: str
    options: list[FitOption]
    #: why it cannot have any place this round (then `options` is empty)
    reason: str = ""
    #: changes the folder needs whatever happens to this company, in words
    baseline: list[str] = field(default_factory=list)


@dataclass
class _Fit:
    setup: Setup
    costs: ChangeCost
    cid: str
    seconds: float
    seed: int
    workers: int
    kept: int | None = None
    baseline: set[str] = field(default_factory=set)
    #: the baseline solution's values (models are built alike, so they line up): a hint
    hint: list[int] = field(default_factory=list)

    def model(self) -> ReplanModel:
        """The replan model with only the published roster's companies and `cid` placeable,
        and (once known) as many of the former keeping a place as can."""
        rm = ReplanModel(self.setup, self.costs)
        for (other, _), x in rm.x.items():
            if other != self.cid and other not in self.setup.previous:
                rm.model.add(x == 0)
        if self.kept is not None:
            rm.model.add(rm.kept() >= self.kept)
        for var, value in zip(rm.decision_vars(), self.hint, strict=False):
            rm.model.add_hint(var, value)
        return rm

    def solve(self, rm: ReplanModel, objective: cp_model.LinearExprT) -> cp_model.CpSolver | None:
        rm.model.minimize(objective)
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = self.seconds
        solver.parameters.num_workers = self.workers
        solver.parameters.random_seed = self.seed
        solver.parameters.interleave_search = True  # deterministic (see replan.solve)
        solver.parameters.ignore_subsolvers.extend(IGNORED_SUBSOLVERS)
        status = solver.solve(rm.model)
        return solver if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None

    def cohort_changes(self, rm: ReplanModel, solver: cp_model.CpSolver) -> list[str]:
        """The published cohorts a solution cancels, moves or re-dates, in words."""
        notes = []
        for s in self.setup.slots:
            if not s.existing:
                continue
            if not solver.value(rm.a[s.index]):
                notes.append(f"{s.cohort_id} cancelled")
                continue
            if s.old_venue not in s.venues or not solver.value(rm.u[s.index, s.old_venue]):
                notes.append(f"{s.cohort_id} to another venue")
            if not (solver.value(rm.same_start[s.index]) and solver.value(rm.same_lab[s.index])):
                notes.append(f"{s.cohort_id} re-dated")
        return notes

    def describe(
        self,
        rm: ReplanModel,
        solver: cp_model.CpSolver,
        slot: Slot,
        total: cp_model.LinearExprT,
    ) -> FitOption:
        """The option a solution gives: the company's cohort, venue, dates and travel, the
        companies moved, and the other changes (beyond the baseline) in words."""
        setup, days, cid = self.setup, self.setup.days, self.cid
        venue = next(v for v in slot.venues if solver.value(rm.u[slot.index, v]))
        sv = rm.slot[slot.index]
        start, lab = solver.value(sv.start), solver.value(sv.lab)
        dates = [days.dates[start + k] for k in range(SESSION_DAYS[slot.module])]
        dates.append(days.dates[lab])
        index_of = {s.cohort_id: s.index for s in setup.slots if s.existing}
        moves = sorted(
            other
            for (other, j), x in rm.x.items()
            if other != cid and solver.value(x) and index_of[setup.previous[other]] != j
        )
        notes = []
        if moves:
            notes.append(f"{len(moves)} compan{'y moves' if len(moves) == 1 else 'ies move'}")
        notes += [n for n in self.cohort_changes(rm, solver) if n not in self.baseline]
        if not notes:
            notes.append("a free place" if slot.existing else "a new cohort")
        elif not slot.existing:
            notes.insert(0, "a new cohort")
        return FitOption(
            cohort_id=slot.cohort_id or "new",
            venue_id=venue,
            dates=";".join(d.isoformat() for d in dates),
            travel_km=round(setup.allowed[cid][venue], 3),
            moves=moves,
            note="; ".join(notes),
            cost=solver.value(rm.change_cost()),
            total_km=solver.value(total) / TRAVEL_UNITS_PER_KM,
        )

    def existing(self, slot: Slot) -> FitOption:
        """The company in a published cohort, or why it cannot be."""
        rm = self.model()
        if (self.cid, slot.index) not in rm.x:
            return FitOption(slot.cohort_id or "", note=self.impossible(slot))
        rm.model.add(rm.x[self.cid, slot.index] == 1)
        total = rm.add_travel()
        solver = self.solve(rm, rm.change_cost() * _OVER_TRAVEL + total)
        if solver is None:
            return FitOption(slot.cohort_id or "", note=self.impossible(slot))
        return self.describe(rm, solver, slot, total)

    def impossible(self, slot: Slot) -> str:
        """Why a published cohort of the company's group cannot take it."""
        if PinField.MEMBERS in slot.pins:
            return "cannot take it: its members are pinned"
        if not any(v in self.setup.allowed[self.cid] for v in slot.venues):
            return "cannot take it: every venue it may meet at is beyond max_travel_km"
        return (
            "cannot take it: no room without a company of the published roster losing its "
            "place, and no other dates or venue would make room"
        )

    def new_cohorts(self, top: int) -> list[FitOption]:
        """New cohorts for the company, at a different venue each, best first."""
        new = [
            s for s in self.setup.slots if not s.existing and s.admits(self.setup.segment[self.cid])
        ]
        if not new:
            return [FitOption("new", note=self.no_new_cohort())]
        found: list[FitOption] = []
        while len(found) < top:
            rm = self.model()
            m, cid = rm.model, self.cid
            mine = [s for s in new if (cid, s.index) in rm.x]
            m.add(sum(rm.x[cid, s.index] for s in mine) == 1)
            at = []
            for s in mine:
                for v in s.venues:
                    km = self.setup.allowed[cid].get(v)
                    if km is None or any(o.venue_id == v for o in found):
                        m.add_bool_or([rm.x[cid, s.index].Not(), rm.u[s.index, v].Not()])
                        continue
                    both = m.new_bool_var(f"at{s.index}_{v}")
                    m.add_implication(both, rm.u[s.index, v])
                    m.add_implication(both, rm.x[cid, s.index])
                    at.append((travel_units(km), both))
            m.add(sum(b for _, b in at) == 1)
            total = rm.add_travel()
            solver = self.solve(rm, rm.change_cost() * _OVER_TRAVEL + total)
            if solver is None:
                break
            slot = next(s for s in mine if solver.value(rm.x[cid, s.index]))
            found.append(self.describe(rm, solver, slot, total))
        return found or [FitOption("new", note=self.no_new_cohort())]

    def no_new_cohort(self) -> str:
        rnd = self.setup.problem.round
        return (
            f"no new cohort: with the companies of the published roster keeping their places, "
            f"too few of its group ({self.setup.segment[self.cid].label}) could join it (a "
            f"cohort needs {rnd.cohort_min} people), or the calendar has no dates for one"
        )


def fit(
    problem: PlanningProblem,
    published: Roster,
    company_id: str,
    as_of: date,
    *,
    pins: list[Pin] | None = None,
    costs: ChangeCost | None = None,
    top: int = 5,
    time_limit: float = 30.0,
    seed: int = 0,
    workers: int = 1,
) -> FitReport:
    """The best places for one company (see the module's docstring).

    Args:
        problem: The planning folder as it is now (with the company in it).
        published: The published roster.
        company_id: The company to place.
        as_of: Cohorts with a session before this day have met.
        pins: Fields of published cohorts to keep.
        costs: The change weights.
        top: How many places to list at most.
        time_limit: Seconds for all options together (each gets a share).
        seed: CP-SAT random seed.
        workers: CP-SAT threads.

    Raises:
        FitError: the company is not in the planning folder.
    """
    costs = costs or ChangeCost()
    if not any(c.company_id == company_id for c in problem.companies):
        raise FitError(f"company {company_id} is not in the planning folder's companies")
    setup = build_setup(problem, published, as_of, pins or [], costs)
    if company_id in setup.history_members:
        cohort = next(c for c in setup.history if company_id in c.members)
        return FitReport(company_id, [], f"has a place in {cohort.cohort_id}, which has met")
    if company_id in setup.excluded:
        return FitReport(company_id, [], setup.excluded[company_id][1])
    seg = setup.segment[company_id]
    own = setup.previous.get(company_id)
    slots = [s for s in setup.slots if s.existing and s.admits(seg) and s.cohort_id != own]
    seconds = max(1.0, time_limit / (2 + len(slots) + top))
    job = _Fit(setup, costs, company_id, seconds, seed, workers)
    base = job.model()
    for (other, _), x in base.x.items():
        if other == company_id:
            base.model.add(x == 0)
    solver = job.solve(base, -base.kept() * 10**6 + base.change_cost())
    if solver is None:
        return FitReport(company_id, [], "no roster meets the round's rules and the pins")
    job.kept = solver.value(base.kept())
    job.hint = [solver.value(var) for var in base.decision_vars()]
    job.baseline = set(job.cohort_changes(base, solver))
    options = [job.existing(s) for s in slots] + job.new_cohorts(top)
    possible = sorted(
        (o for o in options if o.venue_id),
        key=lambda o: (o.cost, round(o.total_km, 3), o.travel_km or 0.0, o.cohort_id),
    )[:top]
    for rank, option in enumerate(possible, start=1):
        option.rank = rank
    impossible = [o for o in options if not o.venue_id]
    return FitReport(company_id, possible + impossible, baseline=sorted(job.baseline))


def place_at(
    problem: PlanningProblem,
    published: Roster,
    company_id: str,
    as_of: date,
    option: FitOption,
    *,
    pins: list[Pin] | None = None,
    costs: ChangeCost | None = None,
    time_limit: float = 30.0,
    seed: int = 0,
    workers: int = 1,
) -> tuple[Setup, ReplanModel, cp_model.CpSolver]:
    """The solution of one option :func:`fit` found (its cohort, venue and dates): the
    model as fit builds it, the company held there; for choosing an option other than
    replan's (:mod:`camp_planner.replan.choose`).

    Raises:
        FitError: The company is not in the folder, can have no place, or the option can
            no longer be had (no such cohort, venue or dates; no roster with it).
    """
    costs = costs or ChangeCost()
    if not any(c.company_id == company_id for c in problem.companies):
        raise FitError(f"company {company_id} is not in the planning folder's companies")
    setup = build_setup(problem, published, as_of, pins or [], costs)
    if company_id in setup.history_members or company_id in setup.excluded:
        raise FitError(f"company {company_id} can have no place this round")
    job = _Fit(setup, costs, company_id, max(1.0, time_limit / 2), seed, workers)
    base = job.model()
    for (other, _), x in base.x.items():
        if other == company_id:
            base.model.add(x == 0)
    solver = job.solve(base, -base.kept() * 10**6 + base.change_cost())
    if solver is None:
        raise FitError("no roster meets the round's rules and the pins")
    job.kept = solver.value(base.kept())
    job.hint = [solver.value(var) for var in base.decision_vars()]
    rm, cid = job.model(), company_id
    slots = [
        s
        for s in setup.slots
        if (cid, s.index) in rm.x
        and option.venue_id in s.venues
        and (s.cohort_id == option.cohort_id if option.cohort_id != "new" else not s.existing)
    ]
    if not slots:
        raise FitError(f"the place {option.cohort_id} at {option.venue_id} can no longer be had")
    rm.model.add(sum(rm.x[cid, s.index] for s in slots) == 1)
    dates = [date.fromisoformat(d) for d in option.dates.split(";") if d]
    for s in slots:
        rm.model.add(rm.u[s.index, option.venue_id] == 1).only_enforce_if(rm.x[cid, s.index])
        if dates and dates[0] in setup.days.dates and dates[-1] in setup.days.dates:
            sv = rm.slot[s.index]
            on = rm.x[cid, s.index]
            rm.model.add(sv.start == setup.days.dates.index(dates[0])).only_enforce_if(on)
            rm.model.add(sv.lab == setup.days.dates.index(dates[-1])).only_enforce_if(on)
    total = rm.add_travel()
    found = job.solve(rm, rm.change_cost() * _OVER_TRAVEL + total)
    if found is None:
        raise FitError(f"the place {option.cohort_id} at {option.venue_id} can no longer be had")
    return setup, rm, found


_COHORT_NOTE = re.compile(r"^(?P<cohort>\S+) (?P<what>cancelled|to another venue|re-dated)$")
_MOVES_NOTE = re.compile(r"^(?P<n>\d+) compan(y moves|ies move)$")
_NO_NEW_NOTE = re.compile(
    r"^no new cohort: .*\((?P<group>.+)\) could join it \(a cohort needs (?P<min>\d+) people\)"
)


_GROUP = re.compile(r"^(?P<level>[ABC])/(?P<age>young|established) Module (?P<module>[12])$")


def _group_in(label: str, lang: str) -> str:
    """A segment's label (``C/young Module 1``) in `lang`."""
    from camp_planner.i18n import segment_label
    from camp_planner.models import AgeGroup, Level, Segment, Step

    match = _GROUP.match(label)
    if match is None:
        return label
    module = Step.MODULE1 if match["module"] == "1" else Step.MODULE2
    segment = Segment(module=module, level=Level(match["level"]), age_group=AgeGroup(match["age"]))
    return segment_label(segment, lang)


def note_in(note: str, lang: str) -> str:
    """An option's note (fit.csv's English, parts joined by "; ") in `lang`; a part it does
    not know stays as it is."""
    if lang == "en" or not note:
        return note
    _ = gettext_for(lang)
    fixed = {
        "a free place": _("a free place"),
        "a new cohort": _("a new cohort"),
        "cannot take it: its members are pinned": _("cannot take it: its members are pinned"),
        "cannot take it: every venue it may meet at is beyond max_travel_km": _(
            "cannot take it: every venue it may meet at is beyond max_travel_km"
        ),
        "cannot take it: no room without a company of the published roster losing its place, "
        "and no other dates or venue would make room": _(
            "cannot take it: no room without a company of the published roster losing its "
            "place, and no other dates or venue would make room"
        ),
    }
    parts = []
    for part in note.split("; "):
        shown = fixed.get(part)
        if (match := _MOVES_NOTE.match(part)) is not None:
            n = int(match["n"])
            ngettext = ngettext_for(lang)
            shown = ngettext("%(n)s company moves", "%(n)s companies move", n) % {"n": n}
        elif (match := _COHORT_NOTE.match(part)) is not None:
            texts = {
                "cancelled": _("%(cohort)s cancelled"),
                "to another venue": _("%(cohort)s to another venue"),
                "re-dated": _("%(cohort)s re-dated"),
            }
            shown = texts[match["what"]] % {"cohort": match["cohort"]}
        elif (match := _NO_NEW_NOTE.match(part)) is not None:
            shown = _(
                "no new cohort: with the companies of the published roster keeping their "
                "places, too few of its group (%(group)s) could join it (a cohort needs "
                "%(min)s people), or the calendar has no dates for one"
            ) % {"group": _group_in(match["group"], lang), "min": match["min"]}
        parts.append(shown or part)
    return "; ".join(parts)
