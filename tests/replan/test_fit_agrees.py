"""`fit` and `replan` agree (issue 23, item 4): the option `fit` ranks first for a company is
the one `replan` applies when that company is the only change. Same tiny round as
test_fit (cohorts of 2-3 people; towns A and B 14.455 km apart).
"""

from __future__ import annotations

from datetime import date

import pytest

from camp_planner.models import Company
from camp_planner.replan import replan
from camp_planner.replan.fit import fit
from tests.helpers.sched_build import TOWN_A, TOWN_B, co, rnd, ve
from tests.replan.build import checked, cohort, members, problem_of, published

AS_OF = date(2027, 1, 1)
VENUES = [ve("A", TOWN_A), ve("B", TOWN_B)]


def _agree(companies: list[Company], cohorts: list, newcomer: Company) -> tuple[object, dict]:
    roster = published(problem_of(rnd(), companies, VENUES), cohorts)
    now = problem_of(rnd(), [*companies, newcomer], VENUES)
    first = next(o for o in fit(now, roster, newcomer.company_id, AS_OF, time_limit=20).options)
    result = replan(now, roster, AS_OF, time_limit=20)
    new = checked(now, result, AS_OF)
    mine = next(c for c in new["cohorts"] if newcomer.company_id in c["members"])
    if first.cohort_id != "new":
        assert mine["cohort_id"] == first.cohort_id
    else:
        assert mine["cohort_id"] not in {c.cohort_id for c in cohorts}
    assert mine["venue_id"] == first.venue_id
    moved = sorted(r.company_id for r in result.rows if r.change.value == "moved")
    assert len(moved) == len(first.moves)
    assert next(s.value for s in result.stages if s.name == "changes") == first.cost
    return first, new


def test_a_free_place() -> None:
    # n0 in town A: C02 (at B) has a free place (no change, 14.455 km); C01 (at A) is full
    # and would need a move (10). fit ranks C02 first; replan puts n0 in C02, moving nobody.
    companies = [co("a0"), co("a1"), co("a2"), co("b0", TOWN_B), co("b1", TOWN_B)]
    cohorts = [
        cohort("C01", "A", ["a0", "a1", "a2"], ["2027-01-12"], "2027-02-02"),
        cohort("C02", "B", ["b0", "b1"], ["2027-01-13"], "2027-02-03"),
    ]
    first, new = _agree(companies, cohorts, co("n0"))
    assert (first.cohort_id, first.cost, first.moves) == ("C02", 0, [])
    assert members(new)["C02"] == ["b0", "b1", "n0"]


@pytest.mark.parametrize("town", [TOWN_A, TOWN_B])
def test_a_new_cohort_with_one_move(town: tuple[float, float]) -> None:
    # Both cohorts are full (3). n0 fits only in a new cohort with one company moved to it
    # (a cohort needs 2): cost 10 wherever. Travel decides: the new cohort meets in n0's
    # town with a member of the cohort of that town (0 km added). fit ranks that first and
    # replan applies it.
    companies = [co("a0"), co("a1"), co("a2"), co("b0", TOWN_B), co("b1", TOWN_B), co("b2", TOWN_B)]
    cohorts = [
        cohort("C01", "A", ["a0", "a1", "a2"], ["2027-01-12"], "2027-02-02"),
        cohort("C02", "B", ["b0", "b1", "b2"], ["2027-01-13"], "2027-02-03"),
    ]
    first, _ = _agree(companies, cohorts, co("n0", town))
    assert first.cohort_id == "new" and first.cost == 10 and len(first.moves) == 1
    assert first.venue_id == ("A" if town == TOWN_A else "B")
    assert first.moves[0].startswith("a" if town == TOWN_A else "b")
