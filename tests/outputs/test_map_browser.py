"""The travel map in a real browser: headless Chromium renders it and we read the DOM.

Chromium runs with every request sent to a closed proxy port, so the page has no network at
all: what it draws comes from the page itself. ``write_map`` inlines the Leaflet and jQuery
copies shipped in the package by default (and a folder of one's own with ``assets_dir``).
Map tiles cannot load, so the background stays grey; everything else is drawn.

Skipped, with the reason, when Chromium is missing (``apt-get install chromium``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from matplotlib import image

from camp_planner.models import PlanningProblem, Roster
from camp_planner.outputs.maps import COHORT_COLOURS, PACKAGED_ASSETS, write_map
from tests.helpers.roster_fixture import make_problem, make_roster

CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium is not installed (apt-get install chromium)"
)
#: Every request (loopback included) goes to this proxy: a port nothing listens on.
NO_NETWORK = ("--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>")
#: The map's element once Leaflet has run (the page's CSS names the class too).
DRAWN = re.compile(r'class="[^"]*\bleaflet-container\b')


@pytest.fixture
def problem() -> PlanningProblem:
    return make_problem()


@pytest.fixture
def roster(problem: PlanningProblem) -> Roster:
    return make_roster(problem)


def _chromium(page: Path, profile: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--virtual-time-budget=5000",
        *NO_NETWORK,
        *extra,
        page.as_uri(),
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=180)


def _check_drawn(dom: str, stderr: str) -> None:
    assert DRAWN.search(dom), stderr[-2000:]
    labels = re.findall(r"<span> ([^<]+)</span>", dom)
    assert {"Herning", "Aarhus Kongrescenter", "Unplaced", "Unused venues"} <= set(labels)
    assert "leaflet-control-layers" in dom
    # 24 lines + 24 circles of placed companies + 3 unplaced circles, all SVG paths
    paths = re.findall(r'<path class="leaflet-interactive"', dom)
    assert len(paths) == 24 + 24 + 3
    assert dom.count('class="leaflet-marker-icon camp-venue') == 2  # hidden: unused venues
    assert "camp-legend" in dom and "C01 · Herning · Module 1" in dom


def test_default_map_draws_with_no_network(
    tmp_path: Path, problem: PlanningProblem, roster: Roster
) -> None:
    """The map as `roster` writes it (packaged assets inlined) draws everything offline."""
    page = write_map(problem, roster, tmp_path / "map.html")
    result = _chromium(page, tmp_path / "profile", "--dump-dom")
    _check_drawn(result.stdout, result.stderr)


def test_cdn_map_is_blank_with_no_network(
    tmp_path: Path, problem: PlanningProblem, roster: Roster
) -> None:
    """The control: folium's plain page (CDN links) draws nothing here, so the test above
    really runs without network."""
    page = write_map(problem, roster, tmp_path / "map.html", inline=False)
    dom = _chromium(page, tmp_path / "profile", "--dump-dom").stdout
    assert "</html>" in dom and not DRAWN.search(dom)
    assert '<path class="leaflet-interactive"' not in dom


def test_map_with_own_assets_folder(
    tmp_path: Path, problem: PlanningProblem, roster: Roster
) -> None:
    """--assets DIR: a folder laid out like an unpacked npm package, usual file names."""
    assets = tmp_path / "assets"
    shutil.copytree(PACKAGED_ASSETS / "leaflet", assets / "leaflet" / "dist")
    (assets / "jquery").mkdir()
    shutil.copyfile(
        next((PACKAGED_ASSETS / "jquery").glob("jquery*.js")), assets / "jquery" / "jquery.min.js"
    )
    page = write_map(problem, roster, tmp_path / "map.html", assets_dir=assets)
    result = _chromium(page, tmp_path / "profile", "--dump-dom")
    _check_drawn(result.stdout, result.stderr)


def test_anonymized_map_dom_has_no_names(
    tmp_path: Path, problem: PlanningProblem, roster: Roster
) -> None:
    page = write_map(problem, roster, tmp_path / "map.html", anonymize=True)
    dom = _chromium(page, tmp_path / "profile", "--dump-dom").stdout
    assert DRAWN.search(dom)
    for company in problem.companies:
        assert company.company_id not in dom and company.name not in dom


def test_map_screenshot_shows_cohort_colours(
    tmp_path: Path, problem: PlanningProblem, roster: Roster
) -> None:
    page = write_map(problem, roster, tmp_path / "map.html")
    shot = tmp_path / "map.png"
    result = _chromium(
        page,
        tmp_path / "profile",
        "--hide-scrollbars",
        "--window-size=1200,900",
        f"--screenshot={shot}",
    )
    assert shot.is_file(), result.stderr[-2000:]
    pixels = (image.imread(shot)[..., :3] * 255).round().astype(int)
    assert pixels.shape[:2] == (900, 1200)
    for colour in COHORT_COLOURS[:3]:  # the three cohorts' circles are drawn
        rgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)])
        near = np.abs(pixels - rgb).max(axis=-1) <= 6
        assert near.sum() > 50, f"cohort colour {colour} not visible"


def test_names_and_reasons_with_backticks_draw(
    tmp_path: Path, problem: PlanningProblem, roster: Roster
) -> None:
    """folium puts tooltips into JavaScript template literals: a backtick, ``${`` or a
    backslash in a name or a reason must not break the page."""
    tricky = "Back`tick ${alert(1)} \\ ApS"
    companies = list(problem.companies)
    companies[0] = companies[0].model_copy(update={"name": tricky})
    problem = problem.model_copy(update={"companies": tuple(companies)})
    unplaced = [
        u.model_copy(update={"reason": "set `online_cohorts = true` or ${x}"})
        for u in roster.unplaced
    ]
    roster = roster.model_copy(update={"unplaced": unplaced})
    page = write_map(problem, roster, tmp_path / "map.html")
    result = _chromium(page, tmp_path / "profile", "--dump-dom")
    _check_drawn(result.stdout, result.stderr)
