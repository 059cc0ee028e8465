"""The programme's and the replan's unplaced reasons carry their code and values (issue 18's
follow-up): on real rosters (tests/scheduler/reason_cases.py) every unplaced entry has a
``reason_code``; its ``reason`` is exactly what the code before the codes wrote
(reasons_before.json, written by main at 97f4d61, not by the renderer); and the renderer,
given the code and values, writes that same sentence in the language it was stored in."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from camp_planner.scheduler.reason_text import render_reason
from tests.scheduler.reason_cases import CASES, GOLDEN, entries

#: The programme's own reasons were always written in English, whatever the round's
#: language (programme/result.py); every other reason in the round's language.
PROGRAMME_ENGLISH = {
    "later_available", "later_full", "later_tracks", "horizon_too_small", "horizon_full",
    "no_common_dates", "after_round",
}  # fmt: skip


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict[str, Any]]]:
    tmp = tmp_path_factory.mktemp("reasons")
    return {name: entries(make(tmp)) for name, make in CASES.items()}


def test_the_golden_file_has_every_case() -> None:
    assert set(json.loads(GOLDEN.read_text("utf-8"))) == set(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_stored_reasons_as_before_and_rendered_from_their_codes(
    name: str, made: dict[str, list[dict[str, Any]]]
) -> None:
    before = json.loads(Path(GOLDEN).read_text("utf-8"))[name]
    now = made[name]
    assert [r["members"] for r in now] == [r["members"] for r in before]  # the same solve
    language = name.rsplit("-", 1)[1]
    for roster_now, roster_before in zip(now, before, strict=True):
        assert [
            {k: u[k] for k in ("company_id", "code", "reason")} for u in roster_now["unplaced"]
        ] == roster_before["unplaced"]
        for entry in roster_now["unplaced"]:
            code, values = entry["reason_code"], entry["reason_values"]
            assert code is not None, entry
            stored = (
                "en" if name.startswith("programme") and code in PROGRAMME_ENGLISH else language
            )
            assert render_reason(code, values, stored) == entry["reason"], entry
            other = "en" if stored == "da" else "da"
            assert render_reason(code, values, other) not in (None, entry["reason"]), entry


def test_every_kind_of_reason_is_among_the_cases(made: dict[str, list[dict[str, Any]]]) -> None:
    """The cases reach the programme's and the replan's reasons (lost_budget only when the
    time to explain runs out, lost_unavailable and no_common_dates only on unavailable days
    the solve cannot foresee: tests/scheduler/test_reason_text.py renders those)."""
    codes = {u["reason_code"] for rosters in made.values() for r in rosters for u in r["unplaced"]}
    assert codes >= {
        "later_available", "later_full", "later_tracks", "horizon_too_small", "horizon_full",
        "after_round", "lost_to_other", "lost_rules", "left_too_small", "no_cohort_runs",
        "no_place_left", "unavailable_from", "too_many_people", "track_done", "module2_level",
    }  # fmt: skip


def test_the_checker_knows_the_codes() -> None:
    """tests/checker.py accepts the programme's coded reasons and refuses an unknown code,
    one with another `code` than documented, and one without values."""
    from camp_planner.models import PlanningProblem
    from camp_planner.programme.plan import Programme
    from camp_planner.programme.result import programme_result
    from camp_planner.programme.solve import plan_programme
    from tests.checker import check_roster
    from tests.helpers.sched_build import co, rnd, ve

    config = rnd(cohort_min=2, cohort_max=2)
    companies, venues = [co("a"), co("b"), co("y", young=True)], [ve("v")]
    problem = PlanningProblem(round=config, companies=tuple(companies), venues=tuple(venues))
    solution = plan_programme(Programme(problem, (config,)), time_limit=20, workers=1)
    roster = json.loads(programme_result(solution).rounds[0][1].to_json())
    (entry,) = roster["unplaced"]
    assert (entry["code"], entry["reason_code"]) == ("segment_too_small", "horizon_too_small")
    assert check_roster(config, companies, venues, roster) == []
    for change, error in (
        ({"reason_code": "no_such_code"}, "y: reason_code 'no_such_code' not in"),
        ({"code": "capacity"}, "y: reason_code 'horizon_too_small' with code 'capacity'"),
        ({"reason_values": None}, "y: reason_code 'horizon_too_small' without reason_values"),
    ):
        bad = {**roster, "unplaced": [{**entry, **change}]}
        errors = check_roster(config, companies, venues, bad)
        assert any(e.startswith(error) for e in errors), errors
