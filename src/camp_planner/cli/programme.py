"""`camp-planner programme FOLDER [--out DIR] [--time-limit S]`: one plan for every round
of the horizon (programme.toml), with a roster per round and a timeline per company."""

from __future__ import annotations

from pathlib import Path

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
    solver_args_problem,
)
from camp_planner.io.errors import InputError
from camp_planner.models import SolverStatus


def programme_table(document: dict[str, object]) -> Table:
    """Per round: companies placed and cohorts; then the programme's totals."""
    summary = document["summary"]
    assert isinstance(summary, dict)
    table = Table(title="Programme")
    table.add_column("round")
    table.add_column("placed", justify="right")
    table.add_column("cohorts", justify="right")
    for row in summary["per_round"]:
        table.add_row(Text(str(row["round"])), str(row["placed"]), str(row["cohorts"]))
    return table


def run_programme(
    folder: Path,
    out_dir: Path | None,
    time_limit: float,
    seed: int,
    workers: int,
    out: Console,
    err: Console,
) -> ExitCode:
    """Plan every round of FOLDER/programme.toml and write programme.json, programme.xlsx and
    rounds/<round>/ (round 1's roster is the one to publish).

    Returns:
        OK; NO_ROSTER when no programme was found; BAD_INPUT for an unusable folder or
        programme.toml.
    """
    from camp_planner.io.programme_file import read_programme_rounds
    from camp_planner.outputs.programme_files import write_programme
    from camp_planner.programme.plan import Programme
    from camp_planner.programme.result import programme_result
    from camp_planner.programme.solve import plan_programme

    folder = Path(folder)
    bad_args = solver_args_problem(time_limit, workers)
    if bad_args:
        return fail(err, bad_args)
    loaded = load_planning_folder(folder, err)
    if loaded is None:
        return ExitCode.BAD_INPUT
    problem, notes = loaded
    print_notes(notes, out)
    try:
        rounds = read_programme_rounds(folder)
    except InputError as exc:
        print_problems(str(folder / "programme.toml"), exc.problems, err)
        return ExitCode.BAD_INPUT
    programme = Programme(
        problem=problem.model_copy(update={"round": rounds[0]}), rounds=tuple(rounds)
    )
    target = Path(out_dir) if out_dir is not None else folder / "out"
    out.print(
        Text(
            f"Programme of {len(rounds)} rounds ({', '.join(r.name for r in rounds)}) for "
            f"{len(problem.companies)} companies (time limit {time_limit:g} s) ..."
        )
    )
    columns = (
        SpinnerColumn(),
        TextColumn("[bold]Solving[/] {task.description}"),
        TimeElapsedColumn(),
    )
    try:
        with Progress(*columns, console=out, transient=True) as bar:
            task = bar.add_task("building the model", total=None)
            solution = plan_programme(
                programme,
                time_limit=time_limit,
                seed=seed,
                workers=workers,
                progress=lambda line: bar.update(task, description=escape(line)),
            )
        result = programme_result(solution)
    except Exception as exc:  # noqa: BLE001 - a command never shows a traceback
        return fail(
            err,
            f"The programme solver stopped with an internal error ({type(exc).__name__}: "
            f"{exc}); nothing was written.",
            ExitCode.NO_ROSTER,
        )
    names = {c.company_id: c.name for c in problem.companies}
    try:
        write_programme(result.document, result.rounds, names, target)
    except OSError as exc:
        return fail(err, f"Cannot write the outputs to {target}: {exc}")
    summary = result.document["summary"]
    assert isinstance(summary, dict)
    out.print(programme_table(result.document))
    status = solution.status.value + (
        " (proven)" if solution.status == SolverStatus.OPTIMAL else ""
    )
    out.print(
        Text(
            f"Next step planned for {summary['next_step_planned']} of {summary['companies']} "
            f"companies; {summary['tracks_completed']} complete their track (Module 1 and "
            f"Module 2) in the horizon; travel {summary['travel_km_total']:,.1f} km; "
            f"{status} in {solution.wall_time_s:.1f} s.",
            style="bold",
        )
    )
    for stage in solution.stages:
        if stage.words:
            out.print(Text(f"  {stage.name} ({stage.status}): {stage.words}"))
    if solution.message:
        out.print(Text(solution.message, style="yellow"))
    out.print(Text(f"Written to {target}: programme.json, programme.xlsx, rounds/", style="bold"))
    if solution.status in (SolverStatus.INFEASIBLE, SolverStatus.TIME_LIMIT):
        return ExitCode.NO_ROSTER
    return ExitCode.OK
