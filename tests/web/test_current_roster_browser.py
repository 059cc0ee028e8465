"""The roster page of a published replan in real Chromium: it says which roster it is,
passes axe-core and fits 390 px (Danish), and the solve's roster is one link away.
Screenshots: current-roster-*.png in .pytest_cache/d/web-screenshots."""

from __future__ import annotations

import json
import time
import urllib.request
from pathlib import Path
from typing import Any

from selenium.webdriver.common.by import By

from tests.web import test_browser as shared
from tests.web.live import click_and_wait
from tests.web.test_a11y import _check

pytestmark = shared.pytestmark
server, browser, downloads, shots = shared.server, shared.browser, shared.downloads, shared.shots
TIMEOUT, _shot = shared.TIMEOUT, shared._shot


def _call(url: str, body: dict[str, Any] | None = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    headers = {"Content-Type": "application/json"} if data else {}
    request = urllib.request.Request(url, data=data, headers=headers)
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())


def _done(base: str, job: str) -> None:
    for _ in range(600):
        if _call(f"{base}/api/jobs/{job}")["status"] in ("done", "failed", "cancelled"):
            break
        time.sleep(0.2)
    assert _call(f"{base}/api/jobs/{job}")["status"] == "done"


def test_the_replanned_roster_page_in_the_browser(
    server: str, browser: Any, shots: Path, tmp_path: Path, small_files: dict[str, bytes]
) -> None:
    driver = browser
    driver.get(server + "/?lang=da")
    paths = []
    for name in ("companies.csv", "venues.csv", "round.toml"):
        (tmp_path / name).write_bytes(small_files[name])
        paths.append(str(tmp_path / name))
    driver.find_element(By.ID, "files").send_keys("\n".join(paths))
    click_and_wait(driver, driver.find_element(By.ID, "upload"), (By.ID, "groups"), TIMEOUT)
    plan_id = driver.current_url.rstrip("/").rsplit("/", 1)[1]
    solve = _call(f"{server}/api/plans/{plan_id}/solve", {"time_limit": 20})["job_id"]
    _done(server, solve)
    _call(f"{server}/api/plans/{plan_id}/publish", {})
    solved = _call(f"{server}/api/jobs/{solve}/files/roster.json")
    gone = sorted(solved["cohorts"][0]["members"])[0]
    body = {"withdrawn": [gone], "as_of": "2027-01-04", "time_limit": 20}
    replan = _call(f"{server}/api/plans/{plan_id}/replan", body)["job_id"]
    _done(server, replan)
    _call(f"{server}/api/plans/{plan_id}/publish", {"job_id": replan})

    driver.get(f"{server}/plans/{plan_id}/roster?lang=da")
    which = driver.find_element(By.ID, "which-roster").text
    assert "Dette er den omplanlagte holdplan offentliggjort" in which
    _check(driver, shots, "current-roster-replan")
    _shot(driver, shots, "current-roster-replan")
    solve_link = driver.find_element(By.ID, "solve-roster")
    click_and_wait(driver, solve_link, (By.ID, "current-roster"), TIMEOUT)
    assert "ikke planens aktuelle holdplan" in driver.find_element(By.ID, "which-roster").text
    _check(driver, shots, "current-roster-solve")
    _shot(driver, shots, "current-roster-solve")
