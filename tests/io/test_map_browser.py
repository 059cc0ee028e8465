"""The travel map in a real browser: headless Chromium renders it and we read the DOM.

There is no network here or in CI apart from the package registries, so the page is
written with ``write_map(..., assets_dir=...)``, which inlines local copies of Leaflet and
jQuery. The copies come from the npm registry (``npm pack leaflet@<folium's version>``,
``jquery@<version>``) once, into pytest's cache folder (``.pytest_cache/d/map-assets``).
Map tiles cannot load, so the background stays grey; everything else is drawn.

Skipped, with the reason, when Chromium (``apt-get install chromium``) or npm is missing.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tarfile
from pathlib import Path

import numpy as np
import pytest
from matplotlib import image

from camp_planner.io.maps import COHORT_COLOURS, offline_assets, write_map
from camp_planner.models import PlanningProblem, Roster
from tests.helpers.roster_fixture import make_problem, make_roster

CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
)
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="headless Chromium is not installed (apt-get install chromium)"
)

_JSDELIVR_NPM = re.compile(
    r"https://cdn\.jsdelivr\.net/npm/(?P<spec>(?:@[^/]+/)?[^/]+@[^/]+)/(?P<file>.+)"
)
_JQUERY = re.compile(r"https://code\.jquery\.com/jquery-(?P<version>[\d.]+)(?:\.min)?\.js")


def _npm_source(url: str) -> tuple[str, str]:
    """(npm package spec, path inside the package) for a CDN url folium uses."""
    if match := _JSDELIVR_NPM.fullmatch(url):
        return match["spec"], match["file"]
    if match := _JQUERY.fullmatch(url):
        return f"jquery@{match['version']}", "dist/jquery.min.js"
    pytest.skip(f"no npm source known for {url}")


def _npm_pack(spec: str, into: Path) -> Path:
    """Download one npm package tarball and unpack it; returns its package/ folder."""
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is needed to fetch Leaflet for the offline map test")
    target = into / spec.replace("/", "_").replace("@", "_")
    if not (target / "package").is_dir():
        target.mkdir(parents=True, exist_ok=True)
        result = subprocess.run(
            [npm, "pack", "--silent", "--pack-destination", str(target), spec],
            capture_output=True,
            text=True,
            timeout=300,
        )
        tarballs = list(target.glob("*.tgz"))
        if result.returncode != 0 or not tarballs:
            pytest.skip(f"npm pack {spec} failed: {result.stderr.strip()[:300]}")
        with tarfile.open(tarballs[0]) as tar:
            tar.extractall(target, filter="data")
    return target / "package"


@pytest.fixture(scope="session")
def leaflet_assets(pytestconfig: pytest.Config, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with the files offline_assets() names (plus Leaflet's images)."""
    cache = getattr(pytestconfig, "cache", None)
    root = cache.mkdir("map-assets") if cache else tmp_path_factory.mktemp("map-assets")
    assets = root / "assets"
    assets.mkdir(exist_ok=True)
    for name, url in offline_assets().items():
        if (assets / name).is_file():
            continue
        spec, inner = _npm_source(url)
        package = _npm_pack(spec, root / "npm")
        shutil.copyfile(package / inner, assets / name)
        images = (package / inner).parent / "images"
        if images.is_dir():
            shutil.copytree(images, assets / "images", dirs_exist_ok=True)
    return assets


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
        *extra,
        page.as_uri(),
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=180)


def test_map_renders_layers_and_paths(
    tmp_path: Path, leaflet_assets: Path, problem: PlanningProblem, roster: Roster
) -> None:
    page = write_map(problem, roster, tmp_path / "map.html", assets_dir=leaflet_assets)
    result = _chromium(page, tmp_path / "profile", "--dump-dom")
    dom = result.stdout
    assert "leaflet-container" in dom, result.stderr[-2000:]
    labels = re.findall(r"<span> ([^<]+)</span>", dom)
    assert {"Herning", "Aarhus Kongrescenter", "Unplaced", "Unused venues"} <= set(labels)
    assert "leaflet-control-layers" in dom
    # 24 lines + 24 circles of placed companies + 3 unplaced circles, all SVG paths
    paths = re.findall(r'<path class="leaflet-interactive"', dom)
    assert len(paths) == 24 + 24 + 3
    assert dom.count('class="leaflet-marker-icon camp-venue') == 2  # hidden: unused venues
    assert "camp-legend" in dom and "C01 · Herning · Module 1" in dom


def test_anonymized_map_dom_has_no_names(
    tmp_path: Path, leaflet_assets: Path, problem: PlanningProblem, roster: Roster
) -> None:
    page = write_map(
        problem, roster, tmp_path / "map.html", anonymize=True, assets_dir=leaflet_assets
    )
    dom = _chromium(page, tmp_path / "profile", "--dump-dom").stdout
    assert "leaflet-container" in dom
    for company in problem.companies:
        assert company.company_id not in dom and company.name not in dom


def test_map_screenshot_shows_cohort_colours(
    tmp_path: Path, leaflet_assets: Path, problem: PlanningProblem, roster: Roster
) -> None:
    page = write_map(problem, roster, tmp_path / "map.html", assets_dir=leaflet_assets)
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
