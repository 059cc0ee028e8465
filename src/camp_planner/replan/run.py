"""`replan`: the published roster, the folder as it is now -> the replanned roster, what
changed, and a sentence saying so."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from camp_planner.models import PlanningProblem, Roster
from camp_planner.replan.changes import (
    ChangeRow,
    CohortChanges,
    cohort_changes,
    company_changes,
    summary_sentence,
)
from camp_planner.replan.result import build_roster, history_flags
from camp_planner.replan.setup import ChangeCost, Pin, build_setup
from camp_planner.replan.solve import (
    Progress,
    ReplanInfeasible,
    Settings,
    StageResult,
    feasible,
    solve_stages,
)


@dataclass
class ReplanResult:
    """A replanned roster and what changed against the published one."""

    roster: Roster
    published: Roster
    rows: list[ChangeRow]
    cohorts: CohortChanges
    summary: str
    as_of: date
    stages: list[StageResult]
    #: cohorts that have met and now break a rule (under cohort_min, a session to come on a
    #: day somebody is unavailable): they are kept as they are
    flags: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def changes_proven(self) -> bool:
        """Whether places kept, companies placed and changes were proven optimal."""
        return all(s.proven for s in self.stages if s.name != "travel km")


def pin_conflicts(
    problem: PlanningProblem, published: Roster, as_of: date, pins: list[Pin], costs: ChangeCost
) -> str:
    """Which pins cannot hold, in a sentence (when no roster keeps them all)."""
    if not feasible(build_setup(problem, published, as_of, [], costs), costs):
        return "no roster keeps the cohorts that have met under the round's rules, even unpinned"
    alone = [
        p for p in pins if not feasible(build_setup(problem, published, as_of, [p], costs), costs)
    ]
    if alone:
        names = ", ".join(f"{p.cohort_id} {p.field.value}" for p in alone)
        return f"the pins cannot be kept: no roster keeps {names} (see pins.csv)"
    names = ", ".join(f"{p.cohort_id} {p.field.value}" for p in pins)
    return f"the pins cannot all be kept together ({names}); each alone could be"


def proof_sentence(stages: list[StageResult]) -> str:
    unproven = [s.name for s in stages if not s.proven]
    if not unproven:
        return "proven: fewest changes, then least travel"
    if unproven == ["travel km"]:
        return "proven: fewest changes; travel not proven optimal within the time limit"
    return f"not proven optimal within the time limit: {', '.join(unproven)}"


def replan(
    problem: PlanningProblem,
    published: Roster,
    as_of: date,
    *,
    pins: Iterable[Pin] = (),
    costs: ChangeCost | None = None,
    retired: Iterable[str] = (),
    time_limit: float = 30.0,
    seed: int = 0,
    workers: int = 1,
    progress: Progress | None = None,
) -> ReplanResult:
    """Replan `published` for the folder as it is now, changing as little as possible.

    Args:
        problem: The planning folder as it is now (withdrawn companies removed, late
            sign-ups added, new unavailable days).
        published: The published roster.
        as_of: Cohorts with a session before this day have met and are kept as they are.
        pins: Fields of published cohorts to keep (members, venue or dates).
        costs: Weights of the changes (round.toml ``[change_cost]``).
        retired: Cohort ids no longer in use (cancelled earlier): new cohorts never get them.
        time_limit: Wall-clock seconds for the stages; explaining why companies of the
            published roster lost their places may take a tenth of it more.
        seed: CP-SAT random seed.
        workers: CP-SAT threads (1: measured faster with the deterministic interleaved
            search on 2 cores, benchmarks/README.md).
        progress: Called with a line of text on each improvement.

    Returns:
        The roster (published ids kept, new cohorts numbered after every id used), the
        change rows, the cohort changes and the summary sentence.

    Raises:
        ReplanInfeasible: no roster keeps the cohorts that have met and the pins under the
            round's rules.
    """
    started = time.time()
    costs = costs or ChangeCost()
    settings = Settings(started + time_limit, seed, workers, progress, started)
    pins = list(pins)
    setup = build_setup(problem, published, as_of, pins, costs)
    try:
        solved = solve_stages(setup, costs, settings)
    except ReplanInfeasible as exc:
        if pins and exc.proven:
            raise ReplanInfeasible(pin_conflicts(problem, published, as_of, pins, costs)) from None
        raise
    flags = history_flags(problem, setup)
    # Why companies lost their places: at most a tenth of the time limit more (2 s at least).
    diagnose = time.time() + max(2.0, 0.1 * time_limit)
    roster = build_roster(solved, costs, set(retired), started, "", diagnose)
    rows = company_changes(problem, published, roster)
    cohorts = cohort_changes(published, roster)
    known = {m for c in published.cohorts for m in c.members}
    known |= {u.company_id for u in published.unplaced}
    late = {c.company_id for c in problem.companies if c.company_id not in known}
    summary = summary_sentence(rows, cohorts, late)
    message = "; ".join([summary, proof_sentence(solved.stages), *flags, *setup.notes])
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
        stages=solved.stages,
        flags=flags,
        notes=setup.notes,
    )
