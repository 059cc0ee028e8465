"""A remedy's losers (issue 23, item 3): remedies.csv lists who gains and who loses.

A round of one working fortnight, 2027-01-04 to 2027-01-18, one facilitator: a Module 1
on Mon 4 Jan with its lab 14 days later (Mon 18 Jan) is the only cohort that fits (any later
module's lab would fall after the end). Cohorts of 3-4 people, one venue v at town A,
everybody at town A (0 km):

- c0, c1, c2: C/established: a cohort of 3;
- a0, a1: A/established, b0, b1: B/established: 2 each, too few on their own.

The round as it is: the C cohort, 3 placed. With "mix levels A+B" an A+B cohort of 4 fills
the one cohort: 4 placed (+1), helping a0, a1, b0, b1, and c0, c1, c2 lose their place.
"""

from __future__ import annotations

from datetime import date

from camp_planner.models import PlanningProblem
from camp_planner.remedies import run_remedies
from tests.helpers.sched_build import co, rnd, ve

ROUND = rnd(cohort_min=3, cohort_max=4, online_cohort_min=3, end=date(2027, 1, 18))
COMPANIES = (
    *(co(f"c{i}") for i in range(3)),
    *(co(f"a{i}", level="A") for i in range(2)),
    *(co(f"b{i}", level="B") for i in range(2)),
)


def test_the_losers_of_a_remedy_are_listed() -> None:
    problem = PlanningProblem(round=ROUND, companies=COMPANIES, venues=(ve("v"),))
    table = run_remedies(problem, time_limit=10, workers=1).table()
    rows = {row["remedy"]: row for row in table.to_dict("records")}
    mix = rows["mix levels A+B"]
    assert (mix["placed"], mix["delta_placed"]) == (4, 1)
    assert mix["companies_helped"] == "a0;a1;b0;b1"
    assert mix["companies_lost"] == "c0;c1;c2"
    as_it_is = table.iloc[-1]
    assert as_it_is["placed"] == 3 and as_it_is["companies_lost"] == ""
