"""Programme files: programme.toml in; programme.json, programme.xlsx and a roster folder
per round out (``camp-planner programme``).

programme.toml lists the rounds of the horizon in order as ``[[round]]`` tables; a round's
keys override round.toml's, which supplies everything a round leaves out.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from dataclasses import replace
from pathlib import Path

import pandas as pd

from camp_planner.i18n import N_, Message
from camp_planner.io.atomic import atomic_path, atomic_write_text
from camp_planner.io.errors import Collector, InputError
from camp_planner.io.outputs import write_outputs
from camp_planner.io.round_file import ROUND_TOML, _syntax_problem, line_finder, round_from_data
from camp_planner.io.writers import format_sheet
from camp_planner.models import PlanningProblem, Roster, RoundConfig

PROGRAMME_TOML = "programme.toml"
PROGRAMME_JSON = "programme.json"
PROGRAMME_XLSX = "programme.xlsx"
ROUNDS_DIR = "rounds"


def read_programme_rounds(folder: Path) -> list[RoundConfig]:
    """The rounds of FOLDER/programme.toml, each completed from FOLDER/round.toml.

    Raises:
        InputError: Every problem of the file (missing, not TOML, a bad key in a round,
            rounds that overlap or are out of order).
    """
    out = Collector()
    path = folder / PROGRAMME_TOML
    if not path.is_file():
        out.problem(PROGRAMME_TOML, None, None, None, N_("a programme.toml with [[round]] tables"))
        raise InputError(out.problems)
    base_text = (folder / ROUND_TOML).read_bytes().decode("utf-8-sig", errors="replace")
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    try:
        base = tomllib.loads(base_text)
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        out.problems.append(replace(_syntax_problem(text, exc), file=PROGRAMME_TOML))
        raise InputError(out.problems) from None
    entries = data.get("round")
    if (
        not isinstance(entries, list)
        or not entries
        or not all(isinstance(e, dict) for e in entries)
    ):
        expected = N_("one [[round]] table per round, in order")
        out.problem(PROGRAMME_TOML, None, "round", None, expected)
        raise InputError(out.problems)
    lines = text.splitlines()
    headers = [i for i, line in enumerate(lines) if re.match(r"\s*\[\[round\]\]", line)]
    rounds: list[RoundConfig] = []
    for k, entry in enumerate(entries):
        first = headers[k] if k < len(headers) else 0
        finder = line_finder("\n".join(lines[first:]))
        merged = {**base, **entry}
        config = round_from_data(
            merged,
            out,
            f"{PROGRAMME_TOML} round {k + 1}",
            lambda key, first=first, finder=finder: (  # type: ignore[misc]
                None if finder(key) is None else finder(key) + first  # type: ignore[operator]
            ),
        )
        if config is not None:
            rounds.append(config)
    names = [str({**base, **entry}.get("name", "")).strip() for entry in entries]
    if len(set(names)) != len(names):
        out.problem(PROGRAMME_TOML, None, "name", None, N_("a different name for every round"))
    for before, after in zip(rounds, rounds[1:], strict=False):
        if after.start <= before.end:
            out.problem(
                PROGRAMME_TOML,
                None,
                "start",
                str(after.start),
                Message(
                    N_("round %(round)s to start after round %(before)s ends (%(end)s)"),
                    round=after.name,
                    before=before.name,
                    end=before.end,
                ),
            )
    if out.problems:
        raise InputError(out.problems)
    return rounds


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
    from camp_planner.io.excel_safe import protect_text_cells, xlsx_frame

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
