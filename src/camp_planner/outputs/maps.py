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

Language. The legend, layer names, tooltips and popups are in the round's language
(round.toml ``language``, :mod:`camp_planner.i18n`), dates too (``tirs. 12. jan. 2027``);
venue and company names, ids, levels and codes are as they are.

Assets. folium pages load Leaflet (and jQuery, which folium's popups use) from CDNs; a
map.html written here does not: :func:`write_map` inlines copies of them that ship inside
the package (``camp_planner/outputs/assets``: vendored from the npm registry by
``scripts/vendor_map_assets.py``, each with its licence), turns the images the CSS refers
to into ``data:`` URIs and drops the CDN links the map does not need (Bootstrap, icon
fonts). So every page draws its markers, lines, popups and legend with no network; only
the map tiles (the background) come from the web. This adds about 250 kB to each page.
``assets_dir`` overrides the packaged copies with a folder of one's own
(:func:`find_assets` says which file names it accepts); ``inline=False`` writes the plain
CDN page.
"""

from __future__ import annotations

import base64
import functools
import html
import mimetypes
import os
import re
from datetime import date
from pathlib import Path

import folium
from branca.element import MacroElement, Template

from camp_planner.i18n import (
    N_,
    age_label,
    format_day,
    format_number,
    gettext_for,
    ngettext_for,
    step_label,
)
from camp_planner.models import Cohort, Company, PlanningProblem, Roster, Venue, VenueStatus
from camp_planner.outputs.atomic import atomic_write_text
from camp_planner.outputs.writers import venue_location

__all__ = [
    "COHORT_COLOURS",
    "PACKAGED_ASSETS",
    "build_map",
    "find_assets",
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
#: The layer of online cohorts' members (no venue, no lines).
ONLINE_LAYER = N_("Online cohorts")
UNPLACED_LAYER = N_("Unplaced")
UNUSED_LAYER = N_("Unused venues")
#: The background layer.
TILES_LAYER = N_("Map (OpenStreetMap)")
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


#: folium puts tooltips and popups into JavaScript template literals (`...`): these
#: characters would end the literal or start an interpolation, so they become entities.
_LITERAL_UNSAFE = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;"})


def _markup(text: str) -> str:
    """Ready-made HTML made safe for folium's template literals (see _LITERAL_UNSAFE)."""
    return text.translate(_LITERAL_UNSAFE)


def _text(text: str) -> str:
    """Plain text as HTML for a tooltip or popup."""
    return _markup(html.escape(text))


def _day(day: date, lang: str) -> str:
    """``Tue 12 Jan 2027`` (``tirs. 12. jan. 2027``)."""
    return day.strftime("%a %d %b %Y") if lang == "en" else format_day(day, lang, "EEE d. MMM y")


def _dates_line(cohort: Cohort, lang: str) -> str:
    parts = []
    for session in sorted(cohort.sessions, key=lambda s: min(s.dates, default=date.max)):
        days = ", ".join(_day(d, lang) for d in sorted(session.dates))
        parts.append(f"{step_label(session.step, lang)}: {days}")
    return "<br>".join(html.escape(p) for p in parts)


class _Labels:
    """Names shown for companies: real ones, or anonymous labels and scrubbed reasons."""

    def __init__(self, problem: PlanningProblem, roster: Roster, anonymize: bool) -> None:
        self.anonymize = anonymize
        self.label: dict[str, str] = {}
        for cohort in roster.cohorts:
            for k, cid in enumerate(cohort.members, start=1):
                self.label[cid] = f"{cohort.cohort_id}-{k}"
        _ = gettext_for(problem.round.language)
        unplaced = _("unplaced-%(n)s")
        n = 0
        for company in problem.companies:
            if company.company_id not in self.label:
                n += 1
                self.label[company.company_id] = unplaced % {"n": n}
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
    lang = problem.round.language
    _ = gettext_for(lang)
    ngettext = ngettext_for(lang)
    companies = {c.company_id: c for c in problem.companies}
    venues = {v.venue_id: v for v in problem.venues}
    labels = _Labels(problem, roster, anonymize)
    colour = {
        c.cohort_id: COHORT_COLOURS[i % len(COHORT_COLOURS)] for i, c in enumerate(roster.cohorts)
    }
    fmap = folium.Map(location=_DEFAULT_CENTRE, zoom_start=8, tiles=None, control_scale=True)
    folium.TileLayer("OpenStreetMap", name=_(TILES_LAYER)).add_to(fmap)
    points: list[tuple[float, float]] = []

    by_venue: dict[str, list[Cohort]] = {}
    for cohort in roster.cohorts:
        if not cohort.online:
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
                tip = _text(
                    _("%(company)s — cohort %(cohort)s, level %(level)s, %(km)s km")
                    % {
                        "company": labels.name(company),
                        "cohort": cohort.cohort_id,
                        "level": cohort.level.value,
                        "km": format_number(km, lang, ".1f"),
                    }
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
            "</b> — "
            + html.escape(
                ngettext(
                    "%(step)s, %(group)s, %(n)s companies",
                    "%(step)s, %(group)s, %(n)s companies",
                    len(c.members),
                )
                % {
                    "step": step_label(c.module, lang),
                    "group": f"{c.level.value}/{age_label(c.age_group, lang)}",
                    "n": len(c.members),
                }
            )
            + f"<br>{_dates_line(c, lang)}</p>"
            for c in cohorts
        )
        folium.Marker(
            (venue.lat, venue.lon),
            icon=_venue_icon(venue.name),
            tooltip=_text(venue_location(venue)),
            popup=folium.Popup(
                _markup(f"<b>{html.escape(venue_location(venue))}</b>{popup}"), max_width=360
            ),
        ).add_to(group)
        points.append((venue.lat, venue.lon))
        group.add_to(fmap)

    online = [c for c in roster.cohorts if c.online]
    if online:  # no venue, no travel: the members in their cohort's colour, no lines
        group = folium.FeatureGroup(name=_(ONLINE_LAYER))
        for cohort in online:
            for cid in cohort.members:
                company = companies.get(cid)
                if company is None:
                    continue
                where = labels.where(company)
                points.append(where)
                tip = _text(
                    _("%(company)s — cohort %(cohort)s (online), level %(level)s, 0 km")
                    % {
                        "company": labels.name(company),
                        "cohort": cohort.cohort_id,
                        "level": cohort.level.value,
                    }
                )
                folium.CircleMarker(
                    where, radius=4 + 1.5 * company.participants, color="#333", weight=1,
                    dash_array="3,2", fill=True, fill_color=colour[cohort.cohort_id],
                    fill_opacity=0.9, tooltip=tip,
                ).add_to(group)  # fmt: skip
        group.add_to(fmap)

    placed = {cid for c in roster.cohorts for cid in c.members}
    reasons = {u.company_id: f"{u.reason} ({u.code.value})" for u in roster.unplaced}
    outside = [c for c in problem.companies if c.company_id not in placed]
    if outside:
        group = folium.FeatureGroup(name=_(UNPLACED_LAYER))
        for company in outside:
            where = labels.where(company)
            points.append(where)
            reason = labels.text(reasons.get(company.company_id, _("not in the roster")))
            tip = _("%(company)s — unplaced: %(reason)s") % {
                "company": labels.name(company), "reason": reason,
            }  # fmt: skip
            folium.CircleMarker(
                where, radius=5, color="#555", weight=1, dash_array="2,2", fill=True,
                fill_color=UNPLACED_COLOUR, fill_opacity=0.8, tooltip=_text(tip),
            ).add_to(group)  # fmt: skip
        group.add_to(fmap)

    unused = [
        v for v in problem.venues if v.venue_id not in by_venue and v.status != VenueStatus.CLOSED
    ]
    if unused:
        group = folium.FeatureGroup(name=_(UNUSED_LAYER), show=False)
        for venue in unused:
            tip = _("%(venue)s (not used this round)") % {"venue": venue_location(venue)}
            folium.Marker(
                (venue.lat, venue.lon), icon=_venue_icon(venue.name, "#888"), tooltip=_text(tip),
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
    lang = problem.round.language
    _ = gettext_for(lang)
    ngettext = ngettext_for(lang)
    sizes = {c.company_id: c.participants for c in problem.companies}
    summary = roster.summary
    lines = [
        f"<b>Vækstcamp {html.escape(roster.round)}</b>",
        html.escape(
            _("%(placed)s placed, %(unplaced)s unplaced, %(km)s km one-way")
            % {
                "placed": summary.placed,
                "unplaced": summary.unplaced,
                "km": format_number(summary.travel_km_total, lang, ",.0f"),
            }
        ),
    ]
    for cohort in roster.cohorts:
        venue = None if cohort.online else venues.get(cohort.venue_id)
        people = sum(sizes.get(m, 1) for m in cohort.members)
        place = _("Online") if cohort.online else (venue.name if venue else cohort.venue_id)
        group = f"{cohort.level.value}/{age_label(cohort.age_group, lang)}"
        if cohort.mixed:
            group = _("%(group)s (mixed)") % {"group": group}
        text = " · ".join(
            [
                cohort.cohort_id,
                place,
                step_label(cohort.module, lang),
                group,
                ngettext("%(n)s people", "%(n)s people", people) % {"n": people},
            ]
        )
        if cohort.online:
            text += f" · {_dates_line(cohort, lang)}"
        lines.append(_swatch(colour[cohort.cohort_id]) + html.escape(text))
    if any_unplaced:
        lines.append(_swatch(UNPLACED_COLOUR) + html.escape(_("unplaced")))
    return "<br>".join(lines)


def offline_assets() -> dict[str, str]:
    """The files the page needs to work with no network: file name -> folium's CDN URL."""
    links = dict(folium.Map.default_js) | dict(folium.Map.default_css)
    return {links[name].rsplit("/", 1)[-1]: links[name] for name in _REQUIRED if name in links}


#: The Leaflet and jQuery copies shipped in the package (see assets/README.md).
PACKAGED_ASSETS = Path(__file__).resolve().with_name("assets")
#: Other names accepted for each required file (lower case), besides its CDN file name.
_ACCEPTED: dict[str, re.Pattern[str]] = {
    "leaflet": re.compile(r"leaflet(?:-src)?(?:\.min)?\.js"),
    "leaflet_css": re.compile(r"leaflet(?:\.min)?\.css"),
    "jquery": re.compile(r"jquery(?:-\d+(?:\.\d+)*)?(?:\.min)?\.js"),
}
#: The accepted names in words, for the message when one is missing.
_ACCEPTED_WORDS = {
    "leaflet": "leaflet.min.js or leaflet-src.js",
    "leaflet_css": "leaflet.min.css",
    "jquery": "jquery.js, jquery.min.js or jquery-<version>[.min].js",
}
_SEARCH_DEPTH = 3


def _candidates(folder: Path) -> list[Path]:
    """Files of `folder` and its subfolders (up to 3 levels, hidden ones and node_modules
    skipped), shallowest first."""
    found: list[Path] = []
    for root, dirs, files in os.walk(folder):
        depth = len(Path(root).relative_to(folder).parts)
        dirs[:] = sorted(
            d for d in dirs if depth < _SEARCH_DEPTH and not d.startswith(".")
            and d != "node_modules"
        )  # fmt: skip
        found.extend(Path(root) / f for f in sorted(files))
    return sorted(found, key=lambda p: len(p.relative_to(folder).parts))


def find_assets(assets_dir: str | os.PathLike[str] | None = None) -> dict[str, Path]:
    """The local file to inline for each CDN file the map needs.

    A file is found in the folder or a subfolder (e.g. an unpacked npm package's ``dist/``)
    under its CDN file name (``leaflet.js``, ``leaflet.css``, ``jquery-3.7.1.min.js``), or
    under a usual other name: ``leaflet-src.js``, ``leaflet.min.css``, ``jquery.js``,
    ``jquery.min.js``, ``jquery-3.6.0.js`` ... (case ignored; the CDN name wins, then a
    minified file).

    Args:
        assets_dir: The folder; None for the copies shipped in the package.

    Returns:
        CDN URL -> local file, for every URL of :func:`offline_assets`.

    Raises:
        FileNotFoundError: A file is missing (the message names it and what is accepted).
    """
    folder = Path(assets_dir) if assets_dir is not None else PACKAGED_ASSETS
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder} is not a folder (expected Leaflet and jQuery files)")
    files = _candidates(folder)
    links = dict(folium.Map.default_js) | dict(folium.Map.default_css)
    found: dict[str, Path] = {}
    missing: list[str] = []
    for role in _REQUIRED:
        url = links.get(role)
        if url is None:
            continue
        exact = url.rsplit("/", 1)[-1].lower()
        matches = [f for f in files if f.name.lower() == exact] or [
            f for f in files if _ACCEPTED[role].fullmatch(f.name.lower())
        ]
        if not matches:
            missing.append(f"{exact} (or {_ACCEPTED_WORDS[role]})")
            continue
        minified = [f for f in matches if ".min." in f.name.lower()]
        found[url] = (minified or matches)[0]
    if missing:
        raise FileNotFoundError(f"{folder} lacks {'; '.join(missing)} (see offline_assets())")
    return found


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


@functools.lru_cache(maxsize=16)
def _inline_tag(file: Path, stylesheet: bool, mtime_ns: int) -> str:
    """The ``<script>`` or ``<style>`` element with the file's text (cached per version)."""
    text = file.read_text(encoding="utf-8")
    if stylesheet:
        return (
            "<style>" + _data_uris(text, file.parent).replace("</style", "<\\/style") + "</style>"
        )
    return "<script>" + text.replace("</script", "<\\/script") + "</script>"


def inline_assets(page: str, assets_dir: str | os.PathLike[str] | None = None) -> str:
    """Inline the CDN scripts and stylesheets of a folium page from local copies.

    Args:
        page: The rendered HTML.
        assets_dir: Folder with the files (:func:`find_assets`); None for the copies
            shipped in the package.

    Returns:
        The page with Leaflet, its CSS and jQuery inlined and the other CDN links removed.

    Raises:
        FileNotFoundError: A file the map needs is missing from `assets_dir`.
    """
    local = find_assets(assets_dir)

    def replace(match: re.Match[str]) -> str:
        url = match.group("js") or match.group("css")
        file = local.get(url)
        if file is None:
            return ""
        return _inline_tag(file, bool(match.group("css")), file.stat().st_mtime_ns)

    return _LINK.sub(replace, page)


def write_map(
    problem: PlanningProblem,
    roster: Roster,
    path: str | os.PathLike[str],
    anonymize: bool = False,
    *,
    assets_dir: str | os.PathLike[str] | None = None,
    inline: bool = True,
) -> Path:
    """Write the travel map as one HTML page, atomically.

    Args:
        problem: The round's input.
        roster: The roster to show.
        path: Target file, e.g. ``out/map.html``.
        anonymize: Show no company name or id.
        assets_dir: A folder with Leaflet and jQuery to inline instead of the copies shipped
            in the package (see :func:`find_assets`).
        inline: False writes the plain folium page, which loads them from CDNs.

    Returns:
        The path written.

    Raises:
        FileNotFoundError: `assets_dir` lacks a file the map needs.
    """
    page = build_map(problem, roster, anonymize=anonymize).get_root().render()
    if inline:
        page = inline_assets(page, assets_dir)
    return atomic_write_text(path, page)
