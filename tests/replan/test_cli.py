"""`camp-planner replan` and `camp-planner fit` on a small folder: exit codes, files,
sentences (never a traceback)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

import camp_planner.cli as cli
from camp_planner.io.folder import load_folder
from camp_planner.outputs.writers import write_roster_json
from tests.replan.build import cohort, published

ROUND = """name = "T"
start = 2027-01-04
end = 2027-03-26
cohort_min = 2
cohort_max = 3
[change_cost]
moved = 10
"""
A, B = (56.0, 9.5), (56.1, 9.5)


@pytest.fixture(autouse=True)
def wide_consoles(monkeypatch: pytest.MonkeyPatch) -> None:
    from rich.console import Console

    monkeypatch.setattr(cli, "console", Console(width=300))
    monkeypatch.setattr(cli, "err_console", Console(width=300, stderr=True))


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli.app, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def write(folder: Path, ids: list[tuple[str, tuple[float, float]]]) -> None:
    lines = ["company_id,name,lat,lon,young,level"]
    lines += [f"{cid},Firma {cid},{at[0]},{at[1]},false,C" for cid, at in ids]
    (folder / "companies.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return make_folder(tmp_path)


def make_folder(tmp_path: Path) -> Path:
    """The planning folder of these tests, with its published roster in out/roster.json."""
    path = tmp_path / "plan"
    path.mkdir()
    (path / "round.toml").write_text(ROUND, encoding="utf-8")
    (path / "venues.csv").write_text(
        f"venue_id,name,lat,lon\nA,Aby,{A[0]},{A[1]}\nB,Bby,{B[0]},{B[1]}\n", encoding="utf-8"
    )
    write(path, [("a0", A), ("a1", A), ("a2", A), ("b0", B), ("b1", B)])
    problem = load_folder(path)
    roster = published(
        problem,
        [
            cohort("C01", "A", ["a0", "a1", "a2"], ["2027-01-12"], "2027-02-02"),
            cohort("C02", "B", ["b0", "b1"], ["2027-01-13"], "2027-02-03"),
        ],
    )
    write_roster_json(roster, path / "out" / "roster.json")
    return path


def test_replan_writes_the_roster_and_changes(folder: Path):
    write(folder, [("a1", A), ("a2", A), ("b0", B), ("b1", B), ("n0", B)])
    code, output = run(
        "replan", folder, "--published", folder / "out" / "roster.json", "--as-of", "2027-01-01"
    )
    assert code == 0, output
    assert "1 company withdrew, 1 late sign-up placed, nobody lost a place" in output
    assert "change_cost" not in output  # not noted as an unknown round.toml key
    out = folder / "replan"
    for name in ("roster.json", "roster.xlsx", "participants.csv", "map.html", "changes.csv"):
        assert (out / name).exists(), name
    with open(out / "changes.csv", encoding="utf-8-sig") as handle:
        rows = {r["company_id"]: r["change"] for r in csv.DictReader(handle)}
    # a0 left C01 and n0 joined C02: both cohorts' invitations say other numbers now, so
    # they are sent again (SEQUENCE 1) and every member who gets one is in changes.csv.
    assert rows == {
        "a0": "withdrawn",
        "n0": "new",
        **dict.fromkeys(("a1", "a2", "b0", "b1"), "members"),
    }
    for cohort_id, members in (("C01", {"a1", "a2"}), ("C02", {"b0", "b1", "n0"})):
        ics = (out / "invitations" / f"{cohort_id}.ics").read_text(encoding="utf-8")
        assert "SEQUENCE:1" in ics and members <= set(rows)


def test_a_danish_rounds_changes_csv_is_for_danish_excel(folder: Path):
    """CONTRACT "Danish CSV files": with language = "da", changes.csv has ';' between the
    fields (an English round's keeps ',', as the test above reads it)."""
    toml = (folder / "round.toml").read_text(encoding="utf-8")
    (folder / "round.toml").write_text('language = "da"\n' + toml, encoding="utf-8")
    write(folder, [("a1", A), ("a2", A), ("b0", B), ("b1", B), ("n0", B)])
    code, output = run(
        "replan", folder, "--published", folder / "out" / "roster.json", "--as-of", "2027-01-01"
    )
    assert code == 0, output
    text = (folder / "replan" / "changes.csv").read_text(encoding="utf-8-sig")
    header = text.splitlines()[0]
    assert header.startswith("company_id;name;change;") and "," not in header
    with open(folder / "replan" / "changes.csv", encoding="utf-8-sig", newline="") as handle:
        rows = {r["company_id"]: r["change"] for r in csv.DictReader(handle, delimiter=";")}
    assert rows == {
        "a0": "withdrawn",
        "n0": "new",
        **dict.fromkeys(("a1", "a2", "b0", "b1"), "members"),
    }


def test_fit_lists_places_and_writes_fit_csv(folder: Path):
    write(folder, [("a0", A), ("a1", A), ("a2", A), ("b0", B), ("b1", B), ("n0", B)])
    target = folder / "fit.csv"
    code, output = run(
        "fit",
        folder,
        "--published",
        folder / "out" / "roster.json",
        "--company",
        "n0",
        "--as-of",
        "2027-01-01",
        "--out",
        target,
    )
    assert code == 0, output
    with open(target, encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["rank", "cohort_id", "venue_id", "dates", "travel_km", "moves", "note"]
    assert (rows[0]["rank"], rows[0]["cohort_id"], rows[0]["note"]) == ("1", "C02", "a free place")
    # C01 is full (3): n0 fits only if one of its members moves (to C02); a new cohort
    # needs a second person: one move too. Equal changes: n0's travel ranks them.
    c01 = next(r for r in rows if r["cohort_id"] == "C01")
    assert len(c01["moves"].split(";")) == 1 and c01["travel_km"] == "14.5"
    new = [r for r in rows if r["cohort_id"] == "new"]
    assert new[0]["rank"] == "2" and new[0]["venue_id"] == "B" and new[0]["moves"]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--published", "nowhere.json"], "No roster at"),
        (["--as-of", "31-31-2027"], "is not a date"),
        # the round ended on 26 March: nothing is left to replan (issue 23)
        (["--as-of", "2027-03-27"], "is after the round's end (2027-03-26)"),
        (["--pins", "PINS"], "a cohort_id of the published roster"),
    ],
)
def test_bad_requests_exit_2_with_a_sentence(folder: Path, args: list[str], words: str):
    (folder / "pins.csv").write_text("cohort_id,field\nC09,venue\n", encoding="utf-8")
    base = ["replan", folder, "--published", folder / "out" / "roster.json"]
    args = [str(folder / "pins.csv") if a == "PINS" else a for a in args]
    if args[0] == "--published":
        base = ["replan", folder]
    code, output = run(*base, *args)
    assert code == 2
    assert words in output


def test_a_roster_of_another_round_is_refused(folder: Path):
    (folder / "round.toml").write_text(ROUND.replace('"T"', '"U"'), encoding="utf-8")
    code, output = run("replan", folder, "--published", folder / "out" / "roster.json")
    assert code == 2 and "is the roster of round 'T'" in output


def test_pins_that_cannot_hold_exit_1_and_write_nothing(folder: Path):
    text = (folder / "venues.csv").read_text().replace("Aby,56.0,9.5", "Aby,56.0,9.5")
    lines = text.splitlines()
    lines[0] += ",unavailable"
    lines[1] += ",2027-01-12"
    lines[2] += ","
    (folder / "venues.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "pins.csv").write_text("cohort_id,field\nC01,venue\nC01,dates\n")
    code, output = run(
        "replan",
        folder,
        "--published",
        folder / "out" / "roster.json",
        "--as-of",
        "2027-01-01",
        "--pins",
        folder / "pins.csv",
    )
    assert code == 1
    assert "cannot all be kept together" in output and "Nothing was written" in output
    assert not (folder / "replan").exists()


def test_fit_of_an_unknown_company_exits_2(folder: Path):
    code, output = run(
        "fit", folder, "--published", folder / "out" / "roster.json", "--company", "zz"
    )
    assert code == 2 and "company zz is not in the planning folder" in output
