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
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar

from tests.mail.conftest import Recorder, forget_machine_smtp, run, serve_smtp
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
    toml = (
        "".join(  # the round in Danish: the Danish template
            line
            for line in files["round.toml"].decode("utf-8").splitlines(keepends=True)
            if not line.startswith("language")
        )
        + 'language = "da"\n'
    )
    companies = out.getvalue().encode()
    return files | {"companies.csv": companies, "round.toml": (toml + ROUND_KEYS).encode()}


def addresses(files: dict[str, bytes]) -> dict[str, str]:
    rows = csv.DictReader(io.StringIO(files["companies.csv"].decode("utf-8-sig")))
    return {r["e-mail"]: r["company_id"] for r in rows}


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Recorder]:
    """A server on 127.0.0.1 the app's CAMP_PLANNER_SMTP_* variables point at."""
    yield from serve_smtp(monkeypatch, Recorder())


@pytest.fixture(autouse=True)
def no_machine_smtp(monkeypatch: pytest.MonkeyPatch) -> None:
    forget_machine_smtp(monkeypatch)


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
    english = client.get(f"/plans/{plan_id}/outbox?lang=en").text
    assert "Outbox: " in english and "Udbakke" not in english


def test_a_refused_address_fails_and_is_retried(
    make_client: Any, contact_files: dict[str, bytes], smtp: Recorder
) -> None:
    client = make_client(solver_workers=1)
    plan_id, roster = published(client, contact_files)
    members = placed(roster)
    by_company = {v: k for k, v in addresses(contact_files).items()}
    bad = sorted(members)[1]
    smtp.refuse = {by_company[bad]}
    first = client.post(f"/api/plans/{plan_id}/outbox/send", json={}).json()
    assert first["sent"] == len(members) - 1 and first["failed"] == 1
    failed = next(r for r in first["attempts"] if r["status"] == "failed")
    assert failed["company_id"] == bad and "550" in failed["answer"]
    page = client.get(f"/plans/{plan_id}/outbox").text
    assert 'id="retry"' in page and f'name="company" value="{bad}"' in page
    smtp.refuse = set()
    retry = client.post(
        f"/plans/{plan_id}/outbox/send",
        data={"company": bad, "csrf_token": token(client, f"/plans/{plan_id}/outbox")},
    )
    # the page queues a send job and shows its page; its result leads back to the outbox
    assert retry.status_code == 200 and 'id="job-plan"' in retry.text
    job_id = str(retry.url).rstrip("/").split("/")[-2]
    wait_for(client, job_id)
    state = client.get(f"/jobs/{job_id}/send/state").json()
    assert state["result_url"] == f"/plans/{plan_id}/outbox?job={job_id}#result"
    back = client.get(state["result_url"]).text
    assert 'id="result"' in back and "1 sendt, 0 mislykkedes" in back
    received = [to for tos, _ in smtp.messages for to in tos]
    assert sorted(received) == sorted(by_company[m] for m in members)  # each exactly once
    log = client.get(f"/api/plans/{plan_id}/outbox/log").json()["log"]
    assert [r["status"] for r in log if r["company_id"] == bad] == ["failed", "sent"]


def test_the_template_is_kept_per_plan_and_checked(
    make_client: Any, contact_files: dict[str, bytes]
) -> None:
    client = make_client(solver_workers=1)
    plan_id, _ = published(client, contact_files)
    url = f"/api/plans/{plan_id}/outbox/template"
    broken = client.put(url, json={"template": "Emne {{ company.name }\nTekst"})
    assert broken.status_code == 422
    assert "line 1" in broken.json()["problems"][0]["value"]
    unknown = client.put(url, json={"template": "Emne\n{{ firma.navn }}"})
    assert unknown.status_code == 422 and "firma" in unknown.json()["problems"][0]["value"]
    unsafe = client.put(url, json={"template": "{{ ''.__class__ }}\nx"})
    assert unsafe.status_code == 422 and "unsafe" in unsafe.json()["problems"][0]["value"]
    assert client.put(url, json={"template": 5}).status_code == 422
    good = client.put(url, json={"template": "Til {{ company.name }}\nHold {{ cohort.id }}"})
    assert good.status_code == 200 and good.json()["custom"] is True
    shown = client.get(f"/api/plans/{plan_id}/outbox").json()["messages"]
    assert all(m["subject"].startswith("Til ") for m in shown)
    # a broken template in the browser: the problem shown, the text kept, never a traceback
    page = client.post(
        f"/plans/{plan_id}/outbox/template",
        data={"template": "{% if %}", "csrf_token": token(client, f"/plans/{plan_id}/outbox")},
    )
    assert page.status_code == 422 and 'id="problems"' in page.text
    assert "{% if %}</textarea>" in page.text and "Traceback" not in page.text
    assert client.put(url, json={"template": None}).json()["custom"] is False


def test_without_smtp_the_messages_are_eml_files(
    make_client: Any, contact_files: dict[str, bytes], tmp_path: Path
) -> None:
    client = make_client(solver_workers=1)
    plan_id, roster = published(client, contact_files)
    refused = client.post(f"/api/plans/{plan_id}/outbox/send", json={})
    assert refused.status_code == 422
    assert refused.json()["problems"][0]["column"] == "CAMP_PLANNER_SMTP_HOST"
    answer = client.get(f"/plans/{plan_id}/outbox/messages.zip")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(answer.content))
    assert sorted(archive.namelist()) == sorted(f"{m}.eml" for m in placed(roster))
    message = message_from_bytes(archive.read(archive.namelist()[0]), policy=policy.default)
    assert isinstance(message, EmailMessage)
    body = message.get_body(("plain",))
    assert body is not None and "Åse Østergård" in body.get_content()
    assert "Søren Ærø" in str(message["To"])
    assert "invitation.ics" in calendars(message)
    log = client.get(f"/api/plans/{plan_id}/outbox/log").json()["log"]
    assert {r["status"] for r in log} == {"written"} and "/" not in log[0]["answer"]
    page = client.get(f"/plans/{plan_id}/outbox").text
    assert 'id="no-server"' in page and 'id="send"' not in page
    outbox = tmp_path / "data" / "versions" / plan_id / "outbox"
    assert (outbox / "sent-log.csv").is_file()
    assert client.delete(f"/api/plans/{plan_id}").status_code == 200
    assert not outbox.exists()  # deleting the plan deletes its outbox


def test_unknown_plans_are_404_and_unpublished_or_bad_input_422(
    make_client: Any, contact_files: dict[str, bytes]
) -> None:
    client = make_client(solver_workers=1)
    for method, path in (
        ("GET", "/api/plans/{}/outbox"), ("POST", "/api/plans/{}/outbox/send"),
        ("PUT", "/api/plans/{}/outbox/template"), ("GET", "/api/plans/{}/outbox/log"),
        ("GET", "/api/plans/{}/answers"), ("PUT", "/api/plans/{}/answers"),
        ("GET", "/api/plans/{}/outbox/messages.zip"), ("GET", "/plans/{}/outbox"),
        ("GET", "/plans/{}/answers"),
    ):  # fmt: skip
        answer = client.request(method, path.format(UNKNOWN), json={})
        assert answer.status_code == 404, (method, path)
    plan_id = upload(client, contact_files)  # not published
    assert client.get(f"/api/plans/{plan_id}/outbox").status_code == 422
    assert client.get(f"/api/plans/{plan_id}/answers").status_code == 422
    assert client.put(f"/api/plans/{plan_id}/answers", json={"answers": []}).status_code == 422
    assert 'id="not-published"' in client.get(f"/plans/{plan_id}/outbox").text
    assert 'id="not-published"' in client.get(f"/plans/{plan_id}/answers").text
    job = client.post(f"/api/plans/{plan_id}/solve", json={"time_limit": 30}).json()["job_id"]
    assert wait_for(client, job)["status"] == "done"
    client.post(f"/api/plans/{plan_id}/publish", json={})
    bad = client.put(
        f"/api/plans/{plan_id}/answers",
        json={"answers": [
            {"company_id": "nobody", "answer": "confirmed"},
            {"company_id": placed(client.get(f"/api/jobs/{job}/files/roster.json").json())
             .popitem()[0], "answer": "maybe", "replied": "31-31-2027"},
            "not an object",
        ]},
    )  # fmt: skip
    assert bad.status_code == 422
    found = [(p["row"], p["column"]) for p in bad.json()["problems"]]
    assert found == [(1, "company_id"), (2, "answer"), (2, "replied"), (3, None)]
    assert client.put(f"/api/plans/{plan_id}/answers", json={"answers": {}}).status_code == 422
    sent = client.post(f"/api/plans/{plan_id}/outbox/send", json={"again": "yes"})
    assert sent.status_code == 422 and sent.json()["problems"][0]["column"] == "again"


#: changes.csv's changes that call for a message (docs/invitations.md), when placed now
_TOLD = {"moved", "dates", "venue", "new"}


def test_answers_a_decline_and_after_the_replan_only_those_affected(
    make_client: Any, contact_files: dict[str, bytes], smtp: Recorder, tmp_path: Path
) -> None:
    client = make_client(solver_workers=1)
    plan_id, roster = published(client, contact_files)
    members = placed(roster)
    no, yes = sorted(members)[:2]
    saved = client.put(
        f"/api/plans/{plan_id}/answers",
        json={"answers": [
            {"company_id": no, "answer": "declined", "replied": "15-12-2026"},
            {"company_id": yes, "answer": "confirmed"},
        ]},
    )  # fmt: skip
    assert saved.status_code == 200, saved.text
    answers = client.get(f"/api/plans/{plan_id}/answers").json()
    assert answers["counts"] == {"confirmed": 1, "declined": 1, "no_answer": len(members) - 2}
    assert answers["reply_by"] == "2026-12-20"
    by_id = {a["company_id"]: a for a in answers["answers"]}
    assert by_id[no]["replied"] == "2026-12-15" and by_id[yes]["replied"] is not None
    # the command reads the answers the browser kept (the same answers.csv)
    data = tmp_path / "data"
    code, output = run(
        "answers", data / "plans" / plan_id,
        "--roster", data / "versions" / plan_id / "published" / "roster.json",
        "--answers", data / "versions" / plan_id / "outbox" / "answers.csv",
        "--out", tmp_path / "cli", "--today", "2026-12-21",
    )  # fmt: skip
    assert code == 0, output
    assert "1 confirmed, 1 declined" in output and "by the reply date" in output
    declined = (tmp_path / "cli" / "declined.csv").read_text("utf-8-sig")
    assert [r["company_id"] for r in csv.DictReader(io.StringIO(declined))] == [no]
    plan_page = client.get(f"/plans/{plan_id}").text
    assert 'id="answers-summary"' in plan_page and "1 afbud" in plan_page
    changes_page = client.get(f"/plans/{plan_id}/changes").text
    assert f'id="w-{no}" checked' in changes_page and f'id="w-{yes}" checked' not in changes_page

    # the declined company withdrawn (the form as it comes), replanned, published
    cohort = next(c for c in roster["cohorts"] if c.get("venue_id") and no not in c["members"])
    lost = sorted(d for session in cohort["sessions"] for d in session["dates"])[-1]
    job = client.post(
        f"/plans/{plan_id}/replan",
        data={"withdraw": no, "as_of": "2027-01-04", "time_limit": "30",
              f"venue_days_{cohort['venue_id']}": lost,
              "csrf_token": token(client, f"/plans/{plan_id}/changes")},
        follow_redirects=False,
    ).headers["location"].split("/jobs/")[1]  # fmt: skip
    assert wait_for(client, job)["status"] == "done"
    before = client.get(f"/plans/{plan_id}/outbox").text  # the replan is not published yet
    assert 'id="unpublished-replan"' in before and f"/jobs/{job}/replan" in before
    assert client.post(f"/api/plans/{plan_id}/publish", json={"job_id": job}).status_code == 200
    assert 'id="unpublished-replan"' not in client.get(f"/plans/{plan_id}/outbox").text
    rows = client.get(f"/api/jobs/{job}/changes").json()["changes"]
    now = placed(client.get(f"/api/jobs/{job}/files/roster.json").json())
    expected = {r["company_id"] for r in rows if r["change"] in _TOLD and r["company_id"] in now}
    expected |= {r["company_id"] for r in rows if r["change"] == "unplaced"}
    assert {"company_id": no, "change": "withdrawn"}.items() <= next(
        r for r in rows if r["company_id"] == no
    ).items()
    shown = client.get(f"/api/plans/{plan_id}/outbox").json()
    assert shown["after_replan"] is True
    assert expected and {m["company_id"] for m in shown["messages"]} == expected
    assert no not in {m["company_id"] for m in shown["messages"]}
    assert no not in client.get(f"/plans/{plan_id}/changes").text.split('id="withdrawals"')[1]
    sent = client.post(f"/api/plans/{plan_id}/outbox/send", json={}).json()
    assert sent["sent"] == len(expected)


def test_a_company_taken_out_without_a_replan_gets_no_message(
    make_client: Any, contact_files: dict[str, bytes]
) -> None:
    client = make_client(solver_workers=1)
    plan_id, roster = published(client, contact_files)
    gone = sorted(placed(roster))[0]
    saved = client.post(
        f"/plans/{plan_id}/replan",
        data={"withdraw": gone, "only_save": "1",
              "csrf_token": token(client, f"/plans/{plan_id}/changes")},
        follow_redirects=False,
    )  # fmt: skip
    assert saved.status_code == 303
    shown = client.get(f"/api/plans/{plan_id}/outbox").json()
    assert shown["not_in_plan"] == [gone] and gone not in shown["no_address"]
    assert sorted(m["company_id"] for m in shown["messages"]) == sorted(
        set(placed(roster)) - {gone}
    )
    assert 'id="gone"' in client.get(f"/plans/{plan_id}/outbox").text


def test_a_published_roster_that_no_longer_reads_is_no_traceback(
    make_client: Any, contact_files: dict[str, bytes], tmp_path: Path
) -> None:
    client = make_client(solver_workers=1)
    plan_id, _ = published(client, contact_files)
    roster = tmp_path / "data" / "versions" / plan_id / "published" / "roster.json"
    roster.write_text("{not json", "utf-8")
    for url in (f"/plans/{plan_id}", f"/plans/{plan_id}/outbox", f"/plans/{plan_id}/answers"):
        answer = client.get(url)
        assert answer.status_code == 200 and "Traceback" not in answer.text, url
    assert 'id="not-published"' in client.get(f"/plans/{plan_id}/outbox").text
    assert client.get(f"/api/plans/{plan_id}/outbox").status_code == 422
