"""`camp-planner roster FOLDER`: check, solve the round, write its outputs, summarise."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from camp_planner.cli._common import (
    ExitCode,
    fail,
    load_planning_folder,
    print_notes,
    refused,
    solve_with_progress,
    solver_args_problem,
)
from camp_planner.cli.check import print_groups
from camp_planner.models import PlanningProblem, Roster, SolverStatus


def summary_table(roster: Roster) -> Table:
    """The roster's totals and solver report as a two-column table."""
    solver = roster.solver
    table = Table(title=f"Roster {roster.round}", show_header=False)
    table.add_column("what", style="bold")
    table.add_column("value")
    by_code = Counter(u.code.value for u in roster.unplaced)
    unplaced = ", ".join(f"{code} {n}" for code, n in sorted(by_code.items())) or "none"
    venues = roster.summary.venues_used
    if solver.status == SolverStatus.OPTIMAL:
        status = "OPTIMAL (proven)"
    elif solver.status == SolverStatus.FEASIBLE:
        gap = "unknown" if solver.gap is None else f"{solver.gap:.2%}"
        status = f"FEASIBLE (time limit hit; travel gap to the best bound {gap})"
        if solver.placed_bound is not None and solver.placed_bound > roster.summary.placed:
            status += f"; at most {solver.placed_bound} could be placed"
    else:
        status = (
            f"{solver.status.value}: {solver.message}" if solver.message else solver.status.value
        )
    rows = [
        ("placed", f"{roster.summary.placed} companies in {len(roster.cohorts)} cohorts"),
        ("unplaced", f"{roster.summary.unplaced} ({unplaced})"),
        ("venues used", f"{len(venues)}: {', '.join(venues)}" if venues else "none"),
        ("travel", f"{roster.summary.travel_km_total:,.1f} km in total (one way)"),
        ("solver", status),
        ("wall time", f"{solver.wall_time_s:.1f} s"),
    ]
    for what, value in rows:
        table.add_row(what, Text(value))
    return table


def solver_time(problem: PlanningProblem, seconds_left: float) -> float:
    """The solver's share of the seconds left: less the writing of the outputs, at most a
    quarter of what is left, at least a second for the solver. The reserve (1 s + 4 ms per
    company) is generous since the map and workbook are written from data and streamed
    (10,000 companies: 5.6-7.6 s on 2 shared cores, 22.6 s when the machine was
    overloaded; mostly the workbook, see benchmarks/README.md), and is kept for such
    machines."""
    writing = min(1.0 + 0.004 * len(problem.companies), 0.25 * seconds_left)
    return max(1.0, seconds_left - writing)


def run_roster(
    folder: Path,
    out_dir: Path | None,
    time_limit: float,
    seed: int,
    workers: int,
    out: Console,
    err: Console,
    *,
    preamble: bool = True,
    deterministic: bool = False,
) -> ExitCode:
    """Check the folder, solve the round, write and summarise it, within `time_limit`.

    Args:
        folder: The planning folder.
        out_dir: Output folder; None for ``FOLDER/out``.
        time_limit: Seconds for the whole run: reading the folder and writing the outputs
            count against it (the solver gets what is left, less an estimate of the
            writing time).
        seed: Solver random seed.
        workers: Solver threads.
        out: Where the summary goes.
        err: Where problems go.
        preamble: Print the folder's notes and groups (``demo`` has printed them already).
        deterministic: The solver's deterministic mode (see `scheduler.solve`).

    Returns:
        OK when a roster was written; NO_ROSTER when the solver found none (roster.json
        still lists every company as unplaced); BAD_INPUT when the folder or the request
        cannot be used (nothing is solved).
    """
    from camp_planner.outputs.roster_files import write_outputs
    from camp_planner.scheduler.preflight import preflight

    started = time.monotonic()
    folder = Path(folder)
    loaded = load_planning_folder(folder, err)
    if loaded is None:
        return ExitCode.BAD_INPUT
    problem, notes = loaded
    if preamble:
        print_notes(notes, out)
        print_groups(problem, out)
    if refused(preflight(problem), err, "Nothing was solved."):
        return ExitCode.BAD_INPUT
    bad_args = solver_args_problem(time_limit, workers)
    if bad_args:
        return fail(err, bad_args)
    target = Path(out_dir) if out_dir is not None else folder / "out"
    out.print(
        Text(
            f"Solving {len(problem.companies)} companies, {len(problem.venues)} venues "
            f"(time limit {time_limit:g} s, {workers} worker(s), seed {seed}) ..."
        )
    )
    solver_seconds = solver_time(problem, time_limit - (time.monotonic() - started))
    try:
        roster = solve_with_progress(problem, solver_seconds, seed, workers, out, deterministic)
    except Exception as exc:  # noqa: BLE001 - a command never shows a traceback
        return fail(
            err,
            f"The solver stopped with an internal error ({type(exc).__name__}: {exc}); "
            "nothing was written. Try a longer --time-limit, and please report this.",
            ExitCode.NO_ROSTER,
        )
    try:
        files = write_outputs(problem, roster, target)
    except OSError as exc:
        return fail(err, f"Cannot write the outputs to {target}: {exc}")
    out.print(summary_table(roster))
    out.print(Text(f"Outputs in {target}:", style="bold"))
    invitations = len(list(files["invitations"].glob("*.ics")))
    for kind, path in files.items():
        extra = f" ({invitations} .ics files)" if kind == "invitations" else ""
        out.print(Text(f"  {path}{extra}"))
    if roster.solver.status in (SolverStatus.INFEASIBLE, SolverStatus.TIME_LIMIT):
        message = roster.solver.message or roster.solver.status.value
        return fail(
            err,
            f"No roster: {message}. roster.json lists every company as unplaced.",
            ExitCode.NO_ROSTER,
        )
    return ExitCode.OK
