"""The programme in a real browser (issue 17 item 6): headless Chromium driven by Selenium
against ``camp-planner serve`` (the fixtures of tests/web/test_browser.py).

From the demo's plan: the form (rounds prefilled by moving the round's dates), two rounds
set to the demo's programme.toml, the job page, the timeline (a company's row checked
against the programme's JSON), axe-core on the form and the programme page (no serious or
critical violation; at 390 px the timeline scrolls in its own region), a round made a plan
of its own. Screenshots ``programme-*`` and ``a11y-programme-*`` in
``.pytest_cache/d/web-screenshots``.
"""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Any

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC  # noqa: N812

from tests.web import test_browser as shared
from tests.web.live import click_and_wait
from tests.web.test_a11y import _check
from tests.web.test_language import english_words

pytestmark = shared.pytestmark
server, browser, downloads, shots = shared.server, shared.browser, shared.downloads, shared.shots
TIMEOUT, _shot, _wait = shared.TIMEOUT, shared._shot, shared._wait


def _get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=30) as answer:
        return json.loads(answer.read())


def _set(driver: Any, element_id: str, value: str) -> None:
    """An input's value as its picker (or typing) sets it."""
    element = driver.find_element(By.ID, element_id)
    driver.execute_script("arguments[0].value = arguments[1]", element, value)


def test_the_programme_in_the_browser(server: str, browser: Any, shots: Path) -> None:
    driver = browser
    driver.get(server + "/?lang=da")
    click_and_wait(driver, driver.find_element(By.ID, "demo"), (By.ID, "groups"), TIMEOUT)
    plan_id = driver.current_url.rstrip("/").rsplit("/", 1)[1]

    # The form: two rounds, the second prefilled with the first moved by its length.
    programme = driver.find_element(By.ID, "programme-link")
    click_and_wait(driver, programme, (By.ID, "programme-form"), TIMEOUT)
    assert "Forløbsplan" in driver.title
    assert driver.find_element(By.ID, "round-1-start").get_attribute("value") == "2027-01-04"
    assert driver.find_element(By.ID, "round-2-start").get_attribute("value") == "2027-03-27"
    assert driver.find_element(By.ID, "round-2-end").get_attribute("value") == "2027-06-16"
    _check(driver, shots, "programme-form")
    assert not english_words(driver.find_element(By.TAG_NAME, "main").text)
    # the demo's programme.toml: round 2 from 5 April, the facilitator away on 14 May
    name = driver.find_element(By.ID, "round-2-name")
    name.clear()
    name.send_keys("2027-Q2")
    _set(driver, "round-2-start", "2027-04-05")
    _set(driver, "round-2-end", "2027-06-25")
    _set(driver, "round-2-facilitator_unavailable", "2027-05-14")
    limit = driver.find_element(By.ID, "time_limit")
    limit.clear()
    limit.send_keys("40")
    _shot(driver, shots, "programme-01-form")
    start = driver.find_element(By.ID, "start-programme")

    # The job page names the plan and its version, then goes to the programme by itself.
    click_and_wait(driver, start, (By.ID, "job"), TIMEOUT)
    assert "version 1" in driver.find_element(By.ID, "job-plan").text
    _shot(driver, shots, "programme-02-job")
    _wait(driver, EC.presence_of_element_located((By.ID, "timeline")), timeout=240)
    job_id = driver.current_url.split("/jobs/")[1].split("/")[0]
    result = _get_json(f"{server}/api/jobs/{job_id}/programme")
    assert result["plan_id"] == plan_id
    document = result["programme"]
    assert document["rounds"] == ["2027-Q1", "2027-Q2"]

    # A company's row against the JSON: its step and cohort in each round, the track.
    entry = next(e for e in document["companies"] if len(e["steps"]) == 2)
    row = driver.find_element(By.ID, f"row-{entry['company_id']}")
    cells = row.find_elements(By.CSS_SELECTOR, "td[data-round]")
    assert len(cells) == 2
    for step in entry["steps"]:
        cell = cells[document["rounds"].index(step["round"])].text
        assert ("Modul 1" if step["step"] == "module1" else "Modul 2") in cell
        assert step["cohort_id"] in cell
    assert row.find_element(By.CSS_SELECTOR, "td.complete").text == "ja"
    waiting = next(e for e in document["companies"] if not e["steps"] and e["unplaced"])
    other = driver.find_element(By.ID, f"row-{waiting['company_id']}")
    assert [c.text for c in other.find_elements(By.CSS_SELECTOR, "td[data-round]")] == ["–", "–"]
    tracks = driver.find_element(By.ID, "tracks").text
    assert str(document["summary"]["tracks_completed"]) in tracks
    _shot(driver, shots, "programme-03-timeline")
    assert not english_words(driver.find_element(By.TAG_NAME, "main").text)
    _check(driver, shots, "programme")  # axe at 1280 and 390 px; the timeline scrolls

    # Each round's map is served from the job's files.
    driver.find_element(By.CSS_SELECTOR, "#round-2 summary").click()
    round_two = driver.find_element(By.ID, "round-2")
    assert "Modul 2" in round_two.find_element(By.CSS_SELECTOR, "table.roster").text
    driver.execute_script("arguments[0].scrollIntoView()", round_two)  # (the page is long)
    driver.save_screenshot(str(shots / "programme-04-round-2.png"))
    href = driver.find_element(By.ID, "map-2").get_attribute("href")
    with urllib.request.urlopen(href, timeout=30) as answer:
        assert "sandbox" in answer.headers["content-security-policy"]

    # Round 2 as a plan of its own: its roster is the programme's, ready to publish.
    click_and_wait(driver, driver.find_element(By.ID, "plan-round-2"), (By.ID, "groups"), TIMEOUT)
    new_id = driver.current_url.rstrip("/").rsplit("/", 1)[1]
    assert new_id != plan_id and "2027-Q2" in driver.find_element(By.TAG_NAME, "h1").text
    _shot(driver, shots, "programme-05-round-plan")
    roster = _get_json(f"{server}/api/plans/{new_id}/roster.json")
    theirs = _get_json(f"{server}/api/jobs/{job_id}/programme/rounds/2/roster.json")
    assert [c["members"] for c in roster["cohorts"]] == [c["members"] for c in theirs["cohorts"]]
    latest = driver.find_element(By.LINK_TEXT, "Se den seneste holdplan")
    click_and_wait(driver, latest, (By.TAG_NAME, "h1"), TIMEOUT)
    _shot(driver, shots, "programme-06-round-roster")
