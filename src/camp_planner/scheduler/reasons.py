"""Sentences for companies the optimiser could consider but did not place, in the round's
language (:mod:`camp_planner.i18n`), and which part of the policy decided."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from camp_planner.models import PlanningProblem, Segment, UnplacedCode
from camp_planner.models.groups import fillable_people
from camp_planner.scheduler.kinds import ONLINE
from camp_planner.scheduler.prepare import Group
from camp_planner.scheduler.reason_text import Reason, segment_values
from camp_planner.scheduler.remedy_hints import hint_values, too_small, too_small_sentence


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


def segment_totals(segment_groups: Sequence[Group]) -> tuple[int, int]:
    """The companies and the people of a segment's groups."""
    return sum(g.size for g in segment_groups), sum(g.size * g.participants for g in segment_groups)


#: A placed company as the reasons see it: its group, venue index and travel km.
Place = tuple[Group, int, float]


def decided_reason(
    problem: PlanningProblem,
    group: Group,
    segment_groups: list[Group],
    placed: list[Group],
    placed_in_round: list[Group] | None = None,
    round_people: Mapping[Segment, int] | None = None,
    places: Sequence[Place] | None = None,
    totals: tuple[int, int] | None = None,
) -> tuple[UnplacedCode, str, str | None]:
    """:func:`unplaced_reason`, and what decided (:data:`BY_PRIORITY`, :data:`BY_WAITING`,
    :data:`BY_TRAVEL`; None for a group too small for any cohort, or a tie).

    `places` are the placed companies of the segment (group, venue, km). The rule named is
    the one that kept the company out (issue 23), looking at those placed that went first
    or tied with it (equal or higher standing: priority + level_priority, then waiting):

    - *priority* when one of a higher priority holds a place it could take at no more
      travel; else *waiting* when one of the same priority that waited longer does;
    - *travel* when every such place would cost it more travel than its holder has (or is
      out of its reach): the sentence gives both distances;
    - else (equals hold places it could take at no more travel: a tie, or its unavailable
      days) the round's limits; with no `places`, the older rules on `placed`.
    """
    rnd = problem.round
    lang = rnd.language
    # `totals`: the segment's companies and people, when the caller counted them once
    companies, people = totals or segment_totals(segment_groups)
    segment = group.segment
    seg = segment_values(segment)
    # `round_people` (people per segment of the round) lets the reason weigh the remedies:
    # online cohorts and mixing (remedy_hints).
    everyone = round_people if round_people is not None else {segment: people}
    if too_small(rnd, segment, everyone):
        text = too_small_sentence(rnd, segment, companies, everyone)
        return UnplacedCode.SEGMENT_TOO_SMALL, text, None
    if places is None:  # no venues known: who went first, by standing alone
        places = [(p, -1, 0.0) for p in placed]
    ahead = [(g, v, km) for g, v, km in places if g.priority >= group.priority]
    cheaper = [(g, v, km) for g, v, km in ahead if _reach(group, v) <= km]
    higher = [g for g, _, _ in cheaper if g.policy_priority > group.policy_priority]
    if higher:
        values = {"segment": seg, "priority": group.policy_priority}
        return UnplacedCode.PRIORITY, Reason("higher_priority", values, lang), BY_PRIORITY
    longer = [g for g, _, _ in cheaper if g.priority > group.priority]
    if longer:
        dated = [g.waiting_since for g in longer if g.waiting_since is not None]
        since = max(dated).isoformat() if dated else None
        values = {"segment": seg, "since": since}
        return UnplacedCode.PRIORITY, Reason("waiting_longer", values, lang), BY_WAITING
    if ahead and not cheaper:
        return UnplacedCode.CAPACITY, _travel_sentence(group, ahead, lang), BY_TRAVEL
    return _round_limits(problem, group, people, everyone, placed_in_round, bool(cheaper))


def _round_limits(
    problem: PlanningProblem,
    group: Group,
    people: int,
    everyone: Mapping[Segment, int],
    placed_in_round: list[Group] | None,
    tied: bool,
) -> tuple[UnplacedCode, str, str | None]:
    """No rule of the policy kept it out: the cohort sizes (and shorter travel among
    equals), the round's limits, or (`tied`) equals that took places at no less travel."""
    rnd = problem.round
    lang = rnd.language
    segment = group.segment
    seg = segment_values(segment)
    holdable = fillable_people(people, rnd.cohort_min, rnd.cohort_max)
    if holdable < people:
        values: dict[str, object] = {
            "segment": seg,
            "people": people,
            "min": rnd.cohort_min,
            "max": rnd.cohort_max,
            "holdable": holdable,
            # e.g. online cohorts would hold them all
            "hints": hint_values(rnd, segment, everyone),
        }
        return UnplacedCode.CAPACITY, Reason("cohort_sizes", values, lang), BY_TRAVEL
    limits = {"segment": seg, "venues": rnd.max_venues, "facilitators": rnd.facilitators}
    if any(p.policy_priority > group.policy_priority for p in placed_in_round or []):
        values = {**limits, "priority": group.policy_priority}
        return UnplacedCode.CAPACITY, Reason("limits_priority", values, lang), BY_PRIORITY
    if tied:  # equals hold places it could take at no more travel: a tie, or its days
        return UnplacedCode.CAPACITY, Reason("limits_tie", limits, lang), None
    return UnplacedCode.CAPACITY, Reason("limits_travel", limits, lang), BY_TRAVEL


def _reach(group: Group, venue: int) -> float:
    """The group's travel to a venue: 0 online, infinite out of its reach (unknown venue)."""
    if venue == ONLINE:
        return 0.0
    return group.travel.get(venue, float("inf")) if venue >= 0 else 0.0


def _travel_sentence(group: Group, ahead: Sequence[Place], lang: str) -> Reason:
    """Shorter travel won: the most the placed companies it competed with travel, and the
    least it would travel to one of their venues."""
    reachable = [_reach(group, v) for _, v, _ in ahead if _reach(group, v) < float("inf")]
    own = min(reachable) if reachable else min(group.travel.values(), default=0.0)
    values = {
        "segment": segment_values(group.segment),
        "placed": max(km for _, _, km in ahead),
        "own": own,
    }
    return Reason("shorter_travel", values, lang)
