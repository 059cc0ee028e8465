"""The web app's travel map follows the page's language, not only the round's (issue 18's
weak spot: an English round on a Danish page showed an English legend).

The job's own ``out/map.html`` stays in the round's language (as ``camp-planner solve``
writes it); the page's copy is drawn on first request and kept in the job's folder. In
real Chromium the Danish copy of an English round's map draws, with its legend in Danish
(screenshot in .pytest_cache/d/web-screenshots)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import upload, wait_for
from tests.web.live import Live
from tests.web.test_chart_language import browser_only, live  # noqa: F401

#: The legend's summary line of the small folder's round, by language (the catalogue's
#: words, typed here by hand).
SUMMARY = {
    "da": re.compile(r"\d+ placeret, \d+ ikke placeret, [\d.]+ km kørsel \(én vej\)"),
    "en": re.compile(r"\d+ placed, \d+ unplaced, [\d,]+ km one-way"),
}


def test_the_map_is_in_the_page_language(client: Any, small_files: dict[str, bytes]) -> None:
    plan_id = upload(client, small_files)  # an English round
    job = client.post(f"/api/plans/{plan_id}/solve", json={"time_limit": 10}).json()["job_id"]
    assert wait_for(client, job)["status"] == "done"
    job_dir = client.app.state.store.job_dir(job)
    stored = (job_dir / "out" / "map.html").read_text("utf-8")
    assert '<html lang="en">' in stored and SUMMARY["en"].search(stored)
    for lang in ("da", "en", "da"):
        for url in (f"/api/plans/{plan_id}/map.html", f"/api/jobs/{job}/files/map.html"):
            answer = client.get(f"{url}?lang={lang}")
            assert answer.status_code == 200
            assert "sandbox allow-scripts" in answer.headers["content-security-policy"]
            page = answer.text
            assert f'<html lang="{lang}">' in page, url
            assert SUMMARY[lang].search(page), url
            other = "en" if lang == "da" else "da"
            assert not SUMMARY[other].search(page), url
    assert (job_dir / "out" / "map.html").read_text("utf-8") == stored  # the round's own
    assert (job_dir / "map-da.html").is_file() and not (job_dir / "map-en.html").exists()
    # the cookie decides when the address has no ?lang (the roster page's frame)
    client.get(f"/plans/{plan_id}?lang=da")
    assert '<html lang="da">' in client.get(f"/api/plans/{plan_id}/map.html").text


@browser_only
def test_the_danish_map_of_an_english_round_draws(
    live: Live,  # noqa: F811
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    pytest.importorskip("selenium.webdriver", reason="selenium is a dev dependency")
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from tests.helpers.whatif_folder import write_small_folder
    from tests.web.test_a11y import TOO_WIDE, _axe
    from tests.web.test_chart_language import _chrome

    folder = write_small_folder(tmp_path / "small")
    answer = live.upload({p.name: p.read_bytes() for p in folder.iterdir()})
    assert answer.status == 201, answer.text
    plan_id = answer.json()["plan_id"]
    job = live.post_json(f"/api/plans/{plan_id}/solve", {"time_limit": 10}).json()["job_id"]
    assert live.wait(job, ("done", "failed", "cancelled"))["status"] == "done"
    shots = Path(str(request.config.cache.mkdir("web-screenshots")))  # type: ignore[union-attr]
    driver = _chrome()
    try:
        driver.set_window_size(390, 900)
        driver.get(f"{live.base}/api/plans/{plan_id}/map.html?lang=da")
        wait = WebDriverWait(driver, 60, poll_frequency=0.2)
        wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".camp-venue"))
        assert driver.execute_script("return document.documentElement.lang") == "da"
        box = driver.find_element(By.CSS_SELECTOR, ".camp-legend")
        assert box.find_element(By.TAG_NAME, "summary").text == "Forklaring"
        legend = box.find_element(By.CSS_SELECTOR, ".camp-legend-body").text
        assert SUMMARY["da"].search(legend) and "ikke placeret" in legend, legend
        driver.save_screenshot(str(shots / "map-da-of-english-round-390.png"))
        measured = driver.execute_script(TOO_WIDE)  # as test_a11y measures every page
        assert not measured["wide"] and measured["scroll"] <= measured["vw"], measured
        assert not _axe(driver)  # no serious or critical finding
    finally:
        driver.quit()
