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
    # the programme's own (scheduler/reason_text_later.py)
    "later_available": {"step": "module1", "round": "Q2", "here": "Q1", "start": "2027-04-05"},
    "later_full": {"step": "module2", "round": "Q2", "here": "Q1"},
    "later_tracks": {"step": "module1", "round": "Q2", "here": "Q1", "n": 2},
    "horizon_too_small": {"segment": SEGMENT, "people": 3, "min": 8},
    "horizon_full": {"segment": SEGMENT},
    "no_common_dates": {},
    # the replan's own
    "lost_to_other": {"cohort": "C01", "kept": 2, "total": 3},
    "lost_unavailable": {"cohort": "C01"},
    "lost_rules": {"cohort": "C01"},
    "lost_budget": {"cohort": "C01", "kept": 2, "total": 3},
    "left_too_small": {"segment": SEGMENT, "people": 3, "min": 8, "had": "C02"},
    "no_cohort_runs": {"segment": SEGMENT, "notice": "2027-01-16", "had": "C02"},
    "no_place_left": {"segment": SEGMENT},
    "unavailable_from": {"date": "2027-01-09"},
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


#: The sentences the programme and the replan wrote before their reasons had codes (their
#: f-strings and msgids at 97f4d61, written out by hand), for the reasons the real rosters
#: of test_reason_codes_later.py do not reach.
BEFORE = {
    "lost_unavailable": "had a place in C01; its unavailable days leave no dates on which a "
    "cohort it may join can meet (with the facilitator's and the venues' days, the cohorts "
    "that have met and the pins)",
    "lost_budget": "had a place in C01, but only 2 of the 3 companies of the published roster "
    "could keep one under the round's rules now",
    "left_too_small": "had a place in C02; B/young Module 1 has 3 people left to plan and no "
    "cohort; a cohort needs 8",
    "no_cohort_runs": "had a place in C02; no cohort of its group (B/young Module 1) can run "
    "with it under the round's rules; its cohorts meeting before 2027-01-16 (the notice "
    "period after --as-of) take nobody new",
    "no_common_dates": "could not meet with a cohort on common dates (unavailable days)",
}


@pytest.mark.parametrize("code", sorted(BEFORE))
def test_the_rarer_programme_and_replan_reasons_read_as_before(code: str) -> None:
    assert render_reason(code, VALUES[code], "en") == BEFORE[code]


def test_the_programme_and_replan_reasons_in_danish() -> None:
    assert render_reason("later_full", VALUES["later_full"], "da") == (
        "Modul 2 er planlagt til runde Q2: runde Q1 var fuld af virksomheder, der kommer før "
        "(højere prioritet eller længere ventetid)"
    )
    assert render_reason("later_available", VALUES["later_available"], "da") == (
        "Modul 1 er planlagt til runde Q2: den kan begynde fra 5. april 2027, efter runde Q1"
    )
    assert render_reason("no_cohort_runs", VALUES["no_cohort_runs"], "da") == (
        "havde en plads på hold C02; intet hold i dens gruppe (B/ung Modul 1) kan gennemføres "
        "med den efter rundens regler; dens hold, der mødes før 16. januar 2027 "
        "(varslingsperioden efter --as-of), tager ikke nye med"
    )
    assert render_reason(
        "horizon_too_small", {**VALUES["horizon_too_small"], "people": 1}, "da"
    ) == ("B/ung Modul 1 har 1 person i denne runde; et hold kræver mindst 8")
