"""`camp-planner answers`: the table to fill in, the counts, who has not answered by the
reply date, and the declines as withdrawals for the next replan."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from tests.mail.conftest import run


@pytest.fixture
def folder(solved_demo: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(solved_demo, tmp_path / "demo"))


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def test_answers_table_counts_and_declines(folder: Path) -> None:
    roster = folder / "out" / "roster.json"
    placed = [m for c in json.loads(roster.read_text())["cohorts"] for m in c["members"]]
    code, output = run("answers", folder, "--roster", roster)
    assert code == 0 and "answers.csv" in output
    rows = _rows(folder / "out" / "answers.csv")
    assert [r["company_id"] for r in rows] == placed and {r["answer"] for r in rows} == {""}
    # the coordinator fills in: two confirm (one in Danish), one declines, the rest nothing
    rows[0].update(answer="confirmed", replied="2026-12-10")
    rows[1].update(answer="Bekræftet", replied="11-12-2026")
    rows[2].update(answer="afbud", replied="2026-12-12")
    with (folder / "out" / "answers.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    code, output = run("answers", folder, "--roster", roster, "--today", "2026-12-15")
    assert code == 0, output
    assert f"2 confirmed, 1 declined, {len(placed) - 3} no answer" in output
    assert "No answer yet (reply date 2026-12-20)" in output
    assert [r["company_id"] for r in _rows(folder / "out" / "declined.csv")] == [placed[2]]
    code, output = run("answers", folder, "--roster", roster, "--today", "2026-12-21")
    assert "No answer by the reply date 2026-12-20:" in output
    assert placed[3] in output and placed[0] not in output.split("reply date")[1]


def test_bad_answers_are_listed_with_their_rows(folder: Path, tmp_path: Path) -> None:
    roster = folder / "out" / "roster.json"
    answers = tmp_path / "svar.csv"
    answers.write_text("company_id;svar;svardato\n1;måske;\n2;ja;31-02-2026\n", encoding="utf-8")
    code, output = run("answers", folder, "--roster", roster, "--answers", answers)
    assert code == 2
    assert "måske" in output and "31-02-2026" in output
