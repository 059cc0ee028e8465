"""Reasons tell the truth (issue 23, item 3): an unplaced company's reason names the rule
that kept it out, and re-solving with that rule taken away places it.

Geometry of `sched_build`: one venue v at town A; a company at A travels 0 km, one at B
LEG_KM = 14.455 km. Cohorts of exactly 3 people, and v hosts one cohort: 3 of 4 get a place.

The issue's Lemvig: "w" waited since 2026-06-01, "e1", "e2" (at A) and "far" (at B) have no
waiting date. w goes first (waiting); e1, e2 and far are of equal standing, and two places are
left: e1 and e2 take them at 0 km, far would travel 14.5 km. Travel decided, not waiting,
although a longer-waiting company (w) has a place: the old reason said "waiting longer".
"""

from __future__ import annotations

from datetime import date

from tests.helpers.sched_build import TOWN_B, co, codes, placed_ids, rnd, run, ve

ROUND = rnd(cohort_min=3, cohort_max=3)
VENUES = [ve("v", max_cohorts=1)]


def _reason(roster: dict, cid: str) -> str:
    return next(u["reason"] for u in roster["unplaced"] if u["company_id"] == cid)


def _companies(far_since: date | None = None) -> list:
    return [
        co("w", waiting_since=date(2026, 6, 1)),
        co("e1"),
        co("e2"),
        co("far", TOWN_B, waiting_since=far_since),
    ]


def test_travel_decided_and_says_so() -> None:
    roster = run(ROUND, _companies(), VENUES)
    assert placed_ids(roster) == {"w", "e1", "e2"}
    assert codes(roster) == {"far": "capacity"}
    reason = _reason(roster, "far")
    assert "shorter travel won" in reason and "waiting longer" not in reason
    assert "the placed companies it competed with travel at most 0.0 km, this company 14.5 km" in (
        reason
    )
    # the policy line counts the same rule
    assert "no room for 1 company: 1 by travel" in roster["summary"]["policy"]


def test_travel_was_what_decided_by_re_solving() -> None:
    # Take travel away: far at town A like the others. It now ties with e1 and e2, and one
    # of the three is left out with travel 0 either way (a tie, not a longer trip): the
    # reason is no longer "travel" for someone who would travel more.
    near = [*_companies()[:3], co("far")]
    roster = run(ROUND, near, VENUES)
    assert roster["summary"]["travel_km_total"] == 0
    (tied,) = codes(roster)
    assert "this company" not in _reason(roster, tied)
    # Give far the longest wait instead: it is placed, travelling 14.5 km, and one of e1/e2
    # is left out because companies waiting longer took the places (w since 2026-06-01 and
    # far since 2026-01-01: all of them since 2026-06-01 at least).
    roster = run(ROUND, _companies(date(2026, 1, 1)), VENUES)
    assert "far" in placed_ids(roster) and "w" in placed_ids(roster)
    (left,) = codes(roster)
    assert left in ("e1", "e2") and codes(roster)[left] == "priority"
    assert "waiting longer (since 2026-06-01)" in _reason(roster, left)
    assert "1 by waiting time" in roster["summary"]["policy"]


def test_waiting_decided_when_a_longer_waiting_company_took_a_place_it_could_have() -> None:
    # All at town A (0 km); w waited. Three places, four companies: w and two of e1, e2, e3
    # (equal standing). The one left out could have had w's place at no more travel had it
    # waited as long: waiting decided, and the policy line counts it so.
    companies = [co("w", waiting_since=date(2026, 6, 1)), co("e1"), co("e2"), co("e3")]
    roster = run(ROUND, companies, VENUES)
    (left,) = codes(roster)
    assert left != "w"
    assert "waiting longer (since 2026-06-01)" in _reason(roster, left)
    assert "1 by waiting time" in roster["summary"]["policy"]
