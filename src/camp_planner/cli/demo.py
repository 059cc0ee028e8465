"""`camp-planner demo [FOLDER]`: write the demo planning folder, check it, solve its roster and
plan its programme."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.text import Text

from camp_planner.cli._common import ExitCode, fail
from camp_planner.cli.check import run_check
from camp_planner.cli.programme import run_programme
from camp_planner.cli.roster import run_roster
from camp_planner.demo.generator import write_demo_folder


def run_demo(folder: Path, time_limit: float, out: Console, err: Console) -> ExitCode:
    """Write the demo folder, check it, solve its roster into ``FOLDER/out``, then plan its
    two-round programme (programme.json, programme.xlsx and rounds/ in ``FOLDER/out``).

    Returns:
        The roster's exit code; BAD_INPUT when the folder cannot be written or checked.
    """
    try:
        path = write_demo_folder(folder)
    except (FileExistsError, OSError) as exc:
        return fail(err, f"Cannot write the demo: {exc}")
    out.print(Text(f"Demo planning folder written to {path}", style="bold"))
    code = run_check(path, out, err)
    if code != ExitCode.OK:
        return code
    # run_check has printed the notes and the groups already.
    code = run_roster(path, None, time_limit, 0, 2, out, err, preamble=False)
    if code != ExitCode.OK:
        return code
    out.print(Text("The demo's programme (programme.toml: two rounds):", style="bold"))
    return run_programme(path, None, time_limit, 0, 2, out, err)
