"""`camp-planner check FOLDER`: validate a planning folder and summarise it."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from camp_planner.cli._common import ExitCode, load_planning_folder, print_notes, refused
from camp_planner.models import PlanningProblem, Segment, Step
from camp_planner.models.groups import CANNOT_FILL, group_counts, group_status, no_next_step

#: Status of a group too small for a cohort at a venue that an online cohort can hold.
ONLINE_ONLY = "online cohort only"


def run_check(folder: Path, out: Console, err: Console) -> ExitCode:
    """Validate a planning folder and print what the round would work with.

    Everything ``roster`` would refuse is reported here too (the pre-solve checks).

    Args:
        folder: The planning folder.
        out: Where the summary goes.
        err: Where problems go.

    Returns:
        OK when the folder can be solved; BAD_INPUT when it has input problems (all of them
        printed as a table) or a request no roster can meet.
    """
    from camp_planner.scheduler.preflight import preflight

    loaded = load_planning_folder(folder, err)
    if loaded is None:
        return ExitCode.BAD_INPUT
    problem, notes = loaded
    print_notes(notes, out)
    print_summary(problem, out)
    if refused(preflight(problem), err, "`roster` would refuse this round; fix the above first."):
        return ExitCode.BAD_INPUT
    out.print(
        Text(f"OK: {len(problem.companies)} companies, {len(problem.venues)} venues.", "green")
    )
    return ExitCode.OK


def print_summary(problem: PlanningProblem, out: Console) -> None:
    """Print the round, the groups of companies and the venues."""
    config = problem.round
    days = problem.working_days()
    out.print(
        Text(
            f"Round {config.name}: {config.start} to {config.end}, {len(days)} working days "
            f"for sessions; cohorts of {config.cohort_min}-{config.cohort_max} people; "
            f"at most {config.max_venues} venues; {config.facilitators} facilitator(s)."
        )
    )
    out.print(group_table(problem))
    finished = no_next_step(problem)
    out.print(
        Text(
            f"No next step this round: {finished['track_complete']} track complete, "
            f"{finished['not_eligible']} not eligible (level C after Module 1)."
        )
    )
    below_c = sum(c.below_c for c in problem.companies)
    if below_c:
        out.print(Text(f"{below_c} compan{'y' if below_c == 1 else 'ies'} below C (with C)."))
    out.print(venue_table(problem))


def print_groups(problem: PlanningProblem, out: Console) -> None:
    """Print companies and people per group and name the groups that cannot fill a cohort."""
    out.print(group_table(problem))
    rnd = problem.round
    small = [
        f"{segment.label} ({people} {'person' if people == 1 else 'people'})"
        for segment, (_, people) in group_counts(problem).items()
        if _status(problem, segment, people) == CANNOT_FILL
    ]
    if small:
        out.print(
            Text(
                f"Cannot fill a cohort of {rnd.cohort_min}: {', '.join(small)}; "
                "these companies go to the waitlist.",
                style="yellow",
            )
        )


def _status(problem: PlanningProblem, segment: Segment, people: int) -> str:
    """group_status, and whether an online cohort (when the round allows them) could hold
    a group too small for a cohort at a venue."""
    rnd = problem.round
    status = group_status(people, rnd.cohort_min, rnd.cohort_max)
    online = rnd.online_cohorts and segment.module == Step.MODULE1
    if status == CANNOT_FILL and online and people >= rnd.online_cohort_min:
        return ONLINE_ONLY
    return status


def group_table(problem: PlanningProblem) -> Table:
    """The groups of companies as a table (companies, people, whether a cohort can be filled)."""
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
        status = _status(problem, segment, people)
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


def venue_table(problem: PlanningProblem) -> Table:
    """The venues as a table (id, name, residential, max cohorts, status, unavailable dates)."""
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
