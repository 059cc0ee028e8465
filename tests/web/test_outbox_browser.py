"""The outbox and the answers in a real browser (issue 22): headless Chromium against
``camp-planner serve`` whose CAMP_PLANNER_SMTP_* point at an aiosmtpd server on loopback.

The demo round with contacts: publish, preview, edit the template, send (every company
exactly one message with a valid .ics), record answers with one decline, replan from the
changes page with that decline ticked, publish the replan: the outbox then offers only the
companies affected. axe-core on the outbox and answers pages; screenshots ``outbox-*`` in
``.pytest_cache/d/web-screenshots``.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC  # noqa: N812

from tests.mail.conftest import Recorder, _free_port
from tests.web import live
from tests.web import test_browser as shared
from tests.web.live import click_and_wait
from tests.web.test_a11y import _check
from tests.web.test_language import _visible, english_words
from tests.web.test_outbox import addresses, calendars, placed, with_contacts

pytestmark = shared.pytestmark
browser, downloads, shots = shared.browser, shared.downloads, shared.shots
TIMEOUT, _shot, _wait = shared.TIMEOUT, shared._shot, shared._wait


@pytest.fixture(scope="module")
def mail_server() -> Iterator[tuple[Recorder, int]]:
    recorder, port = Recorder(), _free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    yield recorder, port
    controller.stop()


@pytest.fixture(scope="module")
def smtp_app(
    tmp_path_factory: pytest.TempPathFactory, mail_server: tuple[Recorder, int]
) -> Iterator[live.Live]:
    env = {
        "CAMP_PLANNER_SMTP_HOST": "127.0.0.1", "CAMP_PLANNER_SMTP_PORT": str(mail_server[1]),
        "CAMP_PLANNER_SMTP_STARTTLS": "0", "CAMP_PLANNER_SMTP_FROM": "vaekstcamp@region.dk",
    }  # fmt: skip
    app = live.start(tmp_path_factory.mktemp("outbox") / "data", "--jobs", "1", env=env)
    yield app
    app.stop()
    assert "Traceback" not in app.log.read_text()


def _json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=30) as answer:
        return json.loads(answer.read())


def _waiting_and_full(roster: dict[str, Any]) -> tuple[str, str]:
    """A company waiting for room (code ``capacity``) and a member of a cohort of its group
    (module, level, age group: the reason names them, e.g. "B/etableret Modul 1")."""
    waiting = next(u for u in roster["unplaced"] if u["code"] == "capacity")
    group = waiting["reason"].split(":")[0]
    level, rest = group.split("/", 1)
    young, module = rest.startswith("ung"), "module" + rest.rsplit(" ", 1)[1]
    cohort = next(
        c for c in roster["cohorts"]
        if c["module"] == module and c["level"] == level and (c["age_group"] == "young") == young
    )  # fmt: skip
    return waiting["company_id"], sorted(cohort["members"])[0]


def test_outbox_answers_and_a_decline_replanned(
    smtp_app: live.Live, mail_server: tuple[Recorder, int], browser: Any, shots: Path,
    demo_files: dict[str, bytes],
) -> None:  # fmt: skip
    driver, base, recorder = browser, smtp_app.base, mail_server[0]
    files = with_contacts(demo_files)
    plan_id = smtp_app.upload(files).json()["plan_id"]
    job = smtp_app.post_json(f"/api/plans/{plan_id}/solve", {"time_limit": 10}).json()["job_id"]
    assert smtp_app.wait(job, ("done", "failed"))["status"] == "done"

    # publish in the browser, then the outbox from the plan's page
    driver.get(f"{base}/plans/{plan_id}/changes")
    click_and_wait(driver, driver.find_element(By.ID, "publish"), (By.ID, "withdrawals"), TIMEOUT)
    driver.get(f"{base}/plans/{plan_id}")
    click_and_wait(driver, driver.find_element(By.ID, "outbox-link"), (By.ID, "messages"), TIMEOUT)
    roster = _json(f"{base}/api/jobs/{job}/files/roster.json")
    members = placed(roster)
    rows = driver.find_elements(By.CSS_SELECTOR, "#messages tbody tr")
    assert sorted(r.get_attribute("id")[2:] for r in rows) == sorted(members)

    # the template edited in the browser: the preview follows
    area = driver.find_element(By.ID, "template")
    text = area.get_attribute("value").replace("invitation til", "velkommen til", 1)
    driver.execute_script("arguments[0].value = arguments[1]", area, text)
    save = driver.find_element(By.ID, "save-template")
    click_and_wait(driver, save, (By.ID, "reset-template"), TIMEOUT)
    first = driver.find_element(By.CSS_SELECTOR, "#messages tbody tr details summary")
    assert "velkommen til" in first.text
    first.click()
    assert not english_words(_visible(driver))  # a Danish page
    _check(driver, shots, "outbox")
    _shot(driver, shots, "outbox-01-preview")

    # send: every company exactly one message with its own valid .ics
    result = (By.CSS_SELECTOR, "section#result")
    # a send job: its page, then back here
    click_and_wait(driver, driver.find_element(By.ID, "send"), result, TIMEOUT * 2)
    assert "/outbox?job=" in driver.current_url
    job_page = driver.current_url.split("?job=")[1].split("#")[0]
    assert "Udbakke" in driver.find_element(By.CSS_SELECTOR, "nav.steps [aria-current=page]").text
    by_address = addresses(files)
    received = [by_address[to] for tos, _ in recorder.messages for to in tos]
    assert sorted(received) == sorted(members)
    for tos, message in recorder.messages:
        company = by_address[tos[0]]
        assert "velkommen til" in str(message["Subject"])
        assert f"hold {members[company]}" in str(message["Subject"])
        events = calendars(message)["invitation.ics"].walk("VEVENT")
        assert events and all(company in str(e["uid"]) for e in events)
    assert len(driver.find_elements(By.CSS_SELECTOR, "#log tbody tr")) == len(members)
    _shot(driver, shots, "outbox-02-sent")
    # the send job's page: the plan, the counts, the way back (axe; the header at 390 px)
    driver.get(f"{base}/jobs/{job_page}/send")
    assert driver.find_element(By.ID, "job-plan").text
    assert driver.find_element(By.ID, "counts").text.startswith(f"{len(members)} sendt")
    assert not english_words(_visible(driver))
    _check(driver, shots, "outbox-job")
    click_and_wait(driver, driver.find_element(By.ID, "back"), result, TIMEOUT)
    # the header leads to the answers and back to the outbox
    answers = driver.find_element(By.CSS_SELECTOR, "nav.steps a[href$='/answers']")
    click_and_wait(driver, answers, (By.TAG_NAME, "h1"), TIMEOUT)
    outbox = driver.find_element(By.CSS_SELECTOR, "nav.steps a[href$='/outbox']")
    click_and_wait(driver, outbox, (By.ID, "send"), TIMEOUT)
    # twice by mistake: refused
    click_and_wait(driver, driver.find_element(By.ID, "send"), (By.ID, "not-again"), TIMEOUT * 2)
    assert len(recorder.messages) == len(members)

    # answers: one confirmed, one declined (from the cohorts a company waits for, when the
    # roster has one waiting for room: its place then goes to the one waiting)
    driver.get(f"{base}/plans/{plan_id}/answers")
    waiting, no = _waiting_and_full(roster)
    yes = next(m for m in sorted(members) if m != no)
    driver.find_element(By.ID, f"answer-{yes}-confirmed").click()
    driver.find_element(By.ID, f"answer-{no}-declined").click()
    click_and_wait(driver, driver.find_element(By.ID, "save-answers"), (By.ID, "saved"), TIMEOUT)
    counts = driver.find_element(By.ID, "answer-counts").text
    assert "1 bekræftet" in counts and "1 afbud" in counts, counts
    assert not english_words(_visible(driver))
    _check(driver, shots, "answers")
    _shot(driver, shots, "outbox-03-answers")
    driver.get(f"{base}/plans/{plan_id}")
    assert "1 afbud" in driver.find_element(By.ID, "answers-summary").text

    # the decline comes ticked on the changes page; replan, publish the replan
    driver.get(f"{base}/plans/{plan_id}/changes")
    assert driver.find_element(By.ID, f"w-{no}").is_selected()
    assert not driver.find_element(By.ID, f"w-{yes}").is_selected()
    cohort = next(c for c in roster["cohorts"] if c.get("venue_id") and c["module"] == "module2")
    lost = sorted(d for session in cohort["sessions"] for d in session["dates"])[-1]
    driver.find_element(By.ID, f"venue_days_{cohort['venue_id']}").send_keys(lost)
    driver.execute_script("document.getElementById('as_of').value = '2027-01-04'")
    limit = driver.find_element(By.ID, "time_limit")
    limit.clear()
    limit.send_keys("30")
    _shot(driver, shots, "outbox-04-changes")
    click_and_wait(driver, driver.find_element(By.ID, "replan"), (By.ID, "changes"), TIMEOUT * 3)
    replan = driver.current_url.split("/jobs/")[1].split("/")[0]
    publish = driver.find_element(By.ID, "publish-replan")
    click_and_wait(driver, publish, (By.ID, "withdrawals"), TIMEOUT)

    # the outbox now offers only the companies the replan affects
    changes = _json(f"{base}/api/jobs/{replan}/changes")["changes"]
    assert any(r["company_id"] == no and r["change"] == "withdrawn" for r in changes)
    now = placed(_json(f"{base}/api/jobs/{replan}/files/roster.json"))
    told = {"moved", "dates", "venue", "new"}
    expected = {r["company_id"] for r in changes if r["change"] in told and r["company_id"] in now}
    expected |= {r["company_id"] for r in changes if r["change"] == "unplaced"}
    driver.get(f"{base}/plans/{plan_id}/outbox")
    _wait(driver, EC.presence_of_element_located((By.ID, "about")))
    rows = driver.find_elements(By.CSS_SELECTOR, "#messages tbody tr")
    assert waiting in now, "the place the decline freed goes to the one waiting"
    row = driver.find_element(By.ID, f"m-{waiting}")
    assert row.find_elements(By.TAG_NAME, "td")[2].text == "Plads fra ventelisten"
    row.find_element(By.TAG_NAME, "summary").click()
    assert "flyttet fra ventelisten" in row.find_element(By.CSS_SELECTOR, "pre.letter").text
    assert {r.get_attribute("id")[2:] for r in rows} == expected
    assert expected and no not in expected and len(expected) < len(members)
    kinds = {r.get_attribute("id")[2:]: r.find_elements(By.TAG_NAME, "td")[2].text for r in rows}
    assert set(kinds.values()) <= {"Ændring", "Invitation", "Plads fra ventelisten", "Aflysning"}
    click_and_wait(driver, driver.find_element(By.ID, "send"), (By.ID, "result"), TIMEOUT * 2)
    updates = recorder.messages[len(members) :]
    assert sorted(by_address[tos[0]] for tos, _ in updates) == sorted(expected)
    change_of = {r["company_id"]: r["change"] for r in changes}
    for tos, message in updates:
        cals, company = calendars(message), by_address[tos[0]]
        if change_of[company] in ("dates", "venue"):  # the changed event: SEQUENCE raised
            events = cals["invitation.ics"].walk("VEVENT")
            assert any(int(e.get("sequence", 0)) >= 1 for e in events)
        if change_of[company] == "unplaced":
            assert str(cals["cancelled.ics"]["method"]) == "CANCEL"
    assert not english_words(_visible(driver))
    _shot(driver, shots, "outbox-05-after-replan")
