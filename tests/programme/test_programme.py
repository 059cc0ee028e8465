"""The programme model: each rule with an instance where it binds and one where it does not,
brute force on tiny programmes, Hypothesis properties, and the demo's two rounds.

Geometry of `sched_build`: town A = (56.0, 9.5), town B 14.4554 km (LEG_KM) away by road.
Every instance is re-checked by the independent checker (tests/checker.py
`check_programme`): each round's roster with `completed` as it stands after the rounds
before it, and the rules across rounds.
"""

from __future__ import annotations

import itertools
import json
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from camp_planner.models import Company, PlanningProblem, RoundConfig, Venue
from camp_planner.programme.plan import Programme
from camp_planner.programme.result import programme_result
from camp_planner.programme.solve import plan_programme
from tests.checker import check_programme
from tests.helpers.sched_build import TOWN_B, co, rnd, ve

Q1 = {"name": "Q1", "start": date(2027, 1, 4), "end": date(2027, 3, 26)}
Q2 = {"name": "Q2", "start": date(2027, 4, 5), "end": date(2027, 6, 25)}
Q3 = {"name": "Q3", "start": date(2027, 8, 2), "end": date(2027, 10, 22)}


def run(
    rounds: list[RoundConfig], companies: list[Company], venues: list[Venue], **kw: Any
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Plan, re-check with the checker, return (programme.json, [roster.json per round])."""
    problem = PlanningProblem(round=rounds[0], companies=tuple(companies), venues=tuple(venues))
    kw.setdefault("time_limit", 30)
    solution = plan_programme(Programme(problem, tuple(rounds)), **kw)
    result = programme_result(solution)
    document = json.loads(json.dumps(result.document))
    rosters = [json.loads(roster.to_json()) for _, roster in result.rounds]
    assert check_programme(rounds, companies, venues, document, rosters) == []
    return document, rosters


def steps(document: dict[str, Any], cid: str) -> list[tuple[str, str]]:
    entry = next(e for e in document["companies"] if e["company_id"] == cid)
    return [(s["step"], s["round"]) for s in entry["steps"]]


# -- Module 2 grows out of Module 1 ---------------------------------------------------------
def test_a_track_needs_two_rounds() -> None:
    # Two B companies at A, nothing done, one residential venue at A, cohorts of 2.
    # One round: Module 1 only (Module 2 needs Module 1 in an EARLIER round): planned 2,
    # tracks 0. Two rounds: Module 1 in Q1, Module 2 in Q2: planned 2, tracks 2, 0 km.
    companies = [co("b1", level="B"), co("b2", level="B")]
    venues = [ve("v", residential=True)]
    one, _ = run([rnd(cohort_min=2, cohort_max=2, **Q1)], companies, venues)
    assert one["summary"]["next_step_planned"] == 2 and one["summary"]["tracks_completed"] == 0
    two, rosters = run([rnd(cohort_min=2, cohort_max=2, **q) for q in (Q1, Q2)], companies, venues)
    assert two["summary"]["next_step_planned"] == 2 and two["summary"]["tracks_completed"] == 2
    assert steps(two, "b1") == [("module1", "Q1"), ("module2", "Q2")]
    assert two["solver"]["status"] == "OPTIMAL"
    assert [r["cohorts"][0]["module"] for r in rosters] == ["module1", "module2"]


def test_c_companies_have_no_module2() -> None:
    # Level C: Module 1 only, whatever the horizon; Q2's roster says not_eligible.
    companies = [co("c1"), co("c2")]
    document, rosters = run(
        [rnd(cohort_min=2, cohort_max=2, **q) for q in (Q1, Q2)], companies, [ve("v")]
    )
    assert document["summary"]["next_step_planned"] == 2
    assert document["summary"]["tracks_completed"] == 0
    assert {u["code"] for u in rosters[1]["unplaced"]} == {"not_eligible"}


# -- the facilitator's calendar and venues per round ------------------------------------------
def test_one_cohort_a_round_sends_the_waiting_first() -> None:
    # One venue hosting one cohort a round, cohorts of 2, four C companies: two cohorts over
    # two rounds place all four (planned 4). Earlier rounds go to who waited: w1, w2
    # (waiting since 2026) in Q1, n1, n2 in Q2. Earliness = 2 x (1 + 1) = 4 beats 2 x 1.
    companies = [
        co("n1"),
        co("n2"),
        co("w1", TOWN_B, waiting_since=date(2026, 3, 1)),
        co("w2", TOWN_B, waiting_since=date(2026, 3, 1)),
    ]
    document, rosters = run(
        [rnd(cohort_min=2, cohort_max=2, **q) for q in (Q1, Q2)],
        companies,
        [ve("v", max_cohorts=1)],
    )
    assert document["summary"]["next_step_planned"] == 4
    assert set(rosters[0]["cohorts"][0]["members"]) == {"w1", "w2"}
    assert {u["company_id"]: u["code"] for u in rosters[0]["unplaced"]} == {
        "n1": "later_round",
        "n2": "later_round",
    }


def test_without_waiting_the_nearer_go_first() -> None:
    # The same four, nobody waiting: earliness is equal either way, travel decides nothing
    # (every company trains once, same venue), so both rounds hold two; planned 4.
    companies = [co("n1"), co("n2"), co("f1", TOWN_B), co("f2", TOWN_B)]
    document, _ = run(
        [rnd(cohort_min=2, cohort_max=2, **q) for q in (Q1, Q2)],
        companies,
        [ve("v", max_cohorts=1)],
    )
    assert document["summary"]["next_step_planned"] == 4


def test_a_single_round_cannot_hold_everyone() -> None:
    # The same four with only Q1: one cohort; the waiting pair gets it (priority of waiting).
    companies = [
        co("n1"),
        co("n2"),
        co("w1", TOWN_B, waiting_since=date(2026, 3, 1)),
        co("w2", TOWN_B, waiting_since=date(2026, 3, 1)),
    ]
    document, _ = run([rnd(cohort_min=2, cohort_max=2, **Q1)], companies, [ve("v", max_cohorts=1)])
    assert document["summary"]["next_step_planned"] == 2
    assert steps(document, "w1") == [("module1", "Q1")]
    assert steps(document, "n1") == []


# -- available_from ----------------------------------------------------------------------------
def test_available_from_moves_a_company_to_a_later_round() -> None:
    # a1, a2 can start from 2027-04-01: Q2. Q1's roster says not_yet_available.
    companies = [
        co("a1", available_from=date(2027, 4, 1)),
        co("a2", available_from=date(2027, 4, 1)),
    ]
    document, rosters = run(
        [rnd(cohort_min=2, cohort_max=2, **q) for q in (Q1, Q2)], companies, [ve("v")]
    )
    assert steps(document, "a1") == [("module1", "Q2")]
    assert {u["code"] for u in rosters[0]["unplaced"]} == {"later_round"}


def test_a_segment_too_small_in_every_round_is_said_so() -> None:
    # One A company alone never fills a cohort of 2: no step, with the reason and a hint.
    companies = [co("a", level="A"), co("c1"), co("c2")]
    document, _ = run(
        [rnd(cohort_min=2, cohort_max=2, **q) for q in (Q1, Q2)], companies, [ve("v")]
    )
    entry = next(e for e in document["companies"] if e["company_id"] == "a")
    assert entry["steps"] == [] and entry["unplaced"]["code"] == "segment_too_small"
    assert "No step fits the horizon" in entry["message"]


# -- brute force ---------------------------------------------------------------------------------
def _brute(rounds: int, levels: list[str], cmin: int, cmax: int) -> tuple[int, int]:
    """(next steps planned, tracks completed) by enumeration: each company picks the round of
    Module 1 (or none) and, for A/B, a later round for Module 2 (or none); a round's group
    of one module and level must hold whole cohorts of cmin..cmax people (one venue, loose
    calendar); lexicographic best."""
    options = []
    for level in levels:
        mine = [(None, None)]
        for r1 in range(rounds):
            mine.append((r1, None))
            if level in "AB":
                mine.extend((r1, r2) for r2 in range(r1 + 1, rounds))
        options.append(mine)
    best = (-1, -1)
    for choice in itertools.product(*options):
        ok = True
        for r in range(rounds):
            for module in (0, 1):
                for level in set(levels):
                    people = sum(
                        1
                        for c, lv in zip(choice, levels, strict=True)
                        if lv == level and c[module] == r
                    )
                    k = people // cmin
                    if people and not any(cmin * j <= people <= cmax * j for j in range(1, k + 1)):
                        ok = False
        if ok:
            value = (
                sum(c[0] is not None for c in choice),
                sum(c[1] is not None for c in choice),
            )
            best = max(best, value)
    return best


@pytest.mark.parametrize(
    ("levels", "rounds", "cmin", "cmax"),
    [
        (["B", "B", "B"], 2, 2, 2),  # 3 B: one cohort of 2 in Q1; two take Module 2 in Q2
        (["B", "B", "B"], 3, 2, 2),  # three rounds: the third one's Module 1 can't pair up
        (["A", "B", "B", "C"], 2, 2, 3),
        (["A", "A", "B", "C", "C"], 3, 2, 3),
    ],
)
def test_brute_force_tiny_programmes(levels: list[str], rounds: int, cmin: int, cmax: int) -> None:
    companies = [co(f"k{i}", level=lv) for i, lv in enumerate(levels)]
    horizon = [rnd(cohort_min=cmin, cohort_max=cmax, **q) for q in (Q1, Q2, Q3)[:rounds]]
    document, _ = run(horizon, companies, [ve("v", residential=True)])
    summary = document["summary"]
    assert (summary["next_step_planned"], summary["tracks_completed"]) == _brute(
        rounds, levels, cmin, cmax
    )


# -- properties --------------------------------------------------------------------------------
@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    levels=st.lists(st.sampled_from("ABC"), min_size=2, max_size=9),
    rounds=st.integers(1, 3),
    far=st.lists(st.booleans(), min_size=9, max_size=9),
    done=st.lists(st.booleans(), min_size=9, max_size=9),
)
def test_any_programme_is_valid_and_loses_nobody(
    levels: list[str], rounds: int, far: list[bool], done: list[bool]
) -> None:
    companies = [
        co(
            f"p{i}",
            TOWN_B if far[i] else (56.0, 9.5),
            level=lv,
            completed=frozenset({"module1", "lab1"}) if done[i] and lv != "C" else frozenset(),
        )
        for i, lv in enumerate(levels)
    ]
    horizon = [rnd(cohort_min=2, cohort_max=3, **q) for q in (Q1, Q2, Q3)[:rounds]]
    venues = [ve("a", residential=True), ve("b", TOWN_B)]
    document, rosters = run(horizon, companies, venues, time_limit=20)
    for roster in rosters:  # nobody lost in any round
        listed = [m for c in roster["cohorts"] for m in c["members"]]
        listed += [u["company_id"] for u in roster["unplaced"]]
        assert sorted(listed) == sorted(c.company_id for c in companies)


# -- the checker sees broken programmes ---------------------------------------------------------
def test_checker_rejects_module2_before_module1_and_wrong_totals() -> None:
    companies = [co("b1", level="B"), co("b2", level="B")]
    horizon = [rnd(cohort_min=2, cohort_max=2, **q) for q in (Q1, Q2)]
    venues = [ve("v", residential=True)]
    document, rosters = run(horizon, companies, venues)
    # Swap the rounds' rosters: Module 2 in Q1, before Module 1.
    swapped = [dict(rosters[1], round="Q1"), dict(rosters[0], round="Q2")]
    errors = check_programme(horizon, companies, venues, document, swapped)
    assert any("without Module 1 before it" in e for e in errors)
    wrong = dict(document, summary=dict(document["summary"], tracks_completed=0))
    assert any(
        "tracks_completed" in e for e in check_programme(horizon, companies, venues, wrong, rosters)
    )
