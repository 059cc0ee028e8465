"""Properties on random small rounds (`sched_build.random_instance`): replanning an
unchanged folder changes nothing; replanning a replanned roster changes nothing either;
both checkers accept every replanned roster.

The published roster is the roster solver's, proven optimal (else the example is skipped:
a roster not proven to place the most could rightly gain places when replanned). `as_of`
is anywhere in the round, so some cohorts may have met.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from camp_planner.models import PlanningProblem, Roster, SolverStatus
from camp_planner.replan import replan
from camp_planner.scheduler import solve
from tests.helpers.sched_build import random_instance
from tests.replan.build import checked


class HypothesisPick:
    """`random_instance`'s choices drawn by Hypothesis (so failures shrink)."""

    def __init__(self, draw: Any) -> None:
        self.draw = draw

    def integers(self, lo: int, hi: int) -> int:
        return self.draw(st.integers(lo, hi))

    def floats(self, lo: float, hi: float) -> float:
        return round(self.draw(st.floats(lo, hi, allow_nan=False, allow_infinity=False)), 4)


@st.composite
def scenes(draw: Any) -> tuple[PlanningProblem, date, list[int], int]:
    round_config, companies, venues = random_instance(HypothesisPick(draw), required=False)
    problem = PlanningProblem(round=round_config, companies=tuple(companies), venues=tuple(venues))
    span = (round_config.end - round_config.start).days
    as_of = round_config.start + timedelta(days=draw(st.integers(-3, span)))
    gone = draw(st.lists(st.integers(0, len(companies) - 1), max_size=3, unique=True))
    late = draw(st.integers(0, 2))
    return problem, as_of, gone, late


def _cohorts(roster: Roster) -> list[tuple[Any, ...]]:
    return sorted(
        (c.cohort_id, c.venue_id, tuple(c.members), tuple(tuple(s.dates) for s in c.sessions))
        for c in roster.cohorts
    )


def _published(problem: PlanningProblem) -> Roster:
    roster = solve(problem, time_limit=10, seed=0, workers=2)
    assume(roster.solver.status == SolverStatus.OPTIMAL)
    return roster


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(scenes())
def test_replanning_an_unchanged_folder_changes_nothing(scene):
    problem, as_of, _, _ = scene
    roster = _published(problem)
    result = replan(problem, roster, as_of, time_limit=10)
    checked(problem, result, as_of)
    assume(all(s.proven for s in result.stages))
    assert result.rows == []
    assert _cohorts(result.roster) == _cohorts(roster)
    assert result.summary == "no changes; nobody lost a place"


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(scenes())
def test_replanning_twice_gives_the_same_roster(scene):
    problem, as_of, gone, late = scene
    roster = _published(problem)
    companies = [c for i, c in enumerate(problem.companies) if i not in gone]
    companies += [
        c.model_copy(update={"company_id": f"late{i}"})
        for i, c in enumerate(problem.companies[:late])
    ]
    now = problem.model_copy(update={"companies": tuple(companies)})
    first = replan(now, roster, as_of, time_limit=10)
    checked(now, first, as_of)
    second = replan(now, first.roster, as_of, retired=first.cohorts.cancelled, time_limit=10)
    checked(now, second, as_of)
    assume(all(s.proven for s in [*first.stages, *second.stages]))
    assert second.rows == []
    assert _cohorts(second.roster) == _cohorts(first.roster)
    assert [u.company_id for u in second.roster.unplaced] == [
        u.company_id for u in first.roster.unplaced
    ]
