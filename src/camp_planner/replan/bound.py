"""An upper bound on the first stages (places kept, companies placed, priority) from a
counts-only relaxation.

Per kind of cohort (the slots' module, levels and age groups) an integer number of
cohorts, each of cohort_min..cohort_max people; each company placed in at most one kind
it may join; the cohorts' facilitator-days within those left from `as_of` on; pinned
cohorts run. Its objective is the first stages' number: companies of the published roster
kept, weighing more than anything else, then companies placed, then priority. Venues and
dates are left out, so every replanned roster is a solution of it: when the full model
reaches this bound, the first stages are proven optimal without searching the full model
for a proof (the roster's solver does the same, `placed_bound`).
"""

from __future__ import annotations

from collections import defaultdict

from ortools.sat.python import cp_model

from camp_planner.models import SESSION_DAYS
from camp_planner.models.roster import ONLINE_VENUE_ID
from camp_planner.replan.model import ReplanModel
from camp_planner.replan.setup import free_facilitator_days


def places_bound(
    rm: ReplanModel, weights: dict[str, int], scale: int, big: int, seconds: float, seed: int
) -> int | None:
    """The most ``big * kept + scale * placed + sum(weights of the placed)`` any replanned
    roster can reach (kept: companies of the published roster with a place), if proven
    within `seconds` of CP-SAT's deterministic time (else None)."""
    setup = rm.setup
    rnd = setup.problem.round
    m = cp_model.CpModel()
    kinds: dict[tuple[object, ...], list[int]] = defaultdict(list)
    for s in setup.slots:
        kinds[s.module, s.levels, s.ages].append(s.index)
    count: dict[tuple[object, ...], cp_model.IntVar] = {}
    people: dict[tuple[object, ...], list[cp_model.LinearExprT]] = defaultdict(list)
    kind_of = {s.index: (s.module, s.levels, s.ages) for s in setup.slots}
    joins: dict[str, set[tuple[object, ...]]] = defaultdict(set)
    for cid, j in rm.x:
        joins[cid].add(kind_of[j])
    placed: dict[str, list[cp_model.IntVar]] = defaultdict(list)
    for cid, options in joins.items():
        for kind in options:
            w = m.new_bool_var(f"w{cid}_{len(placed[cid])}")
            placed[cid].append(w)
            people[kind].append(setup.companies[cid].participants * w)
        m.add_at_most_one(placed[cid])
    need = []
    for kind, indices in kinds.items():
        pinned = sum(1 for s in setup.slots if s.index in indices and s.pins)
        k = m.new_int_var(pinned, len(indices), f"k{len(count)}")
        count[kind] = k
        module = kind[0]
        smallest = rnd.cohort_min
        if any(ONLINE_VENUE_ID in setup.slots[i].venues for i in indices):
            smallest = min(smallest, rnd.online_cohort_min)
        total = cp_model.LinearExpr.sum(people[kind])
        m.add(total <= rnd.cohort_max * k)
        m.add(total >= smallest * k)
        need.append((SESSION_DAYS[module] + 1) * k)  # type: ignore[index]
    m.add(cp_model.LinearExpr.sum(need) <= max(0, free_facilitator_days(setup)))
    everyone = [(cid, w) for cid, ws in placed.items() for w in ws]
    m.maximize(
        cp_model.LinearExpr.weighted_sum(
            [w for _, w in everyone],
            [scale + weights[cid] + (big if cid in setup.previous else 0) for cid, _ in everyone],
        )
    )
    solver = cp_model.CpSolver()
    # Limited in deterministic time (the wall clock only as a safety net), so that whether
    # the bound is proven, and so the replan's model, does not depend on the machine's load.
    solver.parameters.max_deterministic_time = seconds
    solver.parameters.max_time_in_seconds = 3 * seconds + 1.0
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    if solver.solve(m) != cp_model.OPTIMAL:
        return None
    return round(solver.objective_value)
