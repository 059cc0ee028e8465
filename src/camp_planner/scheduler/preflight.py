"""Pre-solve checks: requests of a round that no roster can meet, in business words.

Used by ``check`` (which reports them as problems) and by ``roster`` and ``whatif`` (which
refuse to solve). Each check is a necessary condition only: a round that passes may still
leave companies unplaced, each with its reason.
"""

from __future__ import annotations

from collections import Counter

from camp_planner.models import PlanningProblem, Step, Venue, VenueStatus
from camp_planner.models.groups import group_counts
from camp_planner.models.roster import ONLINE_VENUE_ID
from camp_planner.scheduler.days import DayIndex
from camp_planner.scheduler.kinds import Kind, round_kinds
from camp_planner.scheduler.prepare import allowed_venues, round_too_short


def preflight(problem: PlanningProblem) -> list[str]:
    """Requests of the round that no roster can meet, as sentences for the coordinator.

    In order: the round's calendar has room for one cohort (:func:`round_too_short`);
    some venue can host the companies (:func:`no_venue_can_host`); the ``required`` venues
    fit within ``max_venues`` and each can host a cohort of some group.

    Args:
        problem: A validated planning problem.

    Returns:
        One sentence per problem; empty when the round can be solved.
    """
    rnd = problem.round
    modules = {s.module for s in group_counts(problem)}
    days = DayIndex.for_problem(problem)
    if modules and not any(days.session_options(m) for m in modules):
        free = days.count - len(days.blocked)
        reasons = "; ".join(round_too_short(problem, m, "en") for m in sorted(modules))
        return [
            f"The round {rnd.start} to {rnd.end} is too short for even one cohort: it has "
            f"{days.count} working days ({free} with the facilitator available), and {reasons}. "
            "Extend `end` in round.toml or shorten lab_gap_days."
        ]
    if rnd.online_cohorts and any(v.venue_id == ONLINE_VENUE_ID for v in problem.venues):
        return [
            f"A venue in venues.csv has the id {ONLINE_VENUE_ID!r}, which the roster uses for "
            "online cohorts (online_cohorts = true in round.toml). Give that venue another id."
        ]
    nowhere = no_venue_can_host(problem)
    if nowhere is not None:
        return [nowhere]
    messages = []
    required = [v for v in problem.venues if v.status == VenueStatus.REQUIRED]
    if len(required) > rnd.max_venues:
        messages.append(
            f"{len(required)} venues are required ({', '.join(v.venue_id for v in required)}) "
            f"but max_venues is {rnd.max_venues}. Raise max_venues in round.toml or make "
            "some of them candidates."
        )
    for venue in required:
        reason = unusable_reason(problem, venue)
        if reason is not None:
            messages.append(
                f"Venue {venue.venue_id} ({venue.name}) is required, but no cohort can be held "
                f"there: {reason}. Set its status to candidate in venues.csv, or change the "
                "round's settings."
            )
    return messages


def no_venue_can_host(problem: PlanningProblem) -> str | None:
    """Why no company with a next step may train at any venue, or None when some may.

    A round where every venue is closed, or where every company is farther than
    ``max_travel_km`` from every open venue, would be "solved" with nobody placed.
    """
    waiting = [c for c in problem.companies if problem.segment_of(c) is not None]
    if not waiting:
        return None
    if problem.round.online_cohorts and any(
        segment.module == Step.MODULE1 for c in waiting if (segment := problem.segment_of(c))
    ):
        return None  # online cohorts need no venue
    venues = list(problem.venues)
    if all(v.status == VenueStatus.CLOSED for v in venues):
        return (
            "Every venue is closed, so no cohort can be held. Set at least one venue's status "
            "to candidate (or required) in venues.csv."
        )
    for company in waiting:
        segment = problem.segment_of(company)
        assert segment is not None
        if allowed_venues(problem, company, segment, venues):
            return None
    limit = problem.round.max_travel_km
    if limit > 0:
        return (
            f"No company may train at any open venue: every one is farther than "
            f"max_travel_km = {limit:g} km from each (or needs a residential venue for "
            "Module 2). Raise max_travel_km in round.toml or open a nearer venue."
        )
    return (
        "No company may train at any open venue: every company's next step is Module 2, "
        "which needs a residential venue, and no open venue is residential. Mark a venue "
        "residential in venues.csv."
    )


def unusable_reason(problem: PlanningProblem, venue: Venue) -> str | None:
    """Why no cohort can be held at `venue`, or None when some group may fill one there.

    A necessary condition only: a group (segment) must have at least ``cohort_min`` people
    allowed at the venue (residential for Module 2, within ``max_travel_km``) who can attend
    a module and its lab on days the venue and the facilitator are free.
    """
    rnd = problem.round
    if venue.max_cohorts == 0:
        return "its max_cohorts is 0"
    sizes = group_counts(problem)
    # Companies that may share a cohort (a segment, or a mix the round allows) fill it
    # together: check each kind of cohort the round allows.
    large = [
        k
        for k in round_kinds(rnd, sizes)
        if sum(p for s, (_, p) in sizes.items() if k.admits(s)) >= rnd.cohort_min
    ]
    if not large:
        return f"no group of companies has the {rnd.cohort_min} people a cohort needs"
    days = DayIndex.for_problem(problem)
    ok: Counter[Kind] = Counter()
    near = 0
    for company in problem.companies:
        segment = problem.segment_of(company)
        mine = [k for k in large if segment is not None and k.admits(segment)]
        if segment is None or not mine:
            continue
        if not allowed_venues(problem, company, segment, [venue]):
            continue
        near += 1
        blocked = frozenset(company.unavailable | venue.unavailable)
        if days.company_can_attend(segment.module, blocked):
            for kind in mine:
                ok[kind] += company.participants
    if any(people >= rnd.cohort_min for people in ok.values()):
        return None
    labels = ", ".join(k.label for k in large)
    if not venue.residential and all(k.module == Step.MODULE2 for k in large):
        return (
            f"it is not residential, and every group large enough for a cohort ({labels}) "
            "takes Module 2, which needs a residential venue"
        )
    if near == 0 and rnd.max_travel_km > 0:
        return (
            f"every company of the groups large enough for a cohort ({labels}) is farther "
            f"than max_travel_km = {rnd.max_travel_km:g} km from it"
        )
    counts = ", ".join(f"{k.label} {ok[k]}" for k in large)
    return (
        f"no group has {rnd.cohort_min} people who may train there and can attend on a day "
        f"it is open (people who can: {counts})"
    )
