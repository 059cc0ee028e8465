"""Unplaced reasons kept as a code and values (scheduler/reason_text.py, issue 18): every
code renders in English and in Danish from the same values, and a reason survives being
sent to another process (pickled) with its code."""

from __future__ import annotations

import pickle

import pytest

from camp_planner.scheduler.reason_text import CODES, Reason, reason_fields, render_reason

SEGMENT = {"module": "module1", "level": "B", "age_group": "young"}
LIMITS = {"segment": SEGMENT, "venues": 6, "facilitators": 1}
#: One set of values per code (hand-written: what the scheduler stores).
VALUES: dict[str, dict[str, object]] = {
    "segment_too_small": {
        "segment": SEGMENT,
        "companies": 2,
        "people": 3,
        "min": 8,
        "online": None,
        "pool": None,
        "hints": [{"code": "online_cohort", "n": 3}],
    },  # fmt: skip
    "higher_priority": {"segment": SEGMENT, "priority": 2},
    "waiting_longer": {"segment": SEGMENT, "since": "2026-05-01"},
    "shorter_travel": {"segment": SEGMENT, "placed": 20.04, "own": 35.0},
    "cohort_sizes": {
        "segment": SEGMENT,
        "people": 11,
        "min": 8,
        "max": 10,
        "holdable": 10,
        "hints": [
            {"code": "mix_levels", "level": "A", "age": "young", "people": 4, "setting": "A+B"}
        ],
    },  # fmt: skip
    "limits_priority": {**LIMITS, "priority": 1},
    "limits_tie": LIMITS,
    "limits_travel": LIMITS,
    "track_done": {},
    "track_complete": {},
    "module2_level": {"level": "C"},
    "too_many_people": {"people": 12, "most": 10},
    "unavailable_every_day": {},
    "starts_too_late": {"start": "2027-02-01"},
    "after_round": {"start": "2027-05-01", "end": "2027-03-26"},
    "round_too_short": {
        "start": "2027-01-04",
        "end": "2027-01-29",
        "module": "module2",
        "lo": 14,
        "hi": 42,
    },  # fmt: skip
    "too_far_limit": {"km": 40.0, "residential": True},
    "too_far": {"residential": False},
}


def test_every_code_has_values_here() -> None:
    assert set(CODES) == set(VALUES)


@pytest.mark.parametrize("code", sorted(VALUES))
def test_every_code_renders_in_both_languages(code: str) -> None:
    english = render_reason(code, VALUES[code], "en")
    danish = render_reason(code, VALUES[code], "da")
    assert english and danish and english != danish, (english, danish)


def test_dates_and_km_as_each_language_writes_them() -> None:
    assert "since 2026-05-01" in str(
        render_reason("waiting_longer", VALUES["waiting_longer"], "en")
    )
    assert "siden 1. maj 2026" in str(
        render_reason("waiting_longer", VALUES["waiting_longer"], "da")
    )
    travel = str(render_reason("shorter_travel", VALUES["shorter_travel"], "da"))
    assert "20,0 km" in travel and "35,0 km" in travel
    assert "B/ung Modul 1" in travel


def test_a_reason_keeps_its_code_across_processes() -> None:
    reason = Reason("too_far_limit", VALUES["too_far_limit"], "da")
    again = pickle.loads(pickle.dumps(reason))
    assert type(again) is Reason and again == reason
    assert again == "intet mødested med overnatning inden for max_travel_km = 40 km"
    assert reason_fields(again) == {
        "reason_code": "too_far_limit",
        "reason_values": VALUES["too_far_limit"],
    }
    assert reason_fields("a plain sentence") == {}
    assert render_reason("no such code", {}, "da") is None
