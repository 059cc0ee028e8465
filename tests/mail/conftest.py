"""A real SMTP server on loopback (aiosmtpd) and the demo round with contacts, solved once."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from aiosmtpd.controller import Controller
from rich.console import Console
from typer.testing import CliRunner

import camp_planner.cli as cli
from camp_planner.demo import generator as demo

COORDINATOR = 'coordinator_name = "Åse Østergård"\ncoordinator_email = "aase@region.dk"\n'
INVITATION_KEYS = (
    'language = "da"\n'
    + COORDINATOR
    + 'session_start = "09:00"\nsession_end = "16:00"\nreply_by = 2026-12-20\n'
)


@dataclass
class Recorder:
    """An SMTP handler keeping every message it accepts; it refuses the addresses in
    `refuse` with 550, as a server does for an unknown mailbox."""

    messages: list[tuple[list[str], EmailMessage]] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 <" + address + ">: mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        parsed = message_from_bytes(envelope.original_content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append((list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve_smtp(monkeypatch: pytest.MonkeyPatch, handler: Recorder) -> Iterator[Recorder]:
    """`handler` serving on 127.0.0.1, the CAMP_PLANNER_SMTP_* variables pointing at it
    (for a fixture to ``yield from``)."""
    port = _free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("CAMP_PLANNER_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CAMP_PLANNER_SMTP_PORT", str(port))
    monkeypatch.setenv("CAMP_PLANNER_SMTP_STARTTLS", "0")
    monkeypatch.setenv("CAMP_PLANNER_SMTP_FROM", "vaekstcamp@region.dk")
    try:
        yield handler
    finally:
        controller.stop()


def forget_machine_smtp(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sends through a server the machine happens to configure."""
    for name in ("HOST", "PORT", "STARTTLS", "USER", "PASSWORD", "FROM"):
        monkeypatch.delenv(f"CAMP_PLANNER_SMTP_{name}", raising=False)
    monkeypatch.delenv("CAMP_PLANNER_MAIL_FROM", raising=False)


@pytest.fixture
def smtp_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[Recorder]:
    """A server on 127.0.0.1; the CAMP_PLANNER_SMTP_* variables point at it."""
    yield from serve_smtp(monkeypatch, Recorder())


@pytest.fixture(autouse=True)
def no_smtp_from_the_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sends through a server the machine happens to configure."""
    forget_machine_smtp(monkeypatch)
    monkeypatch.setattr(cli, "console", Console(width=300))
    monkeypatch.setattr(cli, "err_console", Console(width=300, stderr=True))


def run(*args: object) -> tuple[int, str]:
    """Run the command line; never a traceback."""
    result = CliRunner().invoke(cli.app, [str(a) for a in args])
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.output


def add_contacts(folder: Path) -> pd.DataFrame:
    """Danish contact columns (kontaktperson, e-mail) with æøå in every name."""
    frame = pd.read_csv(folder / "companies.csv", dtype=str, keep_default_na=False)
    frame["kontaktperson"] = [f"Søren Ærø Ågård {i}" for i in range(len(frame))]
    frame["e-mail"] = [f"kontakt{i}@firma{i}.dk" for i in range(len(frame))]
    frame.to_csv(folder / "companies.csv", index=False)
    toml = folder / "round.toml"  # the demo's own `language` line gives way to the keys'
    kept = [
        line for line in toml.read_text("utf-8").splitlines() if not line.startswith("language")
    ]
    toml.write_text("\n".join(kept) + "\n" + INVITATION_KEYS, "utf-8")
    return frame


@pytest.fixture(scope="module")
def solved_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo folder with contacts and its roster (out/roster.json), solved once."""
    folder = demo.write_demo_folder(tmp_path_factory.mktemp("mail") / "demo")
    add_contacts(folder)
    result = CliRunner().invoke(
        cli.app, ["roster", str(folder), "--time-limit", "30", "--seed", "1"]
    )
    assert result.exit_code == 0, result.output
    return folder
