"""The participant-travel map: a folium (Leaflet) HTML page to show and justify a roster.

Each used venue is a labelled marker whose popup lists its cohorts and their dates; each
placed company is a circle coloured by cohort with a line to its venue; unplaced companies
are grey circles whose tooltip gives the reason. Every venue has its own toggleable layer
(named after the venue), unplaced companies share an "Unplaced" layer, and a legend lists
the cohort colours. The map only uses plain Leaflet features (circle markers, lines,
``DivIcon`` markers, popups, tooltips, the layer control), no icon fonts or plugins.

``anonymize=True`` removes every company name and id: companies are called by cohort-local
labels (``C01-3``, the 3rd member of C01) or ``unplaced-7``, unplaced reasons are scrubbed
of names and ids, and company coordinates are rounded to 2 decimals (about 1 km) so a
circle does not point at an address.

Assets. By default the page loads Leaflet (and jQuery, which folium's popups use) from
folium's CDNs, like any folium page; map tiles always come from the web. For viewing with
no network (and for the headless-browser test, which runs offline), ``write_map`` takes
``assets_dir``: a folder with local copies of the CDN files named as the last part of
their URL (:func:`offline_assets` lists the required ones, e.g. ``leaflet.js``,
``leaflet.css``, ``jquery-3.7.1.min.js``; the same files are in the npm packages
``leaflet`` and ``jquery``). Those files are then inlined into the page, images the CSS
refers to become ``data:`` URIs, and the CDN links the map does not need (Bootstrap, icon
fonts) are dropped, so the page works with no network apart from the tiles.
"""

from __future__ import annotations

import base64
import html
import mimetypes
import os
import re
from datetime import date
from pathlib import Path

import folium
from branca.element import MacroElement, Template

from camp_planner.io.atomic import atomic_write_text
from camp_planner.io.writers import STEP_LABELS, venue_location
from camp_planner.models import Cohort, Company, PlanningProblem, Roster, Venue, VenueStatus

__all__ = [
    "COHORT_COLOURS",
    "build_map",
    "inline_assets",
    "offline_assets",
    "write_map",
]

#: Cohort colours, in cohort order (repeats after 20 cohorts).
COHORT_COLOURS = [
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf",
    "#bcbd22", "#393b79", "#e6550d", "#31a354", "#843c39", "#7b4173", "#3182bd", "#636363",
    "#b5cf6b", "#ad494a", "#6baed6", "#fd8d3c",
]  # fmt: skip
UNPLACED_COLOUR = "#9e9e9e"
UNPLACED_LAYER = "Unplaced"
UNUSED_LAYER = "Unused venues"
#: folium resources the page needs to work (by folium's names for them).
_REQUIRED = ("leaflet", "jquery", "leaflet_css")
_DEFAULT_CENTRE = (56.25, 9.35)  # Region Midtjylland


class _Legend(MacroElement):
    """A fixed box in the map's lower right corner; `body` is ready-made (escaped) HTML."""

    _template = Template(
        """
        {% macro html(this, kwargs) %}
        <div class="camp-legend" style="position: fixed; bottom: 28px; right: 10px;
             z-index: 9999; background: rgba(255,255,255,0.92); padding: 8px 10px;
             border: 1px solid #888; border-radius: 6px; font: 12px/1.45 sans-serif;
             max-height: 45%; overflow-y: auto; box-shadow: 0 1px 4px rgba(0,0,0,.3);">
        {{ this.body }}
        </div>
        {% endmacro %}
        """
    )

    def __init__(self, body: str) -> None:
        super().__init__()
        self._name = "Legend"
        self.body = body


def _swatch(colour: str) -> str:
    return (
        f'<span style="display:inline-block;width:11px;height:11px;border-radius:50%;'
        f'background:{colour};border:1px solid #333;margin-right:6px;vertical-align:middle">'
        "</span>"
    )


def _venue_icon(name: str, colour: str = "#222") -> folium.DivIcon:
    """A diamond on the venue's exact spot with its name above (a 0x0 icon at the point)."""
    label = html.escape(name)
    return folium.DivIcon(
        html=(
            f'<div style="position: absolute; left: -6px; top: -6px; width: 8px; height: 8px; '
            f"background: {colour}; border: 2px solid #fff; transform: rotate(45deg); "
            f'box-shadow: 0 0 3px rgba(0,0,0,.6);"></div>'
            f'<div style="position: absolute; left: 0; bottom: 9px; transform: translateX(-50%); '
            f"background: {colour}; color: #fff; border: 2px solid #fff; border-radius: 4px; "
            f"padding: 1px 5px; font: bold 11px sans-serif; white-space: nowrap; "
            f'box-shadow: 0 0 3px rgba(0,0,0,.6);">{label}</div>'
        ),
        icon_size=(0, 0),
        icon_anchor=(0, 0),
        class_name="camp-venue",
    )


def _dates_line(cohort: Cohort) -> str:
    parts = []
    for session in sorted(cohort.sessions, key=lambda s: min(s.dates, default=date.max)):
        days = ", ".join(d.strftime("%a %d %b %Y") for d in sorted(session.dates))
        parts.append(f"{STEP_LABELS[session.step]}: {days}")
    return "<br>".join(html.escape(p) for p in parts)


class _Labels:
    """Names shown for companies: real ones, or anonymous labels and scrubbed reasons."""

    def __init__(self, problem: PlanningProblem, roster: Roster, anonymize: bool) -> None:
        self.anonymize = anonymize
        self.label: dict[str, str] = {}
        for cohort in roster.cohorts:
            for k, cid in enumerate(cohort.members, start=1):
                self.label[cid] = f"{cohort.cohort_id}-{k}"
        n = 0
        for company in problem.companies:
            if company.company_id not in self.label:
                n += 1
                self.label[company.company_id] = f"unplaced-{n}"
        # longest first, so a name containing another name is replaced whole
        self._secrets = sorted(
            ((s, self.label[c.company_id]) for c in problem.companies
             for s in (c.name, c.company_id)),
            key=lambda pair: -len(pair[0]),
        )  # fmt: skip

    def name(self, company: Company) -> str:
        return self.label[company.company_id] if self.anonymize else company.name

    def text(self, text: str) -> str:
        if self.anonymize:
            for secret, label in self._secrets:
                text = text.replace(secret, label)
        return text

    def where(self, company: Company) -> tuple[float, float]:
        if self.anonymize:
            return round(company.lat, 2), round(company.lon, 2)
        return company.lat, company.lon


def build_map(problem: PlanningProblem, roster: Roster, anonymize: bool = False) -> folium.Map:
    """Build the travel map of a roster.

    Args:
        problem: The round's input (locations of companies and venues).
        roster: The roster to show.
        anonymize: Show no company name or id (see the module docstring).

    Returns:
        The folium map, ready to save.
    """
    companies = {c.company_id: c for c in problem.companies}
    venues = {v.venue_id: v for v in problem.venues}
    labels = _Labels(problem, roster, anonymize)
    colour = {
        c.cohort_id: COHORT_COLOURS[i % len(COHORT_COLOURS)] for i, c in enumerate(roster.cohorts)
    }
    fmap = folium.Map(location=_DEFAULT_CENTRE, zoom_start=8, tiles=None, control_scale=True)
    folium.TileLayer("OpenStreetMap", name="Map (OpenStreetMap)").add_to(fmap)
    points: list[tuple[float, float]] = []

    by_venue: dict[str, list[Cohort]] = {}
    for cohort in roster.cohorts:
        by_venue.setdefault(cohort.venue_id, []).append(cohort)
    names = [venues[v].name for v in by_venue if v in venues]
    for venue_id, cohorts in by_venue.items():
        venue = venues.get(venue_id)
        if venue is None:
            continue
        layer = venue.name if names.count(venue.name) == 1 else f"{venue.name} ({venue_id})"
        group = folium.FeatureGroup(name=layer)
        circles: list[folium.CircleMarker] = []
        for cohort in cohorts:
            for cid in cohort.members:
                company = companies.get(cid)
                if company is None:
                    continue
                where = labels.where(company)
                points.append(where)
                km = roster.travel_km.get(cid, problem.travel_km(company, venue))
                tip = html.escape(
                    f"{labels.name(company)} — cohort {cohort.cohort_id}, "
                    f"level {cohort.level.value}, {km:.1f} km"
                )
                folium.PolyLine(
                    [where, (venue.lat, venue.lon)], color=colour[cohort.cohort_id],
                    weight=2, opacity=0.6, tooltip=tip,
                ).add_to(group)  # fmt: skip
                circles.append(
                    folium.CircleMarker(
                        where, radius=4 + 1.5 * company.participants, color="#333", weight=1,
                        fill=True, fill_color=colour[cohort.cohort_id], fill_opacity=0.9,
                        tooltip=tip,
                    )
                )  # fmt: skip
        for circle in circles:  # circles above the lines
            circle.add_to(group)
        popup = "".join(
            f"<p style='margin:4px 0'>{_swatch(colour[c.cohort_id])}<b>{html.escape(c.cohort_id)}"
            f"</b> — {STEP_LABELS[c.module]}, {c.level.value}/{c.age_group.value}, "
            f"{len(c.members)} companies<br>{_dates_line(c)}</p>"
            for c in cohorts
        )
        folium.Marker(
            (venue.lat, venue.lon),
            icon=_venue_icon(venue.name),
            tooltip=html.escape(venue_location(venue)),
            popup=folium.Popup(
                f"<b>{html.escape(venue_location(venue))}</b>{popup}", max_width=360
            ),
        ).add_to(group)
        points.append((venue.lat, venue.lon))
        group.add_to(fmap)

    placed = {cid for c in roster.cohorts for cid in c.members}
    reasons = {u.company_id: f"{u.reason} ({u.code.value})" for u in roster.unplaced}
    outside = [c for c in problem.companies if c.company_id not in placed]
    if outside:
        group = folium.FeatureGroup(name=UNPLACED_LAYER)
        for company in outside:
            where = labels.where(company)
            points.append(where)
            reason = labels.text(reasons.get(company.company_id, "not in the roster"))
            folium.CircleMarker(
                where, radius=5, color="#555", weight=1, dash_array="2,2", fill=True,
                fill_color=UNPLACED_COLOUR, fill_opacity=0.8,
                tooltip=html.escape(f"{labels.name(company)} — unplaced: {reason}"),
            ).add_to(group)  # fmt: skip
        group.add_to(fmap)

    unused = [
        v for v in problem.venues if v.venue_id not in by_venue and v.status != VenueStatus.CLOSED
    ]
    if unused:
        group = folium.FeatureGroup(name=UNUSED_LAYER, show=False)
        for venue in unused:
            folium.Marker(
                (venue.lat, venue.lon), icon=_venue_icon(venue.name, "#888"),
                tooltip=html.escape(f"{venue_location(venue)} (not used this round)"),
            ).add_to(group)  # fmt: skip
        group.add_to(fmap)

    _Legend(_legend_html(problem, roster, colour, venues, bool(outside))).add_to(fmap)
    folium.LayerControl(collapsed=False).add_to(fmap)
    if points:
        lats, lons = [p[0] for p in points], [p[1] for p in points]
        fmap.fit_bounds(
            [(min(lats), min(lons)), (max(lats), max(lons))], padding=(30, 30), max_zoom=12
        )
    return fmap


def _legend_html(
    problem: PlanningProblem,
    roster: Roster,
    colour: dict[str, str],
    venues: dict[str, Venue],
    any_unplaced: bool,
) -> str:
    sizes = {c.company_id: c.participants for c in problem.companies}
    lines = [
        f"<b>Vækstcamp {html.escape(roster.round)}</b>",
        f"{roster.summary.placed} placed, {roster.summary.unplaced} unplaced, "
        f"{roster.summary.travel_km_total:,.0f} km one-way",
    ]
    for cohort in roster.cohorts:
        venue = venues.get(cohort.venue_id)
        people = sum(sizes.get(m, 1) for m in cohort.members)
        text = (
            f"{cohort.cohort_id} · {venue.name if venue else cohort.venue_id} · "
            f"{STEP_LABELS[cohort.module]} · {cohort.level.value}/{cohort.age_group.value} · "
            f"{people} people"
        )
        lines.append(_swatch(colour[cohort.cohort_id]) + html.escape(text))
    if any_unplaced:
        lines.append(_swatch(UNPLACED_COLOUR) + "unplaced")
    return "<br>".join(lines)


def offline_assets() -> dict[str, str]:
    """The files ``write_map(..., assets_dir=...)`` needs: file name -> folium's CDN URL."""
    links = dict(folium.Map.default_js) | dict(folium.Map.default_css)
    return {links[name].rsplit("/", 1)[-1]: links[name] for name in _REQUIRED if name in links}


_LINK = re.compile(
    r'<script src="(?P<js>https?://[^"]+)"></script>'
    r'|<link rel="stylesheet" href="(?P<css>https?://[^"]+)"\s*/?>'
)
_CSS_URL = re.compile(r"""url\((['"]?)(?!data:|https?:|#)([^'")]+)\1\)""")


def _data_uris(css: str, base: Path) -> str:
    def replace(match: re.Match[str]) -> str:
        file = base / match.group(2)
        if not file.is_file():
            return match.group(0)
        mime = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        return f"url(data:{mime};base64,{base64.b64encode(file.read_bytes()).decode()})"

    return _CSS_URL.sub(replace, css)


def inline_assets(page: str, assets_dir: str | os.PathLike[str]) -> str:
    """Inline the CDN scripts and stylesheets of a folium page from local copies.

    Args:
        page: The rendered HTML.
        assets_dir: Folder with the files, named as the last part of their URL.

    Returns:
        The page with local files inlined and the other CDN links removed.

    Raises:
        FileNotFoundError: A file of :func:`offline_assets` is missing from `assets_dir`.
    """
    folder = Path(assets_dir)
    missing = [name for name in offline_assets() if not (folder / name).is_file()]
    if missing:
        raise FileNotFoundError(f"{folder} lacks {', '.join(missing)} (see offline_assets())")

    def replace(match: re.Match[str]) -> str:
        url = match.group("js") or match.group("css")
        file = folder / url.rsplit("/", 1)[-1]
        if not file.is_file():
            return ""
        text = file.read_text(encoding="utf-8")
        if match.group("js"):
            return "<script>" + text.replace("</script", "<\\/script") + "</script>"
        return (
            "<style>" + _data_uris(text, file.parent).replace("</style", "<\\/style") + "</style>"
        )

    return _LINK.sub(lambda m: replace(m), page)


def write_map(
    problem: PlanningProblem,
    roster: Roster,
    path: str | os.PathLike[str],
    anonymize: bool = False,
    *,
    assets_dir: str | os.PathLike[str] | None = None,
) -> Path:
    """Write the travel map as one HTML page, atomically.

    Args:
        problem: The round's input.
        roster: The roster to show.
        path: Target file, e.g. ``out/map.html``.
        anonymize: Show no company name or id.
        assets_dir: Local copies of Leaflet & co. to inline, for use with no network
            (see the module docstring); None loads them from the CDN.

    Returns:
        The path written.
    """
    page = build_map(problem, roster, anonymize=anonymize).get_root().render()
    if assets_dir is not None:
        page = inline_assets(page, assets_dir)
    return atomic_write_text(path, page)
