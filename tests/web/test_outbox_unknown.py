"""A message of unknown outcome in the web app's outbox: a send that ended after the SMTP
server accepted a message but before the sent-log took the answer leaves that message
``sending``; the outbox page says so in Danish, the next send does not send it again, and
the page's own form sends it again deliberately. Against a real SMTP server on loopback."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

import camp_planner.mail.outbox as mail_outbox
from camp_planner.mail.sentlog import LogRow
from camp_planner.web.outbox import send
from tests.mail.conftest import Recorder, forget_machine_smtp, serve_smtp
from tests.web.conftest import wait_for
from tests.web.test_outbox import addresses, placed, published, with_contacts
from tests.web.test_pages import token

#: The English of the new texts, which a Danish page must not show.
ENGLISH = ("Unknown", "may have been delivered", "unknown outcome", "Being sent",
           "No answer recorded", "Ask the company")  # fmt: skip


class Crash(Exception):
    """The send ending between the server's answer and the log's update."""


@pytest.fixture(autouse=True)
def no_machine_smtp(monkeypatch: pytest.MonkeyPatch) -> None:
    forget_machine_smtp(monkeypatch)


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Recorder]:
    yield from serve_smtp(monkeypatch, Recorder())


def _section(page: str, element_id: str) -> str:
    """The text of the section with `element_id`, without its tags."""
    match = re.search(rf'<section[^>]*id="{element_id}".*?</section>', page, re.S)
    assert match, element_id
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match[0]))


def test_the_outbox_shows_an_unknown_outcome_in_danish_and_sends_it_only_when_asked(
    make_client: Any, small_files: dict[str, bytes], smtp: Recorder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    files = with_contacts(small_files)
    client: TestClient = make_client(solver_workers=1)
    plan_id, roster = published(client, files)
    members = placed(roster)
    by_address = addresses(files)
    real = mail_outbox.record_answer
    answered: list[str] = []

    def crash_on_second(path: Path, pending: LogRow | None, answer: LogRow) -> Path:
        answered.append(answer.company_id)
        if len(answered) == 2:
            raise Crash
        return real(path, pending, answer)

    monkeypatch.setattr(mail_outbox, "record_answer", crash_on_second)
    web = client.app.state.web  # type: ignore[attr-defined]
    with pytest.raises(Crash):
        send(web, plan_id)
    monkeypatch.setattr(mail_outbox, "record_answer", real)
    victim = answered[1]
    assert len(smtp.messages) == 2
    rows = csv.DictReader(io.StringIO(files["companies.csv"].decode("utf-8-sig")))
    name = {r["company_id"]: r["name"] for r in rows}[victim]

    outbox = f"/plans/{plan_id}/outbox"
    page = client.get(f"{outbox}?lang=da").text
    box = _section(page, "unknown")
    assert "Ukendt: kan være leveret" in box and "1 besked" in box
    assert name in box
    assert "Send den 1 besked med ukendt udfald igen" in box
    assert page.count("Ukendt: kan være leveret") == 3  # the box, the message, the log row
    assert "Intet svar registreret" in _section(page, "log-section")
    assert not [w for w in ENGLISH if w in page], [w for w in ENGLISH if w in page]
    english = client.get(f"{outbox}?lang=en").text
    assert "Unknown: may have been delivered" in _section(english, "unknown")
    api = client.get(f"/api/plans/{plan_id}/outbox").json()
    assert api["unknown"] == [victim]
    assert {m["status"] for m in api["messages"] if m["company_id"] == victim} == {"sending"}

    # the next send: everybody else, the victim not again
    rest = client.post(f"/api/plans/{plan_id}/outbox/send", json={}).json()
    assert rest["unknown"] == [victim] and rest["failed"] == 0
    assert rest["sent"] == len(members) - 2
    received = Counter(by_address[to] for tos, _ in smtp.messages for to in tos)
    assert set(received) == set(members) and set(received.values()) == {1}
    page = client.get(f"{outbox}?job={rest['job_id']}&lang=da").text
    assert "1 besked kan være leveret af en tidligere udsendelse" in _section(page, "result")
    assert 'id="unknown"' in page

    # sent again deliberately with the page's form: that company only
    form = {"csrf_token": token(client, f"{outbox}?lang=da"), "again": "1", "company": victim}
    job_page = client.post(f"{outbox}/send", data=form)
    job_id = re.search(r"/jobs/([0-9a-f]{16})/send$", str(job_page.url))
    assert job_id, job_page.url
    done = wait_for(client, job_id[1])
    assert done["status"] == "done" and done["summary"]["sent"] == 1
    received = Counter(by_address[to] for tos, _ in smtp.messages for to in tos)
    assert received[victim] == 2 and {n for c, n in received.items() if c != victim} == {1}
    page = client.get(f"{outbox}?lang=da").text
    assert 'id="unknown"' not in page and "Ukendt: kan være leveret" in page  # the log keeps it
    log = client.get(f"/api/plans/{plan_id}/outbox/log").json()["log"]
    assert [r["status"] for r in log].count("sending") == 1
    assert [r["status"] for r in log if r["company_id"] == victim][-1] == "sent"
    assert client.get(f"/api/plans/{plan_id}/outbox").json()["unknown"] == []
