"""The coordinator's whole job in a real browser: headless Chromium driven by Selenium
against ``camp-planner serve`` on a free port of 127.0.0.1.

Upload the demo as plan.xlsx + round.toml, solve it (10 s), see the roster and the map,
download roster.xlsx and open it, compare two named venue scenarios, switch to English.
Every page is saved as a screenshot in ``.pytest_cache/d/web-screenshots``.

Chromium sends every request that is not for this machine to a closed proxy port, so the
pages work with no network (the map's tiles cannot load; everything else must). Skipped,
with the reason, when Chromium or its driver is missing (``apt-get install chromium
chromium-driver``).
"""

from __future__ import annotations

import base64
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.web.conftest import workbook_from_csv
from tests.web.live import click_and_wait

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
pytestmark = [
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="Chromium is not installed (apt-get install chromium)"
    ),
    pytest.mark.skipif(
        not CHROMEDRIVER.exists(),
        reason="chromedriver is not installed (apt-get install chromium-driver)",
    ),
]
webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is a dev dependency")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402, N812
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

TIMEOUT = 60


#: Companies on the embedded map (camp-map.js draws them on a canvas, one by one or in
#: clusters): the markers drawn plus the companies inside the clusters.
DRAWN_COMPANIES = """
var map = null;  // the map is sandboxed: window.localStorage throws, so look key by key
Object.keys(window).some(function (k) {
  try { if (window[k] instanceof L.Map) { map = window[k]; } } catch (e) {}
  return map !== null;
});
// the companies the map holds (its cluster group has every company's marker of the shown
// layers, whether or not it is in the view: counting only those in the view depended on the
// view the map took while a loaded machine was still laying out the frame)
var n = 0;
map.eachLayer(function (l) {
  if (l instanceof L.MarkerClusterGroup) { n += l.getLayers().length; }
});
return n;
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _command() -> list[str]:
    script = Path(sys.executable).with_name("camp-planner")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from camp_planner.cli import main; main()"]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`camp-planner serve` on a free port; yields its address."""
    port = _free_port()
    data = tmp_path_factory.mktemp("web-data")
    log = (data / "server.log").open("w")
    env = {k: v for k, v in os.environ.items() if k != "CAMP_PLANNER_PASSWORD"}
    process = subprocess.Popen(
        [*_command(), "serve", "--port", str(port), "--data", str(data / "data"), "--jobs", "1"],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{base}/api/health", timeout=2) as answer:
                if answer.status == 200:
                    break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                log.close()
                raise AssertionError((data / "server.log").read_text()) from None
            time.sleep(0.2)
    yield base
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:  # pragma: no cover
        process.kill()
    log.close()
    text = (data / "server.log").read_text()
    assert "Traceback" not in text, text[-3000:]


@pytest.fixture(scope="module")
def downloads(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(downloads: Path) -> Iterator[Any]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SE_OFFLINE", "true")  # Selenium Manager must not download anything
        driver = _chrome(downloads)
        yield driver
        driver.quit()


def _chrome(downloads: Path) -> Any:
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1280,1000",
        "--proxy-server=http://127.0.0.1:9",  # no network (loopback is not proxied)
        "--lang=da",
    ):
        options.add_argument(argument)
    options.add_experimental_option(
        "prefs",
        {"download.default_directory": str(downloads), "download.prompt_for_download": False},
    )
    service = webdriver.ChromeService(executable_path=str(CHROMEDRIVER))
    return webdriver.Chrome(options=options, service=service)


@pytest.fixture(scope="module")
def shots(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    cache = getattr(request.config, "cache", None)
    return cache.mkdir("web-screenshots") if cache else tmp_path_factory.mktemp("shots")


def _shot(driver: Any, folder: Path, name: str) -> Path:
    """A screenshot of the whole page, not just the window (Chrome DevTools)."""
    driver.execute_script("window.scrollTo(0, 0)")
    size = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
    clip = {"x": 0, "y": 0, "width": size["width"], "height": min(size["height"], 8000)}
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot",
        {"format": "png", "captureBeyondViewport": True, "clip": clip | {"scale": 1}},
    )
    path = folder / f"{name}.png"
    path.write_bytes(base64.b64decode(shot["data"]))
    return path


def _wait(driver: Any, condition: Any, timeout: float = TIMEOUT) -> Any:
    return WebDriverWait(driver, timeout, poll_frequency=0.2).until(condition)


def test_coordinator_flow(
    server: str, browser: Any, downloads: Path, shots: Path, tmp_path: Path,
    demo_files: dict[str, bytes],
) -> None:  # fmt: skip
    driver = browser
    # 1. The start page, in Danish.
    driver.get(server + "/")
    assert "Planlæg en runde vækstcamps" in driver.page_source
    _shot(driver, shots, "01-start")

    # 2. Upload the demo as plan.xlsx + round.toml.
    workbook = tmp_path / "plan.xlsx"
    workbook.write_bytes(workbook_from_csv(demo_files["companies.csv"], demo_files["venues.csv"]))
    round_toml = tmp_path / "round.toml"
    round_toml.write_bytes(demo_files["round.toml"])
    driver.find_element(By.ID, "files").send_keys(f"{workbook}\n{round_toml}")
    click_and_wait(driver, driver.find_element(By.ID, "upload"), (By.ID, "groups"), TIMEOUT)
    assert "Runde 2027-Q1" in driver.page_source
    assert "for lille til et hold" in driver.page_source  # B/young Module 1 cannot fill one
    _shot(driver, shots, "02-plan")

    # 3. Solve with a 10 s time limit; the job page follows it live.
    limit = driver.find_element(By.ID, "time_limit")
    limit.clear()
    limit.send_keys("10")
    click_and_wait(driver, driver.find_element(By.ID, "start"), (By.ID, "job"), TIMEOUT)
    _wait(driver, EC.text_to_be_present_in_element((By.ID, "job-label"), "Kører"))
    # a line from the solver (an improvement), after "Læser planen" and "Bygger modellen"
    _wait(
        driver,
        lambda d: (
            d.find_element(By.ID, "job-progress").text
            not in ("", "Læser planen", "Bygger modellen")
        ),
    )
    _shot(driver, shots, "03-solving")

    # 4. When done, the page goes to the roster by itself.
    _wait(driver, EC.presence_of_element_located((By.ID, "cohorts")), TIMEOUT * 2)
    rows = driver.find_elements(By.CSS_SELECTOR, "table.roster tbody tr")
    assert len(rows) >= 8, "the demo's roster has at least 8 cohorts"
    assert "Tovholderens kalender" in driver.page_source
    assert driver.find_elements(By.CSS_SELECTOR, "#unplaced tbody tr")
    _shot(driver, shots, "04-roster")

    # 5. The map, embedded, draws its venues, circles and lines with no network.
    frame = driver.find_element(By.ID, "map-frame")
    driver.execute_script("arguments[0].scrollIntoView()", frame)
    driver.switch_to.frame(frame)
    _wait(driver, lambda d: d.execute_script(DRAWN_COMPANIES) > 100)
    assert driver.find_elements(By.CSS_SELECTOR, ".camp-venue")
    driver.switch_to.default_content()
    driver.execute_script("arguments[0].scrollIntoView()", frame)
    driver.save_screenshot(str(shots / "05-map.png"))

    # 6. Download roster.xlsx and open it.
    driver.execute_script("window.scrollTo(0, 0)")
    driver.find_element(By.ID, "dl-xlsx").click()
    target = downloads / "roster.xlsx"
    _wait(driver, lambda _: target.is_file() and not list(downloads.glob("*.crdownload")))
    book = load_workbook(target)
    assert {"cohorts", "participants", "unplaced"} <= set(book.sheetnames) or len(
        book.sheetnames
    ) >= 4
    assert book.worksheets[0].max_row > 8

    # 7. What-if: two named venue scenarios against the plan as it is.
    whatif = driver.find_element(By.LINK_TEXT, "3. Hvad nu hvis")
    click_and_wait(driver, whatif, (By.ID, "s1_name"), TIMEOUT)
    driver.find_element(By.ID, "s1_name").send_keys("Skive lukket")
    driver.find_element(By.ID, "s2_name").send_keys("Ringkøbing påkrævet")
    for summary in driver.find_elements(By.CSS_SELECTOR, "fieldset.scenario summary")[:2]:
        summary.click()
    driver.find_element(By.CSS_SELECTOR, "input[name=s1_closed][value=skive]").click()
    driver.find_element(By.CSS_SELECTOR, "input[name=s2_required][value=ringkobing]").click()
    limit = driver.find_element(By.ID, "time_limit_s")
    limit.clear()
    limit.send_keys("3")
    _shot(driver, shots, "06-whatif-form")
    compare = driver.find_element(By.ID, "compare-scenarios")
    click_and_wait(driver, compare, (By.ID, "job"), TIMEOUT)
    _wait(driver, EC.presence_of_element_located((By.ID, "comparison")), TIMEOUT * 3)
    headers = [th.text for th in driver.find_elements(By.CSS_SELECTOR, "table.comparison thead th")]
    assert any("Planen, som den er" in h for h in headers)
    assert any("Skive lukket" in h for h in headers) and any("Ringkøbing" in h for h in headers)
    _wait(driver, lambda d: d.execute_script(
        "var i = document.querySelector('img.chart'); return i.complete && i.naturalWidth > 0"
    ))  # fmt: skip
    _shot(driver, shots, "07-comparison")

    # 8. The roster in English.
    driver.get(driver.current_url.split("/jobs/")[0] + "/")
    click_and_wait(driver, driver.find_element(By.LINK_TEXT, "English"), (By.TAG_NAME, "h1"))
    assert "Plan a round of growth camps" in driver.page_source
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "table a"), (By.ID, "groups"))
    roster = driver.find_element(By.LINK_TEXT, "2. Roster")
    click_and_wait(driver, roster, (By.ID, "cohorts"), TIMEOUT)
    assert "Cohorts by venue" in driver.page_source
    _shot(driver, shots, "08-roster-english")
    click_and_wait(driver, driver.find_element(By.LINK_TEXT, "Dansk"), (By.ID, "cohorts"))
    assert "Hold pr. mødested" in driver.page_source


def test_upload_problems_in_the_browser(
    server: str, browser: Any, shots: Path, tmp_path: Path
) -> None:
    bad = Path(__file__).parents[1] / "data" / "bad_folder"
    browser.get(server + "/")
    names = [str(p) for p in sorted(bad.iterdir()) if p.suffix != ".md"]
    browser.find_element(By.ID, "files").send_keys("\n".join(names))
    click_and_wait(browser, browser.find_element(By.ID, "upload"), (By.ID, "problems"), TIMEOUT)
    assert "Filerne har 10 problemer" in browser.page_source
    assert len(browser.find_elements(By.CSS_SELECTOR, "table.problems tbody tr")) == 10
    _shot(browser, shots, "09-problems")
    shutil.copy(shots / "09-problems.png", tmp_path / "problems.png")
