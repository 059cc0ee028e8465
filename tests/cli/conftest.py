"""Shared by the command tests."""

from __future__ import annotations

import pytest
from rich.console import Console

import camp_planner.cli as cli


@pytest.fixture(autouse=True)
def wide_consoles(monkeypatch: pytest.MonkeyPatch) -> None:
    """Consoles wide enough that messages are not wrapped mid-sentence."""
    monkeypatch.setattr(cli, "console", Console(width=400))
    monkeypatch.setattr(cli, "err_console", Console(width=400, stderr=True))
