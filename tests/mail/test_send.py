"""`camp-planner send` against a real SMTP server on loopback: one message per company with
its cohort and its own .ics, failures logged and retried, nothing sent twice by mistake."""

from __future__ import annotations

import csv
import json
import shutil
from datetime import date, datetime
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from icalendar import Calendar

from tests.mail.conftest import Recorder, run


@pytest.fixture
def folder(solved_demo: Path, tmp_path: Path) -> Path:
    """A copy of the solved demo, so each test has its own sent-log."""
    return Path(shutil.copytree(solved_demo, tmp_path / "demo"))


def _roster(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _placement(roster: dict[str, Any]) -> dict[str, tuple[str, str, tuple[str, ...]]]:
    """company -> (cohort, venue, session dates), read straight from roster.json."""
    return {
        member: (
            c["cohort_id"],
            c["venue_id"],
            tuple(sorted(d for s in c["sessions"] for d in s["dates"])),
        )
        for c in roster["cohorts"]
        for member in c["members"]
    }


def _calendars(message: EmailMessage) -> dict[str, Calendar]:
    found = {}
    for part in message.iter_attachments():
        if part.get_content_type() == "text/calendar":
            found[str(part.get_filename())] = Calendar.from_ical(part.get_payload(decode=True))
    return found


def _log(folder: Path) -> list[dict[str, str]]:
    with (folder / "out" / "sent-log.csv").open(encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def test_every_company_gets_one_message_with_its_cohort_and_ics(
    folder: Path, smtp_server: Recorder
) -> None:
    code, output = run("send", folder, "--roster", folder / "out" / "roster.json")
    assert code == 0, output
    roster = _roster(folder / "out" / "roster.json")
    placed = _placement(roster)
    contacts = pd.read_csv(folder / "companies.csv", dtype=str, keep_default_na=False)
    address = dict(zip(contacts["company_id"], contacts["e-mail"], strict=True))
    names = dict(zip(contacts["company_id"], contacts["name"], strict=True))
    by_address = {v: k for k, v in address.items()}
    received = [by_address[to] for tos, _ in smtp_server.messages for to in tos]
    assert sorted(received) == sorted(placed)  # every placed company exactly once
    for tos, message in smtp_server.messages:
        company = by_address[tos[0]]
        cohort_id, _, dates = placed[company]
        assert f"hold {cohort_id}" in str(message["Subject"])
        assert message["To"].addresses[0].addr_spec == address[company]
        assert message["From"].addresses[0].addr_spec == "vaekstcamp@region.dk"
        body = message.get_body(("plain",)).get_content()
        assert names[company] in body and f"Hold: {cohort_id}" in body
        cals = _calendars(message)
        assert list(cals) == ["invitation.ics"]
        cal = cals["invitation.ics"]
        assert str(cal["method"]) == "REQUEST"
        events = list(cal.walk("VEVENT"))
        assert events and all(names[company] in str(e["summary"]) for e in events)
        assert all(str(e["attendee"]) == f"mailto:{address[company]}" for e in events)
        assert all(str(e["organizer"]) == "mailto:aase@region.dk" for e in events)
        # 09:00-16:00 Copenhagen time (UTC+1 in winter); the events cover the cohort's days
        starts = [e.decoded("dtstart") for e in events]
        assert all(isinstance(s, datetime) and s.hour == 8 for s in starts)
        days = set()
        for e in events:
            first, last = e.decoded("dtstart").date(), e.decoded("dtend").date()
            days |= {d for d in dates if first <= date.fromisoformat(d) <= last}
        assert days == set(dates)
    log = _log(folder)
    assert len(log) == len(placed) and {r["status"] for r in log} == {"sent"}
    assert all("Kære" not in "".join(r.values()) for r in log)  # never the body


def test_sending_twice_is_refused_unless_again(folder: Path, smtp_server: Recorder) -> None:
    roster = folder / "out" / "roster.json"
    assert run("send", folder, "--roster", roster)[0] == 0
    first = len(smtp_server.messages)
    code, output = run("send", folder, "--roster", roster)
    assert code == 1 and "sent before" in output
    assert len(smtp_server.messages) == first
    code, _ = run("send", folder, "--roster", roster, "--again")
    assert code == 0 and len(smtp_server.messages) == 2 * first


def test_a_refused_recipient_is_failed_the_others_sent_and_a_retry_sends_it(
    folder: Path, smtp_server: Recorder
) -> None:
    roster = folder / "out" / "roster.json"
    placed = _placement(_roster(roster))
    contacts = pd.read_csv(folder / "companies.csv", dtype=str, keep_default_na=False)
    address = dict(zip(contacts["company_id"], contacts["e-mail"], strict=True))
    victim = sorted(placed)[3]
    smtp_server.refuse.add(address[victim])
    code, output = run("send", folder, "--roster", roster)
    assert code == 1 and "1 message(s) failed" in output
    assert len(smtp_server.messages) == len(placed) - 1
    log = _log(folder)
    failed = [r for r in log if r["status"] == "failed"]
    assert [r["company_id"] for r in failed] == [victim]
    assert failed[0]["answer"].startswith(f"{address[victim]}: 550")
    smtp_server.refuse.clear()
    code, output = run("send", folder, "--roster", roster)  # only the failed one again
    assert code == 0, output
    assert len(smtp_server.messages) == len(placed)
    assert smtp_server.messages[-1][0] == [address[victim]]


def test_smtp_settings_that_cannot_be_used_send_nothing(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CAMP_PLANNER_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CAMP_PLANNER_SMTP_PORT", "smtp")
    code, output = run("send", folder, "--roster", folder / "out" / "roster.json")
    assert code == 2 and "CAMP_PLANNER_SMTP_PORT" in output
    assert not (folder / "out" / "sent-log.csv").exists()


def test_after_a_replan_with_a_lost_venue_day_only_the_affected_get_a_message(
    folder: Path, smtp_server: Recorder
) -> None:
    published = folder / "out" / "roster.json"
    assert run("send", folder, "--roster", published)[0] == 0
    smtp_server.messages.clear()
    old = _roster(published)
    # the first session of the first cohort: its venue cannot host on that day any more
    cohort = min(old["cohorts"], key=lambda c: min(d for s in c["sessions"] for d in s["dates"]))
    lost = min(d for s in cohort["sessions"] for d in s["dates"])
    venues = pd.read_csv(folder / "venues.csv", dtype=str, keep_default_na=False)
    venues.loc[venues["venue_id"] == cohort["venue_id"], "unavailable"] = lost
    venues.to_csv(folder / "venues.csv", index=False)
    code, output = run(
        "replan", folder, "--published", published, "--as-of", "2026-12-01",
        "--time-limit", "40", "--out", folder / "replan",
    )  # fmt: skip
    assert code == 0, output
    new = _roster(folder / "replan" / "roster.json")
    before, after = _placement(old), _placement(new)
    affected = {c for c in set(before) | set(after) if before.get(c) != after.get(c)}
    assert set(cohort["members"]) <= affected  # the cohort had to move
    code, output = run(
        "send", folder, "--roster", folder / "replan" / "roster.json",
        "--changes", folder / "replan" / "changes.csv", "--published", published,
    )  # fmt: skip
    assert code == 0, output
    contacts = pd.read_csv(folder / "companies.csv", dtype=str, keep_default_na=False)
    by_address = dict(zip(contacts["e-mail"], contacts["company_id"], strict=True))
    received = [by_address[to] for tos, _ in smtp_server.messages for to in tos]
    assert sorted(received) == sorted(affected)
    assert len(received) < len(after)
    for tos, message in smtp_server.messages:
        company = by_address[tos[0]]
        cals = _calendars(message)
        if company not in after:
            assert str(cals["cancelled.ics"]["method"]) == "CANCEL"
            continue
        events = list(cals["invitation.ics"].walk("VEVENT"))
        shown = {e.decoded("dtstart").date().isoformat() for e in events}
        assert shown <= set(after[company][2])
        if before.get(company) and before[company][0] == after[company][0]:
            # same cohort, other dates: the same events updated (SEQUENCE raised somewhere)
            assert any(int(e["sequence"]) >= 1 for e in events)
        if before.get(company) and before[company][0] != after[company][0]:
            gone = list(cals["cancelled.ics"].walk("VEVENT"))
            assert gone and all(str(e["status"]) == "CANCELLED" for e in gone)


def test_a_server_that_cannot_be_reached_fails_every_message(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.mail.conftest import _free_port

    monkeypatch.setenv("CAMP_PLANNER_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("CAMP_PLANNER_SMTP_PORT", str(_free_port()))  # nobody listens
    monkeypatch.setenv("CAMP_PLANNER_SMTP_STARTTLS", "0")
    code, output = run("send", folder, "--roster", folder / "out" / "roster.json")
    assert code == 1 and "failed" in output
    log = _log(folder)
    assert log and {r["status"] for r in log} == {"failed"}
    assert all("cannot connect to 127.0.0.1" in r["answer"] for r in log)


def test_a_message_refused_at_data_is_failed_with_the_servers_answer(
    folder: Path, smtp_server: Recorder, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = {"n": 0}
    accept = Recorder.handle_DATA

    async def refuse_the_second(self: Recorder, server: Any, session: Any, envelope: Any) -> str:
        calls["n"] += 1
        if calls["n"] == 2:
            return "554 5.6.0 message content rejected"
        return await accept(self, server, session, envelope)

    monkeypatch.setattr(Recorder, "handle_DATA", refuse_the_second)
    code, _ = run("send", folder, "--roster", folder / "out" / "roster.json")
    assert code == 1
    log = _log(folder)
    (failed,) = [r for r in log if r["status"] == "failed"]
    assert failed["answer"] == "554 5.6.0 message content rejected"
    assert len(smtp_server.messages) == len(log) - 1
