"""`camp-planner whatif` as a coordinator runs it, on a small folder solved to optimality."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from camp_planner.cli import app
from camp_planner.io.folder import load_folder
from camp_planner.models import Roster
from camp_planner.scheduler import solve
from camp_planner.whatif import CONTRACT_COLUMNS, scenario_metrics
from tests.helpers.whatif_folder import write_small_folder

SOLVER = ["--time-limit", "10", "--workers", "1", "--seed", "0"]

SCENARIOS = """
[[scenario]]
name = "Skive closed"
closed = ["skive"]

[[scenario]]
name = "Randers required"
required = ["randers"]

[[scenario]]
name = "two facilitators"
facilitators = 2
"""


def run(*args: str) -> tuple[int, str]:
    """Exit code and output, with rich's line wrapping undone (runs of spaces -> one)."""
    result = CliRunner().invoke(app, ["whatif", *args])
    return result.exit_code, " ".join(result.output.split())


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_small_folder(tmp_path_factory.mktemp("cli") / "round")


@pytest.fixture(scope="module")
def plain(folder: Path) -> dict[str, object]:
    """The plain folder's roster, solved as `roster` solves it, as a whatif row."""
    problem = load_folder(folder)
    roster = solve(problem, time_limit=10, seed=0, workers=1)
    assert roster.solver.status.value == "OPTIMAL"
    return {"roster": roster, "row": scenario_metrics(problem, roster, "plain")}


def _same_numbers(row: dict[str, str], plain: dict[str, object]) -> None:
    expected = plain["row"]
    roster = plain["roster"]
    assert isinstance(expected, dict) and isinstance(roster, Roster)
    for column in CONTRACT_COLUMNS[1:]:
        value = expected[column]
        assert row[column] == ("" if value is None else str(value)), column
    assert int(row["placed"]) == roster.summary.placed
    assert int(row["unplaced"]) == roster.summary.unplaced
    assert float(row["travel_km_total"]) == roster.summary.travel_km_total
    assert row["venues"].split(";") == sorted(roster.summary.venues_used)


def test_venue_range(folder: Path, plain: dict[str, object], tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, output = run(str(folder), "--venues", "5-6", "--out", str(out), *SOLVER)
    assert code == 0, output
    header, rows = read_rows(out / "whatif.csv")
    assert header[: len(CONTRACT_COLUMNS)] == CONTRACT_COLUMNS
    assert [r["scenario"] for r in rows] == ["5 venues", "6 venues"]  # baseline first
    assert [r["max_venues"] for r in rows] == ["5", "6"]
    # round.toml says 6 venues: that scenario is the plain roster, number for number
    _same_numbers(rows[1], plain)
    assert len(rows[1]["venues"].split(";")) == 6
    assert len(rows[0]["venues"].split(";")) == 5
    assert float(rows[0]["travel_km_total"]) > float(rows[1]["travel_km_total"])
    assert rows[0]["delta_travel_km_total"] == "0.0"
    assert float(rows[1]["delta_travel_km_total"]) < 0
    assert rows[1]["delta_placed"] == "0"
    assert rows[0]["unplaced_segment_too_small"] == "3"
    for name in ("whatif.xlsx", "whatif.png", "rosters/5-venues.json", "rosters/6-venues.json"):
        assert (out / name).stat().st_size > 0, name
    assert not (out / "maps").exists()
    assert (out / "whatif.png").read_bytes().startswith(b"\x89PNG")
    saved = Roster.from_json((out / "rosters" / "6-venues.json").read_text(encoding="utf-8"))
    assert saved.summary == plain["roster"].summary  # type: ignore[attr-defined]
    assert saved.kind == "whatif"  # a scenario, never the published roster (issue 23)
    assert "What-if comparison" in output and "5 venues" in output and "Traceback" not in output


def test_named_scenarios(folder: Path, plain: dict[str, object]) -> None:
    scenarios = folder / "scenarios.toml"
    scenarios.write_text(SCENARIOS, encoding="utf-8")
    code, output = run(str(folder), "--scenarios", str(scenarios), "--maps", *SOLVER)
    assert code == 0, output
    out = folder / "out"  # the default
    _, rows = read_rows(out / "whatif.csv")
    names = ["baseline", "Skive closed", "Randers required", "two facilitators"]
    assert [r["scenario"] for r in rows] == names
    base, skive, randers, two = rows
    _same_numbers(base, plain)
    assert all(base[f"delta_{m}"] in ("0", "0.0") for m in ("placed", "travel_km_total"))
    # what do we lose if Skive closes? Its cluster travels farther, nobody loses a place
    assert "skive" not in skive["venues"].split(";")
    assert skive["venues_dropped"] == "skive"
    assert float(skive["delta_travel_km_total"]) > 0
    assert float(skive["delta_travel_km_total"]) == pytest.approx(
        float(skive["travel_km_total"]) - float(base["travel_km_total"]), abs=1e-6
    )
    assert skive["delta_placed"] == "0"
    assert "randers" in randers["venues"].split(";") and randers["venues_added"] == "randers"
    assert int(two["facilitator_days"]) <= int(base["facilitator_days"])
    assert two["changes"] == "facilitators = 2"

    book = pd.read_excel(out / "whatif.xlsx", sheet_name=None)
    assert list(book) == ["whatif", "comparison", "venues"]
    assert book["whatif"]["scenario"].tolist() == names
    comparison = book["comparison"].set_index("metric")
    assert list(comparison.columns) == [
        "baseline",
        "Skive closed",
        "Skive closed: change",
        "Randers required",
        "Randers required: change",
        "two facilitators",
        "two facilitators: change",
    ]
    assert comparison.at["Venues used", "Skive closed: change"] == "-skive"
    assert comparison.at["Total travel (km, one way)", "Skive closed: change"] == pytest.approx(
        float(skive["delta_travel_km_total"])
    )
    venues = book["venues"].set_index("venue_id")
    assert venues.at["skive", "Skive closed"] == "closed"
    for slug in ("baseline", "skive-closed", "randers-required", "two-facilitators"):
        page = (out / "maps" / f"{slug}.html").read_text(encoding="utf-8")
        assert "leaflet" in page.lower()
        assert (out / "rosters" / f"{slug}.json").exists()
    assert "Skive closed" in output and "-skive" in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--venues", "8-4"], "range"),
        (["--venues", "four"], "range like 4-8"),
        (["--venues", "4-20"], "only 7 venues"),
        ([], "give --venues"),
        (["--venues", "4-5", "--scenarios", "s.toml"], "not both"),
        (["--scenarios", "missing.toml"], "no such scenarios file"),
        (["--time-limit", "0", "--venues", "4-5"], "--time-limit"),
    ],
)
def test_bad_requests_are_one_sentence(
    folder: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    args = [str(tmp_path / a) if a.endswith(".toml") else a for a in args]
    if any(a.endswith("s.toml") for a in args):
        (tmp_path / "s.toml").write_text(SCENARIOS, encoding="utf-8")
    out = tmp_path / "out"
    code, output = run(str(folder), *args, "--out", str(out))
    assert code == 2
    assert message in output
    assert "Traceback" not in output
    assert not out.exists()


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ('[[scenario]]\nname = "Skive closed"\nclosed = ["skve"]\n', "unknown venue id 'skve'"),
        ('[[scenario]]\nname = "x"\nclosed = ["skive"\n', "not valid TOML"),
        ('[[scenario]]\nname = "x"\nmax_venuse = 4\n', "unknown key 'max_venuse'"),
        ('[[scenario]]\nname = "x"\ncohort_min = 11\n', "cohort_max 10 < cohort_min 11"),
    ],
)
def test_bad_scenario_files(folder: Path, tmp_path: Path, toml: str, message: str) -> None:
    path = tmp_path / "scenarios.toml"
    path.write_text(toml, encoding="utf-8")
    out = tmp_path / "out"
    code, output = run(str(folder), "--scenarios", str(path), "--out", str(out))
    assert code == 2
    assert message in output and "Traceback" not in output
    if "skve" in toml:  # the known ids are listed
        assert "herning, holstebro, skive, viborg, silkeborg, aarhus, randers" in output
    assert not out.exists()


def test_bad_folder(tmp_path: Path) -> None:
    code, output = run(str(tmp_path / "nowhere"), "--venues", "4-5")
    assert code == 2 and "does not exist" in output and "Traceback" not in output
    bad = Path(__file__).parents[1] / "data" / "bad_folder"
    code, output = run(str(bad), "--venues", "4-5", "--out", str(tmp_path / "o"))
    assert code == 2 and "problems" in output and "Traceback" not in output
