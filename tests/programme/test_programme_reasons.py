"""Why a company is planned later than it could be (issue 23, item 3), and the programme's
stage values in words. Geometry and helpers as in test_programme."""

from __future__ import annotations

from datetime import date

from tests.helpers.sched_build import TOWN_B, co, rnd, ve
from tests.programme.test_programme import Q1, Q2, run

#: Q1 cut to a fortnight: a Module 1 on Mon 4 Jan with its lab on Mon 18 Jan is the only
#: cohort that fits (a later module's lab would fall after the end).
SHORT_Q1 = {**Q1, "end": date(2027, 1, 18)}


def _reason(roster: dict, cid: str) -> str:
    return next(u["reason"] for u in roster["unplaced"] if u["company_id"] == cid)


def test_round_one_was_full_with_companies_that_go_first() -> None:
    # One cohort a round, four C companies (test_programme's case): w1, w2 waited since 2026,
    # so they take Q1; n1, n2 are planned for Q2 and told why.
    companies = [
        co("n1"),
        co("n2"),
        co("w1", TOWN_B, waiting_since=date(2026, 3, 1)),
        co("w2", TOWN_B, waiting_since=date(2026, 3, 1)),
    ]
    _, rosters = run(
        [rnd(cohort_min=2, cohort_max=2, **q) for q in (Q1, Q2)],
        companies,
        [ve("v", max_cohorts=1)],
    )
    assert _reason(rosters[0], "n1") == (
        "Module 1 is planned for round Q2: round Q1 was full with companies that go first "
        "(a higher priority or waiting longer)"
    )


def test_planned_later_to_complete_more_tracks() -> None:
    # Q1 holds one cohort, Q2 two. b1, b2 (B) and c1, c2 (C, waiting since 2026). By hand:
    # Q1 c, Q2 b Module 1: 4 steps planned, 0 tracks. Q1 b Module 1, Q2 b Module 2 and c
    # Module 1: 4 steps, 2 tracks: better (tracks rank above earlier rounds), so c1, c2 wait
    # for Q2 although they waited longer, and their reason says why.
    companies = [
        co("b1", level="B"),
        co("b2", level="B"),
        co("c1", waiting_since=date(2026, 3, 1)),
        co("c2", waiting_since=date(2026, 3, 1)),
    ]
    document, rosters = run(
        [rnd(cohort_min=2, cohort_max=2, **q) for q in (SHORT_Q1, Q2)],
        companies,
        [ve("v", residential=True)],
    )
    assert document["summary"]["tracks_completed"] == 2
    reason = _reason(rosters[0], "c1")
    assert reason.startswith(
        "Module 1 is planned for round Q2: planned later to complete more steps and tracks"
    )
    assert "2 of its group train in round Q1" not in reason  # b1, b2 are B: another group
    words = {s["stage"]: s["words"] for s in document["solver"]["stages"]}
    assert words["steps planned"].startswith(
        "4 next steps planned, 2 tracks (Module 1 and Module 2) completed"
    )
    assert words["travel km"] == "0.0 km travelled over the horizon"


def test_a_programmes_rosters_are_forecasts() -> None:
    """Each round's roster.json says it is a programme's (issue 23: next-round and replan
    refuse it unless adopted)."""
    _, rosters = run([rnd(cohort_min=2, cohort_max=2, **Q1)], [co("a"), co("b")], [ve("v")])
    assert rosters[0]["kind"] == "programme"
    assert rosters[0]["folder_fingerprint"].startswith("sha256:")
