"""The remedies a round can try for groups too small for a cohort (docs/remedies.md).

Each :class:`Remedy` is a change to round.toml, named as a coordinator would name it, with
the lines that switch it on: online cohorts, each admissible level mix, each age mix, no
travel limit (where one is set), one more venue, and all of them together. A remedy that
cannot change anything this round (already switched on, nothing to mix, no limit to lift,
no venue to add) is left out with a sentence saying why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from camp_planner.models import AgeGroup, Level, PlanningProblem, RoundConfig, Step, VenueStatus
from camp_planner.models.groups import group_counts
from camp_planner.scheduler.kinds import ADMISSIBLE_LEVEL_MIXES, level_mixes
from camp_planner.whatif.scenarios import Scenario, apply_scenario

__all__ = ["ALL", "Remedy", "all_together", "remedies_for"]

#: The name of the remedy that combines all the others.
ALL = "all of them"


@dataclass(frozen=True)
class Remedy:
    """A change to the round: round.toml keys and (for venues and travel) what-if keys."""

    name: str
    #: the round.toml lines that switch it on, e.g. ``online_cohorts = true``
    settings: tuple[str, ...]
    #: RoundConfig fields it sets (online cohorts, mixing)
    round_changes: dict[str, Any] = field(default_factory=dict)
    #: what-if scenario keys it sets (``max_venues``, ``max_travel_km``)
    scenario_changes: dict[str, Any] = field(default_factory=dict)

    def variant(self, problem: PlanningProblem) -> PlanningProblem:
        """`problem` with the round.toml keys of the remedy (the what-if keys are applied by
        :meth:`scenario`)."""
        if not self.round_changes:
            return problem
        # only the keys the round sets, so a default is not checked as if given (RoundConfig
        # refuses an explicit online_cohort_min above cohort_max, not the default 5)
        data = {**problem.round.model_dump(exclude_unset=True), **self.round_changes}
        return problem.model_copy(update={"round": RoundConfig.model_validate(data)})

    def scenario(self) -> Scenario:
        """The what-if scenario the runner applies to :meth:`variant`."""
        return Scenario(self.name, **self.scenario_changes)

    def apply(self, problem: PlanningProblem) -> PlanningProblem:
        """`problem` with every change of the remedy."""
        return apply_scenario(self.variant(problem), self.scenario())


def _toml_list(values: list[str]) -> str:
    return "[" + ", ".join(f'"{v}"' for v in values) + "]"


def remedies_for(problem: PlanningProblem) -> tuple[list[Remedy], list[str]]:
    """The remedies worth trying on `problem`, one at a time, and why others are left out.

    Returns:
        (remedies in the order online cohorts, level mixes, age mixes, no travel limit, one
        more venue; sentences about the remedies left out)
    """
    rnd = problem.round
    counts = group_counts(problem)
    levels_by_module: dict[Step, set[Level]] = {Step.MODULE1: set(), Step.MODULE2: set()}
    ages_by_level: dict[tuple[Step, Level], set[AgeGroup]] = {}
    for segment in counts:
        levels_by_module[segment.module].add(segment.level)
        ages_by_level.setdefault((segment.module, segment.level), set()).add(segment.age_group)
    remedies: list[Remedy] = []
    skipped: list[str] = []
    if rnd.online_cohorts:
        skipped.append("online cohorts: already switched on in round.toml")
    elif not levels_by_module[Step.MODULE1]:
        skipped.append("online cohorts: no company waits for Module 1 (Module 2 is never online)")
    else:
        changes: dict[str, Any] = {"online_cohorts": True}
        lines = ["online_cohorts = true"]
        if rnd.online_cohort_min > rnd.cohort_max:
            # round.toml would refuse online_cohorts with a minimum above cohort_max (the
            # default 5 with small cohorts): the remedy says the minimum it needs
            changes["online_cohort_min"] = rnd.cohort_max
            lines.append(f"online_cohort_min = {rnd.cohort_max}")
        remedies.append(Remedy("online cohorts", tuple(lines), changes))
    allowed = set(level_mixes(rnd))
    for mix in ADMISSIBLE_LEVEL_MIXES:
        text = "+".join(level.value for level in mix)
        name = f"mix levels {text}"
        if mix in allowed:
            skipped.append(f"{name}: already allowed in round.toml")
        elif not any(
            all(age in ages_by_level.get((Step.MODULE1, level), set()) for level in mix)
            for age in AgeGroup
        ):
            skipped.append(f"{name}: no age group has Module 1 companies at both levels")
        else:
            mixes = [*rnd.mix_levels, text]
            remedies.append(
                Remedy(
                    name,
                    (f"mix_levels = {_toml_list(mixes)}",),
                    {"mix_levels": tuple(mixes)},
                )
            )
    for level in Level:
        name = f"mix age groups at {level.value}"
        both = any(len(ages_by_level.get((m, level), set())) == 2 for m in Step)
        if level in rnd.mix_age_groups:
            skipped.append(f"{name}: already allowed in round.toml")
        elif not both:
            skipped.append(f"{name}: no young and established {level.value} companies to mix")
        else:
            ages = [*(lv.value for lv in rnd.mix_age_groups), level.value]
            remedies.append(
                Remedy(
                    name,
                    (f"mix_age_groups = {_toml_list(ages)}",),
                    {"mix_age_groups": tuple(Level(a) for a in ages)},
                )
            )
    if rnd.max_travel_km > 0:
        remedies.append(
            Remedy("no travel limit", ("max_travel_km = 0",), scenario_changes={"max_travel_km": 0})
        )
    open_venues = sum(1 for v in problem.venues if v.status != VenueStatus.CLOSED)
    if rnd.max_venues < open_venues:
        more = rnd.max_venues + 1
        remedies.append(
            Remedy(
                "one more venue", (f"max_venues = {more}",), scenario_changes={"max_venues": more}
            )
        )
    else:
        skipped.append(f"one more venue: max_venues = {rnd.max_venues} already allows every venue")
    return remedies, skipped


def all_together(remedies: list[Remedy]) -> Remedy:
    """One remedy with every change of `remedies` (mixes and age groups combined)."""
    round_changes: dict[str, Any] = {}
    scenario_changes: dict[str, Any] = {}
    mixes: list[str] = []
    ages: list[Level] = []
    for remedy in remedies:
        for key, value in remedy.round_changes.items():
            if key == "mix_levels":
                mixes += [m for m in value if m not in mixes]
            elif key == "mix_age_groups":
                ages += [a for a in value if a not in ages]
            else:
                round_changes[key] = value
        scenario_changes.update(remedy.scenario_changes)
    settings = []
    if round_changes.get("online_cohorts"):
        settings.append("online_cohorts = true")
    if "online_cohort_min" in round_changes:
        settings.append(f"online_cohort_min = {round_changes['online_cohort_min']}")
    if mixes:
        round_changes["mix_levels"] = tuple(mixes)
        settings.append(f"mix_levels = {_toml_list(mixes)}")
    if ages:
        round_changes["mix_age_groups"] = tuple(ages)
        settings.append(f"mix_age_groups = {_toml_list([a.value for a in ages])}")
    settings += [line for r in remedies if r.scenario_changes for line in r.settings]
    return Remedy(ALL, tuple(settings), round_changes, scenario_changes)
