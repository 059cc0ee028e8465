"""The outbox and the answers in the web app (issue 22): the JSON calls and the pages, with a
real SMTP server on loopback (aiosmtpd, tests/mail/conftest.py): preview from the plan's
template, send (every company once, never twice by mistake), a refused address failed and
retried, .eml files without a server, answers with a decline ticked on the changes page,
and after a published replan only the companies affected."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from fastapi.testclient import TestClient
from icalendar import Calendar

from tests.mail.conftest import Recorder, _free_port
from tests.web.conftest import upload, wait_for
from tests.web.test_pages import token

UNKNOWN = "0123456789abcdef"
ROUND_KEYS = (
    'coordinator_name = "Åse Østergård"\ncoordinator_email = "aase@region.dk"\n'
    "reply_by = 2026-12-20\n"
)


def with_contacts(files: dict[str, bytes]) -> dict[str, bytes]:
    """The files with a contact person (æøå) and an address for every company."""
    rows = list(csv.DictReader(io.StringIO(files["companies.csv"].decode("utf-8-sig"))))
    columns = [*rows[0].keys(), "kontaktperson", "e-mail"]
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, lineterminator="\n")
    writer.writeheader()
    for i, row in enumerate(rows):
        writer.writerow(row | {"kontaktperson": f"Søren Ærø {i}", "e-mail": f"k{i}@firma{i}.dk"})
    toml = "".join(  # the round in Danish: the Danish template
        line for line in files["round.toml"].decode("utf-8").splitlines(keepends=True)
        if not line.startswith("language")
    ) + 'language = "da"\n'
    return files | {"companies.csv": out.getvalue().encode(), "round.toml": (toml + ROUND_KEYS).encode()}


def addresses(files: dict[str, bytes]) -> dict[str, str]:
    rows = csv.DictReader(io.StringIO(files["companies.csv"].decode("utf-8-sig")))
    return {r["e-mail"]: r["company_id"] for r in rows}


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Recorder]:
    """A server on 127.0.0.1 the app's CAMP_PLANNER_SMTP_* variables point at."""
    recorder = Recorder()
    port = _free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("CAMP_PLANNER_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CAMP_PLANNER_SMTP_PORT", str(port))
    monkeypatch.setenv("CAMP_PLANNER_SMTP_STARTTLS", "0")
    monkeypatch.setenv("CAMP_PLANNER_SMTP_FROM", "vaekstcamp@region.dk")
    try:
        yield recorder
    finally:
        controller.stop()


@pytest.fixture(autouse=True)
def no_machine_smtp(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("HOST", "PORT", "STARTTLS", "USER", "PASSWORD", "FROM"):
        monkeypatch.delenv(f"CAMP_PLANNER_SMTP_{name}", raising=False)
    monkeypatch.delenv("CAMP_PLANNER_MAIL_FROM", raising=False)


def published(client: TestClient, files: dict[str, bytes]) -> tuple[str, dict[str, Any]]:
    plan_id = upload(client, files)
    job = client.post(f"/api/plans/{plan_id}/solve", json={"time_limit": 30}).json()["job_id"]
    assert wait_for(client, job)["status"] == "done"
    assert client.post(f"/api/plans/{plan_id}/publish", json={}).status_code == 200
    return plan_id, client.get(f"/api/jobs/{job}/files/roster.json").json()


def placed(roster: dict[str, Any]) -> dict[str, str]:
    return {m: c["cohort_id"] for c in roster["cohorts"] for m in c["members"]}


def calendars(message: EmailMessage) -> dict[str, Calendar]:
    return {
        str(p.get_filename()): Calendar.from_ical(p.get_payload(decode=True))
        for p in message.iter_attachments()
        if p.get_content_type() == "text/calendar"
    }


@pytest.fixture
def contact_files(small_files: dict[str, bytes]) -> dict[str, bytes]:
    return with_contacts(small_files)


def test_preview_send_once_and_the_log(
    make_client: Any, contact_files: dict[str, bytes], smtp: Recorder
) -> None:
    client = make_client(solver_workers=1)
    plan_id, roster = published(client, contact_files)
    members = placed(roster)
    shown = client.get(f"/api/plans/{plan_id}/outbox").json()
    assert shown["smtp"] is True and shown["after_replan"] is False
    assert sorted(m["company_id"] for m in shown["messages"]) == sorted(members)
    first = shown["messages"][0]
    assert f"hold {members[first['company_id']]}" in first["subject"]  # Danish template
    assert first["attachments"] == ["invitation.ics"] and first["status"] is None

    sent = client.post(f"/api/plans/{plan_id}/outbox/send", json={})
    assert sent.status_code == 200, sent.text
    assert sent.json()["sent"] == len(members) and sent.json()["failed"] == 0
    by_address = addresses(contact_files)
    received = [by_address[to] for tos, _ in smtp.messages for to in tos]
    assert sorted(received) == sorted(members)  # every placed company exactly once
    for tos, message in smtp.messages:
        company = by_address[tos[0]]
        assert f"hold {members[company]}" in str(message["Subject"])
        cal = calendars(message)["invitation.ics"]
        events = cal.walk("VEVENT")
        assert events and all(company in str(e["uid"]) for e in events)
        assert str(cal["method"]) == "REQUEST"
    assert "Søren Ærø" in str(smtp.messages[0][1]["To"])

    # twice by mistake: refused; asked: sent again
    again = client.post(f"/api/plans/{plan_id}/outbox/send", json={}).json()
    assert again["sent"] == 0 and sorted(again["not_sent_again"]) == sorted(members)
    assert len(smtp.messages) == len(members)
    one = sorted(members)[0]
    forced = client.post(
        f"/api/plans/{plan_id}/outbox/send", json={"again": True, "companies": [one]}
    ).json()
    assert forced["sent"] == 1 and len(smtp.messages) == len(members) + 1

    log = client.get(f"/api/plans/{plan_id}/outbox/log").json()["log"]
    assert len(log) == len(members) + 1
    assert {r["status"] for r in log} == {"sent"}
    assert {r["fingerprint"] for r in log} == {shown["roster"]}
    assert all(set(r) >= {"time", "company_id", "to", "kind", "answer"} for r in log)
    assert not any("Kære" in str(v) for r in log for v in r.values())  # no message text
    page = client.get(f"/plans/{plan_id}/outbox")
    assert page.status_code == 200 and 'id="log"' in page.text
    assert page.text.count('class="tag done"') >= len(members)
