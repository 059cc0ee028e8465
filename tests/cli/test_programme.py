"""`camp-planner programme`: the demo's two rounds end to end, and a bad programme.toml."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

import camp_planner.cli as cli
from camp_planner.demo.generator import write_demo_folder
from camp_planner.models import RoundConfig
from tests.checker import check_programme


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli.app, list(args))
    return result.exit_code, result.output


def test_demo_programme_writes_every_file_and_is_valid(tmp_path: Path) -> None:
    from camp_planner.io.folder import load_folder

    folder = write_demo_folder(tmp_path / "demo")
    code, output = run("programme", str(folder), "--time-limit", "20")
    assert code == 0, output
    text = " ".join(output.split())
    assert "Next step planned for" in text and "complete their track" in text
    out = folder / "out"
    document = json.loads((out / "programme.json").read_text(encoding="utf-8"))
    assert document["rounds"] == ["2027-Q1", "2027-Q2"]
    rosters = [
        json.loads((out / "rounds" / name / "roster.json").read_text(encoding="utf-8"))
        for name in document["rounds"]
    ]
    problem = load_folder(folder)
    rounds = [
        RoundConfig(**{**problem.round.model_dump(), "name": "2027-Q1"}),
        RoundConfig(
            **{
                **problem.round.model_dump(),
                "name": "2027-Q2",
                "start": "2027-04-05",
                "end": "2027-06-25",
                "facilitator_unavailable": ["2027-05-14"],
            }
        ),
    ]
    assert check_programme(rounds, problem.companies, problem.venues, document, rosters) == []
    book = openpyxl.load_workbook(out / "programme.xlsx")
    sheet = book["timeline"]
    assert sheet.max_row == len(problem.companies) + 1
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["company_id", "name", "Module 1"]
    for name in document["rounds"]:
        assert (out / "rounds" / name / "roster.xlsx").is_file()


def test_a_bad_programme_toml_is_every_problem_at_once(tmp_path: Path) -> None:
    folder = write_demo_folder(tmp_path / "demo")
    (folder / "programme.toml").write_text(
        '[[round]]\nname = "a"\nstart = 2027-04-05\nend = 2027-03-01\ncohort_min = 0\n\n'
        '[[round]]\nname = "a"\nstart = 2027-01-04\nend = 2027-02-26\n',
        encoding="utf-8",
    )
    code, output = run("programme", str(folder), "--time-limit", "5")
    assert code == 2 and "Traceback" not in output
    text = " ".join(output.split())
    assert "cohort_min" in text and "end" in text and "different name" in text
    assert not (folder / "out" / "programme.json").exists()
