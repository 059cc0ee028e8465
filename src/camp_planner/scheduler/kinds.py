"""Kinds of cohort a round allows: who may share a cohort, and where it may meet.

By the domain's rules a cohort's members share their next step (module), level and age
group: a cohort's kind is a segment. A round may switch on remedies for groups too small to
fill a cohort (`round.toml`, docs/remedies.md):

- ``mix_levels = ["A+B"]``: Module 1 cohorts may hold A and B companies of one age group;
- ``mix_age_groups = ["A"]``: young and established A companies may share a cohort (a
  cohort mixing levels may mix age groups only when every level in it is listed);
- ``online_cohorts = true``: Module 1 cohorts may also meet online (the venue index
  :data:`ONLINE`: no travel, no venue rules, ``online_cohort_min``..``cohort_max`` people).

A :class:`Kind` is a set of levels and age groups of one module. Besides one pure kind per
segment, the round has one kind per allowed mix that is maximal (a mix contained in
another allowed mix adds nothing: the cohort's label is taken from its actual members)
and that could join at least two segments that have companies. With no remedy switched
on the kinds are exactly the segments, and the model is the one of the domain's rules.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations

from camp_planner.models import AgeGroup, Level, RoundConfig, Segment, Step

#: The venue index of online cohorts: no real venue has it (an IndexError, not a wrong
#: venue, should it ever be looked up in the venue list).
ONLINE = 1_000_000
#: The level mixes `camp-planner remedies` tries and unplaced reasons suggest: two
#: neighbouring levels (A with C, skipping B, is never suggested; a round may still allow it).
ADMISSIBLE_LEVEL_MIXES: tuple[tuple[Level, ...], ...] = ((Level.A, Level.B), (Level.B, Level.C))
#: Age groups in the order labels show them.
_AGES = (AgeGroup.YOUNG, AgeGroup.ESTABLISHED)


@dataclass(frozen=True, order=True)
class Kind:
    """Companies of one module, at any of `levels` and of any of `ages`, may share a cohort."""

    module: Step
    levels: tuple[Level, ...]
    ages: tuple[AgeGroup, ...]

    @classmethod
    def pure(cls, segment: Segment) -> Kind:
        """The kind of the domain's rule: one segment."""
        return cls(segment.module, (segment.level,), (segment.age_group,))

    @property
    def mixed(self) -> bool:
        """More than one level or age group may share it."""
        return len(self.levels) > 1 or len(self.ages) > 1

    @property
    def level_text(self) -> str:
        """``A`` or ``A+B`` (highest first)."""
        return "+".join(level.value for level in self.levels)

    @property
    def age_text(self) -> str:
        """``young``, ``established`` or ``mixed``."""
        return self.ages[0].value if len(self.ages) == 1 else "mixed"

    @property
    def label(self) -> str:
        """e.g. ``B/young Module 2`` (a segment's label), ``A+B/young Module 1``."""
        number = "1" if self.module == Step.MODULE1 else "2"
        return f"{self.level_text}/{self.age_text} Module {number}"

    def contains(self, other: Kind) -> bool:
        """Whether every company `other` admits may join this kind too."""
        return (
            other.module == self.module
            and set(other.levels) <= set(self.levels)
            and set(other.ages) <= set(self.ages)
        )

    def admits(self, segment: Segment) -> bool:
        """Whether companies of `segment` may join a cohort of this kind."""
        return (
            segment.module == self.module
            and segment.level in self.levels
            and segment.age_group in self.ages
        )


def level_mixes(rnd: RoundConfig) -> list[tuple[Level, ...]]:
    """The round's `mix_levels` as level tuples, highest first: ``"A+B"`` -> ``(A, B)``."""
    mixes = []
    for text in rnd.mix_levels:
        levels = tuple(sorted({Level(p.strip()) for p in text.split("+")}, key=lambda x: x.rank))
        if len(levels) > 1:
            mixes.append(levels)
    return mixes


def any_remedy(rnd: RoundConfig) -> bool:
    """Whether the round switches on any remedy (online cohorts or mixing)."""
    return bool(rnd.online_cohorts or level_mixes(rnd) or rnd.mix_age_groups)


def round_kinds(rnd: RoundConfig, segments: Iterable[Segment]) -> list[Kind]:
    """The kinds of cohort the round allows for companies of `segments`, sorted by label:
    one pure kind per segment, and each maximal allowed mix joining two or more of them."""
    present = set(segments)
    kinds = {Kind.pure(s) for s in present}
    mixed: set[Kind] = set()
    age_mix = set(rnd.mix_age_groups)
    for module in (Step.MODULE1, Step.MODULE2):
        level_sets: list[tuple[Level, ...]] = [(level,) for level in Level]
        if module == Step.MODULE1:
            # Every part of an allowed mix too: with mix_levels ["A+B+C"] and
            # mix_age_groups ["A", "B"], an A+B cohort may mix ages though A+B+C may not.
            level_sets += sorted(
                {part for mix in level_mixes(rnd) for n in range(2, len(mix) + 1)
                 for part in combinations(mix, n)},
                key=lambda levels: [level.rank for level in levels],
            )  # fmt: skip
        for levels in level_sets:
            age_sets: list[tuple[AgeGroup, ...]] = [(age,) for age in _AGES]
            if all(level in age_mix for level in levels):
                age_sets.append(_AGES)
            for ages in age_sets:
                kind = Kind(module, levels, ages)
                if kind.mixed and sum(1 for s in present if kind.admits(s)) >= 2:
                    mixed.add(kind)
    for kind in mixed:
        if not any(other != kind and other.contains(kind) for other in mixed):
            kinds.add(kind)
    return sorted(kinds, key=lambda k: k.label)


def kind_components(kinds: Iterable[Kind], segments: Iterable[Segment]) -> list[set[Segment]]:
    """Segments joined by some kind (transitively): companies of different components never
    share a cohort. With no mixing, every segment is its own component."""
    parent: dict[Segment, Segment] = {s: s for s in segments}

    def find(s: Segment) -> Segment:
        while parent[s] != s:
            parent[s] = parent[parent[s]]
            s = parent[s]
        return s

    for kind in kinds:
        members = [s for s in parent if kind.admits(s)]
        for other in members[1:]:
            parent[find(other)] = find(members[0])
    components: dict[Segment, set[Segment]] = defaultdict(set)
    for s in parent:
        components[find(s)].add(s)
    return list(components.values())


def smallest_cohort(rnd: RoundConfig, module: Step) -> int:
    """The fewest people a cohort of `module` may have this round (online or not)."""
    if rnd.online_cohorts and module == Step.MODULE1:
        return min(rnd.cohort_min, rnd.online_cohort_min)
    return rnd.cohort_min


def venue_min(rnd: RoundConfig, venue: int) -> int:
    """People a cohort needs at least at venue index `venue` (:data:`ONLINE` or a venue)."""
    return rnd.online_cohort_min if venue == ONLINE else rnd.cohort_min
