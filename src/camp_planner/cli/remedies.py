"""`camp-planner remedies FOLDER`: what each remedy for groups too small for a cohort would
buy this round (online cohorts, mixing, no travel limit, one more venue), solved one by
one with the roster optimiser; prints the ranked table and writes ``remedies.csv``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from camp_planner.cli._common import (
    ExitCode,
    fail,
    load_planning_folder,
    print_notes,
    refused,
    solver_args_problem,
)
from camp_planner.cli._executor import counter, counts_text, open_executor, sweep_progress
from camp_planner.distributed import Counts, ExecutorError, SweepCancelled


def _few(ids: list[str]) -> str:
    """At most four ids, then how many more."""
    return ", ".join(ids[:4]) + (f" +{len(ids) - 4} more" if len(ids) > 4 else "")


def remedies_table(table: pd.DataFrame) -> Table:
    """The remedies as a rich table, best first, changes against the round as it is."""
    out = Table(title="Remedies, best first (changes against the round as it is)")
    for column in ("remedy", "round.toml", "placed", "travel km", "helped", "lost", "status"):
        out.add_column(column, overflow="fold")
    for row in table.to_dict("records"):
        placed, km = int(row["placed"]), float(row["travel_km_total"])
        delta_placed, delta_km = int(row["delta_placed"]), float(row["delta_travel_km"])
        helped, lost = (
            [c for c in str(row[key]).split(";") if c and c != "nan"]
            for key in ("companies_helped", "companies_lost")
        )
        status, gap = str(row["status"]), row["gap"]
        if status == "FEASIBLE" and gap is not None and not pd.isna(gap):
            status += f" (gap {float(gap):.1%})"
        out.add_row(
            Text(str(row["remedy"])),
            Text(str(row["settings"]).replace("; ", "\n")),
            f"{placed}" + (f" ({delta_placed:+d})" if delta_placed else ""),
            f"{km:,.1f}" + (f" ({delta_km:+,.1f})" if delta_km else ""),
            Text(_few(helped)),
            Text(_few(lost)),
            status,
        )
    return out


def run_remedies_command(
    folder: Path,
    out: Path | None,
    time_limit: float,
    seed: int,
    workers: int,
    console: Console,
    err_console: Console,
    ray: str | None = None,
) -> ExitCode:
    """`camp-planner remedies`: solve the round per remedy, print and write remedies.csv.

    Args:
        folder: The planning folder.
        out: Output folder; None for ``FOLDER/out``.
        time_limit: Solver seconds per solve.
        seed: Solver random seed.
        workers: Solver threads.
        console: Where progress and the table go.
        err_console: Where problems go.
        ray: ``--ray``: "auto" or a Ray cluster's address; None solves here.

    Returns:
        OK; BAD_INPUT for an unusable folder or request, for --ray without Ray or a
        cluster, or when remedies.csv cannot be written; NO_ROSTER when solving fails
        unexpectedly or is cancelled.
    """
    from camp_planner.outputs.remedies_files import REMEDIES_CSV, write_remedies_csv
    from camp_planner.remedies import RemedyResult, run_remedies
    from camp_planner.scheduler.preflight import preflight

    folder = Path(folder)
    bad_args = solver_args_problem(time_limit, workers)
    if bad_args:
        return fail(err_console, bad_args)
    loaded = load_planning_folder(folder, err_console)
    if loaded is None:
        return ExitCode.BAD_INPUT
    problem, notes = loaded
    print_notes(notes, console)
    if refused(preflight(problem), err_console, "Nothing was solved."):
        return ExitCode.BAD_INPUT
    out_dir = Path(out) if out is not None else folder / "out"
    try:
        executor = open_executor(ray)
    except ExecutorError as exc:
        return fail(err_console, str(exc))
    where = "" if executor is None else f", as Ray tasks ({ray})"
    console.print(
        Text(
            f"Remedies for round {problem.round.name}: the round as it is, each remedy alone "
            f"and all of them, up to {time_limit:g} s each{where}",
            style="bold",
        )
    )
    current = {"name": ""}
    try:
        with sweep_progress(console) as bar:
            task = bar.add_task("remedies", total=None, counts="")
            finished = {"done": 0}

            def start(index: int, count: int, name: str) -> None:
                current["name"] = name
                bar.update(task, total=count, description=escape(f"{name}: solving"))
                if executor is None:  # here: one solve at a time
                    left = count - finished["done"] - 1
                    bar.update(task, counts=counts_text(Counts(finished["done"], 1, left)))

            def improved(line: str) -> None:
                bar.update(task, description=escape(f"{current['name']}: {line}"))

            def done(index: int, count: int, result: RemedyResult) -> None:
                summary = result.roster.summary
                line = Text(f"[{index + 1}/{count}] {result.name}: ", style="bold")
                line.append(
                    f"{summary.placed} placed, {summary.travel_km_total:,.1f} km, "
                    f"{result.roster.solver.status.value}"
                )
                if result.failure:
                    line = Text(f"[{index + 1}/{count}] {result.name}: ", style="bold")
                    line.append(f"not solved: {result.failure}", style="red")
                elif result.reused:
                    line.append(" (same round as an earlier row: solved once)", style="dim")
                bar.console.print(line)
                bar.advance(task)
                finished["done"] += 1

            run = run_remedies(
                problem,
                time_limit,
                seed,
                workers,
                progress=improved,
                on_start=start,
                on_done=done,
                executor=executor,
                on_counts=None if executor is None else counter(bar, task),
            )
    except (KeyboardInterrupt, SweepCancelled):
        return fail(err_console, "Cancelled: nothing was written.", ExitCode.NO_ROSTER)
    except Exception as exc:  # noqa: BLE001 - a command never shows a traceback
        what = f"Solving {current['name']!r} failed: {type(exc).__name__}: {exc}"
        return fail(err_console, what, ExitCode.NO_ROSTER)
    finally:
        if executor is not None:
            executor.close()
    for sentence in run.skipped:
        console.print(Text(f"not tried: {sentence}", style="dim"))
    table = run.table()
    try:
        path = write_remedies_csv(table, out_dir / REMEDIES_CSV, problem.round.language)
    except OSError as exc:
        return fail(err_console, f"Cannot write to {out_dir}: {exc}")
    console.print(remedies_table(table))
    console.print(Text(f"Written: {path}"))
    return ExitCode.OK
