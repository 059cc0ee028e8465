"""The travel map: folium objects, anonymisation and offline asset inlining."""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import folium
import pytest
from branca.element import Element

from camp_planner.models import PlanningProblem, Roster
from camp_planner.outputs.map_page import Companies
from camp_planner.outputs.maps import (
    COHORT_COLOURS,
    COHORT_SHAPES,
    PACKAGED_ASSETS,
    UNPLACED_COLOUR,
    build_map,
    cohort_style,
    find_assets,
    inline_assets,
    offline_assets,
    write_map,
)
from tests.helpers.roster_fixture import make_problem, make_roster


@pytest.fixture
def problem() -> PlanningProblem:
    return make_problem()


@pytest.fixture
def roster(problem: PlanningProblem) -> Roster:
    return make_roster(problem)


def _walk(element: Element) -> Iterator[Element]:
    for child in element._children.values():
        yield child
        yield from _walk(child)


def _groups(fmap: folium.Map) -> dict[str, folium.FeatureGroup]:
    return {g.layer_name: g for g in _walk(fmap) if isinstance(g, folium.FeatureGroup)}


def _count(element: Element, kind: type) -> int:
    return sum(type(e) is kind for e in _walk(element))


def _rows(element: Element) -> list[list[object]]:
    """The companies drawn in `element` (a layer or the map): camp-map.js's data rows
    ``[lat, lon, style, radius, tooltip, venue lat, venue lon]``."""
    data = [json.loads(e.data) for e in _walk(element) if isinstance(e, Companies)]
    return [row for d in data for row in d["points"]]


def _lines(element: Element) -> int:
    return sum(row[5] is not None for row in _rows(element))


def _forms(text: str) -> set[str]:
    """How a string can appear in the page: raw, HTML-escaped or JSON-escaped."""
    return {text, html.escape(text), html.escape(text, quote=False), json.dumps(text)[1:-1]}


def test_layers_named_after_venues(problem: PlanningProblem, roster: Roster) -> None:
    fmap = build_map(problem, roster)
    groups = _groups(fmap)
    assert set(groups) == {"Herning", "Aarhus Kongrescenter", "Unplaced", "Unused venues"}
    assert groups["Unused venues"].show is False
    assert len(_rows(groups["Herning"])) == 8
    assert _lines(groups["Herning"]) == 8
    assert len(_rows(groups["Aarhus Kongrescenter"])) == 16
    assert len(_rows(groups["Unplaced"])) == 3
    assert _lines(groups["Unplaced"]) == 0
    assert len(_rows(fmap)) == len(problem.companies)
    assert _lines(fmap) == 24
    assert _count(fmap, folium.LayerControl) == 1
    assert _count(groups["Aarhus Kongrescenter"], folium.Marker) == 1  # the venue


def test_venue_popup_lists_cohorts_and_dates(problem: PlanningProblem, roster: Roster) -> None:
    page = build_map(problem, roster).get_root().render()
    assert "C02</b> — Module 2, B/established" in page
    assert "Module 2: Fri 29 Jan 2027, Mon 01 Feb 2027" in page
    assert "Lab 2: Tue 16 Mar 2027" in page
    assert "camp-legend" in page and "C03 · Aarhus Kongrescenter · Module 2 · B/young" in page


def test_named_map_shows_names(tmp_path: Path, problem: PlanningProblem, roster: Roster) -> None:
    page = write_map(problem, roster, tmp_path / "map.html").read_text(encoding="utf-8")
    for company in problem.companies:
        assert any(form in page for form in _forms(company.name)), company.name
    assert "Ikast Tekstil &amp; Design ApS — cohort C01, level C" in page


def test_anonymized_map_has_no_names_or_ids(
    tmp_path: Path, problem: PlanningProblem, roster: Roster
) -> None:
    path = write_map(problem, roster, tmp_path / "map.html", anonymize=True)
    page = path.read_text(encoding="utf-8")
    for company in problem.companies:
        for secret in (company.company_id, company.name):
            leaks = [form for form in _forms(secret) if form in page]
            assert not leaks, f"{secret!r} appears in the anonymized map"
    assert "C01-3 — cohort C01" in page
    assert "unplaced-2 — unplaced: unplaced-2 (unplaced-2) has completed the track" in page
    assert "Herning" in page  # venues are public


def test_anonymized_coordinates_are_coarse(problem: PlanningProblem, roster: Roster) -> None:
    fmap = build_map(problem, roster, anonymize=True)
    rows = _rows(fmap)
    assert len(rows) == len(problem.companies)
    for lat, lon, *_ in rows:
        assert isinstance(lat, float) and isinstance(lon, float)
        assert round(lat, 2) == lat and round(lon, 2) == lon


def test_offline_assets_are_named_after_folium_cdn_files() -> None:
    assets = offline_assets()
    assert "leaflet.js" in assets and "leaflet.css" in assets
    assert any(name.startswith("jquery") for name in assets)  # popups use jQuery
    assert all(url.startswith("https://") for url in assets.values())


def test_inline_assets(tmp_path: Path, problem: PlanningProblem, roster: Roster) -> None:
    assets = tmp_path / "assets"
    (assets / "images").mkdir(parents=True)
    (assets / "images" / "layers.png").write_bytes(b"\x89PNG fake")
    for name in offline_assets():
        if name.endswith(".css"):
            (assets / name).write_text(".x { background: url(images/layers.png); }")
        else:
            (assets / name).write_text(f"/* local {name} */ var s = '</script>';")
    page = write_map(problem, roster, tmp_path / "map.html", assets_dir=assets).read_text()
    assert "<script src=" not in page and '<link rel="stylesheet"' not in page
    assert "cdn.jsdelivr.net" not in page and "bootstrap" not in page
    for name in offline_assets():
        if name.endswith(".js"):
            assert f"/* local {name} */ var s = '<\\/script>';" in page
    assert "url(data:image/png;base64," in page


def test_inline_assets_reports_missing_files(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="leaflet.js"):
        inline_assets("<html></html>", tmp_path)


def test_default_map_inlines_packaged_assets(
    tmp_path: Path, problem: PlanningProblem, roster: Roster
) -> None:
    """What `roster`, `map` and `whatif --maps` write: no CDN left, Leaflet and jQuery in."""
    page = write_map(problem, roster, tmp_path / "map.html").read_text(encoding="utf-8")
    assert "<script src=" not in page and '<link rel="stylesheet"' not in page
    for host in ("cdn.jsdelivr.net", "code.jquery.com", "cdnjs.cloudflare.com", "bootstrapcdn"):
        assert host not in page
    assert "Leaflet 1.9.3" in page and "jQuery v3.7.1" in page
    assert "url(data:image/png;base64," in page  # leaflet.css's images
    # tiles are the only thing fetched from the web
    assert re.findall(r"https?://[a-z{}.]+/", page) and "tile.openstreetmap.org" in page


def test_map_size_grows_by_about_leaflet(
    tmp_path: Path, problem: PlanningProblem, roster: Roster
) -> None:
    plain = write_map(problem, roster, tmp_path / "cdn.html", inline=False).stat().st_size
    offline = write_map(problem, roster, tmp_path / "map.html").stat().st_size
    vendored = sum(f.stat().st_size for f in find_assets().values())
    assert vendored < offline - plain < vendored + 10_000  # + the images as data: URIs
    assert offline - plain < 300_000


def test_cdn_page_on_request(tmp_path: Path, problem: PlanningProblem, roster: Roster) -> None:
    page = write_map(problem, roster, tmp_path / "map.html", inline=False).read_text()
    assert all(url in page for url in offline_assets().values())


def test_packaged_assets_are_folium_versions_with_licences() -> None:
    """The vendored files are those of folium's CDN links, unchanged, beside their licences
    (after a folium upgrade: run scripts/vendor_map_assets.py)."""
    manifest = json.loads((PACKAGED_ASSETS / "manifest.json").read_text())
    urls = " ".join(offline_assets().values())
    for name, entry in manifest.items():
        if entry.get("pinned"):  # not one of folium's (Leaflet.markercluster)
            assert entry["npm"] == f"leaflet.{name}@{entry['version']}"
        else:
            folium_uses = (
                f"{name}@{entry['version']}" in urls or f"{name}-{entry['version']}" in urls
            )
            assert folium_uses, f"folium now uses another {name} than {entry['npm']}: run " + (
                "scripts/vendor_map_assets.py"
            )
        for file, digest in entry["files"].items():
            data = (PACKAGED_ASSETS / name / file).read_bytes()
            assert hashlib.sha256(data).hexdigest() == digest, f"{name}/{file} was changed"
    assert (PACKAGED_ASSETS / "leaflet" / "LICENSE").is_file()
    assert (PACKAGED_ASSETS / "jquery" / "LICENSE.txt").is_file()
    assert "MIT" in (PACKAGED_ASSETS / "markercluster" / "MIT-LICENCE.txt").read_text()
    assert set(find_assets()) == set(offline_assets().values())


def test_own_assets_folder_with_usual_names(
    tmp_path: Path, problem: PlanningProblem, roster: Roster
) -> None:
    """--assets DIR accepts e.g. jquery.min.js and an npm package's dist/ folder."""
    shutil.copytree(PACKAGED_ASSETS / "leaflet", tmp_path / "assets" / "leaflet" / "dist")
    jquery = next((PACKAGED_ASSETS / "jquery").glob("jquery*.js"))
    shutil.copyfile(jquery, tmp_path / "assets" / "jquery.min.js")
    (tmp_path / "assets" / "jquery.js").write_text("/* not minified */")
    found = find_assets(tmp_path / "assets")
    assert {f.name for f in found.values()} == {"leaflet.js", "leaflet.css", "jquery.min.js"}
    page = write_map(problem, roster, tmp_path / "map.html", assets_dir=tmp_path / "assets")
    assert "jQuery v3.7.1" in page.read_text() and "<script src=" not in page.read_text()


@pytest.mark.parametrize(
    "name", ["jquery-3.7.1.min.js", "jquery.min.js", "jquery.js", "jquery-3.6.0.js", "JQuery.JS"]
)
def test_jquery_names_accepted(tmp_path: Path, name: str) -> None:
    for file in ("leaflet.js", "leaflet.css", name):
        (tmp_path / file).write_text("/* x */")
    assert tmp_path / name in find_assets(tmp_path).values()


def test_exact_cdn_name_wins(tmp_path: Path) -> None:
    for file in ("leaflet.js", "leaflet-src.js", "leaflet.css", "jquery.min.js"):
        (tmp_path / file).write_text("/* x */")
    (tmp_path / "jquery-3.7.1.min.js").write_text("/* exact */")
    names = {f.name for f in find_assets(tmp_path).values()}
    assert names == {"leaflet.js", "leaflet.css", "jquery-3.7.1.min.js"}


def test_find_assets_on_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="not a folder"):
        find_assets(tmp_path / "nowhere")


def test_tooltips_cannot_break_out_of_template_literals(
    problem: PlanningProblem, roster: Roster
) -> None:
    companies = list(problem.companies)
    companies[0] = companies[0].model_copy(update={"name": "A`B ${x} C\\D"})
    problem = problem.model_copy(update={"companies": tuple(companies)})
    page = build_map(problem, roster).get_root().render()
    assert "A`B" not in page and "${x}" not in page and "C\\D" not in page
    assert "A&#96;B &#36;{x} C&#92;D" in page


def test_online_cohort_members_are_drawn_without_lines(
    problem: PlanningProblem, roster: Roster
) -> None:
    # C01 (Herning, 8 companies) held online instead: its members are on the "Online
    # cohorts" layer, in its colour, with no line to any venue; Herning is no longer used.
    cohorts = [
        c.model_copy(update={"venue_id": "online", "online": True}) if c.cohort_id == "C01" else c
        for c in roster.cohorts
    ]
    online = roster.model_copy(update={"cohorts": cohorts})
    fmap = build_map(problem, online)
    groups = _groups(fmap)
    assert "Herning" not in groups
    assert len(_rows(groups["Online cohorts"])) == 8
    assert _lines(groups["Online cohorts"]) == 0
    assert len(_rows(fmap)) == len(problem.companies)  # nobody vanished
    assert _lines(fmap) == 16
    page = fmap.get_root().render()
    assert "C01 · Online · Module 1 · C/established" in page
    assert "cohort C01 (online)" in page


# --- cohort styles, the page ------------------------------------------------------------


def _lab(colour: str) -> tuple[float, float, float]:
    """CIELAB (D65) of a #rrggbb colour, written out here (no colour library)."""

    def linear(c: float) -> float:
        return ((c + 0.055) / 1.055) ** 2.4 if c > 0.04045 else c / 12.92

    r, g, b = (linear(int(colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def test_cohort_colours_are_far_apart() -> None:
    """Every two colours (and the unplaced grey) differ by a CIELAB distance of at least 30
    (the old #2ca02c and #31a354 differed by about 3)."""
    colours = [*COHORT_COLOURS, UNPLACED_COLOUR]
    for i, a in enumerate(colours):
        for b in colours[i + 1 :]:
            distance = sum((p - q) ** 2 for p, q in zip(_lab(a), _lab(b), strict=True)) ** 0.5
            assert distance >= 30, (a, b, round(distance, 1))


def test_no_two_cohorts_share_colour_and_shape(problem: PlanningProblem, roster: Roster) -> None:
    """A roster of 40 cohorts: 40 different (colour, shape) pairs on the map and in its
    legend; a colour comes back only with another shape."""
    first = roster.cohorts[0]
    many = [
        first.model_copy(update={"cohort_id": f"C{k:02d}", "members": [first.members[k % 8]]})
        for k in range(1, 41)
    ]
    big = roster.model_copy(update={"cohorts": many, "unplaced": []})
    fmap = build_map(problem, big)
    data = [json.loads(e.data) for e in _walk(fmap) if isinstance(e, Companies)]
    styles = [(s[0], s[1]) for d in data for s in d["styles"] if s[0] != UNPLACED_COLOUR]
    assert len(styles) == 40 and len(set(styles)) == 40
    assert {colour for colour, _ in styles} == set(COHORT_COLOURS)
    assert {shape for _, shape in styles} == set(range(len(COHORT_SHAPES)))
    assert [cohort_style(k) for k in range(40)] == [
        (colour, COHORT_SHAPES[shape]) for colour, shape in styles
    ]
    legend = fmap.get_root().render().split('class="camp-legend-body"', 1)[1]
    swatches = re.findall(r'fill="(#[0-9A-Fa-f]{6})"[^>]*>(<[^>]*>)', legend)
    assert len(set(swatches[:40])) == 40  # the legend shows colour and shape too


def test_page_has_language_title_main_heading_and_allows_zoom(
    problem: PlanningProblem, roster: Roster
) -> None:
    danish = problem.model_copy(
        update={"round": problem.round.model_copy(update={"language": "da"})}
    )
    page = build_map(danish, roster).get_root().render()
    assert '<html lang="da">' in page
    assert "<title>Vækstcamp 2027-Q1: kort over kørsel</title>" in page
    assert re.search(
        r'<main class="camp-page">\s*<h1>Vækstcamp 2027-Q1: kort over kørsel</h1>', page
    )
    assert page.index("<main") < page.index('class="folium-map"') < page.index("</main>")
    assert (
        page.index('class="folium-map"') < page.index('class="camp-legend"') < page.index("</main>")
    )  # the legend beside the map, not over it
    assert "maximum-scale" not in page and "user-scalable=no" not in page
    assert "<summary>Forklaring</summary>" in page  # the legend folds away


def test_company_data_cannot_end_the_script(problem: PlanningProblem, roster: Roster) -> None:
    companies = list(problem.companies)
    companies[0] = companies[0].model_copy(update={"name": "X </script><script>alert(1)//"})
    problem = problem.model_copy(update={"companies": tuple(companies)})
    page = build_map(problem, roster).get_root().render()
    assert "</script><script>alert(1)" not in page and "alert(1)" in page
