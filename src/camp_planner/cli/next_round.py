"""`camp-planner next-round FOLDER --roster ROSTER --round ROUND_TOML --out NEW_FOLDER
[--absent absent.csv]`: the next round's planning folder from the last roster."""

from __future__ import annotations

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
from camp_planner.cli.replan import adopt_or_refuse
from camp_planner.io.absent_file import read_absent
from camp_planner.io.errors import Collector, InputError
from camp_planner.io.roster_file import RosterFileError, read_roster
from camp_planner.io.round_file import read_round
from camp_planner.outputs.next_round import write_next_round
from camp_planner.programme.carry import carry_counts, carry_over, roster_mismatch
from camp_planner.replan.inputs import published_names
from camp_planner.replan.published import likely_renames


def run_next_round(
    folder: Path,
    roster_path: Path,
    round_toml: Path,
    out_dir: Path,
    absent_csv: Path | None,
    out: Console,
    err: Console,
    adopt: bool = False,
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
    taken = adopt_or_refuse(roster, Path(roster_path), adopt, out, err)
    if taken is None:
        return ExitCode.BAD_INPUT
    roster = taken
    mismatch = roster_mismatch(problem, roster)
    if mismatch:
        renames = likely_renames(problem, roster, published_names(Path(roster_path)))
        also = "".join(f"; {r.sentence()}" for r in renames)
        return fail(err, f"{roster_path} does not belong to {folder}: {mismatch}{also}.")
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
    counts = carry_counts(problem, carry, absent)
    out.print(
        Text(
            f"Next round {new_round.name} ({new_round.start} to {new_round.end}) written to "
            f"{out_dir}: {counts.trained} companies have a step more done "
            f"({counts.wait_for_module2} of them wait for Module 2 from {problem.round.end}); "
            f"{counts.waiting} still wait for their step ({counts.kept} since earlier, "
            f"{counts.from_start} from {problem.round.start}, {counts.from_signed_up} from "
            f"their sign-up, {counts.from_available} from their available_from); "
            f"{counts.absent} absent.",
            style="bold",
        )
    )
    for path in written:
        out.print(Text(f"  {path}"))
    return ExitCode.OK
