"""The columns of a planning folder's tables: their names, the Danish (and other common)
names people give them, and the sheet names of a workbook (docs/planning-folder.md)."""

from __future__ import annotations

import re
from collections.abc import Iterable

#: The seven scorecard columns, in docs/scoring.md's order.
SCORECARD_COLUMNS: tuple[str, ...] = (
    "ambition",
    "scalability",
    "organisation",
    "market",
    "financing",
    "technology",
    "role_model",
)
COMPANY_COLUMNS: tuple[str, ...] = (
    "company_id",
    "name",
    "lat",
    "lon",
    "town",
    "founded",
    "young",
    "level",
    *SCORECARD_COLUMNS,
    "panel_approved",
    "completed",
    "unavailable",
    "priority",
    "participants",
    "waiting_since",
    "available_from",
    "signed_up",
    "contact_name",
    "email",
)
VENUE_COLUMNS: tuple[str, ...] = (
    "venue_id",
    "name",
    "lat",
    "lon",
    "town",
    "residential",
    "max_cohorts",
    "unavailable",
    "status",
    "address",
)

#: Column names of a location, in both tables.
_LOCATION_ALIASES: dict[str, str] = {
    "by": "town",
    "bredde": "lat",
    "breddegrad": "lat",
    "latitude": "lat",
    "længde": "lon",
    "længdegrad": "lon",
    "longitude": "lon",
    "lng": "lon",
}
#: Danish (and other common) column names -> the names of the contract, normalised.
COMPANY_ALIASES: dict[str, str] = {
    "cvr": "company_id",
    "cvr_nr": "company_id",
    "cvr_nr.": "company_id",
    "cvr_nummer": "company_id",
    "virksomhed_id": "company_id",
    "id": "company_id",
    "navn": "name",
    "virksomhed": "name",
    "virksomhedsnavn": "name",
    **_LOCATION_ALIASES,
    "stiftet": "founded",
    "stiftelsesdato": "founded",
    "ung": "young",
    "niveau": "level",
    "vækstniveau": "level",
    "vækstambition": "ambition",
    "skalerbarhed": "scalability",
    "skalérbarhed": "scalability",
    "organisatorisk_kapacitet": "organisation",
    "marked": "market",
    "finansiering": "financing",
    "teknologi": "technology",
    "ny_teknologi": "technology",
    "rollemodel": "role_model",
    "vækstpanel": "panel_approved",
    "panel_godkendt": "panel_approved",
    "gennemført": "completed",
    "gennemfoert": "completed",
    "utilgængelig": "unavailable",
    "ikke_tilgængelig": "unavailable",
    "prioritet": "priority",
    "deltagere": "participants",
    "antal_deltagere": "participants",
    "venter_siden": "waiting_since",
    "tilgængelig_fra": "available_from",
    "tilmeldt": "signed_up",
    "kontaktperson": "contact_name",
    "kontakt": "contact_name",
    "e_mail": "email",
    "mail": "email",
}
VENUE_ALIASES: dict[str, str] = {
    "sted_id": "venue_id",
    "id": "venue_id",
    "navn": "name",
    "sted": "name",
    **_LOCATION_ALIASES,
    "overnatning": "residential",
    "internat": "residential",
    "max_hold": "max_cohorts",
    "maks_hold": "max_cohorts",
    "utilgængelig": "unavailable",
    "ikke_tilgængelig": "unavailable",
    "adresse": "address",
}
#: Sheet names of the workbook (normalised) -> the kind of table they hold.
SHEET_NAMES: dict[str, str] = {
    "companies": "companies",
    "virksomheder": "companies",
    "venues": "venues",
    "steder": "venues",
    "mødesteder": "venues",
}


def _only_in(own: tuple[str, ...], aliases: dict[str, str], other: tuple[str, ...]) -> set[str]:
    """Column names (the contract's and their aliases, normalised) that only `own`'s table
    has."""
    names = {c for c in own if c not in other}
    return names | {alias for alias, column in aliases.items() if column in names}


#: Names that tell a companies table from a venues table (both have name, town, ...).
COMPANY_ONLY = _only_in(COMPANY_COLUMNS, COMPANY_ALIASES, VENUE_COLUMNS)
VENUE_ONLY = _only_in(VENUE_COLUMNS, VENUE_ALIASES, COMPANY_COLUMNS)


def table_kind(columns: Iterable[str]) -> str | None:
    """``"companies"`` or ``"venues"`` for a table with these (normalised) column names,
    by the names only one of the two has; None when they do not tell."""
    names = set(columns)
    companies, venues = len(names & COMPANY_ONLY), len(names & VENUE_ONLY)
    if companies == venues:
        return None
    return "companies" if companies > venues else "venues"


def header_columns(data: bytes) -> list[str]:
    """The normalised column names of a CSV file's first line (UTF-8, UTF-16 with its BOM,
    else Windows-1252 as Danish Excel writes it; ``;``, ``,`` or tab between them)."""
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", "replace")
    else:
        try:
            text = head.decode("utf-8-sig")
        except UnicodeDecodeError as error:  # cut in a character, or not UTF-8 at all
            cut = head[: error.start].decode("utf-8-sig")
            text = cut if error.start > len(head) - 4 else head.decode("cp1252", "replace")
    first = text.splitlines()[0] if text.splitlines() else ""
    return [
        re.sub(r"[\s\-]+", "_", cell.strip().strip('"').strip().lower())
        for cell in re.split(r"[;,\t]", first)
    ]
