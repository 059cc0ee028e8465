"""A workbook of any name is the planning workbook when its sheets' columns say so, and
problems name the columns and the file as the person wrote them (issue 18): a
Danish-headed "Tilmeldinger forår.xlsx" in the folder and in the web upload."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from camp_planner.demo.generator import write_demo_folder
from camp_planner.io.errors import InputError
from camp_planner.io.folder import load_folder, load_folder_with_messages
from camp_planner.web.uploads import Upload, assign_files, load_plan_folder, save_plan_files

NAME = "Tilmeldinger forår.xlsx"
COMPANY_HEADERS = {"company_id": "CVR-nummer", "name": "Virksomhedsnavn", "town": "By",
                   "lat": "Breddegrad", "lon": "Længdegrad", "founded": "Stiftet",
                   "level": "Niveau", "participants": "Antal deltagere",
                   "priority": "Prioritet"}  # fmt: skip
VENUE_HEADERS = {"venue_id": "Sted-ID", "name": "Navn", "town": "By", "lat": "Breddegrad",
                 "lon": "Længdegrad", "residential": "Overnatning"}  # fmt: skip


def _workbook(demo: Path, path: Path, change: dict[tuple[int, str], str] | None = None) -> None:
    """The demo's tables in one workbook with Danish headers and sheets named Ark1/Ark2
    (Excel's defaults: the names say nothing); `change`: (data row, column) -> text."""
    companies = pd.read_csv(demo / "companies.csv", dtype=str, keep_default_na=False)
    venues = pd.read_csv(demo / "venues.csv", dtype=str, keep_default_na=False)
    for (row, column), text in (change or {}).items():
        companies.loc[row, column] = text
    with pd.ExcelWriter(path) as writer:
        companies.rename(columns=COMPANY_HEADERS).to_excel(writer, sheet_name="Ark1", index=False)
        venues.rename(columns=VENUE_HEADERS).to_excel(writer, sheet_name="Ark2", index=False)


def _folder(tmp_path: Path, change: dict[tuple[int, str], str] | None = None) -> Path:
    demo = write_demo_folder(tmp_path / "demo")
    folder = tmp_path / "plan"
    folder.mkdir()
    (folder / "round.toml").write_bytes((demo / "round.toml").read_bytes())
    _workbook(demo, folder / NAME, change)
    return folder


def test_a_danish_workbook_of_any_name_is_the_planning_workbook(tmp_path: Path) -> None:
    expected = load_folder(write_demo_folder(tmp_path / "same"))
    folder = _folder(tmp_path)
    problem, notes = load_folder_with_messages(folder)
    assert [c.company_id for c in problem.companies] == [c.company_id for c in expected.companies]
    assert [v.venue_id for v in problem.venues] == [v.venue_id for v in expected.venues]
    shown = [str(n) for n in notes]
    assert f"{NAME} is read as the planning workbook (by its sheets' columns)" in shown
    assert f"{NAME}: sheet 'Ark1' read as the companies (by its columns)" in shown
    assert any("læses som planlægningens projektmappe" in n.render("da") for n in notes)


def test_two_workbooks_that_both_could_be_it_are_neither(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    (folder / "kopi.xlsx").write_bytes((folder / NAME).read_bytes())
    with pytest.raises(InputError) as caught:
        load_folder(folder)
    assert {p.file for p in caught.value.problems} == {"companies.csv", "venues.csv"}


BAD = {(1, "founded"): "31-02-2019", (2, "level"): "D", (3, "lat"): "x"}


def _assert_named_as_written(problems: list, file: str) -> None:
    by_column = {p.column: p for p in problems}
    assert set(by_column) == {"Stiftet", "Niveau", "Breddegrad"}, problems
    assert {p.file for p in problems} == {file}
    assert (by_column["Stiftet"].row, by_column["Stiftet"].value) == (3, "31-02-2019")
    assert "this day does not exist (the month has 28 days)" in by_column["Stiftet"].expected
    assert by_column["Niveau"].row == 4 and by_column["Breddegrad"].row == 5
    assert "dag findes ikke" in by_column["Stiftet"].expected_in("da")


def test_problems_name_the_columns_and_the_file_as_written(tmp_path: Path) -> None:
    folder = _folder(tmp_path, BAD)
    with pytest.raises(InputError) as caught:
        load_folder(folder)
    _assert_named_as_written(caught.value.problems, f"{NAME}:Ark1")


def test_the_upload_names_the_file_the_person_chose(tmp_path: Path) -> None:
    source = _folder(tmp_path, BAD)
    assigned = assign_files(
        [
            Upload("files", NAME, (source / NAME).read_bytes()),
            Upload("files", "runde.toml", (source / "round.toml").read_bytes()),
        ]
    )
    assert not assigned.problems and set(assigned.files) == {"plan.xlsx", "round.toml"}
    kept = tmp_path / "kept"
    kept.mkdir()
    assert save_plan_files(assigned.files, kept, assigned.names) == ["plan.xlsx", "round.toml"]
    with pytest.raises(InputError) as caught:
        load_plan_folder(kept)
    _assert_named_as_written(caught.value.problems, f"{NAME}:Ark1")
    # a file replaced since (a later version's) is called by its own name again
    (kept / "plan.xlsx").write_bytes((kept / "plan.xlsx").read_bytes() + b"\0")
    with pytest.raises(InputError) as replaced:
        load_plan_folder(kept)
    assert {p.file for p in replaced.value.problems} == {"plan.xlsx:Ark1"}
    # the same workbook without mistakes reads as the folder does
    good = tmp_path / "good"
    _workbook(write_demo_folder(tmp_path / "d2"), tmp_path / NAME)
    good.mkdir()
    upload = assign_files([Upload("files", NAME, (tmp_path / NAME).read_bytes())])
    save_plan_files(
        {**upload.files, "round.toml": (source / "round.toml").read_bytes()}, good, upload.names
    )
    problem, notes = load_plan_folder(good)
    assert len(problem.companies) == len(load_folder(source.parent / "demo").companies)
    assert any(NAME in str(n) for n in notes)
