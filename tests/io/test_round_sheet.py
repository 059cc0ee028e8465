"""The round's settings on a workbook sheet `round`/`runde` (issue 17, item 1): read as
round.toml is (the same RoundConfig and problems), Danish key names, round.toml first."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from camp_planner.demo.generator import packaged_demo
from camp_planner.io.errors import InputError
from camp_planner.io.folder import load_folder, load_folder_with_notes
from camp_planner.models import Level


def _sheet_rows(workbook: Workbook, name: str, rows: list[list[object]]) -> None:
    sheet = workbook.create_sheet(name)
    for row in rows:
        sheet.append(row)


def _folder(tmp_path: Path, name: str, rows: list[list[object]], toml: bool = False) -> Path:
    """A folder with plan.xlsx: the demo's companies and venues and a settings sheet."""
    files = packaged_demo()
    book = Workbook()
    book.remove(book.active)
    for kind in ("companies", "venues"):
        lines = [line.split(",") for line in files[f"{kind}.csv"].splitlines()]
        _sheet_rows(book, kind, lines)  # type: ignore[arg-type]
    _sheet_rows(book, name, rows)
    buffer = io.BytesIO()
    book.save(buffer)
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "plan.xlsx").write_bytes(buffer.getvalue())
    if toml:
        (folder / "round.toml").write_text(files["round.toml"], "utf-8")
    return folder


def test_the_sheet_in_english_keys(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["key", "value"],
        ["name", "Forår 2027"],
        ["start", "01-02-2027"],
        ["end", date(2027, 4, 30)],
        ["cohort_max", 12],
        ["facilitator_unavailable", "15-02-2027; 16-02-2027"],
        ["lab_gap_days", "14-35"],
        ["level_priority", "A=2; B=1"],
        ["online_cohorts", "true"],
        ["mix_levels", "A+B"],
    ]
    config = load_folder(_folder(tmp_path, "round", rows)).round
    assert config.name == "Forår 2027"
    assert (config.start, config.end) == (date(2027, 2, 1), date(2027, 4, 30))
    assert config.cohort_max == 12
    assert config.facilitator_unavailable == {date(2027, 2, 15), date(2027, 2, 16)}
    assert tuple(config.lab_gap_days) == (14, 35)
    assert config.level_priority[Level.A] == 2 and config.level_priority[Level.B] == 1
    assert config.online_cohorts is True
    assert [str(getattr(m, "value", m)) for m in config.mix_levels] == ["A+B"]


def test_the_sheet_runde_in_danish_keys_without_a_header(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["navn", "Efterår 2027"],
        ["første_dag", "06-09-2027"],
        ["sidste_dag", "26-11-2027"],
        ["hold_min", "6"],
        ["onlinehold", "ja"],
        ["sprog", "da"],
        ["bland_aldersgrupper", "A; B"],
    ]
    config = load_folder(_folder(tmp_path, "Runde", rows)).round
    assert config.name == "Efterår 2027" and config.start == date(2027, 9, 6)
    assert config.cohort_min == 6 and config.online_cohorts is True
    assert config.language == "da"
    assert sorted(level.value for level in config.mix_age_groups) == ["A", "B"]


def test_every_problem_of_the_sheet_with_its_row(tmp_path: Path) -> None:
    rows: list[list[object]] = [
        ["nøgle", "værdi"],
        ["navn", "X"],
        ["første_dag", "2027-02-30"],
        ["sidste_dag", "2027-04-30"],
        ["hold_max", "mange"],
        ["onlinehold", "måske"],
        ["navn", "Y"],
        ["ukendt", "1"],
    ]
    with pytest.raises(InputError) as caught:
        load_folder(_folder(tmp_path, "runde", rows))
    problems = {(p.file, p.row, p.column) for p in caught.value.problems}
    assert ("plan.xlsx:runde", 3, "første_dag") in problems
    assert ("plan.xlsx:runde", 5, "hold_max") in problems
    assert ("plan.xlsx:runde", 6, "onlinehold") in problems
    assert ("plan.xlsx:runde", 7, "navn") in problems  # the second name


def test_round_toml_comes_first_with_a_note(tmp_path: Path) -> None:
    rows: list[list[object]] = [["key", "value"], ["name", "Not this"]]
    problem, notes = load_folder_with_notes(_folder(tmp_path, "round", rows, toml=True))
    assert problem.round.name != "Not this"
    assert any("round.toml is used; the sheet 'round' of plan.xlsx is ignored" in n for n in notes)


def test_without_a_sheet_or_round_toml_the_problem_is_as_before(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        load_folder(_folder(tmp_path, "other", [["a", "b"]]))
    assert any(p.file == "round.toml" for p in caught.value.problems)
