"""The engine's rules: listed once, what dominance assumes of them holds, and each venue
rule binds in a solved round that the independent checker (tests/checker.py) accepts.

Adding a rule (see `camp_planner.engine`): add it to ``RULES`` with its flag, and a case
to :func:`test_each_rule_binds_and_the_checker_accepts` where it binds.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from ortools.sat.python import cp_model

from camp_planner.engine import rules
from camp_planner.engine.view import RoundView
from camp_planner.models import PlanningProblem, VenueStatus
from camp_planner.scheduler.assignment import AssignmentModel
from camp_planner.scheduler.dominance import forbidden_pairs
from camp_planner.scheduler.prepare import prepare
from camp_planner.scheduler.solve import round_capacity
from tests.helpers.sched_build import TOWN_A, TOWN_B, co, rnd, run, ve


def _rule_functions() -> list[Callable[..., None]]:
    """Every function of `engine.rules` that takes a RoundView first (a rule)."""
    found = []
    for _, fn in inspect.getmembers(rules, inspect.isfunction):
        params = list(inspect.signature(fn).parameters.values())
        if fn.__module__ == rules.__name__ and params and params[0].name == "view":
            found.append(fn)
    return found


def test_every_rule_is_listed_once_with_its_flag() -> None:
    listed = [rule.apply for rule in rules.RULES]
    assert len(listed) == len(set(listed))
    helpers = {rules.add_venue_rules}
    assert set(_rule_functions()) - helpers == set(listed)
    for fn in listed:
        doc = inspect.getdoc(fn) or ""
        assert "docs/rules.md" in doc and "Interchangeable:" in doc, fn.__name__


def test_dominance_holds_only_while_every_rule_keeps_classes_interchangeable() -> None:
    # `dominance.forbidden_pairs` swaps companies of one class (same segment,
    # participants, priority and unavailable days); a rule telling them apart would make
    # the pairs it forbids cut off optimal rosters.
    breaking = [rule.apply.__name__ for rule in rules.RULES if not rule.interchangeable]
    assert breaking == [], f"dominance must not be used with rules {breaking}"


ONE_COHORT = {
    "start": date(2027, 2, 1),
    "end": date(2027, 2, 8),
    "lab_gap_days": (7, 7),
    "cohort_min": 2,
    "cohort_max": 2,
}


def _optimum(model: AssignmentModel) -> tuple[int, int, int]:
    """(placed, priority, travel units) of the model's lexicographic optimum."""
    values = []
    for objective, maximize in (
        (model.placed(), True),
        (model.priority(), True),
        (model.travel_units(), False),
    ):
        if maximize:
            model.model.maximize(objective)
        else:
            model.model.minimize(objective)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = 20.0
        assert solver.solve(model.model) == cp_model.OPTIMAL
        value = round(solver.objective_value)
        values.append(value)
        model.model.add(objective >= value if maximize else objective <= value)
    return values[0], values[1], values[2]


def test_the_pairs_dominance_forbids_keep_the_optimum() -> None:
    # One cohort of 2 fits: of five companies of one class, only the two nearest to a
    # venue are needed there. Forbidding the rest leaves the optimum as it was.
    companies = [
        co("c0", TOWN_A),
        co("c1", TOWN_A),
        co("c2", TOWN_B),
        co("c3", (56.15, 9.5)),
        co("c4", (56.2, 9.5), priority=1),
        co("c5", (56.2, 9.5), priority=1),
    ]
    problem = PlanningProblem(
        round=rnd(**ONE_COHORT),
        companies=tuple(companies),
        venues=(ve("v1", TOWN_A), ve("v2", TOWN_B)),
    )
    prep = prepare(problem)
    capacity = round_capacity(prep, 5.0, 0)
    pairs = frozenset(forbidden_pairs(prep, capacity))
    assert pairs  # the instance is one where dominance acts
    venues_before = [sorted(g.travel) for g in prep.groups]
    full = _optimum(AssignmentModel(prep, capacity=capacity))
    pruned = _optimum(AssignmentModel(prep, capacity=capacity, forbidden=pairs))
    assert pruned == full
    assert [sorted(g.travel) for g in prep.groups] == venues_before  # prep left whole


FAR = (56.4, 9.5)


def _six() -> list[Any]:
    """Three companies at town A, three at town B (cohorts of 2-3)."""
    return [co(f"a{i}", TOWN_A) for i in range(3)] + [co(f"b{i}", TOWN_B) for i in range(3)]


def _used(roster: dict[str, Any]) -> list[str]:
    return [c["venue_id"] for c in roster["cohorts"]]


CASES: dict[str, tuple[dict[str, Any], dict[str, Any], Callable[[list[str]], bool]]] = {
    # rule: (round settings, venue settings by id, what every roster keeping it shows)
    "max_venues": ({"max_venues": 1}, {}, lambda used: len(set(used)) == 1),
    "required_venues": ({}, {"vf": {"status": VenueStatus.REQUIRED}}, lambda used: "vf" in used),
    "closed": ({}, {"va": {"status": VenueStatus.CLOSED}}, lambda used: "va" not in used),
    "venue_max_cohorts": ({}, {"va": {"max_cohorts": 0}}, lambda used: "va" not in used),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_rule_binds_and_the_checker_accepts(case: str) -> None:
    settings, venue_settings, keeps = CASES[case]

    def venues(with_rule: bool) -> list[Any]:
        at = {"va": TOWN_A, "vb": TOWN_B, "vf": FAR}
        return [ve(v, p, **(venue_settings.get(v, {}) if with_rule else {})) for v, p in at.items()]

    without = run(rnd(), _six(), venues(False), seed=0, workers=1)  # the checker accepts
    assert not keeps(_used(without)), "the rule must bind on this instance"
    with_rule = run(rnd(**settings), _six(), venues(True), seed=0, workers=1)
    assert keeps(_used(with_rule))


def test_a_rule_sees_only_its_view() -> None:
    # The rules need nothing but a RoundView: max_venues on two venue flags.
    model = cp_model.CpModel()
    y = {0: model.new_bool_var("y0"), 1: model.new_bool_var("y1")}
    view = RoundView(model=model, venues=(ve("v0"), ve("v1")), y=y, max_venues=1)
    rules.max_venues(view)
    model.maximize(sum(y.values()))
    solver = cp_model.CpSolver()
    assert solver.solve(model) == cp_model.OPTIMAL
    assert solver.objective_value == 1
