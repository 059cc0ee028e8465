"""`camp-planner check`: validate a planning folder and summarise it per group and venue."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from camp_planner.io.errors import InputError
from camp_planner.io.folder import load_folder_with_notes
from camp_planner.models import AgeGroup, PlanningProblem, Segment, Step

#: Status text of a group whose people cannot fill even one cohort.
CANNOT_FILL = "cannot fill a cohort"


def run_check(folder: Path, console: Console, err_console: Console) -> int:
    """Validate a planning folder and print what the round would work with.

    Args:
        folder: The planning folder.
        console: Where the summary goes.
        err_console: Where problems go.

    Returns:
        0 when the folder is valid, 2 when it has input problems (all of them are printed as
        a table, never a traceback), 1 on an unexpected error.
    """
    try:
        problem, notes = load_folder_with_notes(Path(folder))
    except InputError as exc:
        count = len(exc.problems)
        title = f"{folder}: {count} problem{'s' if count != 1 else ''} - fix and run check again"
        err_console.print(exc.render(title=title))
        return 2
    except Exception as exc:  # noqa: BLE001 - the CLI never shows a traceback
        err_console.print(Text(f"Could not read {folder}: {type(exc).__name__}: {exc}"))
        return 1
    for note in notes:
        console.print(Text(f"note: {note}", style="yellow"))
    print_summary(problem, console)
    return 0


def print_summary(problem: PlanningProblem, console: Console) -> None:
    """Print the round, the groups of companies and the venues.

    Args:
        problem: A validated planning problem.
        console: Where to print.
    """
    config = problem.round
    days = problem.working_days()
    console.print(
        Text(
            f"Round {config.name}: {config.start} to {config.end}, {len(days)} working days "
            f"for sessions; cohorts of {config.cohort_min}-{config.cohort_max} people; "
            f"at most {config.max_venues} venues; {config.facilitators} facilitator(s)."
        )
    )
    console.print(group_table(problem))
    finished = no_next_step(problem)
    console.print(
        Text(
            f"No next step this round: {finished['track_complete']} track complete, "
            f"{finished['not_eligible']} not eligible (level C after Module 1)."
        )
    )
    below_c = sum(c.below_c for c in problem.companies)
    if below_c:
        console.print(Text(f"{below_c} compan{'y' if below_c == 1 else 'ies'} below C (with C)."))
    console.print(venue_table(problem))
    console.print(
        Text(
            f"OK: {len(problem.companies)} companies, {len(problem.venues)} venues.",
            style="green",
        )
    )


def _segment_order(segment: Segment) -> tuple[int, int, int]:
    return (
        0 if segment.module == Step.MODULE1 else 1,
        segment.level.rank,
        0 if segment.age_group == AgeGroup.ESTABLISHED else 1,
    )


def group_counts(problem: PlanningProblem) -> dict[Segment, tuple[int, int]]:
    """Companies and people per group (next step x level x age group).

    Args:
        problem: A validated planning problem.

    Returns:
        Segment -> (companies, people), in module, level, age-group order.
    """
    counts: dict[Segment, tuple[int, int]] = {}
    for company in problem.companies:
        segment = problem.segment_of(company)
        if segment is None:
            continue
        n, people = counts.get(segment, (0, 0))
        counts[segment] = (n + 1, people + company.participants)
    return dict(sorted(counts.items(), key=lambda item: _segment_order(item[0])))


def group_status(people: int, cohort_min: int, cohort_max: int) -> str:
    """Whether a group's people can fill cohorts of `cohort_min`-`cohort_max`.

    Args:
        people: People in the group.
        cohort_min: Fewest people per cohort.
        cohort_max: Most people per cohort.

    Returns:
        ``"cannot fill a cohort"``, ``"ok"`` or e.g. ``"at most 10 of 13 people fit"``.
    """
    if people < cohort_min:
        return CANNOT_FILL
    fit = min(people, (people // cohort_min) * cohort_max)
    return "ok" if fit == people else f"at most {fit} of {people} people fit"


def group_table(problem: PlanningProblem) -> Table:
    """The groups of companies as a table (companies, people, whether a cohort can be filled).

    Args:
        problem: A validated planning problem.

    Returns:
        A rich table.
    """
    config = problem.round
    table = Table(title="Companies per next step, level and age group")
    for name, justify in (
        ("next step", "left"),
        ("level", "center"),
        ("age group", "left"),
        ("companies", "right"),
        ("people", "right"),
        ("status", "left"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for segment, (companies, people) in group_counts(problem).items():
        status = group_status(people, config.cohort_min, config.cohort_max)
        style = "red" if status == CANNOT_FILL else ("yellow" if status != "ok" else "green")
        table.add_row(
            "Module 1" if segment.module == Step.MODULE1 else "Module 2",
            segment.level.value,
            segment.age_group.value,
            str(companies),
            str(people),
            Text(status, style=style),
        )
    return table


def no_next_step(problem: PlanningProblem) -> Counter[str]:
    """Companies without a next step this round, by reason.

    Args:
        problem: A validated planning problem.

    Returns:
        Counts under ``track_complete`` (Module 2 done) and ``not_eligible`` (Module 1
        done, but not at level A or B).
    """
    counts: Counter[str] = Counter(track_complete=0, not_eligible=0)
    for company in problem.companies:
        if problem.segment_of(company) is not None:
            continue
        counts["track_complete" if Step.MODULE2 in company.completed else "not_eligible"] += 1
    return counts


def venue_table(problem: PlanningProblem) -> Table:
    """The venues as a table.

    Args:
        problem: A validated planning problem.

    Returns:
        A rich table (id, name, residential, max cohorts, status, unavailable dates).
    """
    table = Table(title="Venues")
    table.add_column("venue_id")
    table.add_column("name")
    table.add_column("residential", justify="center")
    table.add_column("max_cohorts", justify="right")
    table.add_column("status")
    table.add_column("unavailable dates", justify="right")
    for venue in problem.venues:
        table.add_row(
            Text(venue.venue_id),
            Text(venue.name),
            "yes" if venue.residential else "no",
            "no limit" if venue.max_cohorts is None else str(venue.max_cohorts),
            venue.status.value,
            str(len(venue.unavailable)),
        )
    return table
