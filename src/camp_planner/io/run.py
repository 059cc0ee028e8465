"""`camp-planner roster` and `camp-planner map`: read the folder, check, solve, write, report.

:func:`run_roster` is the coordinator's main command. Before solving it prints the groups of
companies (reusing :mod:`camp_planner.io.check`) and refuses, with a sentence instead of a
traceback or a silently empty roster, a round that cannot hold what it asks for
(:func:`preflight`). While CP-SAT runs, a live status line shows its latest improvement and
the elapsed time. Every output file is written atomically by the writers of
:mod:`camp_planner.io`.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from camp_planner.io.check import CANNOT_FILL, group_counts, group_status, group_table
from camp_planner.io.errors import InputError
from camp_planner.io.folder import load_folder_with_notes
from camp_planner.models import (
    PlanningProblem,
    Roster,
    Segment,
    SolverStatus,
    Step,
    Venue,
    VenueStatus,
)

ROSTER_JSON = "roster.json"
ROSTER_XLSX = "roster.xlsx"
PARTICIPANTS_CSV = "participants.csv"
INVITATIONS = "invitations"
MAP_HTML = "map.html"
#: Exit codes: success, solver found no roster, input or request cannot be used.
OK, NO_ROSTER, BAD_INPUT = 0, 1, 2


def load(folder: Path, err_console: Console) -> tuple[PlanningProblem, list[str]] | None:
    """Read a planning folder; print why not (as a table of problems) and return None.

    Args:
        folder: The planning folder.
        err_console: Where problems go.

    Returns:
        The problem and its notes, or None when the folder cannot be used.
    """
    folder = Path(folder)
    if not folder.is_dir():
        what = "is a file, not a folder" if folder.exists() else "does not exist"
        err_console.print(
            Text(
                f"Planning folder {folder} {what}. A planning folder holds companies.csv, "
                "venues.csv and round.toml (try `camp-planner demo` for an example).",
                style="red",
            )
        )
        return None
    try:
        return load_folder_with_notes(folder)
    except InputError as exc:
        count = len(exc.problems)
        title = f"{folder}: {count} problem{'s' if count != 1 else ''} - fix and run again"
        err_console.print(exc.render(title=title))
    except Exception as exc:  # noqa: BLE001 - the CLI never shows a traceback
        err_console.print(Text(f"Could not read {folder}: {type(exc).__name__}: {exc}"))
    return None


def print_groups(problem: PlanningProblem, console: Console) -> None:
    """Print companies and people per group and name the groups that cannot fill a cohort.

    Args:
        problem: A validated planning problem.
        console: Where to print.
    """
    console.print(group_table(problem))
    rnd = problem.round
    small = [
        f"{segment.label} ({people} {'person' if people == 1 else 'people'})"
        for segment, (_, people) in group_counts(problem).items()
        if group_status(people, rnd.cohort_min, rnd.cohort_max) == CANNOT_FILL
    ]
    if small:
        console.print(
            Text(
                f"Cannot fill a cohort of {rnd.cohort_min}: {', '.join(small)}; "
                "these companies go to the waitlist.",
                style="yellow",
            )
        )


def _unusable_reason(problem: PlanningProblem, venue: Venue) -> str | None:
    """Why no cohort can be held at `venue`, or None when some group may fill one there.

    A necessary condition only: a group (segment) must have at least ``cohort_min`` people
    allowed at the venue (residential for Module 2, within ``max_travel_km``) who can attend
    a module and its lab on days the venue and the facilitator are free.
    """
    from camp_planner.scheduler.days import DayIndex
    from camp_planner.scheduler.prepare import allowed_venues

    rnd = problem.round
    if venue.max_cohorts == 0:
        return "its max_cohorts is 0"
    large = [s for s, (_, people) in group_counts(problem).items() if people >= rnd.cohort_min]
    if not large:
        return f"no group of companies has the {rnd.cohort_min} people a cohort needs"
    days = DayIndex.for_problem(problem)
    ok: Counter[Segment] = Counter()
    near = 0
    for company in problem.companies:
        segment = problem.segment_of(company)
        if segment not in large or not allowed_venues(problem, company, segment, [venue]):
            continue
        near += 1
        blocked = frozenset(company.unavailable | venue.unavailable)
        if days.company_can_attend(segment.module, blocked):
            ok[segment] += company.participants
    if any(people >= rnd.cohort_min for people in ok.values()):
        return None
    labels = ", ".join(s.label for s in large)
    if not venue.residential and all(s.module == Step.MODULE2 for s in large):
        return (
            f"it is not residential, and every group large enough for a cohort ({labels}) "
            "takes Module 2, which needs a residential venue"
        )
    if near == 0 and rnd.max_travel_km > 0:
        return (
            f"every company of the groups large enough for a cohort ({labels}) is farther "
            f"than max_travel_km = {rnd.max_travel_km:g} km from it"
        )
    counts = ", ".join(f"{s.label} {ok[s]}" for s in large)
    return (
        f"no group has {rnd.cohort_min} people who may train there and can attend on a day "
        f"it is open (people who can: {counts})"
    )


def preflight(problem: PlanningProblem) -> list[str]:
    """Requests of the round that no roster can meet, as sentences for the coordinator.

    Checks that the round's calendar has room for one cohort (a module day and a lab day
    ``lab_gap_days`` later, both inside the round), that ``required`` venues fit within
    ``max_venues`` and that each of them can host a cohort of some group.

    Args:
        problem: A validated planning problem.

    Returns:
        One message per problem; empty when the round can be solved.
    """
    from camp_planner.scheduler.days import DayIndex

    rnd = problem.round
    messages = []
    modules = {s.module for s in group_counts(problem)}
    days = DayIndex.for_problem(problem)
    if modules and not any(days.session_options(m) for m in modules):
        free = days.count - len(days.blocked)
        lo, hi = rnd.lab_gap_days
        messages.append(
            f"The round {rnd.start} to {rnd.end} is too short for even one cohort: it has "
            f"{days.count} working days ({free} with the facilitator available), and no "
            f"module day has a lab day {lo}-{hi} days later inside the round. Extend `end` "
            "in round.toml or shorten lab_gap_days."
        )
        return messages
    required = [v for v in problem.venues if v.status == VenueStatus.REQUIRED]
    if len(required) > rnd.max_venues:
        messages.append(
            f"{len(required)} venues are required ({', '.join(v.venue_id for v in required)}) "
            f"but max_venues is {rnd.max_venues}. Raise max_venues in round.toml or make "
            "some of them candidates."
        )
    for venue in required:
        reason = _unusable_reason(problem, venue)
        if reason is not None:
            messages.append(
                f"Venue {venue.venue_id} ({venue.name}) is required, but no cohort can be held "
                f"there: {reason}. Set its status to candidate in venues.csv, or change the "
                "round's settings."
            )
    return messages


def _solve(
    problem: PlanningProblem, time_limit: float, seed: int, workers: int, console: Console
) -> Roster:
    """Solve with a live status line: spinner, latest solver message, elapsed seconds."""
    from camp_planner.scheduler import solve

    columns = (
        SpinnerColumn(),
        TextColumn("[bold]Solving[/] {task.description}"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("building the model", total=None)

        def report(message: str) -> None:
            progress.update(task, description=escape(message))

        return solve(problem, time_limit=time_limit, seed=seed, workers=workers, progress=report)


def _remove_stale_invitations(folder: Path, written: list[Path]) -> None:
    """Delete cohort invitations of an earlier run that are not in this roster."""
    keep = {p.resolve() for p in written}
    for file in (folder / INVITATIONS).glob("*.ics"):
        if file.resolve() not in keep:
            file.unlink(missing_ok=True)


def write_outputs(problem: PlanningProblem, roster: Roster, out: Path) -> dict[str, Path]:
    """Write roster.json, roster.xlsx, participants.csv, invitations/*.ics and map.html.

    Args:
        problem: The round's input.
        roster: Its roster.
        out: The output folder (created if needed).

    Returns:
        What was written, by kind.
    """
    from camp_planner.io.ics import write_invitations
    from camp_planner.io.maps import write_map
    from camp_planner.io.writers import (
        write_participants_csv,
        write_roster_json,
        write_roster_xlsx,
    )

    out.mkdir(parents=True, exist_ok=True)
    files = {"roster": write_roster_json(roster, out / ROSTER_JSON)}
    files["workbook"] = write_roster_xlsx(problem, roster, out / ROSTER_XLSX)
    files["participants"] = write_participants_csv(problem, roster, out / PARTICIPANTS_CSV)
    invitations = write_invitations(problem, roster, out)
    _remove_stale_invitations(out, invitations)
    files["invitations"] = out / INVITATIONS
    files["map"] = write_map(problem, roster, out / MAP_HTML)
    return files


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


def run_roster(
    folder: Path,
    out: Path | None,
    time_limit: float,
    seed: int,
    workers: int,
    console: Console,
    err_console: Console,
    *,
    preamble: bool = True,
) -> int:
    """`camp-planner roster`: check the folder, solve the round, write and summarise it.

    Args:
        folder: The planning folder.
        out: Output folder; None for ``FOLDER/out``.
        time_limit: Solver time limit, seconds.
        seed: Solver random seed.
        workers: Solver threads.
        console: Where the summary goes.
        err_console: Where problems go.
        preamble: Print the folder's notes and groups (``demo`` has printed them already).

    Returns:
        0 when a roster was found and written; 1 when the solver found none (roster.json
        still lists every company as unplaced); 2 when the folder or the request cannot be
        used (nothing is solved).
    """
    folder = Path(folder)
    loaded = load(folder, err_console)
    if loaded is None:
        return BAD_INPUT
    problem, notes = loaded
    if preamble:
        for note in notes:
            console.print(Text(f"note: {note}", style="yellow"))
        print_groups(problem, console)
    messages = preflight(problem)
    if messages:
        for message in messages:
            err_console.print(Text(message, style="red"))
        err_console.print(Text("Nothing was solved.", style="red"))
        return BAD_INPUT
    if time_limit <= 0 or workers < 1:
        err_console.print(Text("--time-limit must be > 0 and --workers at least 1.", style="red"))
        return BAD_INPUT
    out = Path(out) if out is not None else folder / "out"
    console.print(
        Text(
            f"Solving {len(problem.companies)} companies, {len(problem.venues)} venues "
            f"(time limit {time_limit:g} s, {workers} worker(s), seed {seed}) ..."
        )
    )
    try:
        roster = _solve(problem, time_limit, seed, workers, console)
    except Exception as exc:  # noqa: BLE001 - the CLI never shows a traceback
        err_console.print(
            Text(
                f"The solver stopped with an internal error ({type(exc).__name__}: {exc}); "
                "nothing was written. Try a longer --time-limit, and please report this.",
                style="red",
            )
        )
        return NO_ROSTER
    try:
        files = write_outputs(problem, roster, out)
    except OSError as exc:
        err_console.print(Text(f"Cannot write the outputs to {out}: {exc}", style="red"))
        return BAD_INPUT
    console.print(summary_table(roster))
    console.print(Text(f"Outputs in {out}:", style="bold"))
    invitations = len(list(files["invitations"].glob("*.ics")))
    for kind, path in files.items():
        extra = f" ({invitations} .ics files)" if kind == "invitations" else ""
        console.print(Text(f"  {path}{extra}"))
    if roster.solver.status in (SolverStatus.INFEASIBLE, SolverStatus.TIME_LIMIT):
        message = roster.solver.message or roster.solver.status.value
        err_console.print(
            Text(
                f"No roster: {message}. roster.json lists every company as unplaced.",
                style="red",
            )
        )
        return NO_ROSTER
    return OK


def run_map(
    folder: Path,
    roster_path: Path | None,
    out: Path | None,
    anonymize: bool,
    assets: Path | None,
    console: Console,
    err_console: Console,
) -> int:
    """`camp-planner map`: draw a roster's travel map from the planning folder's locations.

    Args:
        folder: The planning folder.
        roster_path: roster.json; None for ``FOLDER/out/roster.json``.
        out: The HTML file; None for ``FOLDER/out/map.html``.
        anonymize: Show no company name or id.
        assets: Local copies of Leaflet & co. to inline (offline use); None for the CDN.
        console: Where the result goes.
        err_console: Where problems go.

    Returns:
        0 when written; 2 when the folder, the roster or the assets cannot be used.
    """
    from camp_planner.io.maps import write_map

    folder = Path(folder)
    loaded = load(folder, err_console)
    if loaded is None:
        return BAD_INPUT
    problem, _ = loaded
    roster_path = Path(roster_path) if roster_path is not None else folder / "out" / ROSTER_JSON
    out = Path(out) if out is not None else folder / "out" / MAP_HTML
    if not roster_path.is_file():
        err_console.print(
            Text(
                f"No roster at {roster_path}. Run `camp-planner roster {folder}` first, "
                "or give one with --roster.",
                style="red",
            )
        )
        return BAD_INPUT
    try:
        roster = Roster.from_json(roster_path.read_bytes())
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "the document"
        err_console.print(
            Text(
                f"{roster_path} is not a roster.json ({exc.error_count()} problem(s); "
                f"first at {where}: {first.get('msg', '')}).",
                style="red",
            )
        )
        return BAD_INPUT
    except OSError as exc:
        err_console.print(Text(f"Cannot read {roster_path}: {exc}", style="red"))
        return BAD_INPUT
    known = {c.company_id for c in problem.companies}
    listed = {m for c in roster.cohorts for m in c.members}
    listed |= {u.company_id for u in roster.unplaced}
    foreign = listed - known
    if foreign:
        console.print(
            Text(
                f"note: {len(foreign)} compan{'y' if len(foreign) == 1 else 'ies'} of the roster "
                f"{'is' if len(foreign) == 1 else 'are'} not in {folder} and not drawn.",
                style="yellow",
            )
        )
    if roster.round != problem.round.name:
        console.print(
            Text(
                f"note: the roster is of round {roster.round!r}, the folder of "
                f"{problem.round.name!r}.",
                style="yellow",
            )
        )
    try:
        path = write_map(problem, roster, out, anonymize=anonymize, assets_dir=assets)
    except OSError as exc:
        err_console.print(Text(f"Cannot write the map: {exc}", style="red"))
        return BAD_INPUT
    shown = "anonymised " if anonymize else ""
    console.print(Text(f"Wrote the {shown}travel map to {path}", style="bold"))
    return OK
