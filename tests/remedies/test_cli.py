"""`camp-planner remedies FOLDER` as a coordinator runs it, on the small round."""

from __future__ import annotations

import csv
from pathlib import Path

from typer.testing import CliRunner

from camp_planner.cli import app
from camp_planner.remedies import COLUMNS
from tests.remedies import small_round


def test_remedies_command_prints_and_writes_the_table(tmp_path: Path):
    folder = small_round.write_folder(tmp_path / "round")
    result = CliRunner().invoke(
        app, ["remedies", str(folder), "--time-limit", "10", "--workers", "1"]
    )
    output = " ".join(result.output.split())
    assert result.exit_code == 0, output
    assert "[2/6] online cohorts: 12 placed" in output
    assert "not tried: mix levels B+C" in output
    assert "Remedies, best first" in output
    path = folder / "out" / "remedies.csv"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == COLUMNS
        rows = list(reader)
    assert [r["remedy"] for r in rows][:2] == ["all of them", "online cohorts"]
    assert rows[1]["settings"] == "online_cohorts = true"
    assert rows[1]["delta_placed"] == "7"


def test_remedies_command_refuses_a_bad_folder(tmp_path: Path):
    result = CliRunner().invoke(app, ["remedies", str(tmp_path / "missing")])
    assert result.exit_code == 2
    result = CliRunner().invoke(app, ["remedies", str(tmp_path), "--time-limit", "0"])
    assert result.exit_code == 2
