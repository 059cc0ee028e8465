"""Whether a group is too small for any cohort the round allows, and which remedy would
place it (docs/remedies.md): the words after "a cohort needs 8" in an unplaced reason.

Judged from the people of the groups alone (no venues, travel or calendar), like the rest
of the `segment_too_small` reason; `camp-planner remedies` measures each remedy by solving.
"""

from __future__ import annotations

from collections.abc import Mapping

from camp_planner.i18n import age_label, gettext_for, ngettext_for, segment_label
from camp_planner.models import AgeGroup, RoundConfig, Segment, Step
from camp_planner.models.groups import fillable_people
from camp_planner.scheduler.kinds import (
    ADMISSIBLE_LEVEL_MIXES,
    level_mixes,
    round_kinds,
    smallest_cohort,
)


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
    lang = rnd.language
    _ = gettext_for(lang)
    ngettext = ngettext_for(lang)
    mine = people.get(segment, 0)
    smallest = smallest_cohort(rnd, segment.module)
    now = fillable_people(mine, smallest, rnd.cohort_max)
    hints = []
    if not rnd.online_cohorts and segment.module == Step.MODULE1:
        pool = pool_people(rnd, segment, people)
        online = min(rnd.cohort_min, rnd.online_cohort_min)
        if fillable_people(pool, online, rnd.cohort_max) > fillable_people(
            pool, smallest, rnd.cohort_max
        ):
            if now:
                hints.append(_("online cohorts would place them: `online_cohorts = true`"))
            else:
                hints.append(
                    ngettext(
                        "an online cohort of %(n)s would place them: `online_cohorts = true`",
                        "an online cohort of %(n)s would place them: `online_cohorts = true`",
                        pool,
                    )
                    % {"n": pool}
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
                    theirs = people.get(partner, 0)
                    hints.append(
                        ngettext(
                            "sharing Module 1 cohorts with %(level)s/%(age)s companies "
                            '(%(people)s people) would place them: `mix_levels = ["%(setting)s"]`',
                            "sharing Module 1 cohorts with %(level)s/%(age)s companies "
                            '(%(people)s people) would place them: `mix_levels = ["%(setting)s"]`',
                            theirs,
                        )
                        % {
                            "level": partner.level.value,
                            "age": age_label(partner.age_group, lang),
                            "people": theirs,
                            "setting": "+".join(lv.value for lv in mix),
                        }
                    )
    if segment.level not in rnd.mix_age_groups:
        partner = Segment(
            module=segment.module, level=segment.level, age_group=_other_age(segment.age_group)
        )
        if gain(partner) > 0:
            theirs = people.get(partner, 0)
            # "young A companies": the age group's own word before a noun (Danish inflects it)
            text = (
                ngettext(
                    "sharing a cohort with young %(level)s companies (%(people)s people) would "
                    'place them: `mix_age_groups = ["%(level)s"]`',
                    "sharing a cohort with young %(level)s companies (%(people)s people) would "
                    'place them: `mix_age_groups = ["%(level)s"]`',
                    theirs,
                )
                if partner.age_group == AgeGroup.YOUNG
                else ngettext(
                    "sharing a cohort with established %(level)s companies (%(people)s people) "
                    'would place them: `mix_age_groups = ["%(level)s"]`',
                    "sharing a cohort with established %(level)s companies (%(people)s people) "
                    'would place them: `mix_age_groups = ["%(level)s"]`',
                    theirs,
                )
            )
            hints.append(text % {"level": segment.level.value, "people": theirs})
    return hints


def too_small_sentence(
    rnd: RoundConfig, segment: Segment, companies: int, people: Mapping[Segment, int]
) -> str:
    """The whole `segment_too_small` reason, e.g. "A/young Module 1 has 5 eligible companies
    (5 people); a cohort needs 8; an online cohort of 5 would place them:
    `online_cohorts = true`"."""
    lang = rnd.language
    _ = gettext_for(lang)
    ngettext = ngettext_for(lang)
    mine = people.get(segment, 0)
    has = ngettext(
        "%(segment)s has %(companies)s eligible companies",
        "%(segment)s has %(companies)s eligible companies",
        companies,
    ) % {"segment": segment_label(segment, lang), "companies": companies}
    persons = ngettext("(%(people)s people)", "(%(people)s people)", mine) % {"people": mine}
    text = f"{has} {persons}; {needs(rnd, segment.module)}"
    pool = pool_people(rnd, segment, people)
    if pool > mine:
        text += " " + _("(with the companies it may share a cohort with: %(pool)s people)") % {
            "pool": pool
        }
    hints = remedy_hints(rnd, segment, people)
    if hints:
        text += "; " + ("; " + _("or") + " ").join(hints)
    return text
