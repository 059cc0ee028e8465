"""Send as a background job (kind ``send``; docs/web.md "Outbox and answers"), against real
SMTP servers on loopback (aiosmtpd): a slow server (a handler that sleeps) so the page
answers long before the sending ends, ``n of N sent`` while it goes, one send of a plan at a
time, the API's answer (waiting, or 202 with the job), a Stop that keeps what was sent (a message
the server was taking then is of unknown outcome, not sent twice), and
the SMTP settings' problems and the app's own words about the server in Danish."""

from __future__ import annotations

import asyncio
import os
import re
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.mail.conftest import Recorder, _free_port, forget_machine_smtp, serve_smtp
from tests.web.conftest import wait_for
from tests.web.test_outbox import addresses, placed, published, with_contacts
from tests.web.test_pages import token

#: Seconds the slow server takes for each message.
PAUSE = 0.6


class Slow(Recorder):
    """A server that takes PAUSE seconds to accept each message."""

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        await asyncio.sleep(PAUSE)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture(autouse=True)
def no_machine_smtp(monkeypatch: pytest.MonkeyPatch) -> None:
    forget_machine_smtp(monkeypatch)


@pytest.fixture
def slow(monkeypatch: pytest.MonkeyPatch) -> Iterator[Recorder]:
    yield from serve_smtp(monkeypatch, Slow())


@pytest.fixture
def quick(monkeypatch: pytest.MonkeyPatch) -> Iterator[Recorder]:
    yield from serve_smtp(monkeypatch, Recorder())


@pytest.fixture
def contact_files(small_files: dict[str, bytes]) -> dict[str, bytes]:
    return with_contacts(small_files)


def _job_of(url: str) -> str:
    match = re.search(r"/jobs/([0-9a-f]{16})/send$", url)
    assert match, url
    return match[1]


def test_a_slow_server_the_page_answers_at_once_and_shows_n_of_n(
    make_client: Any, contact_files: dict[str, bytes], slow: Recorder
) -> None:
    client: TestClient = make_client(solver_workers=1)
    plan_id, roster = published(client, contact_files)
    members = placed(roster)
    assert len(members) >= 5  # the sending takes at least 5 * PAUSE seconds
    outbox = f"/plans/{plan_id}/outbox"
    started = time.monotonic()
    page = client.post(f"{outbox}/send", data={"csrf_token": token(client, outbox)})
    answered = time.monotonic() - started
    assert page.status_code == 200 and answered < len(members) * PAUSE, answered
    job_id = _job_of(str(page.url))
    plan_name = client.get(f"/api/plans/{plan_id}").json()["round"]
    assert 'id="job-plan"' in page.text and plan_name in page.text  # the page names the plan
    assert 'id="stop"' in page.text and "Beskederne sendes" in page.text

    # while it sends: "n af N sendt" (Danish), n growing; a second send is not started
    seen: list[int] = []
    deadline = time.monotonic() + 60
    while len(set(seen)) < 2 and time.monotonic() < deadline:
        state = client.get(f"/jobs/{job_id}/send/state").json()
        assert not state["finished"], "the sending ended before it was seen going"
        if match := re.fullmatch(r"(\d+) af (\d+) sendt", state["progress"]):
            seen.append(int(match[1]))
            assert int(match[2]) == len(members)
        time.sleep(0.1)
    assert len(set(seen)) == 2 and seen == sorted(seen) and seen[-1] < len(members), seen
    again = client.post(f"{outbox}/send", data={"csrf_token": token(client, outbox)})
    assert again.status_code == 200 and _job_of(str(again.url)) == job_id  # the same job
    assert client.get(f"/jobs/{job_id}/send/state").json()["status"] == "running"

    done = wait_for(client, job_id)
    assert done["status"] == "done"
    state = client.get(f"/jobs/{job_id}/send/state").json()
    assert state["progress"] == f"Færdig: {len(members)} sendt, 0 mislykkedes"
    assert state["result_url"] == f"{outbox}?job={job_id}#result"
    back = client.get(state["result_url"]).text
    assert 'id="result"' in back and f"{len(members)} sendt, 0 mislykkedes" in back
    assert back.count("Modtaget af serveren") == len(members)  # the log, in Danish
    by_address = addresses(contact_files)
    received = [by_address[to] for tos, _ in slow.messages for to in tos]
    assert sorted(received) == sorted(members)  # each exactly once
    assert "Udsendelse" in client.get("/?lang=da").text  # the plan's latest job, by its kind
    # the generic job page leads to the send's own page
    generic = client.get(f"/jobs/{job_id}", follow_redirects=False)
    assert generic.status_code == 303 and generic.headers["location"] == f"/jobs/{job_id}/send"


def test_the_api_waits_or_answers_202_and_one_send_at_a_time(
    make_client: Any, contact_files: dict[str, bytes], slow: Recorder
) -> None:
    client: TestClient = make_client(solver_workers=1)
    plan_id, roster = published(client, contact_files)
    members = placed(roster)
    url = f"/api/plans/{plan_id}/outbox/send"
    queued = client.post(url, json={"wait": False})
    assert queued.status_code == 202, queued.text
    job_id = queued.json()["job_id"]
    busy = client.post(url, json={})
    assert busy.status_code == 409 and busy.json()["job_id"] == job_id
    assert busy.json()["problems"][0]["column"] == "send"
    done = wait_for(client, job_id)
    assert done["status"] == "done" and done["summary"]["kind"] == "send"
    assert done["summary"]["sent"] == len(members) == len(done["summary"]["attempts"])
    assert len(slow.messages) == len(members)

    # waiting (the old answer, with the job's id): nothing sent twice by mistake
    waited = client.post(url, json={})
    assert waited.status_code == 200, waited.text
    body = waited.json()
    assert set(body) >= {"sent", "failed", "not_sent_again", "no_address", "attempts", "job_id"}
    assert body["sent"] == 0 and sorted(body["not_sent_again"]) == sorted(members)
    assert len(slow.messages) == len(members)
    bad = client.post(url, json={"wait": "soon"})
    assert bad.status_code == 422 and bad.json()["problems"][0]["column"] == "wait"


def test_a_stop_keeps_what_was_sent_and_the_rest_goes_later(
    make_client: Any, contact_files: dict[str, bytes], slow: Recorder
) -> None:
    client: TestClient = make_client(solver_workers=1)
    plan_id, roster = published(client, contact_files)
    members = placed(roster)
    url = f"/api/plans/{plan_id}/outbox/send"
    job_id = client.post(url, json={"wait": False}).json()["job_id"]
    deadline = time.monotonic() + 30
    while not slow.messages and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(PAUSE)
    assert client.delete(f"/api/jobs/{job_id}").status_code in (200, 202)
    wait_for(client, job_id)
    time.sleep(2 * PAUSE)  # a message the server was taking when the worker ended
    first = len(slow.messages)
    assert 0 < first < len(members)
    log = client.get(f"/api/plans/{plan_id}/outbox/log").json()["log"]
    logged = {r["company_id"] for r in log if r["status"] == "sent"}
    unknown = {r["company_id"] for r in log if r["status"] == "sending"}
    assert {r["status"] for r in log} <= {"sent", "sending"} and len(unknown) <= 1
    # every message the server took was recorded first: as sent, or as sending when the
    # worker ended before the answer (its outcome unknown)
    assert len(logged) <= first <= len(logged) + len(unknown)
    page = client.get(f"/jobs/{job_id}/send").text
    assert "Udsendelsen blev stoppet" in page and "viser udbakken den med ukendt udfald" in page
    rest = client.post(url, json={}).json()
    assert sorted(rest["not_sent_again"]) == sorted(logged)
    assert rest["unknown"] == sorted(unknown)  # reported, not sent again by itself
    assert rest["sent"] == len(members) - len(logged) - len(unknown)
    by_address = addresses(contact_files)
    received = Counter(by_address[to] for tos, _ in slow.messages for to in tos)
    assert set(received.values()) == {1}  # nobody twice
    assert set(members) - set(received) <= unknown  # everybody else reached exactly once
    if unknown:  # sent again when asked: the company's one more message
        asked = client.post(url, json={"again": True, "companies": sorted(unknown)}).json()
        assert asked["sent"] == 1 and asked["unknown"] == [] and asked["not_sent_again"] == []
        after = Counter(by_address[to] for tos, _ in slow.messages for to in tos)
        assert after - received == Counter(unknown)


def test_smtp_problems_and_the_apps_own_words_in_danish(
    make_client: Any, contact_files: dict[str, bytes], quick: Recorder,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    client: TestClient = make_client(solver_workers=1)
    plan_id, roster = published(client, contact_files)
    members = placed(roster)
    outbox = f"/plans/{plan_id}/outbox"
    assert client.get(f"/api/plans/{plan_id}/outbox").json()["smtp"] is True
    listening = os.environ["CAMP_PLANNER_SMTP_PORT"]
    monkeypatch.setenv("CAMP_PLANNER_SMTP_PORT", "abc")
    monkeypatch.setenv("CAMP_PLANNER_SMTP_USER", "aase")
    page = client.get(outbox).text
    assert "forventede et portnummer, fik abc" in page
    assert "forventede en adgangskode, da CAMP_PLANNER_SMTP_USER er sat" in page
    english = client.get(f"{outbox}?lang=en").text
    assert "expected a port number, got abc" in english
    refused = client.post(f"/api/plans/{plan_id}/outbox/send", json={})
    assert refused.status_code == 422
    expected = {p["column"]: p["expected"] for p in refused.json()["problems"]}
    assert expected["CAMP_PLANNER_SMTP_PORT"] == "a port number"  # the API keeps English
    sent_page = client.post(
        f"{outbox}/send", data={"csrf_token": token(client, f"{outbox}?lang=da")}
    )
    assert sent_page.status_code == 422 and "forventede et portnummer" in sent_page.text

    # a server nobody listens on: the app's words in Danish, the system's labelled
    monkeypatch.delenv("CAMP_PLANNER_SMTP_USER")
    closed = _free_port()
    monkeypatch.setenv("CAMP_PLANNER_SMTP_PORT", str(closed))
    failed = client.post(f"/api/plans/{plan_id}/outbox/send", json={}).json()
    assert failed["failed"] == len(members) and failed["sent"] == 0
    page = client.get(outbox).text
    assert page.count(f"Kunne ikke forbinde til 127.0.0.1:{closed}") == len(members)
    assert "Detaljer:" in page
    # a refused address: the server's answer as it sent it, labelled
    monkeypatch.setenv("CAMP_PLANNER_SMTP_PORT", listening)
    bad = sorted(members)[0]
    quick.refuse = {k for k, v in addresses(contact_files).items() if v == bad}
    client.post(f"/api/plans/{plan_id}/outbox/send", json={})
    page = client.get(outbox).text
    assert "Serverens ord:" in page and "mailbox unavailable" in page
    assert page.count("Modtaget af serveren") == len(members) - 1
