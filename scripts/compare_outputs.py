"""Snapshot the roster outputs of fixed instances, and compare two snapshots.

A refactoring that only moves code must leave every output as it was. This script solves
the demo round and benchmark instances in deterministic mode (the same roster on any machine
and at any load), writes every roster output (roster.json, roster.xlsx, participants.csv,
invitations, map.html) and a normalised copy of each file in which only what changes from
run to run is masked: the wall times in roster.json, the DTSTAMP of the invitations (the
moment they were written), folium's random element ids in map.html, and the zip container of
roster.xlsx (compared cell by cell: value, number format and font).

    .venv/bin/python scripts/compare_outputs.py snapshot /tmp/before
    ... change the code ...
    .venv/bin/python scripts/compare_outputs.py snapshot /tmp/after
    .venv/bin/python scripts/compare_outputs.py compare /tmp/before /tmp/after

``compare`` exits 1 and names every file that differs.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: (name, size, variant) of the benchmark instances snapshotted beside the demo.
BENCH = (("bench-60-tight", 60, "tight"), ("bench-150-loose", 150, "loose"))
TIME_LIMIT = 20.0


def _demo_folder(target: Path) -> Path:
    """The demo planning folder, copied from the package (wherever the package keeps it)."""
    import camp_planner

    package = Path(camp_planner.__file__).parent
    for candidate in (package / "demo" / "data", package / "demo_data"):
        if (candidate / "companies.csv").is_file():
            shutil.copytree(candidate, target, dirs_exist_ok=True)
            return target
    raise SystemExit("the demo data was not found in the package")


def _normalise(path: Path) -> str:
    """The file's text with the run-dependent parts masked."""
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path)
        lines = []
        for sheet in book.worksheets:
            lines.append(f"## {sheet.title}")
            for row in sheet.iter_rows():
                timed = any(isinstance(c.value, str) and "wall time" in c.value for c in row)
                for cell in row:
                    if cell.value is not None and not (timed and isinstance(cell.value, float)):
                        font = (cell.font.bold, cell.font.italic)
                        lines.append(
                            f"{cell.coordinate}\t{cell.value!r}\t{cell.number_format}\t{font}"
                        )
        return "\n".join(lines)
    text = path.read_text(encoding="utf-8-sig")
    if path.name.endswith(".json"):
        return re.sub(r'"(wall_time_s|solver_time_s|elapsed_s)": [0-9.e+-]+', r'"\1": 0', text)
    if path.suffix == ".ics":
        return re.sub(r"DTSTAMP:[0-9TZ]+", "DTSTAMP:0", text)
    if path.suffix == ".html":
        return re.sub(r"[0-9a-f]{32}", "ID", text)
    return text


def snapshot(target: Path) -> None:
    """Solve every instance and write its outputs and their normalised text under target."""
    from benchmarks.instances import make_instance

    from camp_planner import load_folder, solve, write_outputs

    target.mkdir(parents=True, exist_ok=True)
    problems = {"demo": load_folder(_demo_folder(target / "demo-input"))}
    for name, size, variant in BENCH:
        problems[name] = make_instance(size, variant)
    for name, problem in problems.items():
        roster = solve(problem, time_limit=TIME_LIMIT, deterministic=True)
        out = target / name
        write_outputs(problem, roster, out)
        norm = target / "normalised" / name
        for path in sorted(out.rglob("*")):
            if path.is_file():
                dest = norm / path.relative_to(out)
                dest.parent.mkdir(parents=True, exist_ok=True)
                dest.write_text(_normalise(path), encoding="utf-8")
        print(f"{name}: {roster.summary.placed} placed, {roster.solver.status}")


def compare(before: Path, after: Path) -> int:
    """0 when every normalised file is the same in both snapshots, else 1 (names printed)."""
    a, b = before / "normalised", after / "normalised"
    names = {p.relative_to(a) for p in a.rglob("*") if p.is_file()}
    names |= {p.relative_to(b) for p in b.rglob("*") if p.is_file()}
    differ = [
        str(n)
        for n in sorted(names)
        if not (a / n).is_file()
        or not (b / n).is_file()
        or (a / n).read_bytes() != (b / n).read_bytes()
    ]
    for name in differ:
        print(f"differs: {name}")
    print(json.dumps({"files": len(names), "differ": len(differ)}))
    return 1 if differ else 0


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "snapshot":
        snapshot(Path(argv[1]))
        return 0
    if len(argv) == 3 and argv[0] == "compare":
        return compare(Path(argv[1]), Path(argv[2]))
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
