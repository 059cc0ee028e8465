"""Sentences for companies the optimiser could consider but did not place, in the round's
language (:mod:`camp_planner.i18n`), and which part of the policy decided."""

from __future__ import annotations

from collections.abc import Mapping

from camp_planner.i18n import format_day, gettext_for, ngettext_for, segment_label
from camp_planner.models import PlanningProblem, Segment, UnplacedCode
from camp_planner.models.groups import fillable_people
from camp_planner.scheduler.prepare import Group
from camp_planner.scheduler.remedy_hints import remedy_hints, too_small, too_small_sentence


def segment_too_small(segment: Segment, companies: int, people: int, cohort_min: int) -> str:
    """e.g. "A/young Module 1 has 5 eligible companies (5 people); a cohort needs 8"."""
    return (
        f"{segment.label} has {companies} eligible companies ({people} people); "
        f"a cohort needs {cohort_min}"
    )


#: What decided that a company had no room (``summary.policy`` counts them): a higher
#: priority, longer waiting at equal priority, or shorter travel at equal both.
BY_PRIORITY, BY_WAITING, BY_TRAVEL = "priority", "waiting", "travel"


def unplaced_reason(
    problem: PlanningProblem,
    group: Group,
    segment_groups: list[Group],
    placed: list[Group],
    placed_in_round: list[Group] | None = None,
    round_people: Mapping[Segment, int] | None = None,
) -> tuple[UnplacedCode, str]:
    """Why a company of `group` has no place, given its segment and who of it was placed
    (one entry of `placed` per placed company of the segment), naming the policy that
    decided: higher priority, then longer waiting, then shorter travel."""
    code, reason, _ = decided_reason(
        problem, group, segment_groups, placed, placed_in_round, round_people
    )
    return code, reason


def decided_reason(
    problem: PlanningProblem,
    group: Group,
    segment_groups: list[Group],
    placed: list[Group],
    placed_in_round: list[Group] | None = None,
    round_people: Mapping[Segment, int] | None = None,
) -> tuple[UnplacedCode, str, str | None]:
    """:func:`unplaced_reason`, and what decided (:data:`BY_PRIORITY`, :data:`BY_WAITING`,
    :data:`BY_TRAVEL`; None for a group too small for any cohort)."""
    rnd = problem.round
    lang = rnd.language
    _ = gettext_for(lang)
    ngettext = ngettext_for(lang)
    companies = sum(g.size for g in segment_groups)
    people = sum(g.size * g.participants for g in segment_groups)
    segment = group.segment
    label = segment_label(segment, lang)
    # `round_people` (people per segment of the round) lets the reason weigh the remedies:
    # online cohorts and mixing (remedy_hints).
    everyone = round_people if round_people is not None else {segment: people}
    if too_small(rnd, segment, everyone):
        text = too_small_sentence(rnd, segment, companies, everyone)
        return UnplacedCode.SEGMENT_TOO_SMALL, text, None
    if any(p.policy_priority > group.policy_priority for p in placed):
        text = _(
            "%(segment)s could not place everyone; companies with a higher priority than "
            "%(priority)s (priority + level_priority) were placed first"
        ) % {"segment": label, "priority": group.policy_priority}
        return UnplacedCode.PRIORITY, text, BY_PRIORITY
    if any(p.priority > group.priority for p in placed):
        since = min(p.waiting_since for p in placed if p.waiting_since is not None)
        text = _(
            "%(segment)s could not place everyone; with equal priority, companies waiting "
            "longer (since %(since)s) were placed first"
        ) % {"segment": label, "since": format_day(since, lang)}
        return UnplacedCode.PRIORITY, text, BY_WAITING
    holdable = fillable_people(people, rnd.cohort_min, rnd.cohort_max)
    if holdable < people:
        hints = remedy_hints(rnd, segment, everyone)  # e.g. online cohorts would hold them all
        text = ngettext(
            "%(segment)s has %(people)s people; cohorts of %(min)s-%(max)s can hold "
            "%(holdable)s; with equal priority and waiting, shorter travel won",
            "%(segment)s has %(people)s people; cohorts of %(min)s-%(max)s can hold "
            "%(holdable)s; with equal priority and waiting, shorter travel won",
            people,
        ) % {
            "segment": label,
            "people": people,
            "min": rnd.cohort_min,
            "max": rnd.cohort_max,
            "holdable": holdable,
        }
        return UnplacedCode.CAPACITY, text + "".join(f"; {hint}" for hint in hints), BY_TRAVEL
    limits = _(
        "%(segment)s: no room within the round's limits (max %(venues)s venues, "
        "%(facilitators)s facilitator(s), venue capacities, travel and dates) while placing "
        "as many companies as possible"
    ) % {"segment": label, "venues": rnd.max_venues, "facilitators": rnd.facilitators}
    if any(p.policy_priority > group.policy_priority for p in placed_in_round or []):
        text = _(
            "%(limits)s; companies of other groups with a higher priority than %(priority)s "
            "(priority + level_priority) were placed first"
        ) % {"limits": limits, "priority": group.policy_priority}
        return UnplacedCode.CAPACITY, text, BY_PRIORITY
    text = _("%(limits)s; with equal priority and waiting, shorter travel won") % {"limits": limits}
    return UnplacedCode.CAPACITY, text, BY_TRAVEL
