"""A message the server took while the send stopped: recorded as ``sending`` before it is
handed to the server, so the next send reports it as of unknown outcome and does not send
it again by itself; ``--again --company`` sends it deliberately. Against a real SMTP server
on loopback (aiosmtpd)."""

from __future__ import annotations

import csv
import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import camp_planner.cli as cli
import camp_planner.mail.outbox as outbox_module
from camp_planner.mail.sentlog import LogRow
from tests.mail.conftest import Recorder, run, serve_smtp


class Crash(Exception):
    """The process stopping between the server's answer and the log's update."""


@pytest.fixture
def folder(solved_demo: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(solved_demo, tmp_path / "demo"))


def _log(folder: Path) -> list[dict[str, str]]:
    with (folder / "out" / "sent-log.csv").open(encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def _received(server: Recorder) -> Counter[str]:
    return Counter(to for tos, _ in server.messages for to in tos)


def _addresses(folder: Path) -> dict[str, str]:
    """company_id -> e-mail address, from companies.csv (the test's own contacts)."""
    with (folder / "companies.csv").open(encoding="utf-8") as handle:
        return {row["company_id"]: row["e-mail"] for row in csv.DictReader(handle)}


def _placed(folder: Path) -> set[str]:
    roster = json.loads((folder / "out" / "roster.json").read_text("utf-8"))
    return {m for c in roster["cohorts"] for m in c["members"]}


def test_an_answer_not_recorded_is_unknown_not_sent_again_and_sent_again_when_asked(
    folder: Path, smtp_server: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    roster = folder / "out" / "roster.json"
    real = outbox_module.record_answer
    answered: list[str] = []

    def crash_on_third(path: Path, pending: LogRow | None, answer: LogRow) -> Path:
        answered.append(answer.company_id)
        if len(answered) == 3:  # the server has accepted it; the log is not updated
            raise Crash
        return real(path, pending, answer)

    monkeypatch.setattr(outbox_module, "record_answer", crash_on_third)
    stopped = CliRunner().invoke(cli.app, ["send", str(folder), "--roster", str(roster)])
    assert isinstance(stopped.exception, Crash)
    victim = answered[2]
    log = _log(folder)
    assert [r["status"] for r in log] == ["sent", "sent", "sending"]
    assert log[2]["company_id"] == victim and log[2]["answer"] == ""
    assert len(smtp_server.messages) == 3  # the server took the third one

    monkeypatch.setattr(outbox_module, "record_answer", real)
    code, output = run("send", folder, "--roster", roster)
    assert code == 1
    assert f"unknown: may have been delivered: {victim}" in output
    assert f"--again --company {victim}" in output
    addresses = _addresses(folder)
    expected = {addresses[c] for c in _placed(folder) if addresses[c]}
    received = _received(smtp_server)
    assert set(received) == expected and set(received.values()) == {1}  # exactly once each
    log = _log(folder)
    assert [r["status"] for r in log].count("sending") == 1
    assert {r["status"] for r in log if r["company_id"] != victim} == {"sent"}

    # sent again deliberately: that company only; then it is sent, nothing left unknown
    code, output = run("send", folder, "--roster", roster, "--again", "--company", victim)
    assert code == 0, output
    received = _received(smtp_server)
    assert received[addresses[victim]] == 2
    assert {n for to, n in received.items() if to != addresses[victim]} == {1}
    latest = {r["company_id"]: r["status"] for r in _log(folder)}
    assert latest[victim] == "sent"
    code, output = run("send", folder, "--roster", roster)
    assert code == 1 and "every message was sent before" in output
    assert "unknown" not in output and sum(_received(smtp_server).values()) == len(expected) + 1


class Watching(Recorder):
    """Reads the sent-log at the moment it takes each message: the recipient's latest row."""

    def __init__(self, log: Path) -> None:
        super().__init__()
        self.log = log
        self.seen: dict[str, str] = {}

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        with self.log.open(encoding="utf-8-sig") as handle:
            rows = list(csv.DictReader(handle))
        for to in envelope.rcpt_tos:
            self.seen[to] = [r["status"] for r in rows if r["to"] == to][-1]
        return await super().handle_DATA(server, session, envelope)


def test_an_ordinary_send_records_sending_first_and_leaves_no_sending_row(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    roster = folder / "out" / "roster.json"
    addresses = _addresses(folder)
    refused = addresses[sorted(_placed(folder))[0]]
    watching = Watching(folder / "out" / "sent-log.csv")
    watching.refuse = {refused}
    server = serve_smtp(monkeypatch, watching)
    next(server)
    try:
        code, output = run("send", folder, "--roster", roster)
    finally:
        server.close()
    assert code == 1 and "1 failed" in output
    log = _log(folder)
    assert "sending" not in {r["status"] for r in log}
    assert sorted(r["status"] for r in log).count("failed") == 1
    # while the server took each message, the log already said "sending" for it
    assert watching.seen and set(watching.seen.values()) == {"sending"}
    assert len(watching.seen) == len(log) - 1 == len(watching.messages)
    # the refused one was never accepted: its sending row became "failed", not unknown
    code, output = run("send", folder, "--roster", roster)
    assert "unknown" not in output
    assert [r["status"] for r in _log(folder)].count("sending") == 0


def test_company_naming_no_message_is_refused_and_nothing_is_sent(
    folder: Path, smtp_server: Recorder
) -> None:
    roster = folder / "out" / "roster.json"
    some = sorted(_placed(folder))[0]
    code, output = run("send", folder, "--roster", roster, "--company", some, "--company", "x9")
    assert code == 2 and "--company: no message for x9. Nothing was sent." in output
    assert smtp_server.messages == [] and not (folder / "out" / "sent-log.csv").exists()
    code, output = run("send", folder, "--roster", roster, "--company", some)
    assert code == 0 and "1 sent, 0 failed" in output
    assert [tos for tos, _ in smtp_server.messages] == [[_addresses(folder)[some]]]
