"""Solve every scenario with the roster solver and collect the comparison.

Each scenario's problem goes through the very same :func:`camp_planner.scheduler.solve` as
the roster; there is no second model. Scenarios whose problem is identical (for example the
baseline and ``6 venues`` when round.toml already says 6) are solved once and share the
roster, and rosters solved earlier (``reuse``) are taken as they are, so the scenario equal
to the plain folder shows exactly the roster's numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

import pandas as pd

from camp_planner.models import PlanningProblem, Roster
from camp_planner.scheduler import solve
from camp_planner.whatif.compare import scenario_metrics, venue_usage, whatif_table
from camp_planner.whatif.scenarios import Scenario, ScenarioError, apply_scenario, slugify

__all__ = ["ScenarioResult", "WhatIf", "prepare_scenarios", "run_scenarios"]

#: Called before a scenario is solved: (index from 0, count, scenario).
OnStart = Callable[[int, int, Scenario], None]
#: Called after: (index, count, result).
OnDone = Callable[[int, int, "ScenarioResult"], None]


@dataclass(frozen=True)
class ScenarioResult:
    """One solved scenario."""

    scenario: Scenario
    problem: PlanningProblem
    roster: Roster
    slug: str
    #: True when the roster was shared with an identical problem solved before.
    reused: bool = False

    def metrics(self) -> dict[str, object]:
        """The scenario's whatif.csv row (without deltas)."""
        return scenario_metrics(
            self.problem, self.roster, self.scenario.name, self.scenario.changes()
        )


@dataclass
class WhatIf:
    """The solved scenarios, baseline first, and their comparison."""

    results: list[ScenarioResult] = field(default_factory=list)

    def table(self) -> pd.DataFrame:
        """The whatif.csv table (:func:`~camp_planner.whatif.compare.whatif_table`)."""
        return whatif_table([r.metrics() for r in self.results])

    def venues(self) -> pd.DataFrame:
        """Cohorts hosted per venue and scenario."""
        return venue_usage(
            [r.problem for r in self.results],
            [r.roster for r in self.results],
            [r.scenario.name for r in self.results],
        )

    def __getitem__(self, name: str) -> ScenarioResult:
        for result in self.results:
            if result.scenario.name == name:
                return result
        raise KeyError(name)


def prepare_scenarios(
    problem: PlanningProblem, scenarios: Sequence[Scenario]
) -> list[tuple[Scenario, PlanningProblem]]:
    """Apply every scenario before solving any, so a mistake is reported at once.

    Raises:
        ScenarioError: Every scenario's problems, together.
    """
    prepared: list[tuple[Scenario, PlanningProblem]] = []
    problems: list[str] = []
    for scenario in scenarios:
        try:
            prepared.append((scenario, apply_scenario(problem, scenario)))
        except ScenarioError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ScenarioError(problems)
    return prepared


def _find(solved: list[tuple[PlanningProblem, Roster]], problem: PlanningProblem) -> Roster | None:
    for known, roster in solved:
        if known is problem or known == problem:
            return roster
    return None


def run_scenarios(
    problem: PlanningProblem,
    scenarios: Sequence[Scenario],
    time_limit: float = 30.0,
    seed: int = 0,
    workers: int = 2,
    *,
    reuse: Iterable[tuple[PlanningProblem, Roster]] = (),
    progress: Callable[[str], None] | None = None,
    on_start: OnStart | None = None,
    on_done: OnDone | None = None,
) -> WhatIf:
    """Solve each scenario with :func:`camp_planner.scheduler.solve`.

    Args:
        problem: The planning folder's problem.
        scenarios: The scenarios, baseline first (see
            :func:`~camp_planner.whatif.scenarios.with_baseline`).
        time_limit: Solver seconds per scenario.
        seed: Solver random seed.
        workers: Solver threads.
        reuse: (problem, roster) pairs already solved, e.g. the plain roster; a scenario
            whose problem equals one of them takes that roster instead of solving again.
        progress: Passed on to ``solve`` (a line per improvement).
        on_start: Called before each scenario is solved.
        on_done: Called after each scenario.

    Returns:
        The results in scenario order.

    Raises:
        ScenarioError: A scenario cannot be applied (nothing is solved then).
    """
    prepared = prepare_scenarios(problem, scenarios)
    solved = list(reuse)
    taken: set[str] = set()
    whatif = WhatIf()
    count = len(prepared)
    for index, (scenario, scenario_problem) in enumerate(prepared):
        if on_start:
            on_start(index, count, scenario)
        roster = _find(solved, scenario_problem)
        reused = roster is not None
        if roster is None:
            roster = solve(scenario_problem, time_limit, seed, workers, progress)
            solved.append((scenario_problem, roster))
        result = ScenarioResult(
            scenario, scenario_problem, roster, slugify(scenario.name, taken), reused
        )
        whatif.results.append(result)
        if on_done:
            on_done(index, count, result)
    return whatif
