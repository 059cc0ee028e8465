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
