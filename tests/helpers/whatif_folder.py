"""A small planning folder for the what-if tests: quick to solve to proven optimality.

Six clusters of eight established C companies (Module 1), each around one of the venues
herning, holstebro, skive, viborg, silkeborg and aarhus, plus three young B companies that
cannot fill a cohort (``segment_too_small``). Venue ``randers`` is a seventh candidate.
round.toml allows 6 venues, so ``6 venues`` is the plain folder and ``5 venues`` must send
one cluster farther.
"""

from __future__ import annotations

from pathlib import Path

VENUES = {
    "herning": ("Herning", 56.13615, 8.97662),
    "holstebro": ("Holstebro", 56.36009, 8.61607),
    "skive": ("Skive", 56.56699, 9.02707),
    "viborg": ("Viborg", 56.45319, 9.40201),
    "silkeborg": ("Silkeborg", 56.16970, 9.54508),
    "aarhus": ("Aarhus", 56.15674, 10.21076),
    "randers": ("Randers", 56.46070, 10.03639),
}
CLUSTERS = ["herning", "holstebro", "skive", "viborg", "silkeborg", "aarhus"]

ROUND_TOML = """\
name = "2027-Q1"
start = 2027-01-04
end = 2027-03-26
cohort_min = 8
cohort_max = 10
max_venues = 6
facilitators = 1
facilitator_unavailable = []
lab_gap_days = [14, 42]
road_factor = 1.3
max_travel_km = 0
"""


def write_small_folder(folder: Path, round_toml: str = ROUND_TOML) -> Path:
    """Write companies.csv, venues.csv and round.toml to `folder` and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    venue_lines = ["venue_id,name,lat,lon,residential,status"]
    for venue_id, (name, lat, lon) in VENUES.items():
        venue_lines.append(f"{venue_id},{name},{lat},{lon},true,candidate")
    company_lines = ["company_id,name,lat,lon,founded,level"]
    number = 10000000
    for venue_id in CLUSTERS:
        _, lat, lon = VENUES[venue_id]
        for k in range(8):
            number += 1
            dlat, dlon = 0.01 * (k % 3 - 1), 0.015 * (k // 3 - 1)
            company_lines.append(
                f"{number},{venue_id.title()} Firma {k + 1} ApS,{lat + dlat:.5f},"
                f"{lon + dlon:.5f},2010-01-01,C"
            )
    for k in range(3):
        number += 1
        company_lines.append(f"{number},Ung Virksomhed {k + 1} ApS,56.2,9.6,2026-01-01,B")
    (folder / "venues.csv").write_text("\n".join(venue_lines) + "\n", encoding="utf-8")
    (folder / "companies.csv").write_text("\n".join(company_lines) + "\n", encoding="utf-8")
    (folder / "round.toml").write_text(round_toml, encoding="utf-8")
    return folder
