"""The participant-travel map: a folium (Leaflet) HTML page to show and justify a roster.

Each used venue is a labelled marker whose popup lists its cohorts and their dates; each
placed company is a marker in its cohort's colour and shape with a line to its venue;
unplaced companies are grey dashed circles whose tooltip gives the reason. Every venue has
its own toggleable layer (named after the venue), unplaced companies share an "Unplaced"
layer, and a legend beside the map (folding away) lists the cohorts with their colour and
shape. Companies that stand on one spot (a town) or nearly are clustered: a ring in the
colours of its companies with their number, which opens (zooms or spreads out) on a click.

Cohort styles: :data:`COHORT_COLOURS` are hues far apart (CIELAB distance at least 30, also
from the unplaced grey); after the colours the next shape of :data:`COHORT_SHAPES` follows,
so the first ``len(COHORT_COLOURS) * len(COHORT_SHAPES)`` (40) cohorts of a roster never
share colour and shape (:func:`cohort_style`).

Size. A layer's companies are written as one JSON list and drawn by ``camp-map.js`` on one
canvas (not one Leaflet object per company in the page), so 10,000 companies make a page
of a few MB that is written in about a second and draws in a few.

The page (:class:`Page`): ``lang`` of the round, a title, a ``main`` landmark with a
heading, the map and the legend; zooming is allowed (folium's ``maximum-scale=1`` is dropped).

``anonymize=True`` removes every company name and id: companies are called by cohort-local
labels (``C01-3``, the 3rd member of C01) or ``unplaced-7``, unplaced reasons are scrubbed
of names and ids, and company coordinates are rounded to 2 decimals (about 1 km) so a
circle does not point at an address.

Language. The legend, layer names, tooltips and popups are in the round's language
(round.toml ``language``, :mod:`camp_planner.i18n`), dates too (``tirs. 12. jan. 2027``);
venue and company names, ids, levels and codes are as they are.

Assets. folium pages load Leaflet (and jQuery, which folium's popups use) from CDNs; a
map.html written here does not: :func:`write_map` inlines copies that ship inside the
package (:mod:`camp_planner.outputs.map_assets`), and Leaflet.markercluster and the map's own
script always come from the package. ``assets_dir`` overrides the packaged Leaflet and
jQuery with a folder of one's own (:func:`find_assets` says which file names it accepts);
``inline=False`` writes the page that loads those two from CDNs.
"""

from __future__ import annotations

import html
import os
from datetime import date
from pathlib import Path
from typing import Any

import folium

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
from camp_planner.outputs.map_assets import (
    PACKAGED_ASSETS,
    find_assets,
    inline_assets,
    offline_assets,
)
from camp_planner.outputs.map_page import Additions, Companies, Layers, Legend, Page, swatch
from camp_planner.outputs.scrub import Scrubber
from camp_planner.outputs.writers import venue_location

__all__ = [
    "COHORT_COLOURS",
    "COHORT_SHAPES",
    "PACKAGED_ASSETS",
    "build_map",
    "cohort_style",
    "find_assets",
    "inline_assets",
    "offline_assets",
    "write_map",
]

#: Cohort colours, in cohort order: hues far apart (Okabe-Ito's and a few more).
COHORT_COLOURS = [
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#F0E442", "#A50026", "#6A3D9A", "#8C510A",
]  # fmt: skip
#: Marker shapes, in the order camp-map.js numbers them; a shape's turn comes after the colours.
COHORT_SHAPES = ("circle", "square", "triangle", "diamond", "triangle-down")
UNPLACED_COLOUR = "#9e9e9e"
#: The layer of online cohorts' members (no venue, no lines).
ONLINE_LAYER = N_("Online cohorts")
UNPLACED_LAYER = N_("Unplaced")
UNUSED_LAYER = N_("Unused venues")
#: The background layer.
TILES_LAYER = N_("Map (OpenStreetMap)")
_DEFAULT_CENTRE = (56.25, 9.35)  # Region Midtjylland
#: Venue markers are drawn above the companies' clusters.
_ABOVE_CLUSTERS = 10_000


def cohort_style(index: int) -> tuple[str, str]:
    """The colour and shape of a roster's `index`-th cohort (0-based): the colours in turn,
    then the next shape; unique for the first 40 cohorts, repeating after."""
    colours, shapes = len(COHORT_COLOURS), len(COHORT_SHAPES)
    return COHORT_COLOURS[index % colours], COHORT_SHAPES[(index // colours) % shapes]


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
        self._secrets = (
            Scrubber(
                (s, self.label[c.company_id])
                for c in problem.companies
                for s in (c.name, c.company_id)
            )
            if anonymize
            else None
        )

    def name(self, company: Company) -> str:
        return self.label[company.company_id] if self.anonymize else company.name

    def text(self, text: str) -> str:
        return self._secrets.scrub(text) if self._secrets is not None else text

    def where(self, company: Company) -> tuple[float, float]:
        if self.anonymize:
            return round(company.lat, 2), round(company.lon, 2)
        return company.lat, company.lon


class _Drawing:
    """What build_map shares between its layers: the map, the clusters, the labels and each
    cohort's style."""

    def __init__(self, problem: PlanningProblem, roster: Roster, anonymize: bool) -> None:
        self.problem, self.roster = problem, roster
        self.lang = problem.round.language
        self._ = gettext_for(self.lang)
        self.companies = {c.company_id: c for c in problem.companies}
        self.venues = {v.venue_id: v for v in problem.venues}
        self.labels = _Labels(problem, roster, anonymize)
        self.style = {c.cohort_id: cohort_style(i) for i, c in enumerate(roster.cohorts)}
        self.fmap = folium.Map(
            location=_DEFAULT_CENTRE, zoom_start=8, tiles=None, control_scale=True,
            prefer_canvas=True,
        )  # fmt: skip
        title = self._("Vækstcamp %(round)s: travel map") % {"round": roster.round}
        Page(title, self.lang).add_child(self.fmap)
        folium.TileLayer("OpenStreetMap", name=html.escape(self._(TILES_LAYER))).add_to(self.fmap)
        self.clusters = Additions()
        self.clusters.add_to(self.fmap)
        self.points: list[tuple[float, float]] = []

    def tip(self, company: Company, cohort: Cohort, km: float | None) -> str:
        values = {
            "company": self.labels.name(company), "cohort": cohort.cohort_id,
            "level": cohort.level.value,
        }  # fmt: skip
        if km is None:
            return _text(
                self._("%(company)s — cohort %(cohort)s (online), level %(level)s, 0 km") % values
            )
        values["km"] = format_number(km, self.lang, ".1f")
        return _text(self._("%(company)s — cohort %(cohort)s, level %(level)s, %(km)s km") % values)

    def layer(
        self, name: str, rows: list[list[Any]], styles: list[list[Any]]
    ) -> folium.FeatureGroup:
        """A toggleable layer of companies (rows of ``CampMap.draw``)."""
        group = folium.FeatureGroup(name=html.escape(name))  # the layer control shows HTML
        Companies(self.fmap, self.clusters, {"styles": styles, "points": rows}).add_to(group)
        group.add_to(self.fmap)
        return group

    def members(
        self, cohorts: list[Cohort], venue: Venue | None
    ) -> tuple[list[list[Any]], list[list[Any]]]:
        """The rows and styles of these cohorts' members (lines to `venue`; None: online)."""
        rows: list[list[Any]] = []
        styles: list[list[Any]] = []
        for cohort in cohorts:
            colour, shape = self.style[cohort.cohort_id]
            styles.append([colour, COHORT_SHAPES.index(shape), None if venue else "3,2"])
            for cid in cohort.members:
                company = self.companies.get(cid)
                if company is None:
                    continue
                lat, lon = self.labels.where(company)
                self.points.append((lat, lon))
                radius = 4 + 1.5 * company.participants
                if venue is None:
                    rows.append([lat, lon, len(styles) - 1, radius, self.tip(company, cohort, None),
                                 None, None])  # fmt: skip
                    continue
                km = self.roster.travel_km.get(cid, self.problem.travel_km(company, venue))
                rows.append([lat, lon, len(styles) - 1, radius, self.tip(company, cohort, km),
                             venue.lat, venue.lon])  # fmt: skip
        return rows, styles


def build_map(problem: PlanningProblem, roster: Roster, anonymize: bool = False) -> folium.Map:
    """Build the travel map of a roster.

    Args:
        problem: The round's input (locations of companies and venues).
        roster: The roster to show.
        anonymize: Show no company name or id (see the module docstring).

    Returns:
        The folium map (in its page, :class:`Page`), ready to save.
    """
    drawing = _Drawing(problem, roster, anonymize)
    _ = drawing._
    fmap = drawing.fmap
    by_venue: dict[str, list[Cohort]] = {}
    for cohort in roster.cohorts:
        if not cohort.online:
            by_venue.setdefault(cohort.venue_id, []).append(cohort)
    names = [drawing.venues[v].name for v in by_venue if v in drawing.venues]
    for venue_id, cohorts in by_venue.items():
        venue = drawing.venues.get(venue_id)
        if venue is None:
            continue
        name = venue.name if names.count(venue.name) == 1 else f"{venue.name} ({venue_id})"
        rows, styles = drawing.members(cohorts, venue)
        group = drawing.layer(name, rows, styles)
        _venue_marker(drawing, venue, cohorts).add_to(group)
        drawing.points.append((venue.lat, venue.lon))

    online = [c for c in roster.cohorts if c.online]
    if online:  # no venue, no travel: the members in their cohort's colour, no lines
        drawing.layer(_(ONLINE_LAYER), *drawing.members(online, None))

    placed = {cid for c in roster.cohorts for cid in c.members}
    outside = [c for c in problem.companies if c.company_id not in placed]
    if outside:
        drawing.layer(_(UNPLACED_LAYER), _unplaced_rows(drawing, outside),
                      [[UNPLACED_COLOUR, 0, "2,2"]])  # fmt: skip

    unused = [
        v for v in problem.venues if v.venue_id not in by_venue and v.status != VenueStatus.CLOSED
    ]
    if unused:
        group = folium.FeatureGroup(name=html.escape(_(UNUSED_LAYER)), show=False)
        for venue in unused:
            tip = _("%(venue)s (not used this round)") % {"venue": venue_location(venue)}
            folium.Marker(
                (venue.lat, venue.lon), icon=_venue_icon(venue.name, "#888"), tooltip=_text(tip),
            ).add_to(group)  # fmt: skip
        group.add_to(fmap)

    legend = _legend_html(problem, roster, drawing.style, drawing.venues, bool(outside))
    Legend(legend, _("Legend")).add_to(fmap)
    control = folium.LayerControl(collapsed=False)
    control.add_to(fmap)
    Layers(control, _("Layers")).add_to(fmap)
    if drawing.points:
        lats, lons = [p[0] for p in drawing.points], [p[1] for p in drawing.points]
        fmap.fit_bounds(
            [(min(lats), min(lons)), (max(lats), max(lons))], padding=(30, 30), max_zoom=12
        )
    return fmap


def _unplaced_rows(drawing: _Drawing, outside: list[Company]) -> list[list[Any]]:
    """The rows of the unplaced companies (grey, dashed, the reason in the tooltip)."""
    _ = drawing._
    reasons = {u.company_id: f"{u.reason} ({u.code.value})" for u in drawing.roster.unplaced}
    rows: list[list[Any]] = []
    for company in outside:
        lat, lon = drawing.labels.where(company)
        drawing.points.append((lat, lon))
        reason = drawing.labels.text(reasons.get(company.company_id, _("not in the roster")))
        tip = _("%(company)s — unplaced: %(reason)s") % {
            "company": drawing.labels.name(company), "reason": reason,
        }  # fmt: skip
        rows.append([lat, lon, 0, 5, _text(tip), None, None])
    return rows


def _venue_marker(drawing: _Drawing, venue: Venue, cohorts: list[Cohort]) -> folium.Marker:
    """The venue's labelled diamond; its popup lists the cohorts and their dates."""
    lang = drawing.lang
    ngettext = ngettext_for(lang)
    popup = "".join(
        f"<p style='margin:4px 0'>{swatch(*drawing.style[c.cohort_id])}"
        f"<b>{html.escape(c.cohort_id)}</b> — "
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
    return folium.Marker(
        (venue.lat, venue.lon),
        icon=_venue_icon(venue.name),
        z_index_offset=_ABOVE_CLUSTERS,
        tooltip=_text(venue_location(venue)),
        popup=folium.Popup(
            _markup(f"<b>{html.escape(venue_location(venue))}</b>{popup}"), max_width=360
        ),
    )


def _legend_html(
    problem: PlanningProblem,
    roster: Roster,
    style: dict[str, tuple[str, str]],
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
        lines.append(swatch(*style[cohort.cohort_id], cohort.online) + html.escape(text))
    if any_unplaced:
        lines.append(swatch(UNPLACED_COLOUR, dashed=True) + html.escape(_("unplaced")))
    return "<br>".join(lines)


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
