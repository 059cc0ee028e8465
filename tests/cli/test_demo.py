"""`camp-planner demo`: writes the demo folder, checks it, hands it to the roster step."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.console import Console

import camp_planner.cli.demo as demo


def test_run_demo_calls_the_roster_hook(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    monkeypatch.setattr(demo, "run_roster", lambda *args, **kw: calls.append(args) or 0)
    monkeypatch.setattr(demo, "run_programme", lambda *args, **kw: calls.append(args) or 0)
    console = Console(record=True, width=120)
    assert demo.run_demo(tmp_path / "d", 5.0, console, console) == 0
    assert calls and calls[0][0] == tmp_path / "d" and calls[0][2] == 5.0
    assert calls[1][0] == tmp_path / "d" and calls[1][2] == 5.0  # then the programme
    assert "120 companies" in console.export_text()


def test_run_demo_refuses_a_foreign_folder(tmp_path: Path) -> None:
    (tmp_path / "round.toml").write_text("name = 'mine'\n", encoding="utf-8")
    console = Console(record=True, width=500)
    assert demo.run_demo(tmp_path, 5.0, console, console) == 2
    assert "not the demo" in console.export_text()
