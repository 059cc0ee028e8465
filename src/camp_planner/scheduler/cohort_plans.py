"""Between the assignment and the dates: the cohorts each (kind, venue) of a solution
holds, hints for their dates from the calendar's packing, and the no-goods that cut off an
assignment whose members' unavailable days leave it no dates (see `solve`)."""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from camp_planner.models import Step
from camp_planner.scheduler.assignment import AssignmentModel
from camp_planner.scheduler.dates import CohortPlan, DateHint, PlanGroup, plan_undatable
from camp_planner.scheduler.kinds import ONLINE, Kind, venue_min
from camp_planner.scheduler.prepare import Prepared


def cohort_plans(
    prep: Prepared, master: AssignmentModel, solver: cp_model.CpSolver
) -> tuple[list[CohortPlan], list[DateHint]]:
    """Per (segment, venue) with cohorts, the plan; and date hints from the calendar's
    packing for this number of Module 2 cohorts, cohort by cohort."""
    days = prep.days
    rnd = prep.problem.round
    plans: list[CohortPlan] = []
    for (kind, vi), var in master.n.items():
        count = solver.value(var)
        if not count:
            continue
        groups = {}
        for (gi, k, v), xv in master.x.items():
            if v == vi and k == kind and solver.value(xv):
                group = prep.groups[gi]
                blackout = days.indices_of(group.unavailable)
                groups[gi] = PlanGroup(group.participants, blackout, solver.value(xv))
        if vi == ONLINE:  # no venue, so no venue's unavailable days
            plans.append(
                CohortPlan(kind, vi, count, frozenset(), groups, cohort_min=rnd.online_cohort_min)
            )
            continue
        forbidden = days.indices_of(prep.venues[vi].unavailable)
        plans.append(CohortPlan(kind, vi, count, forbidden, groups))
    free: dict[Step, list[tuple[int, int]]] = defaultdict(list)
    capacity = master.capacity
    if capacity is not None and capacity.packings:
        n2 = sum(plan.count for plan in plans if plan.module == Step.MODULE2)
        packing = capacity.packings.get(n2) or max(capacity.packings.items())[1]
        for module, a, b in packing:
            free[module].append((a, b))
    hints = []
    for pi, plan in enumerate(plans):
        queue = free[plan.module]
        for _ in range(min(plan.count, len(queue))):
            a, b = queue.pop(0)
            hints.append(DateHint(pi, a, b))
    return plans, hints


def undatable_cuts(
    prep: Prepared,
    master: AssignmentModel,
    solver: cp_model.CpSolver,
    plans: list[CohortPlan],
) -> list[dict[str, int]]:
    """No-goods for an assignment that could not be dated. A (kind, venue) plan that
    cannot be dated even alone is cut off wherever its members could meet as they are:
    at its venue and at every venue with no unavailable days of its own whose cohorts need
    at least as many people (online: none). Otherwise the whole assignment is cut off."""
    rnd = prep.problem.round
    cuts = []
    for plan in plans:
        if not plan_undatable(prep.days, plan, rnd.cohort_min, rnd.cohort_max, 5.0):
            continue
        kind = plan.segment
        assert isinstance(kind, Kind)  # plans of the assignment model are of a kind
        smallest = venue_min(rnd, plan.venue)
        venues = {plan.venue}
        if not plan.forbidden:
            venues |= {
                vi
                for vi in (*master.y, ONLINE)
                if (vi == ONLINE or not prep.venues[vi].unavailable)
                and venue_min(rnd, vi) >= smallest
            }
        for vi in sorted(venues):
            if (kind, vi) not in master.n:
                continue
            cut = {master.n[kind, vi].name: plan.count}
            for (gi, k, v), var in master.x.items():
                if k == kind and v == vi:
                    cut[var.name] = plan.groups[gi].available if gi in plan.groups else 0
            cuts.append(cut)
    if not cuts:
        cuts.append({name: solver.value(var) for name, var in master.assignment_vars().items()})
    return cuts
