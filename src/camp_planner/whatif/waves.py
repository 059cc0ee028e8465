"""The what-if sweep on an executor that solves many scenarios at once (Ray; docs/ray.md).

The same solves and merging as :func:`~camp_planner.whatif.runner.run_scenarios` run one
after the other, in waves instead of a chain:

1. the baseline (the first scenario) alone, from the ``reuse`` rosters that keep its
   rules; then every other distinct scenario problem at once, each from the ``reuse``
   rosters and the baseline's roster that keep its rules (one after the other, a scenario
   also starts from every other scenario solved before it);
2. the second pass at once: each problem not proven optimal for which another scenario's
   roster (of wave 1) keeps its rules and is better, with those rosters and its own as
   hints; the better of its two rosters is kept (:func:`~camp_planner.whatif.runner.
   keep_better`), exactly as one after the other.

So a scenario may start from fewer rosters than in the chain; where every solve is proven
optimal, the figures are the same. A solve that fails
twice becomes its scenario's row saying why (:attr:`ScenarioResult.failure`); it is no
hint and is not solved again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from camp_planner.distributed import Executor, SolveTask, TaskFailure, failed_roster
from camp_planner.distributed.executor import OnCounts, Outcome
from camp_planner.models import PlanningProblem, Roster, SolverStatus
from camp_planner.scheduler.prepare import placement_priority
from camp_planner.whatif import runner
from camp_planner.whatif.scenarios import Scenario, slugify

__all__ = ["run_waves"]


def _solved(outcome: Outcome, problem: PlanningProblem) -> tuple[Roster, str | None]:
    if isinstance(outcome, TaskFailure):
        return failed_roster(problem, outcome.reason), outcome.reason
    return outcome, None


def run_waves(
    executor: Executor,
    problem: PlanningProblem,
    scenarios: Sequence[Scenario],
    time_limit: float,
    seed: int,
    workers: int,
    *,
    reuse: Iterable[tuple[PlanningProblem, Roster]] = (),
    on_start: runner.OnStart | None = None,
    on_done: runner.OnDone | None = None,
    on_counts: OnCounts | None = None,
    second_pass: bool = True,
) -> runner.WhatIf:
    """:func:`~camp_planner.whatif.runner.run_scenarios` in two waves on `executor` (the
    module docstring); same arguments, same results where the solves are proven."""
    prepared = runner.prepare_scenarios(problem, scenarios)
    known = list(reuse)
    reuse_rosters = [r for _, r in known]
    count = len(prepared)
    taken: set[str] = set()
    slugs = [slugify(scenario.name, taken) for scenario, _ in prepared]
    # wave 1: one task per distinct problem not already solved; owner[i]: its task
    distinct: list[PlanningProblem] = []
    owner: list[int | None] = []
    for _, scenario_problem in prepared:
        found = next((k for k, p in enumerate(distinct) if runner._same(p, scenario_problem)), None)
        if found is None and runner._find(known, scenario_problem) is None:
            distinct.append(scenario_problem)
            found = len(distinct) - 1
        owner.append(found)
    results: list[runner.ScenarioResult | None] = [None] * count

    def finished(task: int, outcome: Outcome) -> None:
        roster, failure = _solved(outcome, distinct[task])
        for index, (scenario, scenario_problem) in enumerate(prepared):
            if owner[index] == task:
                first = owner.index(task) == index
                result = runner.ScenarioResult(
                    scenario, scenario_problem, roster, slugs[index], not first, failure=failure
                )
                results[index] = result
                if on_done:
                    on_done(index, count, result)

    for index, (scenario, scenario_problem) in enumerate(prepared):
        if on_start:
            on_start(index, count, scenario)
        if owner[index] is None:  # a reuse roster, taken as it is
            roster = runner._find(known, scenario_problem)
            assert roster is not None
            taken_as_is = runner.ScenarioResult(
                scenario, scenario_problem, roster, slugs[index], reused=True
            )
            results[index] = taken_as_is
            if on_done:
                on_done(index, count, taken_as_is)

    def wave(chosen: list[int], hints: list[Roster]) -> None:
        tasks = [
            SolveTask(
                prepared[owner.index(k)][0].name, distinct[k],
                tuple(runner._hints(distinct[k], hints)), time_limit, seed, workers,
            )
            for k in chosen
        ]  # fmt: skip
        executor.run(tasks, lambda i, outcome: finished(chosen[i], outcome), on_counts)

    rest = list(range(len(distinct)))
    if owner and owner[0] == 0:  # the baseline first: a starting point for the others
        wave([0], reuse_rosters)
        rest = rest[1:]
        base = results[0]
        if base is not None and not base.failure:
            reuse_rosters = [*reuse_rosters, base.roster]
    wave(rest, reuse_rosters)
    whatif = runner.WhatIf([r for r in results if r is not None])
    if second_pass:
        _second_wave(executor, whatif, time_limit, seed, workers, on_start, on_done, on_counts)
    return whatif


def _second_wave(
    executor: Executor,
    whatif: runner.WhatIf,
    time_limit: float,
    seed: int,
    workers: int,
    on_start: runner.OnStart | None,
    on_done: runner.OnDone | None,
    on_counts: OnCounts | None,
) -> None:
    """The second pass of :func:`~camp_planner.whatif.runner.run_scenarios`, every problem
    at once against the rosters of the first wave."""
    results = whatif.results
    count = len(results)
    plans: list[tuple[int, tuple[str, ...], list[Roster]]] = []
    done: list[PlanningProblem] = []
    for index, result in enumerate(results):
        own_problem, own = result.problem, result.roster
        if any(runner._same(own_problem, p) for p in done):
            continue
        done.append(own_problem)
        if result.failure or own.solver.status in (SolverStatus.OPTIMAL, SolverStatus.INFEASIBLE):
            continue
        priority = placement_priority(own_problem)
        mine = runner.stage_key(own, priority)
        better: dict[int, tuple[Roster, list[str]]] = {}
        for other in results:
            if other.failure or runner._same(other.problem, own_problem):
                continue
            if not runner.fits(own_problem, other.roster):
                continue
            if runner._better(runner.stage_key(other.roster, priority), mine):
                better.setdefault(id(other.roster), (other.roster, []))[1].append(
                    other.scenario.name
                )
        if better:
            names = tuple(name for _, names_of in better.values() for name in names_of)
            plans.append((index, names, [r for r, _ in better.values()] + [own]))
    if not plans:
        return
    for index, _, _ in plans:
        if on_start:
            on_start(index, count, results[index].scenario)
    tasks = [
        SolveTask(results[i].scenario.name, results[i].problem, tuple(h), time_limit, seed, workers)
        for i, _, h in plans
    ]

    def finished(task: int, outcome: Outcome) -> None:
        index, names, _ = plans[task]
        own_problem, own = results[index].problem, results[index].roster
        if isinstance(outcome, TaskFailure):  # the first roster stands
            kept, took_second = own, False
        else:
            kept, took_second = runner.keep_better(own_problem, own, outcome)
        for position, sharing in enumerate(results):
            if runner._same(sharing.problem, own_problem):
                results[position] = replace(
                    sharing, roster=kept, second_solve_hints=names, second_solve_kept=took_second
                )
        if on_done:
            on_done(index, count, results[index])

    executor.run(tasks, on_result=finished, on_counts=on_counts)
