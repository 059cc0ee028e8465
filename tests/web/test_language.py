"""One language per page (issue 18): a walk through the Danish pages in real Chromium
(home -> plan -> solve -> job -> roster -> what-if -> comparison, then the year's pages:
settings -> versions -> changes -> publish -> replan result -> next round) finds none of a
list of English words in what the page shows."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import workbook_from_csv
from tests.web.live import click_and_wait
from tests.web.test_browser import (  # noqa: F401  (fixtures)
    TIMEOUT,
    _wait,
    browser,
    downloads,
    server,
)

pytest.importorskip("selenium.webdriver", reason="selenium is a dev dependency")
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402, N812

#: The solver's status codes, shown raw (whole words, this case only: "optimal" is Danish
#: too, as in "bevist optimal", the sentence of a proven roster).
CODES = ("OPTIMAL", "FEASIBLE", "INFEASIBLE")
#: English words that a Danish page must not show (whole words, any case).
ENGLISH = (
    "venues", "venue", "young", "placed", "done",
    "baseline", "companies", "company", "cohort", "cohorts", "priority", "travel",
    "scenario", "waiting", "people", "eligible", "level", "from", "the", "with", "and",
    "Module", "round", "running", "queued",
)  # fmt: skip
#: Texts that are the same in both languages or names, not sentences (plan.xlsx:companies
#: is the test workbook's sheet as the person named it).
ALLOWED = ("camp-planner", "roster.json", "roster.xlsx", "participants.csv", "whatif.xlsx",
           "whatif.csv", "round.toml", "companies.csv", "venues.csv", "plan.xlsx:companies",
           "plan.xlsx", "English")  # fmt: skip


def english_words(text: str) -> list[str]:
    for allowed in ALLOWED:
        text = text.replace(allowed, " ")
    words = set(re.findall(r"[A-Za-zæøåÆØÅ]+", text))
    lower = {w.lower() for w in ENGLISH}
    return sorted(w for w in words if w.lower() in lower or w in CODES)


def _visible(driver: Any) -> str:
    return str(driver.execute_script("return document.body.innerText"))


def _progress(driver: Any) -> bool:
    lines = driver.find_elements(By.ID, "job-progress")
    try:
        return bool(lines and lines[0].text.strip())
    except Exception:  # the page moved on while it was read
        return False


def test_danish_pages_show_no_english(
    server: str, browser: Any, tmp_path: Path,  # noqa: F811
    demo_files: dict[str, bytes],
) -> None:  # fmt: skip
    driver = browser
    seen: dict[str, list[str]] = {}

    def look(name: str) -> None:
        text = _visible(driver)
        found = english_words(text)
        if found:  # each word with the line it stands in
            lines = [line for line in text.splitlines() if set(english_words(line)) & set(found)]
            seen[name] = [*found, *lines[:5]]

    driver.get(server + "/?lang=da")
    look("home")
    workbook = tmp_path / "plan.xlsx"
    workbook.write_bytes(workbook_from_csv(demo_files["companies.csv"], demo_files["venues.csv"]))
    round_toml = tmp_path / "round.toml"
    round_toml.write_bytes(demo_files["round.toml"])
    driver.find_element(By.ID, "files").send_keys(f"{workbook}\n{round_toml}")
    click_and_wait(driver, driver.find_element(By.ID, "upload"), (By.ID, "groups"), TIMEOUT)
    look("plan")
    limit = driver.find_element(By.ID, "time_limit")
    limit.clear()
    limit.send_keys("4")

    def started(d: Any) -> bool:  # the job page's first line, or already the roster
        return bool(d.find_elements(By.ID, "cohorts") or _progress(d))

    click_and_wait(driver, driver.find_element(By.ID, "start"), started, TIMEOUT)
    if not driver.find_elements(By.ID, "cohorts"):
        look("job")
    _wait(driver, EC.presence_of_element_located((By.ID, "cohorts")), TIMEOUT * 2)
    look("roster")
    whatif = driver.find_element(By.LINK_TEXT, "3. Hvad nu hvis")
    click_and_wait(driver, whatif, (By.ID, "venues_from"), TIMEOUT)
    look("whatif")
    for field, value in (("time_limit_v", "2"),):
        box = driver.find_element(By.ID, field)
        box.clear()
        box.send_keys(value)

    def compared(d: Any) -> bool:
        return bool(d.find_elements(By.ID, "comparison") or _progress(d))

    click_and_wait(driver, driver.find_element(By.ID, "compare-venues"), compared, TIMEOUT * 2)
    if not driver.find_elements(By.ID, "comparison"):
        look("whatif-job")
    _wait(driver, EC.presence_of_element_located((By.ID, "comparison")), TIMEOUT * 2)
    look("comparison")
    _year_pages(driver, look)
    assert not seen, f"English on Danish pages: {seen}"


def _year_pages(driver: Any, look: Callable[[str], None]) -> None:
    """The year's pages of the same plan: settings, versions, changes (before and after
    publishing), a replan's result and the next round."""
    for link, marker, name in (("Indstillinger", "s-name", "settings"),
                               ("Versioner", "version-1", "versions"),
                               ("Ændringer", "publish", "changes")):  # fmt: skip
        click_and_wait(driver, driver.find_element(By.LINK_TEXT, link), (By.ID, marker), TIMEOUT)
        look(name)
    click_and_wait(driver, driver.find_element(By.ID, "publish"), (By.ID, "withdrawals"), TIMEOUT)
    look("changes-published")
    driver.find_elements(By.CSS_SELECTOR, "input[name=withdraw]")[0].click()
    limit = driver.find_element(By.ID, "time_limit")
    limit.clear()
    limit.send_keys("10")
    click_and_wait(driver, driver.find_element(By.ID, "replan"), (By.ID, "changes"), TIMEOUT * 3)
    look("replan")
    changes = driver.find_element(By.LINK_TEXT, "Ændringer")
    click_and_wait(driver, changes, (By.ID, "replans"), TIMEOUT)
    look("changes-with-a-replan")
    next_round = driver.find_element(By.LINK_TEXT, "Næste runde")
    click_and_wait(driver, next_round, (By.ID, "attendance"), TIMEOUT)
    look("next-round")


def test_the_check_finds_english() -> None:
    """The control: the check sees the words the issue found on Danish pages."""
    assert english_words("færdig: OPTIMAL") == ["OPTIMAL"]
    assert english_words("Scenarie 1 af 2 (5 venues)") == ["venues"]
    assert english_words("Gå til indholdet · Hold pr. mødested") == []


def test_progress_lines_in_danish() -> None:
    """The worker's lines, as the job page shows them on a Danish page."""
    from camp_planner.web.i18n import environment, translations
    from camp_planner.web.views import progress_text

    gettext = translations("da").gettext
    number = environment("da").filters["number"]
    for line, shown in (
        ("done: OPTIMAL", "Færdig: bevist bedst"),
        ("done: FEASIBLE", "Færdig: ikke bevist bedst"),
        ("done: 3 scenarios", "Færdig: 3 scenarier"),
        ("done: 1 scenarios", "Færdig: 1 scenarie"),
        ("scenario 1/2 (5 venues): solving", "Scenarie 1 af 2 (5 mødesteder): Beregner"),
        ("scenario 2/2 (baseline): solving", "Scenarie 2 af 2 (grundlag): Beregner"),
    ):
        text = progress_text(line, gettext, number)
        assert not english_words(text), (line, text)
        assert text == shown


def test_reasons_name_settings_in_words_not_toml() -> None:
    from camp_planner.web.views import settings_in_words

    reason = (
        "B/ung Modul 1 har 6 virksomheder; et onlinehold med 6 personer ville give dem plads: "
        '`online_cohorts = true`; eller fælles hold: `mix_levels = ["B+C"]`; eller: '
        '`mix_age_groups = ["B"]`'
    )
    shown = settings_in_words(reason, "da")
    assert "`" not in shown and "online_cohorts" not in shown and "mix_" not in shown
    assert "»Modul 1 må holdes online« afkrydset på siden Indstillinger" in shown
    assert "B+C afkrydset under »Niveauer der må dele et hold i modul 1«" in shown
    assert "B afkrydset under »Niveauer hvor unge og etablerede virksomheder må dele hold«" in shown
    assert settings_in_words("no setting here", "da") == "no setting here"
