"""What ``camp-planner programme`` writes: programme.json, programme.xlsx (the timeline) and
a roster folder per round (docs/programme.md)."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pandas as pd

from camp_planner.models import PlanningProblem, Roster
from camp_planner.outputs.atomic import atomic_path, atomic_write_text
from camp_planner.outputs.roster_files import write_outputs
from camp_planner.outputs.writers import format_sheet

PROGRAMME_JSON = "programme.json"
PROGRAMME_XLSX = "programme.xlsx"
ROUNDS_DIR = "rounds"


def round_folder_name(name: str) -> str:
    """A round's folder name: its name with anything but letters, digits, - and _ as _."""
    return re.sub(r"[^\w\-]+", "_", name).strip("_") or "round"


def timeline_table(document: dict[str, object], names: dict[str, str]) -> pd.DataFrame:
    """One row per company: its planned round per step, or why none, and the sentence."""
    rows = []
    companies = document["companies"]
    assert isinstance(companies, list)
    for entry in companies:
        steps = {s["step"]: s for s in entry["steps"]}
        unplaced = entry["unplaced"] or {}
        rows.append(
            {
                "company_id": entry["company_id"],
                "name": names.get(entry["company_id"], ""),
                "Module 1": steps["module1"]["round"] if "module1" in steps else "",
                "Module 1 at": steps["module1"]["venue_id"] if "module1" in steps else "",
                "Module 2": steps["module2"]["round"] if "module2" in steps else "",
                "Module 2 at": steps["module2"]["venue_id"] if "module2" in steps else "",
                "why none": unplaced.get("reason", ""),
                "message": entry["message"],
            }
        )
    return pd.DataFrame(rows)


def write_programme(
    document: dict[str, object],
    rounds: list[tuple[PlanningProblem, Roster]],
    names: dict[str, str],
    out: str | os.PathLike[str],
) -> list[Path]:
    """Write programme.json, programme.xlsx and rounds/<round>/ (each round's roster files).

    Returns:
        The files and folders written.
    """
    folder = Path(out)
    written = [
        atomic_write_text(
            folder / PROGRAMME_JSON, json.dumps(document, indent=2, ensure_ascii=False) + "\n"
        )
    ]
    summary = document["summary"]
    assert isinstance(summary, dict)
    per_round = pd.DataFrame(summary["per_round"])
    from camp_planner.outputs.excel_safe import protect_text_cells, xlsx_frame

    sheets = {"timeline": timeline_table(document, names), "rounds": per_round}
    with atomic_path(folder / PROGRAMME_XLSX) as tmp, pd.ExcelWriter(tmp, engine="openpyxl") as xl:
        for name, frame in sheets.items():
            xlsx_frame(frame).to_excel(xl, sheet_name=name, index=False)
            sheet = xl.sheets[name]
            protect_text_cells(sheet)
            format_sheet(sheet)
            sheet.freeze_panes = "C2" if name == "timeline" else "B2"
    written.append(folder / PROGRAMME_XLSX)
    for problem, roster in rounds:
        target = folder / ROUNDS_DIR / round_folder_name(roster.round)
        write_outputs(problem, roster, target)
        written.append(target)
    return written
