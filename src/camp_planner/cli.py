"""The `camp-planner` command line: parse arguments, call the library, print.

Each command imports its library module lazily so `--help` stays fast and a bad input is
reported as a list of problems, never a traceback.
"""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

app = typer.Typer(
    name="camp-planner",
    help="Plan growth-training camps: rosters, what-if venue plans, maps and exports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err_console = Console(stderr=True)


@app.command()
def check(folder: Path = typer.Argument(..., help="Planning folder")) -> None:
    """Validate a planning folder and print a summary per group and venue."""
    from camp_planner.io.check import run_check

    raise typer.Exit(run_check(folder, console, err_console))


@app.command()
def score(
    file: Path = typer.Argument(..., help="CSV with company_id and the seven scorecard columns"),
    out: Path = typer.Option(Path("levels.csv"), "--out", help="Where to write levels.csv"),
) -> None:
    """Score scorecards: level, per-level scores and an explanation per company."""
    from camp_planner.io.scorecards import run_score

    raise typer.Exit(run_score(file, out, console, err_console))


@app.command()
def demo(
    folder: Path = typer.Argument(Path("demo"), help="Where to write the demo planning folder"),
    time_limit: float = typer.Option(60.0, "--time-limit", help="Solver time limit, seconds"),
) -> None:
    """Write the embedded demo planning folder and solve its roster."""
    from camp_planner.io.demo import run_demo

    raise typer.Exit(run_demo(folder, time_limit, console, err_console))


@app.command()
def roster(
    folder: Path = typer.Argument(..., help="Planning folder"),
    out: Path | None = typer.Option(None, "--out", help="Output folder (default FOLDER/out)"),
    time_limit: float = typer.Option(60.0, "--time-limit", help="Solver time limit, seconds"),
    seed: int = typer.Option(0, "--seed", help="Solver random seed"),
    workers: int = typer.Option(2, "--workers", help="Solver threads"),
) -> None:
    """Solve the round's roster and write roster.json, roster.xlsx, participants.csv, ..."""
    from camp_planner.io.run import run_roster

    raise typer.Exit(
        run_roster(folder, out, time_limit, seed, workers, console, err_console)
    )


def main() -> None:  # pragma: no cover - entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
