"""Accessibility of every page of the web app, in real Chromium.

The walk home -> plan -> job -> roster -> map -> what-if -> comparison runs axe-core (the
vendored ``tests/outputs/axe/axe.min.js``) on each page and fails on any violation of impact
serious or critical; at 390 px it measures every element of each page and fails on one that
reaches past the viewport (elements inside a scrolling region are measured by that region).
The comparison of four scenarios must fit 1366 px without a scroll bar.
Screenshots go to ``.pytest_cache/d/web-screenshots`` (a11y-*.png).
"""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import workbook_from_csv
from tests.web.live import click_and_wait
from tests.web.test_browser import (  # noqa: F401  (fixtures)
    TIMEOUT,
    _shot,
    _wait,
    browser,
    downloads,
    server,
    shots,
)

pytest.importorskip("selenium.webdriver", reason="selenium is a dev dependency")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402, N812

AXE = Path(__file__).parents[1] / "outputs" / "axe" / "axe.min.js"

RUN_AXE = """
var done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ['violations']}).then(function (r) {
  done(r.violations.map(function (v) {
    return [v.id, v.impact, v.nodes.slice(0, 3).map(function (n) { return n.target.join(' '); })];
  }));
});
"""

#: Elements whose box reaches past the viewport, not counting what a scrolling region (an
#: element with overflow-x auto or scroll that itself fits) holds, nor the tiles and
#: markers a Leaflet map clips to its own box (the map's container is measured itself).
TOO_WIDE = """
var vw = document.documentElement.clientWidth, out = [];
function scrolls(e) {
  var o = getComputedStyle(e).overflowX;
  return o === 'auto' || o === 'scroll' ||
    (o === 'hidden' && e.classList.contains('leaflet-container'));
}
function inside(e) {
  for (var p = e.parentElement; p; p = p.parentElement) { if (scrolls(p)) return true; }
  return false;
}
document.querySelectorAll('body *').forEach(function (e) {
  var r = e.getBoundingClientRect();
  if (r.width === 0 || inside(e)) return;
  if (r.right > vw + 1 || r.left < -1) {
    out.push(e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') +
      (e.className && e.className.baseVal === undefined ? '.' + e.className : '') +
      ' ' + Math.round(r.left) + '..' + Math.round(r.right));
  }
});
return {vw: vw, scroll: document.documentElement.scrollWidth, wide: out.slice(0, 10)};
"""


def _axe(driver: Any) -> list[Any]:
    if not driver.execute_script("return typeof axe !== 'undefined'"):
        driver.execute_script(AXE.read_text(encoding="utf-8"))
    driver.set_script_timeout(60)
    found = driver.execute_async_script(RUN_AXE)
    return [v for v in found if v[1] in ("serious", "critical")]


def _check(driver: Any, folder: Path, name: str, phone: bool = True) -> None:
    """axe at 1280 px, then the widths at 390 px (and a screenshot), back to 1280 px."""
    bad = _axe(driver)
    assert not bad, f"{name}: {bad}"
    if phone:
        driver.set_window_size(390, 900)
        try:
            measured = driver.execute_script(TOO_WIDE)
            assert measured["vw"] <= 390, measured
            assert not measured["wide"], f"{name} at 390 px: {measured}"
            assert measured["scroll"] <= measured["vw"], f"{name} at 390 px: {measured}"
            assert not _axe(driver), name
            _shot(driver, folder, f"a11y-{name}-390")
        finally:
            driver.set_window_size(1280, 1000)


def test_every_page_passes_axe_and_fits_a_phone(
    server: str, browser: Any, shots: Path, tmp_path: Path,  # noqa: F811
    demo_files: dict[str, bytes],
) -> None:  # fmt: skip
    driver = browser
    driver.get(server + "/?lang=da")
    _check(driver, shots, "home")
    label = driver.find_element(By.CSS_SELECTOR, "label[for=files]")
    assert label.text.strip()
    # the skip link is the first thing a Tab reaches and leads to the main content
    skip = driver.find_element(By.CSS_SELECTOR, "body a")
    assert skip.get_attribute("href").endswith("#main")
    assert driver.find_element(By.ID, "main").tag_name == "main"

    workbook = tmp_path / "plan.xlsx"
    workbook.write_bytes(workbook_from_csv(demo_files["companies.csv"], demo_files["venues.csv"]))
    round_toml = tmp_path / "round.toml"
    round_toml.write_bytes(demo_files["round.toml"])
    driver.find_element(By.ID, "files").send_keys(f"{workbook}\n{round_toml}")
    click_and_wait(driver, driver.find_element(By.ID, "upload"), (By.ID, "groups"), TIMEOUT)
    _check(driver, shots, "plan")

    limit = driver.find_element(By.ID, "time_limit")
    limit.clear()
    limit.send_keys("15")  # long enough to measure the job page before it moves on
    click_and_wait(driver, driver.find_element(By.ID, "start"), (By.ID, "job"), TIMEOUT)
    _check(driver, shots, "job")
    _wait(driver, EC.presence_of_element_located((By.ID, "cohorts")), TIMEOUT * 2)
    _check(driver, shots, "roster")
    roster_url = driver.current_url

    # the map page on its own (the roster embeds it)
    driver.get(driver.find_element(By.ID, "map-frame").get_attribute("src"))
    _wait(driver, EC.presence_of_element_located((By.TAG_NAME, "main")))
    _check(driver, shots, "map")
    driver.get(roster_url)

    whatif = driver.find_element(By.LINK_TEXT, "3. Hvad nu hvis")
    click_and_wait(driver, whatif, (By.ID, "s1_name"), TIMEOUT)
    _check(driver, shots, "whatif")
    names = ["Skive lukket", "Ringkøbing påkrævet", "Højst fem mødesteder", "To tovholdere"]
    for i, name in enumerate(names, start=1):
        driver.find_element(By.ID, f"s{i}_name").send_keys(name)
    for summary in driver.find_elements(By.CSS_SELECTOR, "fieldset.scenario summary")[:2]:
        summary.click()
    driver.find_element(By.CSS_SELECTOR, "input[name=s1_closed][value=skive]").click()
    driver.find_element(By.CSS_SELECTOR, "input[name=s2_required][value=ringkobing]").click()
    driver.find_element(By.ID, "s3_max_venues").send_keys("5")
    driver.find_element(By.ID, "s4_facilitators").send_keys("2")
    limit = driver.find_element(By.ID, "time_limit_s")
    limit.clear()
    limit.send_keys("2")
    click_and_wait(driver, driver.find_element(By.ID, "compare-scenarios"), (By.ID, "job"), TIMEOUT)
    _wait(driver, EC.presence_of_element_located((By.ID, "comparison")), TIMEOUT * 4)
    heads = driver.find_elements(By.CSS_SELECTOR, "table.comparison thead th")
    assert len(heads) == 1 + 1 + len(names)
    driver.set_window_size(1366, 900)
    fits = driver.execute_script(
        "var s = document.querySelector('#comparison .scroll');"
        "return [s.scrollWidth, s.clientWidth];"
    )
    _shot(driver, shots, "a11y-comparison-1366")
    assert fits[0] <= fits[1], f"the comparison of four scenarios is cut off at 1366 px: {fits}"
    driver.set_window_size(1280, 1000)
    _check(driver, shots, "comparison")
    # each scenario's roster can be downloaded (roster.json format)
    links = driver.find_elements(By.CSS_SELECTOR, "#scenario-rosters a")
    assert len(links) == 1 + len(names)
    with urllib.request.urlopen(links[-1].get_attribute("href"), timeout=30) as answer:
        assert "attachment" in answer.headers["content-disposition"]
        roster = json.loads(answer.read())
    assert roster["kind"] == "whatif" and roster["cohorts"]
