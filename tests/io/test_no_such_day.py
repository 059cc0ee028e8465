"""A date written right that is no day of the calendar is answered "this day does not
exist" (issue 18), not with the list of accepted formats."""

from __future__ import annotations

from pathlib import Path

import pytest

from camp_planner.demo.generator import write_demo_folder
from camp_planner.io.errors import InputError
from camp_planner.io.folder import load_folder
from camp_planner.io.tables import NoSuchDayError, parse_date


@pytest.mark.parametrize(
    ("text", "days"), [("31-02-2019", 28), ("29.2.2019", 28), ("2019-02-30", 28),
                       ("29-02-2020x", None), ("31-04-2027", 30), ("2028-02-30", 29)],
)  # fmt: skip
def test_no_such_day(text: str, days: int | None) -> None:
    if days is None:  # not a date at all: no answer about days
        assert parse_date(text) is None
        return
    with pytest.raises(NoSuchDayError) as info:
        parse_date(text)
    assert info.value.message.render("en").endswith(f"(the month has {days} days)")
    assert "denne dag findes ikke" in info.value.message.render("da")


@pytest.mark.parametrize("text", ["32-01-2019", "12-13-2019", "2019-13-01", "00-01-2019"])
def test_not_a_date_is_not_a_missing_day(text: str) -> None:
    assert parse_date(text) is None


def test_the_folder_problem_says_the_day_does_not_exist(tmp_path: Path) -> None:
    folder = write_demo_folder(tmp_path / "demo")
    path = folder / "companies.csv"
    lines = path.read_text("utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("founded")] = "31-02-2019"
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", "utf-8")
    with pytest.raises(InputError) as info:
        load_folder(folder)
    [problem] = info.value.problems
    assert (problem.row, problem.column, problem.value) == (2, "founded", "31-02-2019")
    assert "this day does not exist" in str(problem.expected)
    assert "DD-MM" not in str(problem.expected) and "ISO" not in str(problem.expected)
