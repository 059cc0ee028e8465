"""`camp-planner score scorecards.csv --out levels.csv` (CONTRACT.md, "Scoring")."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest
from rich.console import Console
from typer.testing import CliRunner

from camp_planner.cli import app
from camp_planner.cli.score import run_score
from camp_planner.io.scorecards import ScorecardInputError, read_scorecards

HEADER = "company_id,name,ambition,scalability,organisation,market,financing,technology,role_model"
runner = CliRunner()


def _write(path: Path, *rows: str, header: str = HEADER) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_happy_path_writes_levels_csv(tmp_path: Path) -> None:
    scorecards = _write(
        tmp_path / "scorecards.csv",
        "00123456,Alfa,A,A,A,A,A,A,A",  # all A: 100 / 100 / 100 -> A
        "00234567,Beta,A,B,A,B,B,B,",  # A 40+10 = 50; B 90 -> B
        "3,Gamma,C,c, C ,,,,",  # C: 40+10+10 + role_model 10 = 70 -> C
        "4,Delta,,,,,,,",  # C: role_model only, 10 -> below C
    )
    out = tmp_path / "levels.csv"
    result = runner.invoke(app, ["score", str(scorecards), "--out", str(out)])
    assert result.exit_code == 0, result.output
    levels = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(levels.columns) == [
        "company_id",
        "level",
        "score_A",
        "score_B",
        "score_C",
        "explanation",
    ]
    assert list(levels["company_id"]) == ["00123456", "00234567", "3", "4"]
    assert list(levels["level"]) == ["A", "B", "C", "below_C"]
    assert list(levels["score_A"]) == ["100", "50", "0", "0"]
    assert list(levels["score_B"]) == ["100", "90", "0", "0"]
    assert list(levels["score_C"]) == ["100", "100", "70", "10"]
    assert levels["explanation"][1].startswith("B: meets B (score 90 %). Missing for A")
    assert "Scored 4 companies" in result.stdout
    assert "name" in result.stdout  # the ignored column is noted
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_young_column_and_output_folder(tmp_path: Path) -> None:
    scorecards = _write(
        tmp_path / "scorecards.csv",
        "1,A,A,A,B,,,,true",  # young: market B meets A -> 40+10+10+10 = 70 -> A
        "2,A,A,A,B,,,,false",  # established: 60 at A, 70 at B -> B
        header="company_id,ambition,scalability,organisation,market,financing,technology,"
        "role_model,young",
    )
    result = runner.invoke(app, ["score", str(scorecards), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    levels = pd.read_csv(tmp_path / "levels.csv", dtype=str)
    assert list(levels["level"]) == ["A", "B"]


def test_bad_file_lists_every_problem(tmp_path: Path) -> None:
    scorecards = _write(
        tmp_path / "scorecards.csv",
        "1,Alfa,D,A,A,A,A,A,A",  # row 2: unknown level D
        "2,Beta,A,A,A,A,A,A,A",  # row 3: fine
        "2,Gamma,A,A,A,A,A,A,A",  # row 4: duplicate id (also in row 3)
        ",Delta,A,A,A,A,A,A,AA",  # row 5: empty id, bad role_model
    )
    result = runner.invoke(app, ["score", str(scorecards), "--out", str(tmp_path / "o.csv")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)
    assert "4 problem(s)" in result.stderr
    lines = result.stderr.splitlines()
    for row, column, value in [
        (2, "ambition", "'D'"),
        (4, "company_id", "'2'"),
        (5, "company_id", "''"),
        (5, "role_model", "'AA'"),
    ]:
        assert any(f"│ {row} " in ln and column in ln and value in ln for ln in lines), row
    assert "also in row 3" in result.stderr
    assert not (tmp_path / "o.csv").exists()


def test_problems_carry_row_numbers(tmp_path: Path) -> None:
    scorecards = _write(
        tmp_path / "s.csv",
        "1,Alfa,A,A,A,A,A,A,A",
        "",  # a blank line is skipped but still counts as spreadsheet row 3
        "2,Beta,A,A,E,A,A,A,A",  # row 4
        "3,Gamma,A,A,A,A,A,A,F",  # row 5
    )
    with pytest.raises(ScorecardInputError) as info:
        read_scorecards(scorecards)
    assert [(p.row, p.column, p.value) for p in info.value.problems] == [
        (4, "organisation", "E"),
        (5, "role_model", "F"),
    ]


def _run(file: Path, out: Path) -> tuple[int, str]:
    buffer = io.StringIO()
    err = Console(file=buffer, width=200)
    code = run_score(file, out, Console(file=io.StringIO()), err)
    return code, buffer.getvalue()


def test_missing_columns_are_listed(tmp_path: Path) -> None:
    scorecards = _write(tmp_path / "s.csv", "1,A,B", header="company_id,ambition,market")
    code, err = _run(scorecards, tmp_path / "levels.csv")
    assert code == 2
    for column in ("scalability", "organisation", "financing", "technology", "role_model"):
        assert f"a column named {column}" in err


def test_missing_file_is_a_clean_error(tmp_path: Path) -> None:
    code, err = _run(tmp_path / "nope.csv", tmp_path / "levels.csv")
    assert code == 2
    assert "an existing scorecards file" in err
    result = runner.invoke(app, ["score", str(tmp_path / "nope.csv")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_empty_file_is_a_clean_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    code, err = _run(empty, tmp_path / "levels.csv")
    assert code == 2
    assert "header row" in err


def test_semicolon_csv_with_figures(tmp_path: Path) -> None:
    # Danish Excel: semicolons and decimal commas. Ambition from figures 12 %/year within
    # 2 years -> A (40) + scalability, organisation A (20) + export share 0,30 -> market A (10)
    # = 70 -> A.
    scorecards = tmp_path / "s.csv"
    scorecards.write_text(
        "company_id;ambition;scalability;organisation;market;financing;technology;role_model;"
        "growth_pct;growth_horizon_years;export_share\n"
        "0042;;A;A;;;;;12;2;0,30\n",
        encoding="utf-8",
    )
    code, err = _run(scorecards, tmp_path / "levels.csv")
    assert code == 0, err
    levels = pd.read_csv(tmp_path / "levels.csv", dtype=str)
    assert levels.loc[0, "company_id"] == "0042"
    assert levels.loc[0, "level"] == "A"
    assert levels.loc[0, "score_A"] == "70"
