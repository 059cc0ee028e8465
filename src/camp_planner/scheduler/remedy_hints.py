"""Whether a group is too small for any cohort the round allows, and which remedy would
place it (docs/remedies.md): the words after "a cohort needs 8" in an unplaced reason.

Judged from the people of the groups alone (no venues, travel or calendar), like the rest
of the `segment_too_small` reason; `camp-planner remedies` measures each remedy by solving.
"""

from __future__ import annotations

from collections.abc import Mapping

from camp_planner.i18n import gettext_for
from camp_planner.models import AgeGroup, RoundConfig, Segment, Step
from camp_planner.models.groups import fillable_people
from camp_planner.scheduler.kinds import (
    ADMISSIBLE_LEVEL_MIXES,
    level_mixes,
    round_kinds,
    smallest_cohort,
)
from camp_planner.scheduler.reason_text import Reason, render_hint, segment_values


def pool_people(rnd: RoundConfig, segment: Segment, people: Mapping[Segment, int]) -> int:
    """The most people a cohort of `segment`'s companies could draw on this round: its own,
    or those of the largest mix the round allows it to join."""
    kinds = round_kinds(rnd, [s for s, n in people.items() if n] + [segment])
    return max(
        sum(n for s, n in people.items() if kind.admits(s))
        for kind in kinds
        if kind.admits(segment)
    )


def too_small(rnd: RoundConfig, segment: Segment, people: Mapping[Segment, int]) -> bool:
    """No cohort the round allows can be filled with `segment`'s companies (and those they
    may share a cohort with)."""
    return pool_people(rnd, segment, people) < smallest_cohort(rnd, segment.module)


def needs(rnd: RoundConfig, module: Step) -> str:
    """``a cohort needs 8`` (``, an online one 5`` when the round has online cohorts)."""
    _ = gettext_for(rnd.language)
    if rnd.online_cohorts and module == Step.MODULE1:
        return _("a cohort needs %(min)s, an online one %(online)s") % {
            "min": rnd.cohort_min,
            "online": rnd.online_cohort_min,
        }
    return _("a cohort needs %(min)s") % {"min": rnd.cohort_min}


def _other_age(age: AgeGroup) -> AgeGroup:
    return AgeGroup.ESTABLISHED if age == AgeGroup.YOUNG else AgeGroup.YOUNG


def remedy_hints(rnd: RoundConfig, segment: Segment, people: Mapping[Segment, int]) -> list[str]:
    """Remedies the round has not switched on under which whole cohorts would hold more of
    `segment`'s people than now (a cohort at all, for a group too small), e.g. "an online
    cohort of 6 would place them: `online_cohorts = true`". Judged from people alone."""
    return [render_hint(hint, rnd.language) for hint in hint_values(rnd, segment, people)]


def hint_values(
    rnd: RoundConfig, segment: Segment, people: Mapping[Segment, int]
) -> list[dict[str, object]]:
    """:func:`remedy_hints` as codes and values (``reason_values["hints"]`` of roster.json,
    :func:`camp_planner.scheduler.reason_text.render_hint`)."""
    mine = people.get(segment, 0)
    smallest = smallest_cohort(rnd, segment.module)
    now = fillable_people(mine, smallest, rnd.cohort_max)
    hints: list[dict[str, object]] = []
    if not rnd.online_cohorts and segment.module == Step.MODULE1:
        pool = pool_people(rnd, segment, people)
        online = min(rnd.cohort_min, rnd.online_cohort_min)
        if fillable_people(pool, online, rnd.cohort_max) > fillable_people(
            pool, smallest, rnd.cohort_max
        ):
            hints.append(
                {"code": "online_cohorts"} if now else {"code": "online_cohort", "n": pool}
            )

    def gain(partner: Segment) -> int:
        """How many more of the people whole cohorts hold with `partner`'s companies."""
        theirs = people.get(partner, 0)
        together = fillable_people(mine + theirs, smallest, rnd.cohort_max)
        return together - fillable_people(theirs, smallest, rnd.cohort_max) - now

    if segment.module == Step.MODULE1:
        allowed = set(level_mixes(rnd))
        for mix in ADMISSIBLE_LEVEL_MIXES:
            if segment.level not in mix or mix in allowed:
                continue
            for level in mix:
                partner = Segment(module=segment.module, level=level, age_group=segment.age_group)
                if level != segment.level and gain(partner) > 0:
                    hints.append(
                        {
                            "code": "mix_levels",
                            "level": partner.level.value,
                            "age": partner.age_group.value,
                            "people": people.get(partner, 0),
                            "setting": "+".join(lv.value for lv in mix),
                        }
                    )
    if segment.level not in rnd.mix_age_groups:
        partner = Segment(
            module=segment.module, level=segment.level, age_group=_other_age(segment.age_group)
        )
        if gain(partner) > 0:
            hints.append(
                {
                    "code": "mix_age_groups",
                    "level": segment.level.value,
                    "age": partner.age_group.value,
                    "people": people.get(partner, 0),
                }
            )
    return hints


def too_small_sentence(
    rnd: RoundConfig, segment: Segment, companies: int, people: Mapping[Segment, int]
) -> Reason:
    """The whole `segment_too_small` reason, e.g. "A/young Module 1 has 5 eligible companies
    (5 people); a cohort needs 8; an online cohort of 5 would place them:
    `online_cohorts = true`"."""
    mine = people.get(segment, 0)
    pool = pool_people(rnd, segment, people)
    online = rnd.online_cohorts and segment.module == Step.MODULE1
    values = {
        "segment": segment_values(segment),
        "companies": companies,
        "people": mine,
        "min": rnd.cohort_min,
        "online": rnd.online_cohort_min if online else None,
        "pool": pool if pool > mine else None,
        "hints": hint_values(rnd, segment, people),
    }
    return Reason("segment_too_small", values, rnd.language)
