"""Dates outside the round are notes with their row and value (issue 23, item 5).

The round runs 2027-01-04 to 2027-03-26. Typed with the wrong year: company c2's
2026-02-15 (row 3 of companies.csv), venue B's 2026-03-01 (row 3 of venues.csv) and the
facilitator's 2026-02-10. Days inside the round (c1's 2027-02-15, the facilitator's
2027-02-11) give no note.
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

import camp_planner.cli as cli
from camp_planner.io.folder import load_folder_with_notes

ROUND = """name = "T"
start = 2027-01-04
end = 2027-03-26
facilitator_unavailable = [2026-02-10, 2027-02-11]
"""


def _folder(tmp_path: Path) -> Path:
    (tmp_path / "round.toml").write_text(ROUND, encoding="utf-8")
    (tmp_path / "companies.csv").write_text(
        "company_id,name,lat,lon,young,level,unavailable\n"
        "c1,Firma 1,56.1,9.5,false,C,2027-02-15\n"
        "c2,Firma 2,56.1,9.5,false,C,2027-02-16;2026-02-15\n",
        encoding="utf-8",
    )
    (tmp_path / "venues.csv").write_text(
        "venue_id,name,lat,lon,unavailable\nA,Aby,56.1,9.5,\nB,Bby,56.2,9.5,2026-03-01\n",
        encoding="utf-8",
    )
    return tmp_path


def test_every_day_outside_the_round_is_a_note(tmp_path: Path) -> None:
    _, notes = load_folder_with_notes(_folder(tmp_path))
    span = "outside the round (2027-01-04 to 2027-03-26); check the year"
    assert [n for n in notes if "outside the round" in n] == [
        f"round.toml: facilitator_unavailable 2026-02-10 is {span}",
        f"companies.csv row 3: unavailable 2026-02-15 is {span}",
        f"venues.csv row 3: unavailable 2026-03-01 is {span}",
    ]


def test_days_inside_the_round_give_no_note(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    (folder / "round.toml").write_text(ROUND.replace("2026-02-10, ", ""), encoding="utf-8")
    text = (folder / "companies.csv").read_text(encoding="utf-8").replace(";2026-02-15", "")
    (folder / "companies.csv").write_text(text, encoding="utf-8")
    (folder / "venues.csv").write_text(
        "venue_id,name,lat,lon,unavailable\nA,Aby,56.1,9.5,\nB,Bby,56.2,9.5,2027-03-01\n",
        encoding="utf-8",
    )
    _, notes = load_folder_with_notes(folder)
    assert not [n for n in notes if "outside the round" in n]


def test_check_prints_the_notes(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli.app, ["check", str(_folder(tmp_path))])
    text = " ".join(result.output.split())
    assert "companies.csv row 3: unavailable 2026-02-15 is outside the round" in text


def test_the_notes_are_translatable(tmp_path: Path) -> None:
    from camp_planner.io.folder import load_folder_with_messages

    _, notes = load_folder_with_messages(_folder(tmp_path))
    danish = [n.render("da") for n in notes if "outside the round" in str(n)]
    assert danish[1].startswith("companies.csv række 3: utilgængelig ")
    assert "uden for runden" in danish[1] and "tjek årstallet" in danish[1]
