"""The columns of a planning folder's tables: their names, the Danish (and other common)
names people give them, and the sheet names of a workbook (docs/planning-folder.md)."""

from __future__ import annotations

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
