"""Solve every scenario with the roster solver and collect the comparison.

Each scenario's problem goes through the very same :func:`camp_planner.scheduler.solve` as
the roster; there is no second model. Scenarios whose problem is identical (for example the
baseline and ``6 venues`` when round.toml already says 6) are solved once and share the
roster, and rosters solved earlier (``reuse``) are taken as they are, so the scenario equal
to the plain folder shows exactly the roster's numbers (unless the second pass below finds
it a better one).

Scenarios share their rosters, both ways, so that a comparison does not show the luck of
one solve against another (docs/whatif.md):

1. Each scenario is solved with the rosters of the scenarios solved before it (and the
   ``reuse`` rosters) as hints: starting points, never rules. Those that already keep every
   rule the scenario changes (:func:`fits`) are given; when none does, all are, and the
   solver repairs or ignores them.
2. Then every scenario not proven optimal, for which the roster of another scenario keeps
   its rules and is better by the solver's stage order (:func:`stage_key`: more companies
   placed, then who goes first, then fewer places in online or mixed cohorts, then less
   travel), is solved once more with those rosters and its own as hints. Of its two
   rosters (both the solver's rosters of this scenario) the better one is kept, the proven
   one on a tie; the proven bounds of both solves are kept (:func:`keep_better`).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

import pandas as pd

from camp_planner.distributed.executor import Executor, OnCounts
from camp_planner.models import PlanningProblem, Roster, SolverStatus, VenueStatus
from camp_planner.models.roster import CohortAgeGroup
from camp_planner.scheduler import solve
from camp_planner.scheduler.prepare import placement_priority
from camp_planner.whatif.compare import scenario_metrics, venue_usage, whatif_table
from camp_planner.whatif.scenarios import Scenario, ScenarioError, apply_scenario, slugify

__all__ = [
    "ScenarioResult",
    "WhatIf",
    "fits",
    "keep_better",
    "prepare_scenarios",
    "run_scenarios",
    "stage_key",
]

#: Called before a scenario is solved: (index from 0, count, scenario). Called again for a
#: scenario solved a second time (after every scenario was solved once).
OnStart = Callable[[int, int, Scenario], None]
#: Called after: (index, count, result); after a second solve, `result.second_solve_hints`
#: names the scenarios whose rosters were the hints.
OnDone = Callable[[int, int, "ScenarioResult"], None]

#: Travel km closer than this count as equal (the rosters state km to the metre).
_KM_EPS = 1e-6


@dataclass(frozen=True)
class ScenarioResult:
    """One solved scenario."""

    scenario: Scenario
    problem: PlanningProblem
    roster: Roster
    slug: str
    #: True when the roster was shared with an identical problem solved before.
    reused: bool = False
    #: The scenarios whose rosters were the hints of a second solve (empty: solved once).
    second_solve_hints: tuple[str, ...] = ()
    #: After a second solve: True when its roster was kept, False when the first one was.
    second_solve_kept: bool | None = None
    #: Why the scenario has no roster: its solve failed twice on the executor (docs/ray.md).
    failure: str | None = None

    def metrics(self) -> dict[str, object]:
        """The scenario's whatif.csv row (without deltas)."""
        row = scenario_metrics(
            self.problem, self.roster, self.scenario.name, self.scenario.changes()
        )
        row["second_solve_hints"] = ";".join(self.second_solve_hints)
        row["second_solve_kept"] = (
            None if self.second_solve_kept is None else str(self.second_solve_kept).lower()
        )
        if self.failure:
            row["failure"] = self.failure
        return row


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


def _same(a: PlanningProblem, b: PlanningProblem) -> bool:
    return a is b or a == b


# -- sharing rosters between scenarios ---------------------------------------------------


def _mix_allowed(problem: PlanningProblem, levels: set[str], ages_mixed: bool) -> bool:
    rnd = problem.round
    if len(levels) > 1:
        mixes = [{part.strip() for part in str(mix).split("+")} for mix in rnd.mix_levels]
        if not any(levels <= mix for mix in mixes):
            return False
    return not ages_mixed or levels <= {str(level) for level in rnd.mix_age_groups}


def fits(problem: PlanningProblem, roster: Roster) -> bool:
    """Whether `roster` (of another scenario of the same companies) keeps the rules a
    scenario can change in `problem`: its venues open and at most ``max_venues`` of them,
    every ``required`` venue used, ``max_travel_km``, ``cohort_min``..``cohort_max`` people,
    at most ``facilitators`` sessions a day, and the round's online cohorts and mixes.

    The rules no scenario changes (the companies, the calendar, their unavailable days, the
    lab gaps) hold for every scenario's roster alike, so a roster that fits is a valid
    roster of `problem` up to its texts (e.g. the unplaced reasons): the solver can start
    from it as it is. Used to choose the hints; never to adopt a roster.
    """
    rnd = problem.round
    companies = {c.company_id: c for c in problem.companies}
    venues = {v.venue_id: v for v in problem.venues}
    used: Counter[str] = Counter()
    load: Counter[date] = Counter()
    for cohort in roster.cohorts:
        members = [companies.get(m) for m in cohort.members]
        present = [c for c in members if c is not None]
        if not present or len(present) != len(members):
            return False
        if cohort.online:
            if not rnd.online_cohorts:
                return False
        else:
            venue = venues.get(cohort.venue_id)
            if venue is None or venue.status == VenueStatus.CLOSED:
                return False
            used[venue.venue_id] += 1
            if venue.max_cohorts is not None and used[venue.venue_id] > venue.max_cohorts:
                return False
            if rnd.max_travel_km > 0 and any(
                problem.travel_km(c, venue) > rnd.max_travel_km + _KM_EPS for c in present
            ):
                return False
        levels = {str(level) for level in cohort.level.levels}
        if not _mix_allowed(problem, levels, cohort.age_group == CohortAgeGroup.MIXED):
            return False
        people = sum(c.participants for c in present)
        smallest = rnd.online_cohort_min if cohort.online else rnd.cohort_min
        if not smallest <= people <= rnd.cohort_max:
            return False
        for session in cohort.sessions:
            load.update(set(session.dates))
    if len(used) > rnd.max_venues or any(n > rnd.facilitators for n in load.values()):
        return False
    return all(v.status != VenueStatus.REQUIRED or v.venue_id in used for v in problem.venues)


def stage_key(roster: Roster, priority: dict[str, int]) -> tuple[int, int, int, float]:
    """The roster by the solver's stage order, larger is better: companies placed, their
    total who-goes-first priority (`priority`: :func:`placement_priority`), fewer places in
    online or mixed cohorts, less travel."""
    members = [m for c in roster.cohorts for m in c.members]
    remedy = sum((int(c.mixed) + int(c.online)) * len(c.members) for c in roster.cohorts)
    return (
        roster.summary.placed,
        sum(priority.get(m, 0) for m in members),
        -remedy,
        -round(roster.summary.travel_km_total, 6),
    )


def _better(a: tuple[int, int, int, float], b: tuple[int, int, int, float]) -> bool:
    """`a` strictly better than `b` (travel within a millimetre counts as equal)."""
    if a[:3] != b[:3]:
        return a[:3] > b[:3]
    return a[3] > b[3] + _KM_EPS


def _merged_report(kept: Roster, other: Roster, same_stages: bool) -> Roster:
    """`kept` with the proven bounds of both solves of its problem: the lower upper bound
    on companies placed; the higher travel bound when both rosters reached the same
    earlier stages (a travel bound holds for the rosters at those stages only)."""
    mine, theirs = kept.solver, other.solver
    update: dict[str, object] = {"wall_time_s": round(mine.wall_time_s + theirs.wall_time_s, 3)}
    bounds = [b for b in (mine.placed_bound, theirs.placed_bound) if b is not None]
    if bounds:
        update["placed_bound"] = min(bounds)
    if same_stages and theirs.best_bound is not None:
        total = kept.summary.travel_km_total
        bound = min(max(mine.best_bound or -math.inf, theirs.best_bound), total)
        update["best_bound"] = round(bound, 3)
        update["gap"] = 0.0 if total == 0 else round((total - bound) / total, 6)
    return kept.model_copy(update={"solver": mine.model_copy(update=update)})


def keep_better(problem: PlanningProblem, first: Roster, second: Roster) -> tuple[Roster, bool]:
    """The better of two rosters of the same problem, by :func:`stage_key`; on a tie the
    proven (OPTIMAL) one, else `first`. The one kept carries the proven bounds of both
    (:func:`_merged_report`) and their time together.

    Returns:
        (the roster kept, whether it is `second`).
    """
    priority = placement_priority(problem)
    a, b = stage_key(first, priority), stage_key(second, priority)
    if _better(b, a):
        take_second = True
    elif _better(a, b):
        take_second = False
    else:
        take_second = (
            second.solver.status == SolverStatus.OPTIMAL
            and first.solver.status != SolverStatus.OPTIMAL
        )
    kept, other = (second, first) if take_second else (first, second)
    return _merged_report(kept, other, a[:3] == b[:3]), take_second


def _hints(problem: PlanningProblem, rosters: Sequence[Roster]) -> list[Roster]:
    """The earlier rosters that keep `problem`'s rules; all of them when none does."""
    unique = list({id(r): r for r in rosters}.values())
    fitting = [r for r in unique if fits(problem, r)]
    return fitting or unique


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
    second_pass: bool = True,
    executor: Executor | None = None,
    on_counts: OnCounts | None = None,
) -> WhatIf:
    """Solve each scenario with :func:`camp_planner.scheduler.solve`, sharing rosters.

    First every scenario in order, with the rosters solved before it as hints; then, with
    `second_pass`, once more each scenario not proven optimal that another scenario's
    roster beats while keeping its rules (the module docstring). Each solve has
    `time_limit` seconds, so a scenario solved again takes up to twice as long.

    Args:
        problem: The planning folder's problem.
        scenarios: The scenarios, baseline first (see
            :func:`~camp_planner.whatif.scenarios.with_baseline`).
        time_limit: Solver seconds per solve.
        seed: Solver random seed.
        workers: Solver threads.
        reuse: (problem, roster) pairs already solved, e.g. the plain roster; a scenario
            whose problem equals one of them takes that roster instead of solving again,
            and every one is a hint for the others.
        progress: Passed on to ``solve`` (a line per improvement).
        on_start: Called before each solve (again before a second solve).
        on_done: Called after each scenario (again after its second solve).
        second_pass: Solve again where another scenario's roster is better (default).
        executor: Where the solves run; None (the default) solves here, one after the
            other, each from the rosters before it. With an executor (Ray, or
            :class:`~camp_planner.distributed.LocalExecutor`) the same solves run in two
            waves (:mod:`camp_planner.whatif.waves`); `progress` is not passed to it.
        on_counts: With an executor: called with the solves finished, running, queued.

    Returns:
        The results in scenario order.

    Raises:
        ScenarioError: A scenario cannot be applied (nothing is solved then).
    """
    if executor is not None:
        from camp_planner.whatif.waves import run_waves

        return run_waves(
            executor, problem, scenarios, time_limit, seed, workers, reuse=reuse,
            on_start=on_start, on_done=on_done, on_counts=on_counts, second_pass=second_pass,
        )  # fmt: skip
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
            hints = _hints(scenario_problem, [r for _, r in solved])
            roster = solve(scenario_problem, time_limit, seed, workers, progress, hints=hints)
            solved.append((scenario_problem, roster))
        result = ScenarioResult(
            scenario, scenario_problem, roster, slugify(scenario.name, taken), reused
        )
        whatif.results.append(result)
        if on_done:
            on_done(index, count, result)
    if second_pass:
        _second_pass(whatif, time_limit, seed, workers, progress, on_start, on_done)
    return whatif


def _second_pass(
    whatif: WhatIf,
    time_limit: float,
    seed: int,
    workers: int,
    progress: Callable[[str], None] | None,
    on_start: OnStart | None,
    on_done: OnDone | None,
) -> None:
    """Solve again, once, each problem not proven optimal for which the roster of another
    scenario keeps its rules and is better; the scenarios of that problem take the better
    of its two rosters. Later scenarios see the rosters improved before them."""
    results = whatif.results
    count = len(results)
    done: list[PlanningProblem] = []
    for index, result in enumerate(results):
        own_problem = result.problem
        if any(_same(own_problem, p) for p in done):
            continue
        done.append(own_problem)
        own = result.roster
        if own.solver.status in (SolverStatus.OPTIMAL, SolverStatus.INFEASIBLE):
            continue
        priority = placement_priority(own_problem)
        mine = stage_key(own, priority)
        better: dict[int, tuple[Roster, list[str]]] = {}
        for other in results:
            if _same(other.problem, own_problem) or not fits(own_problem, other.roster):
                continue
            if _better(stage_key(other.roster, priority), mine):
                entry = better.setdefault(id(other.roster), (other.roster, []))
                entry[1].append(other.scenario.name)
        if not better:
            continue
        names = tuple(name for _, names_of in better.values() for name in names_of)
        if on_start:
            on_start(index, count, result.scenario)
        hints = [roster for roster, _ in better.values()] + [own]
        second = solve(own_problem, time_limit, seed, workers, progress, hints=hints)
        kept, took_second = keep_better(own_problem, own, second)
        for position, sharing in enumerate(results):
            if _same(sharing.problem, own_problem):
                results[position] = replace(
                    sharing,
                    roster=kept,
                    second_solve_hints=names,
                    second_solve_kept=took_second,
                )
        if on_done:
            on_done(index, count, results[index])
