"""The `camp-planner` command line: parse arguments, call the library, print, exit.

One module per command (``check``, ``score``, ``roster``, ``map``, ``demo``, ``whatif``);
what they share (exit codes, the problem table, loading a folder) is in ``_common``. Each
command module is imported when its command runs, so ``--help`` stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from camp_planner.cli._common import console, err_console

app = typer.Typer(
    name="camp-planner",
    help="Plan growth-training camps: rosters, what-if venue plans, maps and exports.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _consoles() -> tuple[Any, Any]:
    """The consoles commands print to (module attributes, so tests can replace them)."""
    return console, err_console


TimeLimit = Annotated[float, typer.Option("--time-limit", help="Solver time limit, seconds")]
#: Options several commands share.
OutDir = Annotated[Path | None, typer.Option("--out", help="Output folder (default FOLDER/out)")]
Seed = Annotated[int, typer.Option("--seed", help="Solver random seed")]
Workers = Annotated[int, typer.Option("--workers", help="Solver threads")]
#: Where the solves of whatif and remedies run (docs/ray.md).
Ray = Annotated[
    str | None,
    typer.Option(
        "--ray",
        metavar="auto|ADDRESS",
        help="Solve as Ray tasks: 'auto' starts a local Ray runtime, an address such as "
        "10.0.0.5:6379 joins a cluster (pip install 'camp-planner[ray]'; docs/ray.md). "
        "Default: here, one solve after the other",
    ),
]


#: --adopt of replan and next-round (issue 23: a roster knows what it is)
ADOPT_HELP = (
    "Take a what-if scenario's or a programme's roster as the published one (recorded in "
    "its file as published)"
)


@app.command()
def check(folder: Annotated[Path, typer.Argument(help="Planning folder")]) -> None:
    """Validate a planning folder and print a summary per group and venue."""
    from camp_planner.cli.check import run_check

    raise typer.Exit(run_check(folder, *_consoles()))


@app.command()
def score(
    file: Annotated[
        Path, typer.Argument(help="CSV with company_id and the seven scorecard columns")
    ],
    out: Annotated[Path, typer.Option("--out", help="Where to write levels.csv")] = Path(
        "levels.csv"
    ),
) -> None:
    """Score scorecards: level, per-level scores and an explanation per company."""
    from camp_planner.cli.score import run_score

    raise typer.Exit(run_score(file, out, *_consoles()))


@app.command()
def demo(
    folder: Annotated[Path, typer.Argument(help="Where to write the demo planning folder")] = Path(
        "demo"
    ),
    time_limit: TimeLimit = 60.0,
) -> None:
    """Write the embedded demo planning folder and solve its roster."""
    from camp_planner.cli.demo import run_demo

    raise typer.Exit(run_demo(folder, time_limit, *_consoles()))


@app.command()
def roster(
    folder: Annotated[Path, typer.Argument(help="Planning folder")],
    out: OutDir = None,
    time_limit: Annotated[
        float,
        typer.Option(
            "--time-limit", help="Seconds for the whole run: reading, solving and writing"
        ),
    ] = 60.0,
    seed: Seed = 0,
    workers: Workers = 2,
    deterministic: Annotated[
        bool,
        typer.Option(
            "--deterministic",
            help="The same roster on any machine at any load (the limit counts the "
            "solver's deterministic work, not the clock; see docs)",
        ),
    ] = False,
) -> None:
    """Solve the round's roster; write roster.json/.xlsx, participants, invitations, map."""
    from camp_planner.cli.roster import run_roster

    raise typer.Exit(
        run_roster(
            folder, out, time_limit, seed, workers, *_consoles(), deterministic=deterministic
        )
    )


@app.command("map")
def map_(
    folder: Annotated[Path, typer.Argument(help="Planning folder (company and venue locations)")],
    roster_json: Annotated[
        Path | None,
        typer.Option("--roster", help="roster.json to draw (default FOLDER/out/roster.json)"),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="HTML file to write (default FOLDER/out/map.html)"),
    ] = None,
    anonymize: Annotated[
        bool,
        typer.Option("--anonymize", help="Replace company names and ids by cohort-local numbers"),
    ] = False,
    assets: Annotated[
        Path | None,
        typer.Option(
            "--assets",
            help="Folder with other Leaflet/jQuery files to inline (default: the packaged ones)",
        ),
    ] = None,
) -> None:
    """Draw a roster's travel map (venues, companies, lines to their venue) as one HTML page."""
    from camp_planner.cli.map import run_map

    raise typer.Exit(run_map(folder, roster_json, out, anonymize, assets, *_consoles()))


@app.command()
def whatif(
    folder: Annotated[Path, typer.Argument(help="Planning folder")],
    venues: Annotated[
        str | None, typer.Option("--venues", help="Numbers of venues to compare, e.g. 4-8")
    ] = None,
    scenarios: Annotated[
        Path | None, typer.Option("--scenarios", help="scenarios.toml with named scenarios")
    ] = None,
    out: OutDir = None,
    time_limit: Annotated[
        float,
        typer.Option(
            "--time-limit",
            help="Solver time limit per solve of a scenario, seconds (a scenario not proven "
            "may be solved once more from a better roster of another)",
        ),
    ] = 30.0,
    seed: Seed = 0,
    workers: Workers = 2,
    maps: Annotated[bool, typer.Option("--maps", help="Also write maps/<scenario>.html")] = False,
    ray: Ray = None,
) -> None:
    """Compare scenarios (numbers of venues, closed/required venues, ...): whatif.csv/.xlsx/.png."""
    from camp_planner.cli.whatif import run_whatif

    raise typer.Exit(
        run_whatif(
            folder, venues, scenarios, out, time_limit, seed, workers, maps, *_consoles(), ray
        )
    )


@app.command("next-round")
def next_round(
    folder: Annotated[Path, typer.Argument(help="The round's planning folder")],
    roster_json: Annotated[Path, typer.Option("--roster", help="The round's roster.json")],
    round_toml: Annotated[Path, typer.Option("--round", help="The next round's round.toml")],
    out: Annotated[Path, typer.Option("--out", help="The next round's planning folder")],
    absent: Annotated[
        Path | None,
        typer.Option("--absent", help="absent.csv: placed companies that did not attend"),
    ] = None,
    adopt: Annotated[bool, typer.Option("--adopt", help=ADOPT_HELP)] = False,
) -> None:
    """Write the next round's planning folder: completed steps and waiting time carried over."""
    from camp_planner.cli.next_round import run_next_round

    raise typer.Exit(
        run_next_round(folder, roster_json, round_toml, out, absent, *_consoles(), adopt)
    )


@app.command()
def remedies(
    folder: Annotated[Path, typer.Argument(help="Planning folder")],
    out: OutDir = None,
    time_limit: Annotated[
        float, typer.Option("--time-limit", help="Solver time limit per remedy, seconds")
    ] = 30.0,
    seed: Seed = 0,
    workers: Workers = 2,
    ray: Ray = None,
) -> None:
    """What each remedy for groups too small for a cohort would place: remedies.csv."""
    from camp_planner.cli.remedies import run_remedies_command

    raise typer.Exit(
        run_remedies_command(folder, out, time_limit, seed, workers, *_consoles(), ray)
    )


@app.command()
def programme(
    folder: Annotated[Path, typer.Argument(help="Planning folder with programme.toml")],
    out: OutDir = None,
    time_limit: Annotated[
        float, typer.Option("--time-limit", help="Solver time limit, seconds")
    ] = 120.0,
    seed: Seed = 0,
    workers: Workers = 2,
) -> None:
    """Plan every round of the horizon at once: programme.json/.xlsx and a roster per round."""
    from camp_planner.cli.programme import run_programme

    raise typer.Exit(run_programme(folder, out, time_limit, seed, workers, *_consoles()))


@app.command()
def serve(
    host: Annotated[
        str, typer.Option("--host", help="Address to serve on (others need CAMP_PLANNER_PASSWORD)")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port")] = 8000,
    data: Annotated[
        Path, typer.Option("--data", help="Folder where plans and results are kept")
    ] = Path("camp-planner-data"),
    jobs: Annotated[
        int | None, typer.Option("--jobs", help="Solves at once (default: one per two cores)")
    ] = None,
    keep_days: Annotated[
        float | None,
        typer.Option("--keep-days", help="Delete plans older than this many days (default: keep)"),
    ] = None,
    ray: Annotated[
        str | None,
        typer.Option(
            "--ray",
            metavar="ADDRESS",
            help="Run the jobs' solves on the Ray cluster at ADDRESS, e.g. 10.0.0.5:6379 "
            "(pip install 'camp-planner[ray]'; docs/ray.md). Default: this machine",
        ),
    ] = None,
) -> None:
    """Serve the coordinators' web app: upload, check, solve, roster, map and what-if."""
    from camp_planner.cli.serve import run_serve

    raise typer.Exit(run_serve(host, port, data, jobs, *_consoles(), keep_days=keep_days, ray=ray))


@app.command()
def replan(
    folder: Annotated[Path, typer.Argument(help="Planning folder as it is now")],
    published: Annotated[Path, typer.Option("--published", help="The published roster.json")],
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Cohorts with a session before this day have met (today)"),
    ] = None,
    pins: Annotated[
        Path | None, typer.Option("--pins", help="pins.csv: cohort_id, field to keep")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Output folder (default FOLDER/replan)")
    ] = None,
    time_limit: TimeLimit = 60.0,
    seed: Seed = 0,
    workers: Annotated[int, typer.Option("--workers", help="Solver threads")] = 1,
    adopt: Annotated[bool, typer.Option("--adopt", help=ADOPT_HELP)] = False,
) -> None:
    """Replan a published roster with the fewest changes: roster, changes.csv, invitations."""
    from camp_planner.cli.replan import run_replan

    raise typer.Exit(
        run_replan(
            folder, published, as_of, pins, out, time_limit, seed, workers, *_consoles(), adopt
        )
    )


@app.command()
def fit(
    folder: Annotated[Path, typer.Argument(help="Planning folder (with the company in it)")],
    published: Annotated[Path, typer.Option("--published", help="The published roster.json")],
    company: Annotated[str, typer.Option("--company", help="The company's company_id")],
    top: Annotated[int, typer.Option("--top", help="How many places to list")] = 5,
    out: Annotated[
        Path | None,
        typer.Option("--out", help="CSV to write (default fit-ID.csv beside the roster)"),
    ] = None,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="Cohorts with a session before this day have met (today)"),
    ] = None,
    pins: Annotated[
        Path | None, typer.Option("--pins", help="pins.csv: cohort_id, field to keep")
    ] = None,
    time_limit: TimeLimit = 60.0,
) -> None:
    """The best places for one company in a published roster, and why not elsewhere."""
    from camp_planner.cli.fit import run_fit

    raise typer.Exit(
        run_fit(folder, published, company, top, out, as_of, pins, time_limit, *_consoles())
    )


from camp_planner.cli.send import register as _register_mail  # noqa: E402

_register_mail(app)


def main() -> None:  # pragma: no cover - entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
