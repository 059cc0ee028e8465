"""10,000 companies through the whole `roster` command (issue 19, item 4).

Writes the benchmark round of ``instances.py`` (tight, one facilitator) as an input folder
(companies.csv, venues.csv, round.toml), runs ``camp-planner roster FOLDER --time-limit 60``
as a subprocess and measures its wall time, then checks that the outputs open: roster.xlsx
in openpyxl (every sheet read to the end) and map.html in headless Chromium (Leaflet ran,
the markers are drawn).

    .venv/bin/python benchmarks/large_run.py [--size 10000] [--time-limit 60] [--work DIR]
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from openpyxl import load_workbook

from camp_planner.models import PlanningProblem
from instances import make_instance

HERE = Path(__file__).resolve().parent


def write_folder(problem: PlanningProblem, folder: Path) -> Path:
    """The problem as an input folder of the contract's formats."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "companies.csv").open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(
            ["company_id", "name", "lat", "lon", "young", "level", "completed",
             "unavailable", "priority", "participants"]
        )  # fmt: skip
        for c in problem.companies:
            young = c.is_young(problem.round.start)
            out.writerow(
                [c.company_id, c.name, c.lat, c.lon, str(young).lower(), c.level.value,
                 ";".join(sorted(s.value for s in c.completed)),
                 ";".join(sorted(d.isoformat() for d in c.unavailable)),
                 c.priority, c.participants]
            )  # fmt: skip
    with (folder / "venues.csv").open("w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["venue_id", "name", "lat", "lon", "residential", "max_cohorts", "status"])
        for v in problem.venues:
            out.writerow(
                [v.venue_id, v.name, v.lat, v.lon, str(v.residential).lower(),
                 "" if v.max_cohorts is None else v.max_cohorts, v.status.value]
            )  # fmt: skip
    r = problem.round
    (folder / "round.toml").write_text(
        f'name = "{r.name}"\nstart = {r.start}\nend = {r.end}\ncohort_min = {r.cohort_min}\n'
        f"cohort_max = {r.cohort_max}\nmax_venues = {r.max_venues}\n"
        f"facilitators = {r.facilitators}\n",
        encoding="utf-8",
    )
    return folder


def open_workbook(path: Path) -> dict[str, int]:
    """Rows per sheet of the workbook, read to the end."""
    book = load_workbook(path, read_only=True)
    rows = {sheet.title: sum(1 for _ in sheet.iter_rows(values_only=True)) for sheet in book}
    book.close()
    return rows


def open_map(path: Path, profile: Path, shot: Path | None = None) -> dict[str, object]:
    """Load the map in headless Chromium; whether Leaflet drew it, and a screenshot."""
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    base = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            f"--user-data-dir={profile}", "--virtual-time-budget=20000",
            "--proxy-server=http://127.0.0.1:9", "--window-size=1366,900"]  # fmt: skip
    start = time.perf_counter()
    dom = subprocess.run(
        [*base, "--dump-dom", path.as_uri()], capture_output=True, text=True, timeout=600
    ).stdout
    seconds = time.perf_counter() - start
    if shot is not None:
        subprocess.run([*base, f"--screenshot={shot}", path.as_uri()], capture_output=True,
                       timeout=600)  # fmt: skip
    return {
        "drawn": bool(re.search(r'class="[^"]*\bleaflet-container\b', dom)),
        "clusters": dom.count('class="leaflet-marker-icon camp-cluster'),
        "venues": dom.count('class="leaflet-marker-icon camp-venue'),
        "dump_dom_s": round(seconds, 1),
    }


def open_in_libreoffice(path: Path, work: Path) -> dict[str, object]:
    """Convert the workbook's first sheet to CSV with LibreOffice (headless): it opens."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return {"opened": None}
    start = time.perf_counter()
    run = subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation={(work / 'lo').as_uri()}",
         "--convert-to", "csv", "--outdir", str(work / "lo-out"), str(path)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    csv_file = work / "lo-out" / (path.stem + ".csv")
    lines = csv_file.read_bytes().count(b"\n") if csv_file.exists() else 0
    return {
        "opened": run.returncode == 0 and lines > 0,
        "first_sheet_lines": lines,
        "seconds": round(time.perf_counter() - start, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--work", type=Path, default=Path("/tmp/camp-large"))
    args = parser.parse_args()
    folder = write_folder(make_instance(args.size, "tight"), args.work / "input")
    out = args.work / "out"
    command = [str(Path(sys.executable).with_name("camp-planner")), "roster", str(folder),
               "--time-limit", str(args.time_limit), "--out", str(out)]  # fmt: skip
    start = time.perf_counter()
    run = subprocess.run(command, capture_output=True, text=True)
    wall = time.perf_counter() - start
    roster = json.loads((out / "roster.json").read_text(encoding="utf-8"))
    result = {
        "size": args.size,
        "time_limit_s": args.time_limit,
        "wall_s": round(wall, 1),
        "exit": run.returncode,
        "status": roster["solver"]["status"],
        "placed": roster["summary"]["placed"],
        "solver_wall_s": roster["solver"]["wall_time_s"],
        "map_mb": round((out / "map.html").stat().st_size / 1e6, 1),
        "workbook_mb": round((out / "roster.xlsx").stat().st_size / 1e6, 1),
        "workbook_rows": open_workbook(out / "roster.xlsx"),
        "libreoffice": open_in_libreoffice(out / "roster.xlsx", args.work),
        "map": open_map(out / "map.html", args.work / "profile", args.work / "map.png"),
    }
    print(json.dumps(result, indent=2))
    return 0 if run.returncode == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
