"""One solve as a task: what travels to a worker (:class:`SolveTask`) and what comes back
(the roster, or a :class:`TaskFailure`)."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

from camp_planner.models import PlanningProblem, Roster
from camp_planner.models.roster import fingerprint_of

__all__ = [
    "SolveTask",
    "TaskFailure",
    "failed_roster",
    "for_the_cluster",
    "from_the_cluster",
    "run_task",
]


@dataclass(frozen=True)
class SolveTask:
    """Everything one solve needs, sent whole to the worker that runs it: the scenario's
    planning problem (every company of the round with its data, the venues and the round's
    settings), the rosters given as hints, and the solver settings."""

    #: The scenario's or remedy's name (for progress lines only).
    label: str
    problem: PlanningProblem
    hints: tuple[Roster, ...]
    time_limit: float
    seed: int
    workers: int


@dataclass(frozen=True)
class TaskFailure:
    """A solve that failed (twice, with Ray's retry): why, in a sentence."""

    reason: str


def for_the_cluster(task: SolveTask) -> SolveTask:
    """`task` with only what the solver uses of each company: its name is replaced by its
    ``company_id`` and its contact person and e-mail are left out (the solver uses none of
    them, so the roster is the same but for its folder fingerprint:
    :func:`from_the_cluster`). What still travels: docs/ray.md."""
    companies = tuple(
        company.model_copy(update={"name": company.company_id, "contact_name": None, "email": None})
        for company in task.problem.companies
    )
    return replace(task, problem=task.problem.model_copy(update={"companies": companies}))


def from_the_cluster(roster: Roster, task: SolveTask) -> Roster:
    """A roster solved from :func:`for_the_cluster`'s copy, with the fingerprint of the
    folder it belongs to (`task`'s full problem), as if solved here."""
    if not roster.folder_fingerprint:
        return roster
    return roster.model_copy(update={"folder_fingerprint": fingerprint_of(task.problem)})


def run_task(task: SolveTask) -> Roster:
    """Solve one task with :func:`camp_planner.scheduler.solve` (on the worker)."""
    from camp_planner.scheduler import solve

    return solve(task.problem, task.time_limit, task.seed, task.workers, hints=task.hints)


def failed_roster(problem: PlanningProblem, reason: str) -> Roster:
    """The roster of a scenario whose solve failed: no cohorts, every company unplaced with
    its reason as the solver would give it without a roster, status ``TIME_LIMIT`` (no
    roster found) and the message saying why. Its row says so; it is never a hint."""
    from camp_planner.scheduler.prepare import prepare
    from camp_planner.scheduler.result import empty_roster

    roster = empty_roster(prepare(problem), time.time(), "TASK_FAILED", 0.0)
    message = f"not solved: {reason}"
    return roster.model_copy(
        update={"solver": roster.solver.model_copy(update={"message": message, "wall_time_s": 0.0})}
    )
