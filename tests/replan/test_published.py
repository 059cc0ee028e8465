"""A roster knows what it is (issue 23, item 2): its kind and the folder's fingerprint in
roster.json; `replan` and `next-round` refuse a what-if or programme roster unless
`--adopt`; a company whose id changed since publishing is named as a likely rename."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from camp_planner.io.folder import load_folder
from camp_planner.models import Roster
from camp_planner.models.roster import RosterKind, fingerprint_of
from camp_planner.outputs.writers import write_roster_json
from camp_planner.replan import replan
from camp_planner.replan.published import likely_renames
from tests.replan.test_cli import A, B, make_folder, run, wide_consoles, write  # noqa: F401


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return make_folder(tmp_path)


NEXT = 'name = "T2"\nstart = 2027-04-05\nend = 2027-06-25\n'


def _rekind(path: Path, kind: str) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    data["kind"] = kind
    path.write_text(json.dumps(data), encoding="utf-8")


def _participants(folder: Path, ids: list[str]) -> None:
    lines = ["company_id,name", *(f"{i},Firma {i}" for i in ids)]
    (folder / "out" / "participants.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_fingerprint_is_the_folders(folder: Path) -> None:
    one, two = load_folder(folder), load_folder(folder)
    assert fingerprint_of(one) == fingerprint_of(two)
    assert fingerprint_of(one).startswith("sha256:") and len(fingerprint_of(one)) == 23
    write(folder, [("a0", A), ("a1", A), ("a2", A), ("b0", B), ("b1", (56.1, 9.6))])
    assert fingerprint_of(load_folder(folder)) != fingerprint_of(one)


def test_a_replan_is_of_kind_replan_with_the_folders_fingerprint(folder: Path) -> None:
    problem = load_folder(folder)
    published = Roster.from_json((folder / "out" / "roster.json").read_text(encoding="utf-8"))
    assert published.kind == RosterKind.ROSTER  # written before the key: reads as a roster
    result = replan(problem, published, date(2027, 1, 1), time_limit=10)
    data = json.loads(result.roster.to_json())
    assert data["kind"] == "replan"
    assert data["folder_fingerprint"] == fingerprint_of(problem)


def test_next_round_refuses_a_whatif_roster_then_adopts_it(folder: Path, tmp_path: Path) -> None:
    roster = folder / "out" / "roster.json"
    _rekind(roster, "whatif")
    (tmp_path / "t2.toml").write_text(NEXT, encoding="utf-8")
    args = ["next-round", folder, "--roster", roster, "--round", tmp_path / "t2.toml"]
    code, output = run(*args, "--out", tmp_path / "t2")
    assert code == 2
    assert "a what-if scenario's roster (kind 'whatif'), not a published roster" in output
    assert not (tmp_path / "t2").exists()
    code, output = run(*args, "--out", tmp_path / "t2", "--adopt")
    assert code == 0, output
    assert "is adopted: recorded as the published roster" in " ".join(output.split())
    data = json.loads(roster.read_text(encoding="utf-8"))
    assert data["kind"] == "roster" and data["adopted_from"]["kind"] == "whatif"
    code, output = run(*args, "--out", tmp_path / "t2b")  # now published: no --adopt needed
    assert code == 0, output


def test_replan_refuses_a_programme_roster(folder: Path) -> None:
    roster = folder / "out" / "roster.json"
    _rekind(roster, "programme")
    code, output = run("replan", folder, "--published", roster, "--as-of", "2027-01-01")
    assert code == 2 and "a programme's forecast of a round" in output
    assert not (folder / "replan").exists()
    code, output = run("replan", folder, "--published", roster, "--as-of", "2027-01-01", "--adopt")
    assert code == 0, output
    assert json.loads((folder / "replan" / "roster.json").read_text())["kind"] == "replan"


def test_a_changed_id_is_named_as_a_likely_rename(folder: Path) -> None:
    # a1's id became x1 in the sheet; its name (Firma a1) is the published a1's.
    _participants(folder, ["a0", "a1", "a2", "b0", "b1"])
    lines = (folder / "companies.csv").read_text(encoding="utf-8").splitlines()
    lines = [ln.replace("a1,Firma a1", "x1,Firma a1") for ln in lines]
    (folder / "companies.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    roster = folder / "out" / "roster.json"
    published = Roster.from_json(roster.read_text(encoding="utf-8"))
    found = likely_renames(load_folder(folder), published, {"a1": "FIRMA  a1"})
    assert [(r.old_id, r.new_id) for r in found] == [("a1", "x1")]
    code, output = run("replan", folder, "--published", roster, "--as-of", "2027-01-01")
    text = " ".join(output.split())
    assert code == 2
    assert "company 'Firma a1' has id x1 in the folder but a1 in the published roster" in text
    assert not (folder / "replan").exists()


def test_a_withdrawal_and_a_new_company_of_another_name_are_no_rename(folder: Path) -> None:
    _participants(folder, ["a0", "a1", "a2", "b0", "b1"])
    write(folder, [("a0", A), ("a2", A), ("b0", B), ("b1", B), ("n0", B)])
    published = Roster.from_json((folder / "out" / "roster.json").read_text(encoding="utf-8"))
    names = {f"{i}": f"Firma {i}" for i in ("a0", "a1", "a2", "b0", "b1")}
    assert likely_renames(load_folder(folder), published, names) == []


def test_write_keeps_the_keys(tmp_path: Path) -> None:
    """kind and folder_fingerprint survive a read and a write (keys added, none renamed)."""
    from tests.helpers.roster_fixture import make_problem, make_roster

    problem = make_problem()
    roster = make_roster(problem).model_copy(
        update={"kind": RosterKind.WHATIF, "folder_fingerprint": fingerprint_of(problem)}
    )
    path = write_roster_json(roster, tmp_path / "r.json")
    back = Roster.from_json(path.read_text(encoding="utf-8"))
    assert back.kind == RosterKind.WHATIF and back.folder_fingerprint == fingerprint_of(problem)
    assert {"round", "solver", "cohorts", "unplaced", "summary"} <= set(
        json.loads(path.read_text(encoding="utf-8"))
    )


def test_next_round_names_the_likely_rename(folder: Path, tmp_path: Path) -> None:
    # b0's id became y0 in the sheet: the roster does not belong to the folder any more,
    # and the sentence names the likely rename.
    _participants(folder, ["a0", "a1", "a2", "b0", "b1"])
    lines = (folder / "companies.csv").read_text(encoding="utf-8").splitlines()
    lines = [ln.replace("b0,Firma b0", "y0,Firma b0") for ln in lines]
    (folder / "companies.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (tmp_path / "t2.toml").write_text(NEXT, encoding="utf-8")
    roster = folder / "out" / "roster.json"
    code, output = run(
        "next-round", folder, "--roster", roster, "--round", tmp_path / "t2.toml",
        "--out", tmp_path / "t2",
    )  # fmt: skip
    text = " ".join(output.split())
    assert code == 2 and "does not belong" in text
    assert "company 'Firma b0' has id y0 in the folder but b0 in the published roster" in text
