"""Choosing one of `fit`'s places for a company: the roster of that option (the company in
the chosen cohort, at its venue and dates; every other change as fit found it), as a
replan's result, so it is written, listed and published as a replan is (the changes, the
invitations with their UIDs kept, the cancellations).

The option ranked first is the one `replan` applies when this company is the only change
(:mod:`camp_planner.replan.fit`); choosing another one costs more changes or travel, which
its change list shows.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import date

from camp_planner.models import PlanningProblem, Roster
from camp_planner.replan.changes import cohort_changes, company_changes, summary_sentence
from camp_planner.replan.fit import FitOption, place_at
from camp_planner.replan.result import build_roster, history_flags
from camp_planner.replan.run import ReplanResult
from camp_planner.replan.setup import ChangeCost, Pin
from camp_planner.replan.solve import Solved, StageResult

__all__ = ["apply_option"]

#: The stage name of a chosen option (not proven: the coordinator chose it).
CHOSEN = "place chosen"


def apply_option(
    problem: PlanningProblem,
    published: Roster,
    company_id: str,
    as_of: date,
    option: FitOption,
    *,
    pins: Iterable[Pin] = (),
    costs: ChangeCost | None = None,
    retired: Iterable[str] = (),
    time_limit: float = 30.0,
    seed: int = 0,
    workers: int = 1,
) -> ReplanResult:
    """The roster with `company_id` placed as `option` says (cohort, venue, dates).

    Raises:
        FitError: The company or the option can no longer be had.
    """
    started = time.time()
    costs = costs or ChangeCost()
    setup, model, solver = place_at(
        problem, published, company_id, as_of, option, pins=list(pins), costs=costs,
        time_limit=time_limit, seed=seed, workers=workers,
    )  # fmt: skip
    proven = solver.objective_value == solver.best_objective_bound
    stage = StageResult(CHOSEN, 0.0, 0.0, proven, round(time.time() - started, 3))
    solved = Solved(setup, model, solver, [stage])
    flags = history_flags(problem, setup)
    diagnose = time.time() + max(2.0, 0.1 * time_limit)
    roster = build_roster(solved, costs, set(retired), started, "", diagnose)
    rows = company_changes(problem, published, roster)
    cohorts = cohort_changes(published, roster)
    known = {m for c in published.cohorts for m in c.members}
    known |= {u.company_id for u in published.unplaced}
    late = {c.company_id for c in problem.companies if c.company_id not in known}
    summary = summary_sentence(rows, cohorts, late)
    chosen = f"{company_id} placed as chosen: {option.cohort_id} at {option.venue_id}"
    message = "; ".join([summary, chosen, *flags, *setup.notes])
    roster = roster.model_copy(
        update={"solver": roster.solver.model_copy(update={"message": message})}
    )
    return ReplanResult(
        roster=roster,
        published=published,
        rows=rows,
        cohorts=cohorts,
        summary=summary,
        as_of=as_of,
        stages=[stage],
        flags=flags,
        notes=setup.notes,
    )
