"""`camp-planner serve`: where it may bind, what it prints, how it logs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import camp_planner.web.app as web_app
from camp_planner.cli import app
from camp_planner.cli.serve import PASSWORD_VARIABLE, bind_problem, log_config
from camp_planner.web.security import is_loopback


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.1.2.3", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.20", False),
        ("planner.example", False),
    ],
)
def test_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_off_loopback_needs_a_password() -> None:
    assert bind_problem("127.0.0.1", None) is None
    sentence = bind_problem("0.0.0.0", None)
    assert sentence is not None and PASSWORD_VARIABLE in sentence
    assert bind_problem("0.0.0.0", "s3cret") is None


def test_serve_refuses_to_start_off_loopback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(PASSWORD_VARIABLE, raising=False)
    started: list[Any] = []
    monkeypatch.setattr("uvicorn.run", lambda *a, **k: started.append((a, k)))
    result = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0", "--data", str(tmp_path)])
    assert result.exit_code == 2
    assert PASSWORD_VARIABLE in result.output and not started


def _serve(monkeypatch: pytest.MonkeyPatch, *args: str) -> tuple[Any, dict[str, Any], Any]:
    calls: dict[str, Any] = {}
    real = web_app.create_app

    def create(*a: Any, **k: Any) -> Any:
        calls["create"] = k
        return real(*a, **k)

    monkeypatch.setattr(web_app, "create_app", create)
    monkeypatch.setattr("uvicorn.run", lambda app_, **k: calls.setdefault("run", k))
    result = CliRunner().invoke(app, ["serve", *args])
    return result, calls, calls.get("run")


def test_serve_prints_the_address_and_runs_quietly(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv(PASSWORD_VARIABLE, raising=False)
    result, calls, run = _serve(monkeypatch, "--port", "8123", "--data", str(tmp_path / "d"))
    assert result.exit_code == 0, result.output
    assert "http://127.0.0.1:8123/" in result.output
    assert run["host"] == "127.0.0.1" and run["port"] == 8123
    assert run["access_log"] is False  # the app logs paths only
    assert calls["create"]["password"] is None
    assert "127.0.0.1" in calls["create"]["allowed_hosts"]
    assert (tmp_path / "d" / "state.sqlite3").is_file()


def test_serve_with_a_password_off_loopback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(PASSWORD_VARIABLE, "s3cret")
    result, calls, run = _serve(monkeypatch, "--host", "0.0.0.0", "--data", str(tmp_path))
    assert result.exit_code == 0, result.output
    assert calls["create"]["password"] == "s3cret"
    assert calls["create"]["allowed_hosts"] is None
    assert run["host"] == "0.0.0.0"
    assert "password" in result.output and "s3cret" not in result.output


def test_log_config_silences_uvicorn_access() -> None:
    loggers = log_config()["loggers"]
    assert loggers["uvicorn.access"]["handlers"] == []
    assert loggers["camp_planner.web"]["level"] == "INFO"
