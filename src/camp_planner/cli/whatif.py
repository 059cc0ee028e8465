"""`camp-planner whatif FOLDER (--venues 4-8 | --scenarios scenarios.toml)`: solve every
scenario with the roster optimiser, write the comparison and print it.

A bad range, a bad scenarios file or an unknown venue id is reported in a sentence (exit
code 2) before anything is solved. Files: :mod:`camp_planner.outputs.whatif_files`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from rich.console import Console
from rich.table import Table
from rich.text import Text

from camp_planner.cli._common import (
    ExitCode,
    fail,
    load_planning_folder,
    print_notes,
    solver_args_problem,
)
from camp_planner.cli._executor import counter, counts_text, open_executor, sweep_progress
from camp_planner.distributed import Counts, ExecutorError, SweepCancelled
from camp_planner.models import PlanningProblem
from camp_planner.outputs.whatif_files import MAPS_DIR, ROSTERS_DIR, write_whatif
from camp_planner.whatif.compare import (
    METRIC_LABELS,
    NO_CHANGE,
    SIGNIFICANCE_METRICS,
    change_of,
    comparison_rows,
)
from camp_planner.whatif.runner import ScenarioResult, prepare_scenarios, run_scenarios
from camp_planner.whatif.scenarios import (
    Scenario,
    ScenarioError,
    read_scenarios,
    venue_range_scenarios,
    with_baseline,
)


def _fmt(metric: str, value: Any) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "-"
    if metric == "share_within_50km":
        return f"{float(value) * 100:.0f} %"
    if metric == "gap":
        return f"{float(value):.3f}"
    if metric == "venues":
        return ", ".join(v for v in str(value).split(";") if v) or "-"
    if isinstance(value, float):
        return f"{value:,.1f}"
    return str(value)


def _fmt_change(metric: str, change: Any) -> str:
    if change is None or change == "" or (not isinstance(change, str) and pd.isna(change)):
        return ""
    if isinstance(change, str):
        return change
    if change == 0:
        return "(=)"
    if metric == "share_within_50km":
        return f"({float(change) * 100:+.0f} pts)"
    if isinstance(change, float):
        return f"({change:+,.1f})"
    return f"({int(change):+d})"


#: A change no larger than the two rosters' gaps, as the printed table says it.
NOT_SIGNIFICANT = "not significant: within the gaps"
#: Rows the printed table folds into others (the significance into the change, whether
#: the second solve was kept into the row naming its hints).
_FOLDED = frozenset({*(f"significant_{m}" for m in SIGNIFICANCE_METRICS), "second_solve_kept"})


#: The significance column that speaks for a metric's change (unplaced = all - placed).
_SIGNIFICANCE_OF = {"placed": "placed", "unplaced": "placed", "travel_km_total": "travel_km_total"}


def _not_significant(table: pd.DataFrame, index: int, metric: str) -> bool:
    if metric not in _SIGNIFICANCE_OF:
        return False
    column = f"significant_{_SIGNIFICANCE_OF[metric]}"
    return column in table.columns and str(table.at[index, column]) == "false"


def _second_solve(table: pd.DataFrame, index: int) -> str:
    hints = [h for h in str(table.at[index, "second_solve_hints"] or "").split(";") if h]
    if not hints:
        return "-"
    kept = table.at[index, "second_solve_kept"] == "true"
    return f"{', '.join(hints)}: {'better, kept' if kept else 'no better'}"


def comparison_table(table: pd.DataFrame) -> Table:
    """The comparison as a rich table: one row per metric, one column per scenario, each
    scenario's change against the baseline in brackets; a change of companies placed or of
    total travel within the two rosters' gaps says it is not significant."""
    baseline = str(table.at[0, "scenario"]) if len(table) else ""
    out = Table(title=f"What-if comparison (changes against {baseline!r} in brackets)")
    marked = False
    out.add_column("", style="bold")
    for index in range(len(table)):
        out.add_column(str(table.at[index, "scenario"]), overflow="fold")
    for metric in comparison_rows(table):
        if metric in _FOLDED:
            continue
        label = METRIC_LABELS.get(metric) or "  " + metric.removeprefix("unplaced_").replace(
            "_", " "
        )
        cells = []
        for index in range(len(table)):
            text = _fmt(metric, table.at[index, metric])
            if metric == "second_solve_hints":
                text = _second_solve(table, index)
            elif index > 0 and metric == "venues":  # the baseline's list, then what differs
                text = _fmt_change(metric, change_of(table, index, metric)) or "same"
            elif index > 0 and metric not in (*NO_CHANGE, "max_venues"):
                change = _fmt_change(metric, change_of(table, index, metric))
                if change and change != "(=)" and _not_significant(table, index, metric):
                    change, marked = f"{change[:-1]}, {NOT_SIGNIFICANT})", True
                text = f"{text} {change}" if change else text
            cells.append(text)
        out.add_row(label, *cells)
    if marked:
        out.caption = (
            "Not significant: the change is no larger than the two rosters' gaps (how far "
            "each may be from the best roster of its scenario), so better rosters could "
            "close or reverse it."
        )
    return out


def build_scenarios(
    problem: PlanningProblem, venues: str | None, scenarios_file: Path | None
) -> list[Scenario]:
    """The scenarios to run, baseline first, each already checked against the problem.

    Raises:
        ScenarioError: Neither or both of `venues` and `scenarios_file`, a bad range, a bad
            file or a scenario that does not fit the planning folder.
    """
    if venues is not None and scenarios_file is not None:
        raise ScenarioError("give either --venues or --scenarios, not both")
    if venues is None and scenarios_file is None:
        raise ScenarioError(
            "nothing to compare: give --venues (e.g. --venues 4-8) or --scenarios scenarios.toml"
        )
    if venues is not None:
        scenarios = venue_range_scenarios(venues, len(problem.venues))
    else:
        assert scenarios_file is not None
        scenarios = with_baseline(read_scenarios(scenarios_file))
    prepare_scenarios(problem, scenarios)  # every mistake now, before any solving
    return scenarios


def _done_line(result: ScenarioResult, index: int, count: int) -> Text:
    summary = result.roster.summary
    line = Text(f"[{index + 1}/{count}] {result.scenario.name}: ", style="bold")
    if result.failure:
        line.append(f"not solved: {result.failure}", style="red")
        return line
    line.append(
        f"{summary.placed} placed, {summary.unplaced} without a place, "
        f"{summary.travel_km_total:,.1f} km, {len(result.roster.cohorts)} cohorts at "
        f"{len(summary.venues_used)} venues, {result.roster.solver.status.value}"
    )
    if result.second_solve_hints:
        verdict = "better, kept" if result.second_solve_kept else "no better, first kept"
        line.append(
            f" (solved again from the roster of {', '.join(result.second_solve_hints)}: {verdict})",
            style="dim",
        )
    elif result.reused:
        line.append(" (same problem as an earlier scenario: solved once)", style="dim")
    return line


def run_whatif(
    folder: Path,
    venues: str | None,
    scenarios_file: Path | None,
    out: Path | None,
    time_limit: float,
    seed: int,
    workers: int,
    maps: bool,
    console: Console,
    err_console: Console,
    ray: str | None = None,
) -> ExitCode:
    """`camp-planner whatif`: solve every scenario and write/print the comparison.

    Args:
        folder: The planning folder.
        venues: A range of venue counts such as ``"4-8"``, or None.
        scenarios_file: A scenarios.toml, or None.
        out: Output folder; None for ``FOLDER/out``.
        time_limit: Solver seconds per scenario.
        seed: Solver random seed.
        workers: Solver threads.
        maps: Also write a travel map per scenario.
        console: Where progress and the table go.
        err_console: Where problems go.
        ray: ``--ray``: "auto" or a Ray cluster's address; None solves here.

    Returns:
        OK; BAD_INPUT for an unusable folder, range or scenarios file, for --ray without
        Ray or a cluster, or when the outputs cannot be written; NO_ROSTER when solving
        fails unexpectedly or is cancelled.
    """
    folder = Path(folder)
    bad_args = solver_args_problem(time_limit, workers)
    if bad_args:
        return fail(err_console, bad_args)
    loaded = load_planning_folder(folder, err_console)
    if loaded is None:
        return ExitCode.BAD_INPUT
    problem, notes = loaded
    print_notes(notes, console)
    try:
        scenarios = build_scenarios(problem, venues, scenarios_file)
    except ScenarioError as exc:
        for message in exc.problems:
            err_console.print(Text(message, style="red"))
        return ExitCode.BAD_INPUT
    out_dir = Path(out) if out is not None else folder / "out"
    current = {"name": ""}
    try:
        executor = open_executor(ray)
    except ExecutorError as exc:
        return fail(err_console, str(exc))
    where = "" if executor is None else f", as Ray tasks ({ray})"
    console.print(
        Text(
            f"What-if for round {problem.round.name}: {len(scenarios)} scenarios, up to "
            f"{time_limit:g} s each (twice for one solved again from another's better "
            f"roster){where}; baseline: {scenarios[0].name!r}",
            style="bold",
        )
    )
    try:
        with sweep_progress(console) as bar:
            task = bar.add_task("scenarios", total=len(scenarios), counts="")
            started: set[int] = set()
            solves = {"total": len(scenarios), "done": 0}

            def start(index: int, count: int, scenario: Scenario) -> None:
                current["name"] = scenario.name
                again = index in started  # the second pass: one more solve
                solves["total"] += int(again)
                started.add(index)
                what = f"{scenario.name}: {'again' if again else 'solving'}"
                if executor is not None:  # many at once: the pass, not one scenario
                    what = "second pass" if again else "scenarios"
                bar.update(task, total=solves["total"], description=what)
                if executor is None:  # here: one solve at a time
                    left = solves["total"] - solves["done"] - 1
                    bar.update(task, counts=counts_text(Counts(solves["done"], 1, left)))

            def improved(line: str) -> None:
                bar.update(task, description=f"{current['name']}: {line}")

            def done(index: int, count: int, result: ScenarioResult) -> None:
                bar.console.print(_done_line(result, index, count))
                bar.advance(task)
                solves["done"] += 1

            whatif = run_scenarios(
                problem,
                scenarios,
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
        what = f"Solving scenario {current['name']!r} failed: {type(exc).__name__}: {exc}"
        return fail(err_console, what, ExitCode.NO_ROSTER)
    finally:
        if executor is not None:
            executor.close()
    try:
        written = write_whatif(whatif, out_dir, by_venues=venues is not None, maps=maps)
    except OSError as exc:
        return fail(err_console, f"Cannot write to {out_dir}: {exc}")
    console.print(comparison_table(whatif.table()))
    shown = [p for p in written if p.parent == out_dir]
    console.print(Text(f"Written to {out_dir}: " + ", ".join(p.name for p in shown)))
    folders = f"{ROSTERS_DIR}/" + (f" and {MAPS_DIR}/" if maps else "")
    console.print(Text(f"Per-scenario files ({len(written) - len(shown)}) in {folders}"))
    return ExitCode.OK
