"""`camp-planner roster`: a small folder solved end to end, and requests refused with a reason.

The folder: 20 companies in two towns (10 around Herning, 10 around Aarhus), all level C,
established, next step Module 1, one person each; venues in Herning and Aarhus; the demo's
round (2027-01-04 to 2027-03-26). Both towns fill one cohort of 8-10 at their own venue, so
the optimum places all 20 with short travel. Two more companies (level A, young) cannot
fill a cohort and must be in `unplaced`.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

import camp_planner.cli as cli
from camp_planner.models import Roster, UnplacedCode

BAD_FOLDER = Path(__file__).parents[1] / "data" / "bad_folder"
HERNING, AARHUS = (56.1393, 8.9738), (56.1518, 10.2064)
ROUND_TOML = """\
name = "2027-Q1"
start = {start}
end = {end}
cohort_min = 8
cohort_max = 10
max_venues = 2
facilitators = 1
facilitator_unavailable = []
lab_gap_days = [14, 42]
road_factor = 1.3
max_travel_km = {max_travel_km}
"""
COMPANY_COLUMNS = ["company_id", "name", "lat", "lon", "young", "level", "completed"]
VENUE_COLUMNS = ["venue_id", "name", "lat", "lon", "residential", "status"]


def _write_csv(path: Path, columns: list[str], rows: list[dict[str, object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)


def make_folder(
    folder: Path,
    *,
    completed: str = "",
    level: str = "C",
    venues: list[dict[str, object]] | None = None,
    start: str = "2027-01-04",
    end: str = "2027-03-26",
    max_travel_km: float = 0,
) -> Path:
    """Write the planning folder described in the module docstring (variants by keyword)."""
    folder.mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, object]] = []
    for i in range(20):
        lat, lon = HERNING if i < 10 else AARHUS
        rows.append(
            {
                "company_id": f"{40000000 + i}",
                "name": f"Testfirma {i:02d} ApS",
                "lat": f"{lat + 0.01 * (i % 5):.4f}",
                "lon": f"{lon - 0.01 * (i % 3):.4f}",
                "young": "false",
                "level": level,
                "completed": completed,
            }
        )
    for i in (20, 21):
        rows.append(
            {
                "company_id": f"{40000000 + i}",
                "name": f"Ungfirma {i} ApS",
                "lat": f"{HERNING[0]:.4f}",
                "lon": f"{HERNING[1]:.4f}",
                "young": "true",
                "level": "A",
                "completed": "",
            }
        )
    _write_csv(folder / "companies.csv", COMPANY_COLUMNS, rows)
    if venues is None:
        venues = [
            {"venue_id": "herning", "name": "Herning", "lat": HERNING[0], "lon": HERNING[1]},
            {"venue_id": "aarhus", "name": "Aarhus", "lat": AARHUS[0], "lon": AARHUS[1]},
        ]
    venue_rows = [{"residential": "false", "status": "candidate", **v} for v in venues]
    _write_csv(folder / "venues.csv", VENUE_COLUMNS, venue_rows)
    (folder / "round.toml").write_text(
        ROUND_TOML.format(start=start, end=end, max_travel_km=max_travel_km), encoding="utf-8"
    )
    return folder


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli.app, list(args))
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def solved(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, str]:
    """The small folder solved once: (folder, exit code, output)."""
    folder = make_folder(tmp_path_factory.mktemp("round") / "plan")
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(cli, "console", Console(width=400))
    monkeypatch.setattr(cli, "err_console", Console(width=400, stderr=True))
    try:
        code, output = run("roster", str(folder), "--time-limit", "30", "--workers", "2")
    finally:
        monkeypatch.undo()
    return folder, code, output


def test_roster_writes_every_output(solved: tuple[Path, int, str]) -> None:
    folder, code, output = solved
    assert code == 0, output
    out = folder / "out"
    for name in ("roster.json", "roster.xlsx", "participants.csv", "map.html"):
        assert (out / name).is_file() and (out / name).stat().st_size > 0, name
    invitations = sorted(p.name for p in (out / "invitations").glob("*.ics"))
    assert invitations == ["C01.ics", "C02.ics", "facilitator.ics"]
    assert not list(out.glob("*.tmp*")) and not list(out.glob(".*"))  # atomic: no leftovers
    with (out / "participants.csv").open(encoding="utf-8-sig") as handle:
        assert len(list(csv.DictReader(handle))) == 22


def test_every_company_appears_exactly_once(solved: tuple[Path, int, str]) -> None:
    folder, _, _ = solved
    roster = Roster.from_json((folder / "out" / "roster.json").read_text(encoding="utf-8"))
    with (folder / "companies.csv").open(encoding="utf-8") as handle:
        inputs = [row["company_id"] for row in csv.DictReader(handle)]
    listed = [m for c in roster.cohorts for m in c.members] + [
        u.company_id for u in roster.unplaced
    ]
    assert sorted(listed) == sorted(inputs)
    # By hand: each town fills one cohort at its own venue; the two young A companies cannot.
    assert roster.summary.placed == 20 and len(roster.cohorts) == 2
    assert sorted(roster.summary.venues_used) == ["aarhus", "herning"]
    assert {u.code for u in roster.unplaced} == {UnplacedCode.SEGMENT_TOO_SMALL}
    for cohort in roster.cohorts:
        assert all(
            (int(m) - 40000000 < 10) == (cohort.venue_id == "herning") for m in cohort.members
        )
    raw = json.loads((folder / "out" / "roster.json").read_text(encoding="utf-8"))
    assert set(raw) >= {"round", "solver", "cohorts", "unplaced", "summary"}


def test_summary_is_printed(solved: tuple[Path, int, str]) -> None:
    folder, _, output = solved
    text = " ".join(output.split())
    assert "Companies per next step, level and age group" in text  # groups before solving
    assert "Cannot fill a cohort of 8: A/young Module 1 (2 people)" in text
    assert "20 companies in 2 cohorts" in text
    assert "segment_too_small 2" in text
    assert re.search(r"solver │ (OPTIMAL \(proven\)|FEASIBLE)", text)
    assert "wall time" in text and "km in total" in text
    assert str(folder / "out" / "roster.json") in text


def test_required_venue_no_group_can_use(tmp_path: Path) -> None:
    # Everyone's next step is Module 2 (B, Module 1 done), which needs a residential venue;
    # the required venue is not residential.
    venues = [
        {"venue_id": "herning", "name": "Herning", "lat": HERNING[0], "lon": HERNING[1]},
        {
            "venue_id": "aarhus",
            "name": "Aarhus",
            "lat": AARHUS[0],
            "lon": AARHUS[1],
            "residential": "true",
        },
        {"venue_id": "skive", "name": "Skive", "lat": 56.567, "lon": 9.027, "status": "required"},
    ]
    folder = make_folder(tmp_path / "plan", completed="module1;lab1", level="B", venues=venues)
    code, output = run("roster", str(folder), "--time-limit", "10")
    assert code == 2 and "Traceback" not in output
    text = " ".join(output.split())
    assert "Venue skive (Skive) is required, but no cohort can be held there" in text
    assert "not residential" in text
    assert not (folder / "out").exists()


def test_required_venue_beyond_max_travel(tmp_path: Path) -> None:
    venues = [
        {"venue_id": "herning", "name": "Herning", "lat": HERNING[0], "lon": HERNING[1]},
        {"venue_id": "aarhus", "name": "Aarhus", "lat": AARHUS[0], "lon": AARHUS[1]},
        {
            "venue_id": "cph",
            "name": "København",
            "lat": 55.676,
            "lon": 12.568,
            "status": "required",
        },
    ]
    folder = make_folder(tmp_path / "plan", venues=venues, max_travel_km=100)
    code, output = run("roster", str(folder), "--time-limit", "10")
    assert code == 2 and "Traceback" not in output
    assert "is farther than max_travel_km = 100 km from it" in " ".join(output.split())


def test_round_too_short_for_one_cohort(tmp_path: Path) -> None:
    # Ten days: no module day has a lab day 14-42 days later inside the round.
    folder = make_folder(tmp_path / "plan", end="2027-01-14")
    code, output = run("roster", str(folder), "--time-limit", "10")
    assert code == 2 and "Traceback" not in output
    assert "is too short for even one cohort" in " ".join(output.split())


def test_bad_folder_exits_2_without_traceback(tmp_path: Path) -> None:
    code, output = run("roster", str(BAD_FOLDER), "--out", str(tmp_path / "out"))
    assert code == 2
    assert "Traceback" not in output and "10 problems" in output
    assert not (tmp_path / "out").exists()


def test_missing_folder_exits_2(tmp_path: Path) -> None:
    code, output = run("roster", str(tmp_path / "nowhere"))
    assert code == 2 and "Traceback" not in output
    assert "does not exist" in output


def _three_required_venues(folder: Path) -> Path:
    """20 C companies fill at most two cohorts, but three venues must each host one."""
    venues = [
        {"venue_id": "herning", "name": "Herning", "lat": HERNING[0], "lon": HERNING[1]},
        {"venue_id": "aarhus", "name": "Aarhus", "lat": AARHUS[0], "lon": AARHUS[1]},
        {"venue_id": "skive", "name": "Skive", "lat": 56.567, "lon": 9.027},
    ]
    for venue in venues:
        venue["status"] = "required"
    make_folder(folder, venues=venues)
    toml = folder / "round.toml"
    toml.write_text(toml.read_text().replace("max_venues = 2", "max_venues = 3"))
    return folder


def _assert_everyone_unplaced(folder: Path) -> None:
    roster = Roster.from_json((folder / "out" / "roster.json").read_text(encoding="utf-8"))
    assert roster.cohorts == [] and roster.summary.placed == 0
    assert len(roster.unplaced) == 22
    assert roster.solver.status.value in ("INFEASIBLE", "TIME_LIMIT")


def test_no_roster_still_writes_roster_json_and_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import camp_planner.scheduler as scheduler
    from camp_planner.scheduler.prepare import prepare
    from camp_planner.scheduler.result import empty_roster

    def infeasible(problem, **_: object) -> Roster:  # noqa: ANN001
        return empty_roster(prepare(problem), 0.0, "INFEASIBLE", 10.0)

    monkeypatch.setattr(scheduler, "solve", infeasible)
    folder = _three_required_venues(tmp_path / "plan")
    code, output = run("roster", str(folder), "--time-limit", "10")
    assert code == 1 and "Traceback" not in output
    assert "No roster: no roster satisfies the round's rules" in " ".join(output.split())
    _assert_everyone_unplaced(folder)


def test_infeasible_round_with_the_real_solver(tmp_path: Path) -> None:
    folder = _three_required_venues(tmp_path / "plan")
    code, output = run("roster", str(folder), "--time-limit", "10")
    assert code == 1 and "Traceback" not in output
    _assert_everyone_unplaced(folder)


_CLOSED = [
    {"venue_id": v, "name": v, "lat": lat, "lon": lon, "status": "closed"}
    for v, (lat, lon) in (("herning", HERNING), ("aarhus", AARHUS))
]
_FAR = [{"venue_id": "cph", "name": "København", "lat": 55.676, "lon": 12.568}]


@pytest.mark.parametrize(
    ("variant", "said"),
    [
        # Ten days: no module day has a lab day 14-42 days later inside the round.
        ({"end": "2027-01-14"}, "is too short for even one cohort"),
        # Every venue closed: roster used to report OPTIMAL with nobody placed.
        ({"venues": _CLOSED}, "Every venue is closed"),
        # The only venue is ~230 km from everybody; the limit is 100 km.
        ({"venues": _FAR, "max_travel_km": 100}, "every one is farther than max_travel_km"),
    ],
)
@pytest.mark.parametrize("command", ["check", "roster"])
def test_check_reports_what_roster_refuses(
    tmp_path: Path, command: str, variant: dict[str, object], said: str
) -> None:
    folder = make_folder(tmp_path / "plan", **variant)  # type: ignore[arg-type]
    code, output = (
        run(command, str(folder), "--time-limit", "5")
        if command == "roster"
        else run(command, str(folder))
    )
    assert code == 2 and "Traceback" not in output
    assert said in " ".join(output.split())
    assert not (folder / "out").exists()


def test_the_solver_gets_the_time_left_less_the_writing():
    from camp_planner.cli.roster import solver_time
    from tests.helpers.sched_build import co, rnd, ve

    def problem(n):
        from camp_planner.models import PlanningProblem

        return PlanningProblem(
            round=rnd(), companies=tuple(co(f"c{i}") for i in range(n)), venues=(ve("v"),)
        )

    assert solver_time(problem(1000), 60.0) == pytest.approx(55.0)  # 1 s + 4 ms x 1,000
    assert solver_time(problem(10), 60.0) == pytest.approx(58.96)
    assert solver_time(problem(1000), 8.0) == pytest.approx(6.0)  # at most a quarter
    assert solver_time(problem(10), 0.5) == 1.0  # at least a second
