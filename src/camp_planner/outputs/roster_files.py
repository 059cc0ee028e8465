"""The roster's output folder: every file ``roster`` writes (read back with
:func:`camp_planner.io.roster_file.read_roster`).

- ``roster.json`` (:func:`camp_planner.outputs.writers.write_roster_json`)
- ``roster.xlsx`` and ``participants.csv`` (:mod:`camp_planner.outputs.writers`)
- ``invitations/`` (:mod:`camp_planner.outputs.ics`)
- ``map.html`` (:mod:`camp_planner.outputs.maps`)

Each file is written atomically.
"""

from __future__ import annotations

import os
from pathlib import Path

from camp_planner.models import PlanningProblem, Roster

ROSTER_JSON = "roster.json"
ROSTER_XLSX = "roster.xlsx"
PARTICIPANTS_CSV = "participants.csv"
INVITATIONS = "invitations"
MAP_HTML = "map.html"


def _remove_stale_invitations(folder: Path, written: list[Path]) -> None:
    """Delete cohort invitations of an earlier run that are not in this roster."""
    keep = {p.resolve() for p in written}
    for file in (folder / INVITATIONS).glob("*.ics"):
        if file.resolve() not in keep:
            file.unlink(missing_ok=True)


def write_outputs(
    problem: PlanningProblem, roster: Roster, out: str | os.PathLike[str]
) -> dict[str, Path]:
    """Write roster.json, roster.xlsx, participants.csv, invitations/*.ics and map.html.

    Args:
        problem: The round's input.
        roster: Its roster.
        out: The output folder (created if needed).

    Returns:
        What was written, by kind: ``roster``, ``workbook``, ``participants``,
        ``invitations`` (the folder) and ``map``.
    """
    from camp_planner.outputs.ics import write_invitations
    from camp_planner.outputs.maps import write_map
    from camp_planner.outputs.writers import (
        write_participants_csv,
        write_roster_json,
        write_roster_xlsx,
    )

    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    files = {"roster": write_roster_json(roster, folder / ROSTER_JSON)}
    files["workbook"] = write_roster_xlsx(problem, roster, folder / ROSTER_XLSX)
    files["participants"] = write_participants_csv(problem, roster, folder / PARTICIPANTS_CSV)
    invitations = write_invitations(problem, roster, folder)
    _remove_stale_invitations(folder, invitations)
    files["invitations"] = folder / INVITATIONS
    files["map"] = write_map(problem, roster, folder / MAP_HTML)
    return files
