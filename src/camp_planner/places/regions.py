"""Denmark's regions and municipalities, and the matching key of a place name."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

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
