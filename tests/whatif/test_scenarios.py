"""Scenarios: applying them to a problem, the scenarios.toml format, --venues ranges."""

from __future__ import annotations

from pathlib import Path

import pytest

from camp_planner.io.folder import load_folder
from camp_planner.models import PlanningProblem, VenueStatus
from camp_planner.whatif import (
    Scenario,
    ScenarioError,
    apply_scenario,
    scenarios_from_toml,
    venue_range_scenarios,
    with_baseline,
)
from camp_planner.whatif.scenarios import parse_venue_range, read_scenarios, slugify
from tests.helpers.whatif_folder import write_small_folder


@pytest.fixture(scope="module")
def problem(tmp_path_factory: pytest.TempPathFactory) -> PlanningProblem:
    return load_folder(write_small_folder(tmp_path_factory.mktemp("whatif") / "folder"))


def _status(problem: PlanningProblem) -> dict[str, VenueStatus]:
    return {v.venue_id: v.status for v in problem.venues}


def test_apply_sets_statuses_and_round_settings(problem: PlanningProblem) -> None:
    scenario = Scenario(
        "mixed",
        closed=["skive"],
        required=["randers", "aarhus"],
        max_venues=5,
        max_travel_km=80,
        facilitators=2,
        cohort_min=6,
        cohort_max=9,
    )
    changed = apply_scenario(problem, scenario)
    status = _status(changed)
    assert status["skive"] == VenueStatus.CLOSED
    assert status["randers"] == status["aarhus"] == VenueStatus.REQUIRED
    assert status["herning"] == VenueStatus.CANDIDATE
    rnd = changed.round
    assert (rnd.max_venues, rnd.max_travel_km, rnd.facilitators) == (5, 80, 2)
    assert (rnd.cohort_min, rnd.cohort_max) == (6, 9)
    # everything else untouched, and the original problem is not modified
    assert changed.companies == problem.companies
    assert (rnd.start, rnd.end, rnd.lab_gap_days) == (
        problem.round.start,
        problem.round.end,
        problem.round.lab_gap_days,
    )
    assert _status(problem)["skive"] == VenueStatus.CANDIDATE
    assert problem.round.max_venues == 6


def test_candidate_reopens_a_closed_venue(problem: PlanningProblem) -> None:
    closed = apply_scenario(problem, Scenario("a", closed=["skive"]))
    reopened = apply_scenario(closed, Scenario("b", candidate=["skive"]))
    assert _status(reopened)["skive"] == VenueStatus.CANDIDATE
    assert reopened == problem


def test_a_scenario_that_changes_nothing_returns_the_problem_itself(
    problem: PlanningProblem,
) -> None:
    assert apply_scenario(problem, Scenario("baseline")) is problem
    assert apply_scenario(problem, Scenario("6 venues", max_venues=6)) is problem
    assert apply_scenario(problem, Scenario("same", candidate=["skive"])) is problem


def test_unknown_venue_lists_the_known_ids(problem: PlanningProblem) -> None:
    with pytest.raises(ScenarioError) as err:
        apply_scenario(problem, Scenario("Skve closed", closed=["skve"], required=["odense"]))
    message = str(err.value)
    assert "'skve'" in message and "'odense'" in message and "did you mean 'skive'" in message
    for venue in problem.venues:
        assert venue.venue_id in message


def test_venue_in_two_lists_is_an_error(problem: PlanningProblem) -> None:
    with pytest.raises(ScenarioError, match="both closed and required|both required and closed"):
        apply_scenario(problem, Scenario("x", closed=["skive"], required=["skive"]))


def test_cohort_limits_are_checked_together_with_the_round(problem: PlanningProblem) -> None:
    with pytest.raises(ScenarioError, match="cohort_max 10 < cohort_min 12"):
        apply_scenario(problem, Scenario("big", cohort_min=12))


def test_scenario_fields_are_validated() -> None:
    with pytest.raises(ValueError):
        Scenario("x", max_venues=0)
    with pytest.raises(ValueError):
        Scenario("x", facilitators=0)
    with pytest.raises(ValueError):
        Scenario("x", max_travel_km=-1)
    with pytest.raises(ValueError):
        Scenario("   ")
    assert Scenario("x", closed="skive").closed == ("skive",)


TOML = """
# what-if scenarios
[[scenario]]
name = "Skive closed"
closed = ["skive"]

[[scenario]]
name = "Ringkøbing required"
required = ["ringkobing"]

[[scenario]]
name = "two facilitators"
facilitators = 2
max_travel_km = 60
"""


def test_toml_is_read_in_order_and_the_folder_becomes_the_baseline(tmp_path: Path) -> None:
    path = tmp_path / "scenarios.toml"
    path.write_text(TOML, encoding="utf-8")
    scenarios = read_scenarios(path)
    assert [s.name for s in scenarios] == [
        "Skive closed",
        "Ringkøbing required",
        "two facilitators",
    ]
    assert scenarios[0].closed == ("skive",) and scenarios[1].required == ("ringkobing",)
    assert (scenarios[2].facilitators, scenarios[2].max_travel_km) == (2, 60)
    full = with_baseline(scenarios)
    assert [s.name for s in full] == ["baseline", *(s.name for s in scenarios)]
    assert full[0].changes() == "as planned"


def test_a_scenario_named_baseline_is_the_baseline_and_comes_first() -> None:
    scenarios = scenarios_from_toml(TOML + '\n[[scenario]]\nname = "Baseline"\nmax_venues = 5\n')
    full = with_baseline(scenarios)
    assert [s.name for s in full] == [
        "Baseline",
        "Skive closed",
        "Ringkøbing required",
        "two facilitators",
    ]
    assert full[0].max_venues == 5


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[[scenario]]\nname = "a"\nclosed = ["skive"\n', "not valid TOML"),
        ('[scenario]\nname = "a"\n', "at least one scenario"),
        ("", "at least one scenario"),
        ('[[scenario]]\nclosed = ["skive"]\n', "'name' is required"),
        ('[[scenario]]\nname = "a"\nmax_venuse = 3\n', "unknown key 'max_venuse'; known keys"),
        ('[[scenario]]\nname = "a"\nmax_venues = 0\n', "max_venues = 0"),
        ('[[scenario]]\nname = "a"\nclosed = [1, 2]\n', "scenario 1 ('a'): closed"),
        ('[[scenario]]\nname = "a"\n[[scenario]]\nname = "A"\n', "duplicate scenario name"),
        ('title = "x"\n[[scenario]]\nname = "a"\n', "unknown top-level key 'title'"),
    ],
)
def test_toml_mistakes_are_explained(text: str, expected: str) -> None:
    with pytest.raises(ScenarioError) as err:
        scenarios_from_toml(text, source="s.toml")
    assert expected in str(err.value)
    assert str(err.value).startswith("s.toml")


def test_toml_reports_every_mistake_at_once() -> None:
    text = '[[scenario]]\nname = "a"\nfoo = 1\n[[scenario]]\nname = "b"\nfacilitators = 0\n'
    with pytest.raises(ScenarioError) as err:
        scenarios_from_toml(text)
    assert len(err.value.problems) == 2


def test_missing_scenarios_file(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="no such scenarios file"):
        read_scenarios(tmp_path / "nope.toml")


def test_venue_ranges() -> None:
    assert parse_venue_range("4-8") == (4, 8)
    assert parse_venue_range(" 5 - 6 ") == (5, 6)
    assert parse_venue_range("6") == (6, 6)
    scenarios = venue_range_scenarios("4-8")
    assert [s.name for s in scenarios] == [f"{n} venues" for n in range(4, 9)]
    assert [s.max_venues for s in scenarios] == [4, 5, 6, 7, 8]
    assert venue_range_scenarios("1")[0].name == "1 venue"


@pytest.mark.parametrize("text", ["8-4", "0-3", "x", "4-", "-4", "4-8-9", "4.5", ""])
def test_bad_venue_ranges(text: str) -> None:
    with pytest.raises(ScenarioError, match="--venues"):
        parse_venue_range(text)


def test_range_beyond_the_folder_is_an_error() -> None:
    with pytest.raises(ScenarioError, match="only 7 venues"):
        venue_range_scenarios("4-9", venue_count=7)


def test_slugs_are_file_safe_and_unique() -> None:
    taken: set[str] = set()
    assert slugify("Ringkøbing required", taken) == "ringkobing-required"
    assert slugify("Århus & Æbeltoft!", taken) == "aarhus-aebeltoft"
    assert slugify("ringkøbing  REQUIRED", taken) == "ringkobing-required-2"
    assert slugify("???") == "scenario"
