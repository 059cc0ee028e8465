"""Pre-solve checks: requests of a round that no roster can meet, in business words.

Used by ``check`` (which reports them as problems) and by ``roster`` and ``whatif`` (which
refuse to solve). Each check is a necessary condition only: a round that passes may still
leave companies unplaced, each with its reason. The sentences are English (the commands
and the JSON API); the web app's pages ask for them in their language (`lang`, the
library's catalog, :mod:`camp_planner.i18n`).
"""

from __future__ import annotations

from collections import Counter

from camp_planner.engine import rules
from camp_planner.i18n import DEFAULT, age_label, format_day, format_number, gettext_for, step_label
from camp_planner.models import PlanningProblem, Step, Venue, VenueStatus
from camp_planner.models.groups import group_counts
from camp_planner.models.roster import ONLINE_VENUE_ID
from camp_planner.scheduler.days import DayIndex
from camp_planner.scheduler.kinds import Kind, round_kinds
from camp_planner.scheduler.prepare import allowed_venues, round_too_short


def preflight(problem: PlanningProblem, lang: str = DEFAULT) -> list[str]:
    """Requests of the round that no roster can meet, as sentences for the coordinator.

    In order: the round's calendar has room for one cohort (:func:`round_too_short`);
    some venue can host the companies (:func:`no_venue_can_host`); the ``required`` venues
    fit within ``max_venues`` and each can host a cohort of some group.

    Args:
        problem: A validated planning problem.
        lang: The language of the sentences (``en``, the default, or ``da``).

    Returns:
        One sentence per problem; empty when the round can be solved.
    """
    _ = gettext_for(lang)
    rnd = problem.round
    modules = {s.module for s in group_counts(problem)}
    days = DayIndex.for_problem(problem)
    if modules and not any(days.session_options(m) for m in modules):
        free = days.count - len(days.blocked)
        reasons = "; ".join(round_too_short(problem, m, lang) for m in sorted(modules))
        return [
            _(
                "The round %(start)s to %(end)s is too short for even one cohort: it has "
                "%(days)s working days (%(free)s with the facilitator available), and "
                "%(reasons)s. Extend `end` in round.toml or shorten lab_gap_days."
            )
            % {
                "start": format_day(rnd.start, lang),
                "end": format_day(rnd.end, lang),
                "days": days.count,
                "free": free,
                "reasons": reasons,
            }
        ]
    if rnd.online_cohorts and any(v.venue_id == ONLINE_VENUE_ID for v in problem.venues):
        return [
            _(
                "A venue in venues.csv has the id %(id)s, which the roster uses for online "
                "cohorts (online_cohorts = true in round.toml). Give that venue another id."
            )
            % {"id": repr(ONLINE_VENUE_ID)}
        ]
    nowhere = no_venue_can_host(problem, lang)
    if nowhere is not None:
        return [nowhere]
    messages = []
    required = [v for v in problem.venues if rules.must_host(v)]
    if len(required) > rnd.max_venues:
        messages.append(
            _(
                "%(n)s venues are required (%(venues)s) but max_venues is %(max)s. Raise "
                "max_venues in round.toml or make some of them candidates."
            )
            % {
                "n": len(required),
                "venues": ", ".join(v.venue_id for v in required),
                "max": rnd.max_venues,
            }
        )
    for venue in required:
        reason = unusable_reason(problem, venue, lang)
        if reason is not None:
            messages.append(
                _(
                    "Venue %(id)s (%(name)s) is required, but no cohort can be held there: "
                    "%(reason)s. Set its status to candidate in venues.csv, or change the "
                    "round's settings."
                )
                % {"id": venue.venue_id, "name": venue.name, "reason": reason}
            )
    return messages


def no_venue_can_host(problem: PlanningProblem, lang: str = DEFAULT) -> str | None:
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
    _ = gettext_for(lang)
    venues = list(problem.venues)
    if all(v.status == VenueStatus.CLOSED for v in venues):
        return _(
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
        return _(
            "No company may train at any open venue: every one is farther than "
            "max_travel_km = %(limit)s km from each (or needs a residential venue for "
            "Module 2). Raise max_travel_km in round.toml or open a nearer venue."
        ) % {"limit": format_number(limit, lang, "g")}
    return _(
        "No company may train at any open venue: every company's next step is Module 2, "
        "which needs a residential venue, and no open venue is residential. Mark a venue "
        "residential in venues.csv."
    )


def _kind_label(kind: Kind, lang: str) -> str:
    """A kind's label (:attr:`Kind.label`) in `lang`: ``A+B/ung Modul 1``."""
    if lang == DEFAULT:
        return kind.label
    return f"{kind.level_text}/{age_label(kind.age_text, lang)} {step_label(kind.module, lang)}"


def unusable_reason(problem: PlanningProblem, venue: Venue, lang: str = DEFAULT) -> str | None:
    """Why no cohort can be held at `venue`, or None when some group may fill one there.

    A necessary condition only: a group (segment) must have at least ``cohort_min`` people
    allowed at the venue (residential for Module 2, within ``max_travel_km``) who can attend
    a module and its lab on days the venue and the facilitator are free.
    """
    _ = gettext_for(lang)
    rnd = problem.round
    if rules.most_cohorts_at(venue) == 0:
        return _("its max_cohorts is 0")
    sizes = group_counts(problem)
    # Companies that may share a cohort (a segment, or a mix the round allows) fill it
    # together: check each kind of cohort the round allows.
    large = [
        k
        for k in round_kinds(rnd, sizes)
        if sum(p for s, (_, p) in sizes.items() if k.admits(s)) >= rnd.cohort_min
    ]
    if not large:
        return _("no group of companies has the %(min)s people a cohort needs") % {
            "min": rnd.cohort_min
        }
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
    labels = ", ".join(_kind_label(k, lang) for k in large)
    if not venue.residential and all(k.module == Step.MODULE2 for k in large):
        return _(
            "it is not residential, and every group large enough for a cohort (%(groups)s) "
            "takes Module 2, which needs a residential venue"
        ) % {"groups": labels}
    if near == 0 and rnd.max_travel_km > 0:
        return _(
            "every company of the groups large enough for a cohort (%(groups)s) is farther "
            "than max_travel_km = %(limit)s km from it"
        ) % {"groups": labels, "limit": format_number(rnd.max_travel_km, lang, "g")}
    counts = ", ".join(f"{_kind_label(k, lang)} {ok[k]}" for k in large)
    return _(
        "no group has %(min)s people who may train there and can attend on a day it is open "
        "(people who can: %(counts)s)"
    ) % {"min": rnd.cohort_min, "counts": counts}
