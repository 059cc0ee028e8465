"""The remedies on an executor that solves many at once (Ray; docs/ray.md).

The same solves as :func:`~camp_planner.remedies.runner.run_remedies`, in two waves instead
of a chain: the round as it is first, then every remedy at once, each from the roster of
the round as it is (one after the other, a remedy also starts from the remedies solved
before it). A remedy's problem equal to one solved before is solved once; a remedy that
cannot act takes the round's roster, as one after the other. A solve that fails twice
becomes its row saying why (:attr:`RemedyResult.failure`).
"""

from __future__ import annotations

from camp_planner.distributed import Executor, SolveTask, TaskFailure, failed_roster
from camp_planner.distributed.executor import OnCounts, Outcome
from camp_planner.models import PlanningProblem, Roster
from camp_planner.remedies.catalogue import Remedy
from camp_planner.remedies.runner import AS_IT_IS, OnDone, OnStart, RemedyResult, RemedyRun
from camp_planner.scheduler.solve import remedies_can_act
from camp_planner.whatif.runner import _hints, _same, prepare_scenarios
from camp_planner.whatif.scenarios import Scenario

__all__ = ["run_remedy_waves"]


def _outcome(problem: PlanningProblem, outcome: Outcome) -> tuple[Roster, str | None]:
    if isinstance(outcome, TaskFailure):
        return failed_roster(problem, outcome.reason), outcome.reason
    return outcome, None


def run_remedy_waves(
    executor: Executor,
    problem: PlanningProblem,
    remedies: list[Remedy],
    skipped: list[str],
    settings: tuple[float, int, int],
    *,
    on_start: OnStart | None = None,
    on_done: OnDone | None = None,
    on_counts: OnCounts | None = None,
) -> RemedyRun:
    """:func:`~camp_planner.remedies.runner.run_remedies` in two waves on `executor`.

    Args:
        settings: (time limit, seed, solver threads) of every solve.
    """
    time_limit, seed, workers = settings
    count = 1 + len(remedies)
    base_problem = prepare_scenarios(problem, [Scenario(AS_IT_IS)])[0][1]
    if on_start:
        on_start(0, count, AS_IT_IS)
    task = SolveTask(AS_IT_IS, base_problem, (), time_limit, seed, workers)
    base_roster, base_failure = _outcome(base_problem, executor.run([task], None, on_counts)[0])
    baseline = RemedyResult(None, base_problem, base_roster, failure=base_failure)
    run = RemedyRun(baseline, [], skipped)
    if on_done:
        on_done(0, count, run.baseline)
    hints = [] if base_failure else [base_roster]
    # each remedy: its problem, and the task solving it (None: the round's roster stands)
    problems: list[PlanningProblem] = []
    owner: list[int | None] = []
    distinct: list[PlanningProblem] = []
    for index, remedy in enumerate(remedies, start=1):
        if on_start:
            on_start(index, count, remedy.name)
        variant = remedy.variant(problem)
        if not remedy.scenario_changes and not remedies_can_act(variant):
            problems.append(variant)
            owner.append(None)
            continue
        remedy_problem = prepare_scenarios(variant, [remedy.scenario()])[0][1]
        problems.append(remedy_problem)
        if _same(remedy_problem, base_problem):
            owner.append(None)
            continue
        found = next((k for k, p in enumerate(distinct) if _same(p, remedy_problem)), None)
        if found is None:
            distinct.append(remedy_problem)
            found = len(distinct) - 1
        owner.append(found)
    tasks = [
        SolveTask(remedies[owner.index(k)].name, p, tuple(_hints(p, hints)), *settings)
        for k, p in enumerate(distinct)
    ]
    results: list[RemedyResult | None] = [None] * len(remedies)
    for position, remedy in enumerate(remedies):
        if owner[position] is None:  # the round's roster stands
            same = RemedyResult(remedy, problems[position], base_roster, True, base_failure)
            results[position] = same
            if on_done:
                on_done(position + 1, count, same)

    def finished(task: int, outcome: Outcome) -> None:
        roster, failure = _outcome(distinct[task], outcome)
        for position, remedy in enumerate(remedies):
            if owner[position] == task:
                first = owner.index(task) == position
                result = RemedyResult(remedy, problems[position], roster, not first, failure)
                results[position] = result
                if on_done:
                    on_done(position + 1, count, result)

    executor.run(tasks, on_result=finished, on_counts=on_counts)
    run.results = [r for r in results if r is not None]
    return run
