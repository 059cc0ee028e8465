"""`camp-planner map FOLDER`: draw a roster's travel map from the folder's locations."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.text import Text

from camp_planner.cli._common import ExitCode, fail, load_planning_folder


def run_map(
    folder: Path,
    roster_path: Path | None,
    out_file: Path | None,
    anonymize: bool,
    assets: Path | None,
    out: Console,
    err: Console,
) -> ExitCode:
    """Draw a roster's travel map.

    Args:
        folder: The planning folder.
        roster_path: roster.json; None for ``FOLDER/out/roster.json``.
        out_file: The HTML file; None for ``FOLDER/out/map.html``.
        anonymize: Show no company name or id.
        assets: Other copies of Leaflet & co. to inline; None for the packaged ones.
        out: Where the result goes.
        err: Where problems go.

    Returns:
        OK when written; BAD_INPUT when the folder, the roster or the assets cannot be used.
    """
    from camp_planner.io.roster_file import RosterFileError, read_roster
    from camp_planner.outputs.maps import write_map
    from camp_planner.outputs.roster_files import MAP_HTML, ROSTER_JSON

    folder = Path(folder)
    loaded = load_planning_folder(folder, err)
    if loaded is None:
        return ExitCode.BAD_INPUT
    problem, _ = loaded
    roster_path = Path(roster_path) if roster_path is not None else folder / "out" / ROSTER_JSON
    target = Path(out_file) if out_file is not None else folder / "out" / MAP_HTML
    if not roster_path.is_file():
        return fail(
            err,
            f"No roster at {roster_path}. Run `camp-planner roster {folder}` first, "
            "or give one with --roster.",
        )
    try:
        roster = read_roster(roster_path)
    except RosterFileError as exc:
        return fail(err, str(exc))
    known = {c.company_id for c in problem.companies}
    listed = {m for c in roster.cohorts for m in c.members}
    listed |= {u.company_id for u in roster.unplaced}
    foreign = listed - known
    if foreign:
        one = len(foreign) == 1
        out.print(
            Text(
                f"note: {len(foreign)} compan{'y' if one else 'ies'} of the roster "
                f"{'is' if one else 'are'} not in {folder} and not drawn.",
                style="yellow",
            )
        )
    if roster.round != problem.round.name:
        out.print(
            Text(
                f"note: the roster is of round {roster.round!r}, the folder of "
                f"{problem.round.name!r}.",
                style="yellow",
            )
        )
    try:
        path = write_map(problem, roster, target, anonymize=anonymize, assets_dir=assets)
    except OSError as exc:
        return fail(err, f"Cannot write the map: {exc}")
    shown = "anonymised " if anonymize else ""
    out.print(Text(f"Wrote the {shown}travel map to {path}", style="bold"))
    return ExitCode.OK
