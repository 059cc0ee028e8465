"""`camp-planner replan FOLDER --published ROSTER [--as-of DATE] [--pins pins.csv]
[--out DIR]`: replan a published roster with the fewest changes; write the roster's files,
changes.csv, the updated invitations and the cancellations."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from camp_planner.cli._common import (
    ExitCode,
    fail,
    load_planning_folder,
    print_notes,
    print_problems,
    refused,
    solver_args_problem,
)
from camp_planner.io.errors import InputError
from camp_planner.io.roster_file import RosterFileError
from camp_planner.io.tables import AmbiguousDateError, parse_date
from camp_planner.models import PlanningProblem, Roster
from camp_planner.outputs.replan_files import retired_ids, write_replan_outputs
from camp_planner.outputs.writers import write_roster_json
from camp_planner.replan import ChangeCost, Pin, ReplanInfeasible, ReplanResult, replan
from camp_planner.replan.inputs import (
    published_names,
    read_change_cost,
    read_pins,
    read_published,
)
from camp_planner.replan.notice import as_of_problem, changes_from
from camp_planner.replan.published import adopted, likely_renames, not_published
from camp_planner.replan.run import proof_sentence
from camp_planner.replan.setup import is_history

T = TypeVar("T")
_UNKNOWN_KEYS = re.compile(r"^(?P<file>.*): key\(s\) (?P<keys>.*) not used \(ignored\)$")


@dataclass
class Loaded:
    """What both `replan` and `fit` read before solving."""

    problem: PlanningProblem
    published: Roster
    record: dict[str, Any]
    as_of: date
    costs: ChangeCost
    pins: list[Pin]
    #: names of the published roster's companies (participants.csv beside it)
    names: dict[str, str]


def without_change_cost_note(notes: list[str]) -> list[str]:
    """The folder's notes without "change_cost not used": replan and fit use it."""
    kept = []
    for note in notes:
        match = _UNKNOWN_KEYS.match(note)
        if match:
            keys = [k for k in match["keys"].split(", ") if k != "change_cost"]
            if not keys:
                continue
            note = f"{match['file']}: key(s) {', '.join(keys)} not used (ignored)"
        kept.append(note)
    return kept


def parse_as_of(text: str | None) -> date | str:
    """The --as-of day (today when not given), or a sentence saying why it is no date."""
    if text is None:
        return date.today()
    try:
        day = parse_date(text)
    except AmbiguousDateError as exc:
        return f"--as-of {text!r}: {exc}"
    return day if day is not None else f"--as-of {text!r} is not a date (e.g. 2027-02-01)"


def adopt_or_refuse(
    roster: Roster, path: Path, adopt: bool, out: Console, err: Console
) -> Roster | None:
    """The roster to take as published: as it is when it is a roster or a replan; a
    what-if or programme roster only with `adopt`, then recorded as published in its file
    (kind ``roster``, ``adopted_from``). None (and the sentence printed) when refused."""
    why = not_published(roster, path)
    if why is None:
        return roster
    if not adopt:
        fail(err, why)
        return None
    taken = adopted(roster, date.today())
    try:
        write_roster_json(taken, path)
    except OSError as exc:
        fail(err, f"Cannot record {path} as the published roster: {exc}")
        return None
    out.print(Text(f"{path} ({roster.kind.value}) is adopted: recorded as the published roster"))
    return taken


def load_replan_inputs(
    folder: Path,
    published_path: Path,
    as_of_text: str | None,
    pins_path: Path | None,
    out: Console,
    err: Console,
    adopt: bool = False,
) -> Loaded | ExitCode:
    """Read the folder, the published roster, --as-of, [change_cost] and pins.csv; print
    why not (exit code BAD_INPUT) when one of them cannot be used: also a what-if or
    programme roster unless `adopt` (then it is recorded as published), and ids changed
    against the published roster (likely renames)."""
    from camp_planner.scheduler.preflight import preflight

    loaded = load_planning_folder(Path(folder), err)
    if loaded is None:
        return ExitCode.BAD_INPUT
    problem, notes = loaded
    print_notes(without_change_cost_note(notes), out)
    as_of = parse_as_of(as_of_text)
    if isinstance(as_of, str):
        return fail(err, as_of)
    if (why := as_of_problem(as_of, problem.round)) is not None:
        return fail(err, why)
    kept_before = changes_from(as_of, problem.round)
    try:
        published, record = read_published(Path(published_path))
    except RosterFileError as exc:
        return fail(err, str(exc))
    adopted_roster = adopt_or_refuse(published, Path(published_path), adopt, out, err)
    if adopted_roster is None:
        return ExitCode.BAD_INPUT
    published = adopted_roster
    if published.round != problem.round.name:
        return fail(
            err,
            f"{published_path} is the roster of round {published.round!r}, but {folder} plans "
            f"round {problem.round.name!r}: replan the round's own published roster.",
        )
    venues = {v.venue_id for v in problem.venues}
    for cohort in published.cohorts:
        if is_history(cohort, kept_before) and not cohort.online and cohort.venue_id not in venues:
            return fail(
                err,
                f"Cohort {cohort.cohort_id} has met at venue {cohort.venue_id}, which is no "
                f"longer in {folder}'s venues: put it back (status closed keeps it unused).",
            )
    try:
        costs = read_change_cost(Path(folder))
        pins, pin_notes = read_pins(Path(pins_path), published) if pins_path else ([], [])
    except InputError as exc:
        print_problems(str(pins_path or folder), exc.problems, err)
        return ExitCode.BAD_INPUT
    met = {c.cohort_id for c in published.cohorts if is_history(c, kept_before)}
    pin_notes += [
        f"pin {p.cohort_id} {p.field.value}: it has met or meets within the notice period, "
        "so it is kept anyway"
        for p in pins
        if p.cohort_id in met
    ]
    print_notes(pin_notes, out)
    if refused(preflight(problem), err, "Nothing was replanned."):
        return ExitCode.BAD_INPUT
    names = published_names(Path(published_path))
    renames = likely_renames(problem, published, names)
    if renames:
        for rename in renames:
            err.print(Text(f"{folder}: {rename.sentence()}", style="red"))
        return fail(err, "The company ids changed against the published roster; nothing done.")
    return Loaded(problem, published, record, as_of, costs, pins, names)


def with_progress(out: Console, work: Callable[[Callable[[str], None]], T]) -> T:
    """Run `work` with a live status line it can update."""
    columns = (
        SpinnerColumn(),
        TextColumn("[bold]Replanning[/] {task.description}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=out, transient=True) as progress:
        task = progress.add_task("building the model", total=None)
        return work(lambda message: progress.update(task, description=escape(message)))


def changes_table(result: ReplanResult, names: dict[str, str], most: int = 40) -> Table:
    """The change rows (the first `most`), for the terminal."""
    table = Table(title=f"Changes ({len(result.rows)} companies)")
    for column in ("company", "name", "change", "old cohort", "new cohort", "new venue"):
        table.add_column(column, overflow="fold")
    for row in result.rows[:most]:
        cells = (
            row.company_id,
            row.name or names.get(row.company_id, ""),
            row.change.value,
            row.old_cohort_id,
            row.new_cohort_id,
            row.new_venue_id,
        )
        table.add_row(*(Text(v) for v in cells))
    if len(result.rows) > most:
        table.caption = f"... and {len(result.rows) - most} more in changes.csv"
    return table


def run_replan(
    folder: Path,
    published_path: Path,
    as_of_text: str | None,
    pins_path: Path | None,
    out_dir: Path | None,
    time_limit: float,
    seed: int,
    workers: int,
    out: Console,
    err: Console,
    adopt: bool = False,
) -> ExitCode:
    """Replan, write the files and print what changed (`adopt`: take a what-if or programme
    roster as the published one).

    Returns:
        OK when the replanned roster was written; NO_ROSTER when no roster meets the
        rules, the cohorts that have met and the pins (nothing is written); BAD_INPUT when
        an input cannot be used.
    """
    bad_args = solver_args_problem(time_limit, workers)
    if bad_args:
        return fail(err, bad_args)
    inputs = load_replan_inputs(folder, published_path, as_of_text, pins_path, out, err, adopt)
    if isinstance(inputs, ExitCode):
        return inputs
    target = Path(out_dir) if out_dir is not None else Path(folder) / "replan"
    out.print(
        Text(f"Replanning {published_path} as of {inputs.as_of} (time limit {time_limit:g} s) ...")
    )
    try:
        result = with_progress(
            out,
            lambda report: replan(
                inputs.problem,
                inputs.published,
                inputs.as_of,
                pins=inputs.pins,
                costs=inputs.costs,
                retired=retired_ids(inputs.record),
                time_limit=time_limit,
                seed=seed,
                workers=workers,
                progress=report,
            ),
        )
    except ReplanInfeasible as exc:
        return fail(err, f"No replanned roster: {exc}. Nothing was written.", ExitCode.NO_ROSTER)
    except Exception as exc:  # noqa: BLE001 - a command never shows a traceback
        return fail(
            err,
            f"The replan stopped with an internal error ({type(exc).__name__}: "
            f"{exc}); nothing was written. Please report this.",
            ExitCode.NO_ROSTER,
        )
    try:
        files = write_replan_outputs(inputs.problem, result, inputs.record, target, inputs.names)
    except OSError as exc:
        return fail(err, f"Cannot write the outputs to {target}: {exc}")
    if result.rows:
        out.print(changes_table(result, inputs.names))
    counts = Counter(r.change.value for r in result.rows)
    out.print(
        Text("changes: " + (", ".join(f"{k} {n}" for k, n in sorted(counts.items())) or "none"))
    )
    for flag in result.flags:
        out.print(Text(f"flag: {flag}", style="yellow"))
    for note in result.notes:
        out.print(Text(f"note: {note}"))
    out.print(Text(result.summary, style="bold"))
    out.print(Text(proof_sentence(result.stages)))
    out.print(Text(f"Outputs in {target}:", style="bold"))
    for path in files.values():
        out.print(Text(f"  {path}"))
    return ExitCode.OK
