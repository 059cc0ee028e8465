"""Round settings are validated once, in RoundConfig: every key's rule and the cross-key
rules, for files, forms and the program alike; the reader only maps the errors."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from camp_planner.io.errors import Collector
from camp_planner.io.round_file import round_from_data
from camp_planner.models import Level, RoundConfig

BASE = {"name": "R", "start": date(2027, 1, 4), "end": date(2027, 3, 26)}


def _errors(**values: object) -> dict[str, str]:
    with pytest.raises(ValidationError) as info:
        RoundConfig.model_validate({**BASE, **values}, context={"written": set(values)})
    return {str(e["loc"][0]): e["type"] for e in info.value.errors()}


def test_every_bad_key_is_one_error_with_its_type() -> None:
    errors = _errors(cohort_min=True, road_factor="fast", online_cohorts="yes", language="de")
    assert errors == {
        "cohort_min": "whole_number",
        "road_factor": "number",
        "online_cohorts": "bool_type",
        "language": "literal_error",
    }


def test_cross_key_rules_name_the_later_key() -> None:
    assert _errors(end=date(2027, 1, 1)) == {"end": "end_before_start"}
    assert _errors(cohort_min=9, cohort_max=8) == {"cohort_max": "cohort_max_below_min"}
    assert _errors(cohort_min=3, cohort_max=4, online_cohort_min=5) == {
        "online_cohort_min": "online_min_above_max"
    }


def test_a_default_online_minimum_above_a_small_cohort_max_is_no_error() -> None:
    """Only a written online_cohort_min must fit cohort_max (the default 5 with cohorts of
    3 means no online cohort fits, as a remedy built by the program may say)."""
    rnd = RoundConfig.model_validate({**BASE, "cohort_min": 2, "cohort_max": 3})
    assert rnd.online_cohort_min == 5
    built = RoundConfig.model_validate({**rnd.model_dump(), "online_cohorts": True})
    assert built.online_cohorts and built.online_cohort_min == 5


def test_forms_are_normalised_by_the_model() -> None:
    rnd = RoundConfig.model_validate(
        {
            **BASE,
            "mix_levels": ["b + a"],
            "mix_age_groups": ["c", "C"],
            "level_priority": {"a": 2},
            "unapproved_a_level": " b ",
            "language": " DA ",
            "lab_gap_days": [10, 20],
            "facilitator_unavailable": ["2027-02-15"],
        }
    )
    assert rnd.mix_levels == ("A+B",) and rnd.mix_age_groups == (Level.C,)
    assert rnd.level_priority == {Level.A: 2, Level.B: 0, Level.C: 0}
    assert rnd.unapproved_a_level == Level.B and rnd.language == "da"
    assert rnd.lab_gap_days == (10, 20)
    assert rnd.facilitator_unavailable == frozenset({date(2027, 2, 15)})


def test_the_reader_maps_every_error_to_a_problem_with_its_line() -> None:
    """A bad key and a cross-key error of the same file are both reported, by line."""
    out = Collector()
    data = {"name": "R", "start": "04-01-2027", "end": "2026-12-01", "max_venues": 0}
    lines = {"name": 1, "start": 2, "end": 3, "max_venues": 4}
    assert round_from_data(data, out, "round.toml", lines.get) is None
    found = [(p.row, p.column, p.value, str(p.expected)) for p in out.problems]
    assert found == [
        (3, "end", "2026-12-01", "a date on or after start (2027-01-04)"),
        (4, "max_venues", "0", "a whole number >= 1"),
    ]


def test_the_reader_refuses_a_written_online_minimum_above_cohort_max() -> None:
    out = Collector()
    data = {**BASE, "cohort_min": 3, "cohort_max": 4, "online_cohort_min": 5}
    assert round_from_data(data, out) is None
    assert [(p.column, str(p.expected)) for p in out.problems] == [
        ("online_cohort_min", "at most cohort_max (4)")
    ]
