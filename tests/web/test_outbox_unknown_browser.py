"""A message of unknown outcome in a real browser: headless Chromium against ``camp-planner
serve`` whose CAMP_PLANNER_SMTP_* point at an aiosmtpd server on loopback.

The send that leaves the message ``sending`` runs the outbox's own send (the worker's
code, on the server's data folder) in this process, made to stop after the server
accepted its first message and before the log took the answer. The Danish outbox then
shows the unknown outcome (axe-core at 1280 and 390 px, no English), and its button sends
that message again, deliberately. Screenshots ``outbox-unknown-*`` in
``.pytest_cache/d/web-screenshots``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from selenium.webdriver.common.by import By

import camp_planner.mail.outbox as mail_outbox
from camp_planner.mail.sentlog import LogRow
from camp_planner.web.outbox import send
from camp_planner.web.outbox_send import _Source
from camp_planner.web.store import Store
from tests.mail.conftest import Recorder, _free_port, forget_machine_smtp
from tests.web import live
from tests.web import test_browser as shared
from tests.web.live import click_and_wait
from tests.web.test_a11y import _check
from tests.web.test_language import _visible, english_words
from tests.web.test_outbox import addresses, with_contacts

pytestmark = shared.pytestmark
browser, downloads, shots = shared.browser, shared.downloads, shared.shots
TIMEOUT, _shot = shared.TIMEOUT, shared._shot


class Crash(Exception):
    """The send ending between the server's answer and the log's update."""


@pytest.fixture
def smtp_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Recorder, dict[str, str]]]:
    forget_machine_smtp(monkeypatch)
    recorder, port = Recorder(), _free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    env = {
        "CAMP_PLANNER_SMTP_HOST": "127.0.0.1", "CAMP_PLANNER_SMTP_PORT": str(port),
        "CAMP_PLANNER_SMTP_STARTTLS": "0", "CAMP_PLANNER_SMTP_FROM": "vaekstcamp@region.dk",
    }  # fmt: skip
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    yield recorder, env
    controller.stop()


def test_an_unknown_outcome_shown_in_danish_and_sent_again_from_the_page(
    tmp_path: Path, smtp_env: tuple[Recorder, dict[str, str]], browser: Any, shots: Path,
    small_files: dict[str, bytes], monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    recorder, env = smtp_env
    app = live.start(tmp_path / "data", "--jobs", "1", env=env)
    try:
        _walk(app, recorder, browser, shots, small_files, monkeypatch)
    finally:
        app.stop()
    assert "Traceback" not in app.log.read_text()


def _walk(
    app: live.Live, recorder: Recorder, driver: Any, shots: Path, small_files: dict[str, bytes],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    files = with_contacts(small_files)
    plan_id = app.upload(files).json()["plan_id"]
    job = app.post_json(f"/api/plans/{plan_id}/solve", {"time_limit": 10}).json()["job_id"]
    assert app.wait(job, ("done", "failed"))["status"] == "done"
    assert app.post_json(f"/api/plans/{plan_id}/publish", {}).status == 200

    real = mail_outbox.record_answer

    def crash(path: Path, pending: LogRow | None, answer: LogRow) -> Path:
        raise Crash

    monkeypatch.setattr(mail_outbox, "record_answer", crash)
    with pytest.raises(Crash):
        send(_Source(Store(app.data)), plan_id)
    monkeypatch.setattr(mail_outbox, "record_answer", real)
    ((tos, _),) = recorder.messages
    victim = addresses(files)[tos[0]]

    driver.get(f"{app.base}/plans/{plan_id}/outbox")
    box = driver.find_element(By.ID, "unknown")
    assert "Ukendt: kan være leveret" in box.text
    assert "Send den 1 besked med ukendt udfald igen" in box.text
    row = driver.find_element(By.ID, f"m-{victim}")
    assert "Ukendt: kan være leveret" in row.text
    assert not english_words(_visible(driver)), english_words(_visible(driver))
    _check(driver, shots, "outbox-unknown")
    _shot(driver, shots, "outbox-unknown-01")
    box.screenshot(str(shots / "outbox-unknown-box.png"))  # to look at closely
    driver.find_element(By.ID, "log-section").screenshot(str(shots / "outbox-unknown-log.png"))

    button = driver.find_element(By.ID, "resend-unknown")
    click_and_wait(driver, button, (By.CSS_SELECTOR, "section#result"), TIMEOUT * 2)
    assert "1 sendt, 0 mislykkedes" in driver.find_element(By.ID, "result").text
    assert not driver.find_elements(By.ID, "unknown")
    received = Counter(addresses(files)[to] for tos, _ in recorder.messages for to in tos)
    assert received == {victim: 2}  # only that company, deliberately, a second time
    assert "Sendt" in driver.find_element(By.ID, f"m-{victim}").text
    _shot(driver, shots, "outbox-unknown-02-sent-again")
