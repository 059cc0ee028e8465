"""Which remedies are tried on a round, with the round.toml lines that switch them on."""

from __future__ import annotations

from camp_planner.models import Level
from camp_planner.remedies import ALL, all_together, remedies_for
from tests.helpers.sched_build import co, rnd, ve
from tests.remedies import small_round


def test_remedies_of_the_small_round():
    remedies, skipped = remedies_for(small_round.problem())
    assert [(r.name, r.settings) for r in remedies] == [
        ("online cohorts", ("online_cohorts = true",)),
        ("mix levels A+B", ('mix_levels = ["A+B"]',)),
        ("no travel limit", ("max_travel_km = 0",)),
        ("one more venue", ("max_venues = 2",)),
    ]
    assert skipped == [
        "mix levels B+C: no age group has Module 1 companies at both levels",
        "mix age groups at A: no young and established A companies to mix",
        "mix age groups at B: no young and established B companies to mix",
        "mix age groups at C: no young and established C companies to mix",
    ]
    together = all_together(remedies)
    assert together.name == ALL
    assert together.settings == (
        "online_cohorts = true",
        'mix_levels = ["A+B"]',
        "max_travel_km = 0",
        "max_venues = 2",
    )
    applied = together.apply(small_round.problem()).round
    assert (applied.online_cohorts, applied.mix_levels, applied.max_travel_km) == (
        True,
        ("A+B",),
        0,
    )
    assert applied.max_venues == 2


def test_remedies_already_on_are_not_tried_again_and_add_to_the_round():
    from camp_planner.models import PlanningProblem

    cs = [co("a", level="A", young=True), co("b", level="A"), co("c", level="B")]
    cs += [co("d", level="C", young=True)]
    problem = PlanningProblem(
        round=rnd(online_cohorts=True, mix_levels=("A+B",), mix_age_groups=(Level.B,)),
        companies=tuple(cs),
        venues=(ve("v"),),
    )
    remedies, skipped = remedies_for(problem)
    assert "online cohorts: already switched on in round.toml" in skipped
    assert "mix levels A+B: already allowed in round.toml" in skipped
    assert "one more venue: max_venues = 6 already allows every venue" in skipped
    by_name = {r.name: r for r in remedies}
    # B+C: C/young with ... no B/young: not tried; ages at A: tried, keeping B
    assert by_name["mix age groups at A"].settings == ('mix_age_groups = ["B", "A"]',)
    assert by_name["mix age groups at A"].round_changes["mix_age_groups"] == (Level.B, Level.A)
    assert "no travel limit" not in by_name  # max_travel_km is 0 already
