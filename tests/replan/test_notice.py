"""Changes with notice (issue 23, item 4): round.toml `notice_days` (default 7), a pair where
it binds and one where it does not. Same tiny round as test_replan_rules.

C01 meets at venue A on Tue 12 Jan (lab 2 Feb), C02 at B on Wed 13 Jan (lab 3 Feb). Venue A
is then booked on 12 Jan. As of Fri 8 Jan:

- with notice_days = 7 the first day a replan may change is 16 Jan: both cohorts are kept as
  published (C01 on its lost day, flagged to be arranged by hand);
- with notice_days = 0 it is 9 Jan: C01's module moves off 12 Jan (one session re-dated,
  cost 20, cheaper than a venue move, 30), to a day on or after 9 Jan.
"""

from __future__ import annotations

from datetime import date

from camp_planner.models import Company, PlanningProblem, Roster
from camp_planner.replan import replan
from tests.checker import check_replan
from tests.helpers.sched_build import TOWN_A, TOWN_B, co, rnd, ve
from tests.replan.build import as_json, checked, cohort, d, dates, problem_of, published

VENUES = [ve("A", TOWN_A), ve("B", TOWN_B)]
AS_OF = date(2027, 1, 8)


def _scene(notice: int) -> tuple[PlanningProblem, Roster]:
    companies: list[Company] = [co("a0"), co("a1"), co("a2"), co("b0", TOWN_B), co("b1", TOWN_B)]
    cohorts = [
        cohort("C01", "A", ["a0", "a1", "a2"], ["2027-01-12"], "2027-02-02"),
        cohort("C02", "B", ["b0", "b1"], ["2027-01-13"], "2027-02-03"),
    ]
    roster = published(problem_of(rnd(), companies, VENUES), cohorts)
    booked = VENUES[0].model_copy(update={"unavailable": frozenset({d("2027-01-12")})})
    now = problem_of(rnd(notice_days=notice), companies, [booked, VENUES[1]])
    return now, roster


def test_the_notice_period_binds() -> None:
    now, roster = _scene(7)
    result = replan(now, roster, AS_OF, time_limit=20)
    new = checked(now, result, AS_OF)
    assert dates(new) == {
        "C01": ["2027-01-12", "2027-02-02"],
        "C02": ["2027-01-13", "2027-02-03"],
    }
    assert result.rows == []  # nothing changed: nobody to tell
    assert any("module1 on 2027-01-12 is kept, but venue A" in f for f in result.flags)


def test_the_notice_period_does_not_bind() -> None:
    now, roster = _scene(0)
    result = replan(now, roster, AS_OF, time_limit=20)
    new = checked(now, result, AS_OF)
    module, lab = dates(new)["C01"]
    assert module != "2027-01-12" and module >= "2027-01-09"
    assert next(c["venue_id"] for c in new["cohorts"] if c["cohort_id"] == "C01") == "A"
    assert next(s.value for s in result.stages if s.name == "changes") == 20
    assert dates(new)["C02"] == ["2027-01-13", "2027-02-03"]


def test_the_checker_catches_a_change_within_the_notice_period() -> None:
    """The same replanned roster (C01's module moved to a day after 9 Jan) breaks the rule
    when the round has 7 days' notice: the checker says so."""
    now, roster = _scene(0)
    result = replan(now, roster, AS_OF, time_limit=20)
    strict, _ = _scene(7)
    errors = check_replan(
        strict.round,
        strict.companies,
        strict.venues,
        as_json(result.published),
        as_json(result.roster),
        AS_OF,
    )
    assert any("C01 has met but its module1 moved" in e for e in errors), errors


def test_a_late_sign_up_waits_for_the_notice_period() -> None:
    # The same scene plus n0, a late sign-up in town B. C02 (at B, 2 of 3 places taken)
    # meets on 13 Jan. With 7 days' notice after 8 Jan, C02 is kept as published: n0 alone
    # fills no new cohort (a cohort needs 2) and waits, told why. With notice_days = 0 it
    # takes C02's free place (no change for anybody else: cost 0 beyond C01's re-dating).
    for notice, placed in ((7, False), (0, True)):
        now, roster = _scene(notice)
        now = now.model_copy(update={"companies": (*now.companies, co("n0", TOWN_B))})
        result = replan(now, roster, AS_OF, time_limit=20)
        new = checked(now, result, AS_OF)
        c02 = next(c for c in new["cohorts"] if c["cohort_id"] == "C02")
        assert ("n0" in c02["members"]) is placed
        if not placed:
            reason = next(u["reason"] for u in new["unplaced"] if u["company_id"] == "n0")
            assert reason.endswith(
                "; its cohorts meeting before 2027-01-16 (the notice period after --as-of) "
                "take nobody new"
            )
