"""`camp-planner next-round`: the next round's folder from the last roster.

The fixture (tests.helpers.roster_fixture): 27 companies; C01 Module 1 (ids 0-7), C02 and
C03 Module 2 (ids 8-23), id 24 segment_too_small, id 25 track_complete, id 26 capacity.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import camp_planner.cli as cli
from camp_planner.io.folder import load_folder
from camp_planner.models import Step
from camp_planner.outputs.writers import write_roster_json
from tests.checker import check_next_round
from tests.helpers.roster_fixture import make_problem, make_roster, write_folder

NEXT_ROUND = 'name = "2027-Q2"\nstart = 2027-04-05\nend = 2027-06-25\n'


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli.app, list(args))
    return result.exit_code, result.output


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    problem = make_problem()
    path = write_folder(problem, tmp_path / "plan")
    write_roster_json(make_roster(problem), path / "out" / "roster.json")
    (tmp_path / "q2.toml").write_text(NEXT_ROUND, encoding="utf-8")
    return path


def _next(folder: Path, out: Path, *extra: str) -> tuple[int, str]:
    return run(
        "next-round",
        str(folder),
        "--roster",
        str(folder / "out" / "roster.json"),
        "--round",
        str(folder.parent / "q2.toml"),
        "--out",
        str(out),
        *extra,
    )


def _rows(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["company_id"]: row for row in csv.DictReader(handle)}


def test_completed_and_waiting_carried_over(folder: Path, tmp_path: Path) -> None:
    problem = make_problem()
    ids = [c.company_id for c in problem.companies]
    absent = tmp_path / "absent.csv"
    absent.write_text(f"company_id\n{ids[0]}\n", encoding="utf-8")
    code, output = _next(folder, tmp_path / "q2", "--absent", str(absent))
    assert code == 0, output
    rows = _rows(tmp_path / "q2" / "companies.csv")
    assert len(rows) == 27  # nobody lost
    # Module 1 attended (ids 1-7): module1;lab1; the absent one (id 0) is unchanged and waits.
    assert {rows[i]["completed"] for i in ids[1:8]} == {"module1;lab1"}
    assert rows[ids[0]]["completed"] == "" and rows[ids[0]]["waiting_since"] == "2027-01-04"
    # Module 2 attended (ids 8-23): module2 and lab2 join what they had (module1).
    assert {rows[i]["completed"] for i in ids[8:24]} == {"module1;module2;lab2"}
    # Still waiting: segment too small (24) and capacity (26); track complete (25) does not.
    assert rows[ids[24]]["waiting_since"] == "2027-01-04"
    assert rows[ids[26]]["waiting_since"] == "2027-01-04"
    assert rows[ids[25]]["waiting_since"] == ""
    assert (tmp_path / "q2" / "round.toml").read_text(encoding="utf-8") == NEXT_ROUND
    nxt = load_folder(tmp_path / "q2")
    assert nxt.round.name == "2027-Q2"
    by_id = {c.company_id: c for c in nxt.companies}
    assert by_id[ids[1]].completed == {Step.MODULE1, Step.LAB1}
    assert by_id[ids[26]].waiting_since is not None


def test_earlier_waiting_since_is_kept_and_rerun_gives_the_same_files(
    folder: Path, tmp_path: Path
) -> None:
    # Run once, then plan the same round again from the result: identical bytes each time.
    assert _next(folder, tmp_path / "a")[0] == 0
    assert _next(folder, tmp_path / "a")[0] == 0  # onto its own earlier output
    assert _next(folder, tmp_path / "b")[0] == 0
    for name in ("companies.csv", "venues.csv", "round.toml"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_a_roster_of_another_folder_is_refused(folder: Path, tmp_path: Path) -> None:
    roster = make_roster(make_problem()).model_copy(update={"round": "2026-Q4"})
    write_roster_json(roster, folder / "out" / "roster.json")
    code, output = _next(folder, tmp_path / "q2")
    assert code == 2 and "Traceback" not in output
    assert "does not belong" in " ".join(output.split())
    assert not (tmp_path / "q2").exists()


def test_a_new_round_before_the_old_one_ends_is_refused(folder: Path, tmp_path: Path) -> None:
    (folder.parent / "q2.toml").write_text(
        'name = "x"\nstart = 2027-03-01\nend = 2027-05-01\n', encoding="utf-8"
    )
    code, output = _next(folder, tmp_path / "q2")
    assert code == 2 and "before the old one ends" in " ".join(output.split())
    assert not (tmp_path / "q2").exists()


def _add_columns(path: Path, values: dict[str, dict[str, str]]) -> None:
    """Add columns to companies.csv: company_id -> column -> value."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    columns = list(rows[0]) + sorted({c for v in values.values() for c in v} - set(rows[0]))
    for row in rows:
        row.update(values.get(row["company_id"], {}))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, restval="")
        writer.writeheader()
        writer.writerows(rows)


def test_waiting_dates_pass_the_independent_check(folder: Path, tmp_path: Path) -> None:
    """Issue 23 item 1 end to end: placed companies start waiting at the round's end (the
    fixture's B companies after Module 1 wait for Module 2), the C cohort and the Module 2
    cohorts have no step left, a late sign-up waits from its available_from, one with a
    sign-up day from that day; and the printed counts say so."""
    ids = [c.company_id for c in make_problem().companies]
    _add_columns(
        folder / "companies.csv",
        {
            ids[24]: {"available_from": "2027-02-01", "waiting_since": ""},
            ids[26]: {"signed_up": "2027-02-10"},
        },
    )
    problem = load_folder(folder)
    code, output = _next(folder, tmp_path / "q2")
    assert code == 0, output
    rows = _rows(tmp_path / "q2" / "companies.csv")
    roster = json.loads((folder / "out" / "roster.json").read_text(encoding="utf-8"))
    assert check_next_round(problem.round, problem.companies, roster, rows) == []
    assert rows[ids[24]]["waiting_since"] == "2027-02-01"  # not the round's start
    assert rows[ids[26]]["waiting_since"] == "2027-02-10"
    # 24 placed (C01's 8 C companies, C02/C03's 16 Module 2): nobody has a step left; 2 wait.
    text = " ".join(output.split())
    assert "24 companies have a step more done (0 of them wait for Module 2" in text
    assert (
        "2 still wait for their step (0 since earlier, 0 from 2027-01-04, 1 from their "
        "sign-up, 1 from their available_from)" in text
    )


def test_the_checker_catches_a_stale_waiting_date(folder: Path, tmp_path: Path) -> None:
    """The check is not vacuous: a Module 2 company keeping its old date is an error."""
    problem = load_folder(folder)
    assert _next(folder, tmp_path / "q2")[0] == 0
    rows = _rows(tmp_path / "q2" / "companies.csv")
    roster = json.loads((folder / "out" / "roster.json").read_text(encoding="utf-8"))
    victim = problem.companies[10].company_id
    rows[victim] = dict(rows[victim], waiting_since="2026-10-01")
    errors = check_next_round(problem.round, problem.companies, roster, rows)
    assert errors == [f"{victim}: no step left, yet waiting since 2026-10-01"]
