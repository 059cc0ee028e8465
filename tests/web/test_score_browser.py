"""The Score page in real Chromium (tests/web/test_browser.py's server and browser): from
the home page's link, upload a Danish scorecards file, see the table in Danish, download
levels.csv (the command's bytes); axe-core finds nothing serious or critical and nothing
reaches past 390 px. Screenshots: ``score-*.png`` in ``.pytest_cache/d/web-screenshots``."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from tests.web.live import click_and_wait
from tests.web.test_a11y import _check
from tests.web.test_browser import (  # noqa: F401  (fixtures)
    TIMEOUT,
    _shot,
    browser,
    downloads,
    server,
    shots,
)
from tests.web.test_language import english_words
from tests.web.test_score_api import BAD_CSV, DANISH_CSV, _command_levels

pytest.importorskip("selenium.webdriver", reason="selenium is a dev dependency")
from selenium.webdriver.common.by import By  # noqa: E402


def _text(driver: Any) -> str:
    return str(driver.execute_script("return document.querySelector('main').innerText"))


def test_score_page_in_the_browser(
    server: str, browser: Any, shots: Path, downloads: Path, tmp_path: Path,  # noqa: F811
) -> None:  # fmt: skip
    driver = browser
    driver.set_window_size(1280, 1000)
    driver.get(server + "/?lang=da")
    _check(driver, shots, "score-home")  # the header's link and the home page's card fit
    link = driver.find_element(By.ID, "score-link")
    click_and_wait(driver, link, (By.ID, "scorecards"), TIMEOUT)
    assert driver.find_element(By.ID, "nav-score").get_attribute("aria-current") == "page"
    _check(driver, shots, "score-empty")

    bad = tmp_path / "Scorekort fejl.csv"
    bad.write_bytes(BAD_CSV)
    driver.find_element(By.ID, "scorecards").send_keys(str(bad))
    click_and_wait(driver, driver.find_element(By.ID, "score"), (By.ID, "problems"), TIMEOUT)
    rows = driver.find_elements(By.CSS_SELECTOR, "#problems tbody tr")
    assert len(rows) == 4
    assert all(r.find_element(By.TAG_NAME, "td").text == bad.name for r in rows)
    assert english_words(_text(driver).replace("Company ID", " ")) == []
    _check(driver, shots, "score-problems")
    _shot(driver, shots, "score-problems-1280")

    good = tmp_path / "Scorekort forår.csv"
    good.write_bytes(DANISH_CSV)
    driver.find_element(By.ID, "scorecards").send_keys(str(good))
    click_and_wait(driver, driver.find_element(By.ID, "score"), (By.ID, "levels-table"), TIMEOUT)
    cells = [
        [td.text for td in tr.find_elements(By.TAG_NAME, "td")]
        for tr in driver.find_elements(By.CSS_SELECTOR, "#levels-table tbody tr")
    ]
    assert [row[:2] for row in cells] == [["00123456", "A"], ["00234567", "B"], ["4", "under C"]]
    assert cells[2][2].startswith("under C: opfylder intet niveau (score C 10 %)")
    counts = driver.find_element(By.ID, "counts").text
    assert "A: 1" in counts and "B: 1" in counts and "C: 0" in counts and "under C: 1" in counts
    text = _text(driver).replace("levels.csv", " ").replace("Company ID", " ")
    assert english_words(text) == []
    _check(driver, shots, "score-levels")
    _shot(driver, shots, "score-levels-1280")

    driver.find_element(By.ID, "download-levels").click()
    target = downloads / "levels.csv"
    deadline = time.monotonic() + 30
    while not target.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert target.read_bytes() == _command_levels(tmp_path, good.name, DANISH_CSV)
