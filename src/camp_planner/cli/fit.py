"""`camp-planner fit FOLDER --published ROSTER --company ID [--top 5] [--out FILE.csv]`:
the best places for one company in a published roster, and why the rest cannot take it."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from camp_planner.cli._common import ExitCode, fail, solver_args_problem
from camp_planner.cli.replan import load_replan_inputs, with_progress
from camp_planner.outputs.replan_files import write_fit_csv
from camp_planner.replan.fit import FitError, FitReport, fit


def fit_table(report: FitReport) -> Table:
    """The options as a table: the ranked places, then the cohorts that cannot take it."""
    table = Table(title=f"Places for {report.company_id}")
    for column in ("rank", "cohort", "venue", "dates", "km", "moves", "note"):
        table.add_column(column, overflow="fold")
    for o in report.options:
        table.add_row(
            Text("" if o.rank is None else str(o.rank)),
            Text(o.cohort_id),
            Text(o.venue_id),
            Text(o.dates.replace(";", " ")),
            Text("" if o.travel_km is None else f"{o.travel_km:.1f}"),
            Text(", ".join(o.moves)),
            Text(o.note),
        )
    return table


def run_fit(
    folder: Path,
    published_path: Path,
    company_id: str,
    top: int,
    out_file: Path | None,
    as_of_text: str | None,
    pins_path: Path | None,
    time_limit: float,
    out: Console,
    err: Console,
) -> ExitCode:
    """Find, print and write the best places for one company.

    Returns:
        OK when fit.csv was written (also when the company can have no place: the reason
        is its only row); BAD_INPUT when an input cannot be used or the company is not in
        the folder.
    """
    bad_args = solver_args_problem(time_limit, 2)
    if bad_args:
        return fail(err, bad_args)
    if top < 1:
        return fail(err, f"--top must be at least 1, got {top}")
    inputs = load_replan_inputs(folder, published_path, as_of_text, pins_path, out, err)
    if isinstance(inputs, ExitCode):
        return inputs
    target = out_file or Path(published_path).parent / f"fit-{company_id}.csv"
    try:
        report = with_progress(
            out,
            lambda _: fit(
                inputs.problem,
                inputs.published,
                company_id,
                inputs.as_of,
                pins=inputs.pins,
                costs=inputs.costs,
                top=top,
                time_limit=time_limit,
            ),
        )
    except FitError as exc:
        return fail(err, f"{exc}; add it to {folder} first (a late sign-up), then run fit.")
    except Exception as exc:  # noqa: BLE001 - a command never shows a traceback
        return fail(
            err,
            f"fit stopped with an internal error ({type(exc).__name__}: {exc}); "
            "please report this.",
            ExitCode.NO_ROSTER,
        )
    if report.reason:
        out.print(
            Text(f"{company_id} can have no place this round: {report.reason}.", style="yellow")
        )
    else:
        out.print(fit_table(report))
    if report.baseline:
        out.print(Text("Whatever happens to it, the folder needs: " + ", ".join(report.baseline)))
    try:
        path = write_fit_csv(report, target)
    except OSError as exc:
        return fail(err, f"Cannot write {target}: {exc}")
    out.print(Text(f"Written: {path}"))
    return ExitCode.OK
