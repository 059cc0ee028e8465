"""The travel map: folium objects, anonymisation and offline asset inlining."""

from __future__ import annotations

import html
import json
from collections.abc import Iterator
from pathlib import Path

import folium
import pytest
from branca.element import Element

from camp_planner.io.maps import build_map, inline_assets, offline_assets, write_map
from camp_planner.models import PlanningProblem, Roster
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


def _forms(text: str) -> set[str]:
    """How a string can appear in the page: raw, HTML-escaped or JSON-escaped."""
    return {text, html.escape(text), html.escape(text, quote=False), json.dumps(text)[1:-1]}


def test_layers_named_after_venues(problem: PlanningProblem, roster: Roster) -> None:
    fmap = build_map(problem, roster)
    groups = _groups(fmap)
    assert set(groups) == {"Herning", "Aarhus Kongrescenter", "Unplaced", "Unused venues"}
    assert groups["Unused venues"].show is False
    assert _count(groups["Herning"], folium.CircleMarker) == 8
    assert _count(groups["Herning"], folium.PolyLine) == 8
    assert _count(groups["Aarhus Kongrescenter"], folium.CircleMarker) == 16
    assert _count(groups["Unplaced"], folium.CircleMarker) == 3
    assert _count(groups["Unplaced"], folium.PolyLine) == 0
    assert _count(fmap, folium.CircleMarker) == len(problem.companies)
    assert _count(fmap, folium.PolyLine) == 24
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
    for circle in (e for e in _walk(fmap) if isinstance(e, folium.CircleMarker)):
        lat, lon = circle.location
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
