"""`camp-planner check`: every problem listed with its place, a summary on good input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from camp_planner.cli import app
from camp_planner.demo.generator import write_demo_folder
from camp_planner.models.groups import CANNOT_FILL, group_status

BAD_FOLDER = Path(__file__).parents[1] / "data" / "bad_folder"

#: The ten mistakes of tests/data/bad_folder (see its README.md): file, row, column.
TEN_MISTAKES = [
    ("companies.csv", 3, "level"),  # D is not a level
    ("companies.csv", 4, "company_id"),  # duplicate of row 2
    ("companies.csv", 5, "founded"),  # month 13
    ("companies.csv", 6, "lat"),  # outside Denmark
    ("companies.csv", 7, "town"),  # unknown town
    ("companies.csv", 8, "participants"),  # 5
    ("companies.csv", 9, "completed"),  # unknown step
    ("companies.csv", 10, "priority"),  # negative
    ("venues.csv", 3, "status"),  # not a status
    ("round.toml", 6, "cohort_max"),  # below cohort_min
]


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_ten_mistakes_are_all_listed() -> None:
    code, output = run("check", str(BAD_FOLDER))
    assert code == 2
    assert "Traceback" not in output
    assert "10 problems" in output
    for file, row, column in TEN_MISTAKES:
        line = re.compile(rf"{re.escape(file)}\s*│\s*{row}\s*│\s*{re.escape(column)}\s")
        assert line.search(output), (file, row, column)
    assert "Hinnerup" in output  # the unknown town's candidates


def test_missing_folder_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    code, output = run("check", str(tmp_path / "nowhere"))
    assert code == 2
    assert "Traceback" not in output and "existing planning" in output


def test_unreadable_round_toml(tmp_path: Path) -> None:
    folder = write_demo_folder(tmp_path / "demo")
    (folder / "round.toml").write_text('name = "x"\nstart = \n', encoding="utf-8")
    code, output = run("check", str(folder))
    assert code == 2 and "Traceback" not in output and "TOML" in output


def test_demo_folder_summary(tmp_path: Path) -> None:
    folder = write_demo_folder(tmp_path / "demo")
    code, output = run("check", str(folder))
    assert code == 0, output
    assert "Companies per next step" in output and "Venues" in output
    assert CANNOT_FILL in output
    assert "working days" in output and "track complete" in output
    assert "ringkobing" in output


@pytest.mark.parametrize(
    ("people", "status"),
    [(7, CANNOT_FILL), (8, "ok"), (10, "ok"), (11, "at most 10 of 11 people fit"), (16, "ok")],
)
def test_group_status(people: int, status: str) -> None:
    assert group_status(people, 8, 10) == status
