"""`camp-planner map`: the travel map of a roster.json, drawn from the planning folder.

The planning folder is written from the hand-made fixture of ``tests.helpers.roster_fixture`` (27
companies with æ/ø/å and "&" in their names) and its roster saved as ``out/roster.json``,
so no solve is needed here.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import camp_planner.cli as cli
from camp_planner.outputs.writers import write_roster_json
from tests.helpers.roster_fixture import make_problem, make_roster, write_folder


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    problem = make_problem()
    path = write_folder(problem, tmp_path / "plan")
    write_roster_json(make_roster(problem), path / "out" / "roster.json")
    return path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli.app, list(args))
    return result.exit_code, result.output


def _forms(text: str) -> set[str]:
    """How a string can appear in the page: raw, HTML-escaped or JSON-escaped."""
    return {text, html.escape(text), html.escape(text, quote=False), json.dumps(text)[1:-1]}


def test_map_writes_html_by_default_next_to_the_roster(folder: Path) -> None:
    code, output = run("map", str(folder))
    assert code == 0, output
    page = (folder / "out" / "map.html").read_text(encoding="utf-8")
    assert page.lstrip().lower().startswith("<!doctype html>")
    assert "CampMap.draw(" in page and "L.polyline" in page and "control.layers" in page.lower()
    assert any(form in page for form in _forms("Ølgod Robotics ApS"))
    assert str(folder / "out" / "map.html") in output


def test_map_with_roster_and_out(folder: Path, tmp_path: Path) -> None:
    moved = tmp_path / "elsewhere.json"
    (folder / "out" / "roster.json").rename(moved)
    target = tmp_path / "maps" / "plan.html"
    code, output = run("map", str(folder), "--roster", str(moved), "--out", str(target))
    assert code == 0, output
    assert target.is_file()


def test_anonymized_map_has_no_company_id_or_name(folder: Path, tmp_path: Path) -> None:
    target = tmp_path / "shared.html"
    code, output = run("map", str(folder), "--out", str(target), "--anonymize")
    assert code == 0, output
    page = target.read_text(encoding="utf-8")
    for company in make_problem().companies:
        for secret in (company.company_id, company.name):
            leaks = [form for form in _forms(secret) if form in page]
            assert not leaks, f"{secret!r} appears in the anonymized map"
    assert "Herning" in page  # venues are public


def test_missing_roster_exits_2(folder: Path) -> None:
    (folder / "out" / "roster.json").unlink()
    code, output = run("map", str(folder))
    assert code == 2 and "Traceback" not in output
    assert "No roster at" in output and "camp-planner roster" in output
    assert not (folder / "out" / "map.html").exists()


@pytest.mark.parametrize("text", ["{not json", '{"round": "2027-Q1"}', ""])
def test_bad_roster_json_exits_2(folder: Path, text: str) -> None:
    (folder / "out" / "roster.json").write_text(text, encoding="utf-8")
    code, output = run("map", str(folder))
    assert code == 2 and "Traceback" not in output
    assert "is not a roster.json" in output


def test_missing_folder_exits_2(tmp_path: Path) -> None:
    code, output = run("map", str(tmp_path / "nowhere"))
    assert code == 2 and "Traceback" not in output
    assert "does not exist" in output


def test_missing_assets_exits_2(folder: Path, tmp_path: Path) -> None:
    code, output = run("map", str(folder), "--assets", str(tmp_path / "no-assets"))
    assert code == 2 and "Traceback" not in output
    assert "Cannot write the map" in output
