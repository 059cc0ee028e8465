"""The what-if chart writes its numbers as the page's language does (issue 18's weak spot:
"2,614" on a Danish page).

The chart is a PNG drawn by matplotlib: the labels' texts are checked on the figure (the
expected texts written by hand), and in real Chromium the comparison page of an English
round shows, on a Danish page, the chart drawn in Danish (and on an English page the one
in English). Screenshots in .pytest_cache/d/web-screenshots.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from camp_planner.whatif.chart import scenarios_figure, venues_figure
from tests.helpers.whatif_folder import write_small_folder
from tests.web.live import Live, start

TABLE = pd.DataFrame(
    {
        "scenario": ["baseline", "Skive closed"],
        "max_venues": [6, 5],
        "travel_km_total": [2614.0, 2613.8],
        "travel_km_mean": [27.46, 1027.5],
        "travel_km_p90": [65.9, 66.0],
        "placed": [1095, 95],
        "unplaced": [25, 25],
    }
)


def _bar_labels(lang: str) -> list[list[str]]:
    fig = scenarios_figure(TABLE, lang=lang)
    return [[t.get_text() for t in ax.texts] for ax in fig.axes]


def test_bar_labels_are_written_as_the_language_writes_numbers() -> None:
    assert _bar_labels("da") == [["1.095", "95"], ["2.614", "2.614"], ["27,5", "1.027,5"]]
    assert _bar_labels("en") == [["1,095", "95"], ["2,614", "2,614"], ["27.5", "1,027.5"]]


def test_line_labels_are_written_as_the_language_writes_numbers() -> None:
    danish = [t.get_text() for ax in venues_figure(TABLE, lang="da").axes for t in ax.texts]
    assert {"2.614", "27,5", "1.027,5", "65,9", "1.095"} <= set(danish)
    assert not {"2,614", "27.5", "1,095"} & set(danish)
    english = [t.get_text() for ax in venues_figure(TABLE, lang="en").axes for t in ax.texts]
    assert {"2,614", "27.5", "1,027.5", "65.9", "1095"} <= set(english)


CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
browser_only = pytest.mark.skipif(
    not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
    reason="Chromium and chromedriver are needed (apt-get install chromium chromium-driver)",
)

#: The bytes of the page's chart image as the browser fetches it (its cookies), base64.
FETCH_CHART = """
var done = arguments[arguments.length - 1];
fetch(document.querySelector('img.chart').src, {credentials: 'same-origin'})
  .then(function (r) { return r.arrayBuffer(); })
  .then(function (b) {
    var s = '', a = new Uint8Array(b);
    for (var i = 0; i < a.length; i++) s += String.fromCharCode(a[i]);
    done(btoa(s));
  });
"""


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    server = start(tmp_path_factory.mktemp("chart") / "data")
    try:
        yield server
    finally:
        server.stop()


def _chrome() -> Any:
    from selenium import webdriver

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu",
                     "--disable-dev-shm-usage", "--window-size=1366,1000",
                     "--proxy-server=http://127.0.0.1:9"):  # fmt: skip
        options.add_argument(argument)
    return webdriver.Chrome(options=options, service=webdriver.ChromeService(str(CHROMEDRIVER)))


def _shown_chart(driver: Any, url: str, shots: Path, name: str) -> bytes:
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(url)
    WebDriverWait(driver, 60, poll_frequency=0.2).until(
        lambda d: d.execute_script(
            "var i = document.querySelector('img.chart'); return i.complete && i.naturalWidth > 0"
        )
    )
    chart = driver.execute_script("return document.querySelector('img.chart')")
    driver.execute_script("arguments[0].scrollIntoView()", chart)
    driver.save_screenshot(str(shots / f"{name}.png"))
    return base64.b64decode(driver.execute_async_script(FETCH_CHART))


@browser_only
def test_the_comparison_chart_follows_the_page_language(
    live: Live, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    pytest.importorskip("selenium.webdriver", reason="selenium is a dev dependency")
    folder = write_small_folder(tmp_path / "small")  # an English round
    answer = live.upload({p.name: p.read_bytes() for p in folder.iterdir()})
    assert answer.status == 201, answer.text
    plan_id = answer.json()["plan_id"]
    scenarios = [{"name": "Skive closed", "closed": ["skive"]}]
    created = live.post_json(
        f"/api/plans/{plan_id}/whatif", {"scenarios": scenarios, "time_limit": 10}
    )
    assert created.status == 202, created.text
    job_id = created.json()["job_id"]
    assert live.wait(job_id, ("done", "failed", "cancelled"), timeout=180)["status"] == "done"
    job_dir = live.data / "jobs" / job_id
    stored = (job_dir / "out" / "whatif.png").read_bytes()  # the round's language: English

    shots = Path(str(request.config.cache.mkdir("web-screenshots")))  # type: ignore[union-attr]
    driver = _chrome()
    try:
        page = f"{live.base}/jobs/{job_id}/whatif"
        danish = _shown_chart(driver, page + "?lang=da", shots, "chart-da")
        assert driver.execute_script("return document.documentElement.lang") == "da"
        english = _shown_chart(driver, page + "?lang=en", shots, "chart-en")
        assert driver.execute_script("return document.documentElement.lang") == "en"
        again = _shown_chart(driver, page + "?lang=da", shots, "chart-da-again")
    finally:
        driver.quit()
    assert danish == (job_dir / "whatif-da.png").read_bytes() == again
    assert english == (job_dir / "whatif-en.png").read_bytes()
    assert danish != english and danish != stored
