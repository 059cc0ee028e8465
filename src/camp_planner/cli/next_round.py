"""`camp-planner next-round FOLDER --roster ROSTER --round ROUND_TOML --out NEW_FOLDER
[--absent absent.csv]`: the next round's planning folder from the last roster."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.text import Text

from camp_planner.cli._common import (
    ExitCode,
    fail,
    load_planning_folder,
    print_notes,
    print_problems,
)
from camp_planner.io.errors import Collector, InputError
from camp_planner.io.roster_file import RosterFileError, read_roster
from camp_planner.io.round_file import read_round
from camp_planner.outputs.next_round import read_absent, write_next_round
from camp_planner.programme.carry import carry_over, roster_mismatch


def run_next_round(
    folder: Path,
    roster_path: Path,
    round_toml: Path,
    out_dir: Path,
    absent_csv: Path | None,
    out: Console,
    err: Console,
) -> ExitCode:
    """Write the next round's folder: `completed` updated for everybody placed (but the
    absent), `waiting_since` kept or set for everybody still waiting, the new round.toml.

    Returns:
        OK; BAD_INPUT when the folder, the roster, the new round.toml or absent.csv cannot
        be used, or the roster is not of this folder (nothing is written then).
    """
    folder, out_dir = Path(folder), Path(out_dir)
    if out_dir.resolve() == folder.resolve():
        return fail(err, "--out must be a new folder, not the round's own planning folder.")
    loaded = load_planning_folder(folder, err)
    if loaded is None:
        return ExitCode.BAD_INPUT
    problem, notes = loaded
    print_notes(notes, out)
    try:
        roster = read_roster(roster_path)
    except RosterFileError as exc:
        return fail(err, str(exc))
    mismatch = roster_mismatch(problem, roster)
    if mismatch:
        return fail(err, f"{roster_path} does not belong to {folder}: {mismatch}.")
    checked = Collector()
    new_round = read_round(Path(round_toml), checked)
    if new_round is None:
        print_problems(str(round_toml), checked.problems, err)
        return ExitCode.BAD_INPUT
    if new_round.start <= problem.round.end:
        return fail(
            err,
            f"The new round starts {new_round.start}, before the old one ends "
            f"({problem.round.end}); give the next round's round.toml.",
        )
    absent: frozenset[str] = frozenset()
    if absent_csv is not None:
        try:
            absent = read_absent(Path(absent_csv))
        except InputError as exc:
            print_problems(str(absent_csv), exc.problems, err)
            return ExitCode.BAD_INPUT
        placed = {m for c in roster.cohorts for m in c.members}
        stray = sorted(absent - placed)
        if stray:
            out.print(
                Text(
                    f"note: {len(stray)} id(s) of {absent_csv} were not placed in the roster "
                    f"and are ignored (e.g. {stray[0]})",
                    style="yellow",
                )
            )
    carry = carry_over(problem, roster, absent)
    try:
        written = write_next_round(folder, carry, Path(round_toml), out_dir)
    except InputError as exc:
        print_problems(str(folder), exc.problems, err)
        return ExitCode.BAD_INPUT
    except OSError as exc:
        return fail(err, f"Cannot write {out_dir}: {exc}")
    before = {c.company_id: c for c in problem.companies}
    trained = sum(carry[i].completed != before[i].completed for i in carry)
    waiting = Counter(
        "new" if before[i].waiting_since is None else "kept"
        for i, change in carry.items()
        if change.waiting_since is not None
    )
    out.print(
        Text(
            f"Next round {new_round.name} ({new_round.start} to {new_round.end}) written to "
            f"{out_dir}: {trained} companies have a step more done; "
            f"{waiting['new'] + waiting['kept']} wait ({waiting['new']} from "
            f"{problem.round.start}, {waiting['kept']} waiting since earlier); "
            f"{len(absent & set(carry))} absent.",
            style="bold",
        )
    )
    for path in written:
        out.print(Text(f"  {path}"))
    return ExitCode.OK
