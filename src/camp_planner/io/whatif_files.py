"""`camp-planner whatif`: read the scenarios, solve each, write and print the comparison.

Usage::

    camp-planner whatif FOLDER --venues 4-8            # one scenario per number of venues
    camp-planner whatif FOLDER --scenarios scenarios.toml [--maps]

Options: ``--out DIR`` (default ``FOLDER/out``), ``--time-limit S`` (solver seconds per
scenario, default 30), ``--seed``, ``--workers``, ``--maps``.

Files written to DIR, each atomically:

- ``whatif.csv``: one row per scenario, the baseline first; CONTRACT.md's columns, then
  extras (see :mod:`camp_planner.whatif.compare`). UTF-8, no byte-order mark.
- ``whatif.xlsx``: sheets ``whatif`` (the same rows), ``comparison`` (one row per metric,
  one column per scenario and its change against the baseline) and ``venues`` (cohorts per
  venue and scenario).
- ``whatif.png``: the chart (:mod:`camp_planner.whatif.chart`).
- ``rosters/<scenario>.json``: each scenario's roster (roster.json format), so any
  scenario can be mapped later with ``camp-planner map FOLDER --roster ...``.
- with ``--maps``: ``maps/<scenario>.html``, each scenario's travel map.

The scenarios file format is described in :mod:`camp_planner.whatif.scenarios`. A bad
range, a bad scenarios file or an unknown venue id is reported in a sentence (exit code 2)
before anything is solved; never as a traceback.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from camp_planner.io.atomic import atomic_path, atomic_write_bytes, atomic_write_text
from camp_planner.io.errors import InputError
from camp_planner.io.folder import load_folder_with_notes
from camp_planner.models import PlanningProblem
from camp_planner.whatif.chart import figure_png, whatif_figure
from camp_planner.whatif.compare import (
    METRIC_LABELS,
    change_of,
    comparison_rows,
    comparison_sheet,
)
from camp_planner.whatif.runner import ScenarioResult, WhatIf, prepare_scenarios, run_scenarios
from camp_planner.whatif.scenarios import (
    Scenario,
    ScenarioError,
    scenarios_from_toml,
    venue_range_scenarios,
    with_baseline,
)

__all__ = [
    "WHATIF_CSV",
    "WHATIF_PNG",
    "WHATIF_XLSX",
    "comparison_table",
    "read_scenarios",
    "run_whatif",
    "write_whatif",
    "write_whatif_csv",
    "write_whatif_png",
    "write_whatif_xlsx",
]

WHATIF_CSV = "whatif.csv"
WHATIF_XLSX = "whatif.xlsx"
WHATIF_PNG = "whatif.png"
ROSTERS_DIR = "rosters"
MAPS_DIR = "maps"
#: Exit codes: success, unexpected failure, unusable input or request.
OK, FAILED, BAD_INPUT = 0, 1, 2


def read_scenarios(path: str | os.PathLike[str]) -> list[Scenario]:
    """Read a scenarios.toml file (format: :mod:`camp_planner.whatif.scenarios`).

    Args:
        path: The file.

    Returns:
        The scenarios in file order (without the added baseline).

    Raises:
        ScenarioError: The file cannot be read or has mistakes (all of them listed).
    """
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError(f"{file}: no such scenarios file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ScenarioError(f"{file}: cannot be read: {exc}") from None
    return scenarios_from_toml(text, source=str(file))


def write_whatif_csv(table: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write whatif.csv (CONTRACT.md) atomically: UTF-8, ``\\n`` line ends, no BOM."""
    text = table.to_csv(index=False, lineterminator="\n")
    return atomic_write_text(path, text)


def write_whatif_xlsx(
    table: pd.DataFrame, path: str | os.PathLike[str], venues: pd.DataFrame | None = None
) -> Path:
    """Write whatif.xlsx atomically: sheets ``whatif``, ``comparison`` and ``venues``.

    Args:
        table: The whatif table (baseline first).
        path: Target file.
        venues: Cohorts per venue and scenario (:func:`camp_planner.whatif.venue_usage`);
            the sheet is left out when None.
    """
    from camp_planner.io.writers import _format_sheet

    sheets = {"whatif": table, "comparison": comparison_sheet(table)}
    if venues is not None:
        sheets["venues"] = venues
    target = Path(path)
    with atomic_path(target) as tmp, pd.ExcelWriter(tmp, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            _format_sheet(sheet)
            sheet.freeze_panes = "B2"
    return target


def write_whatif_png(
    table: pd.DataFrame, path: str | os.PathLike[str], by_venues: bool, title: str = ""
) -> Path:
    """Draw the chart (:func:`camp_planner.whatif.chart.whatif_figure`) and write it."""
    return atomic_write_bytes(path, figure_png(whatif_figure(table, by_venues, title)))


def write_whatif(
    whatif: WhatIf,
    out: str | os.PathLike[str],
    by_venues: bool,
    maps: bool = False,
) -> list[Path]:
    """Write every what-if file into `out` (see the module docstring).

    Args:
        whatif: The solved scenarios.
        out: Output folder (created).
        by_venues: Chart against the number of venues (a ``--venues`` range).
        maps: Also write ``maps/<scenario>.html``.

    Returns:
        The files written.
    """
    from camp_planner.io.writers import write_roster_json

    folder = Path(out)
    table = whatif.table()
    name = whatif.results[0].problem.round.name if whatif.results else ""
    title = f"What-if, round {name}" if name else "What-if"
    written = [
        write_whatif_csv(table, folder / WHATIF_CSV),
        write_whatif_xlsx(table, folder / WHATIF_XLSX, whatif.venues()),
        write_whatif_png(table, folder / WHATIF_PNG, by_venues, title),
    ]
    for result in whatif.results:
        written.append(
            write_roster_json(result.roster, folder / ROSTERS_DIR / f"{result.slug}.json")
        )
    if maps:
        from camp_planner.io.maps import write_map

        for result in whatif.results:
            target = folder / MAPS_DIR / f"{result.slug}.html"
            written.append(write_map(result.problem, result.roster, target))
    return written


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


def comparison_table(table: pd.DataFrame) -> Table:
    """The comparison as a rich table: one row per metric, one column per scenario, each
    scenario's change against the baseline in brackets."""
    baseline = str(table.at[0, "scenario"]) if len(table) else ""
    out = Table(title=f"What-if comparison (changes against {baseline!r} in brackets)")
    out.add_column("", style="bold")
    for index in range(len(table)):
        out.add_column(str(table.at[index, "scenario"]), overflow="fold")
    for metric in comparison_rows(table):
        label = METRIC_LABELS.get(metric) or "  " + metric.removeprefix("unplaced_").replace(
            "_", " "
        )
        cells = []
        for index in range(len(table)):
            text = _fmt(metric, table.at[index, metric])
            if index > 0 and metric == "venues":  # the baseline's list, then what differs
                text = _fmt_change(metric, change_of(table, index, metric)) or "same"
            elif index > 0 and metric not in ("changes", "status", "gap", "max_venues"):
                change = _fmt_change(metric, change_of(table, index, metric))
                text = f"{text} {change}" if change else text
            cells.append(text)
        out.add_row(label, *cells)
    return out


def _error(err_console: Console, message: str) -> int:
    err_console.print(Text(message, style="red"))
    return BAD_INPUT


def _failed(err_console: Console, what: str, exc: BaseException) -> int:
    err_console.print(Text(f"{what}: {type(exc).__name__}: {exc}", style="red"))
    return FAILED


def _load(folder: Path, console: Console, err_console: Console) -> PlanningProblem | None:
    if not folder.is_dir():
        what = "is a file, not a folder" if folder.exists() else "does not exist"
        _error(
            err_console,
            f"Planning folder {folder} {what}. A planning folder holds companies.csv, "
            "venues.csv and round.toml (try `camp-planner demo` for an example).",
        )
        return None
    try:
        problem, notes = load_folder_with_notes(folder)
    except InputError as exc:
        count = len(exc.problems)
        title = f"{folder}: {count} problem{'s' if count != 1 else ''} - fix and run again"
        err_console.print(exc.render(title=title))
        return None
    for note in notes:
        console.print(Text(f"note: {note}", style="yellow"))
    return problem


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
    line.append(
        f"{summary.placed} placed, {summary.unplaced} without a place, "
        f"{summary.travel_km_total:,.1f} km, {len(result.roster.cohorts)} cohorts at "
        f"{len(summary.venues_used)} venues, {result.roster.solver.status.value}"
    )
    if result.reused:
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
) -> int:
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

    Returns:
        0 on success; 2 for an unusable folder, range or scenarios file; 1 when writing or
        solving fails unexpectedly.
    """
    folder = Path(folder)
    if time_limit <= 0:
        return _error(err_console, f"--time-limit must be positive, got {time_limit:g}")
    if workers < 1:
        return _error(err_console, f"--workers must be at least 1, got {workers}")
    problem = _load(folder, console, err_console)
    if problem is None:
        return BAD_INPUT
    try:
        scenarios = build_scenarios(problem, venues, scenarios_file)
    except ScenarioError as exc:
        for message in exc.problems:
            err_console.print(Text(message, style="red"))
        return BAD_INPUT
    out_dir = Path(out) if out is not None else folder / "out"
    current = {"name": ""}
    console.print(
        Text(
            f"What-if for round {problem.round.name}: {len(scenarios)} scenarios, up to "
            f"{time_limit:g} s each; baseline: {scenarios[0].name!r}",
            style="bold",
        )
    )
    try:
        with Progress(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
        ) as bar:
            task = bar.add_task("scenarios", total=len(scenarios))

            def start(index: int, count: int, scenario: Scenario) -> None:
                current["name"] = scenario.name
                bar.update(task, description=f"{scenario.name}: solving")

            def improved(line: str) -> None:
                bar.update(task, description=f"{current['name']}: {line}")

            def done(index: int, count: int, result: ScenarioResult) -> None:
                bar.console.print(_done_line(result, index, count))
                bar.advance(task)

            whatif = run_scenarios(
                problem,
                scenarios,
                time_limit,
                seed,
                workers,
                progress=improved,
                on_start=start,
                on_done=done,
            )
    except Exception as exc:  # noqa: BLE001 - the CLI never shows a traceback
        return _failed(err_console, f"Solving scenario {current['name']!r} failed", exc)
    try:
        written = write_whatif(whatif, out_dir, by_venues=venues is not None, maps=maps)
    except OSError as exc:
        return _failed(err_console, f"Cannot write to {out_dir}", exc)
    console.print(comparison_table(whatif.table()))
    shown = [p for p in written if p.parent == out_dir]
    console.print(Text(f"Written to {out_dir}: " + ", ".join(p.name for p in shown)))
    folders = f"{ROSTERS_DIR}/" + (f" and {MAPS_DIR}/" if maps else "")
    console.print(Text(f"Per-scenario files ({len(written) - len(shown)}) in {folders}"))
    return OK
