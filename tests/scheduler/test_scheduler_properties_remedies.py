"""Property tests with remedies: random small rounds (`sched_build.random_instance`, every
rule in play: blackout days, capacities, closed and required venues, travel limits, tight
calendars) with online cohorts and level / age mixing drawn on top -> the independent
checker accepts the roster and nobody is lost."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from camp_planner.models import PlanningProblem
from camp_planner.scheduler import solve
from tests.checker import check_roster
from tests.helpers.sched_build import random_instance
from tests.scheduler.test_scheduler_bruteforce_remedies import AGE_MIXES, MIXES
from tests.scheduler.test_scheduler_properties import HypothesisPick


@st.composite
def instances(draw: Any) -> Any:
    round_config, companies, venues = random_instance(HypothesisPick(draw))
    remedies = {
        "online_cohorts": draw(st.booleans()),
        "online_cohort_min": draw(st.integers(1, round_config.cohort_max)),
        "mix_levels": draw(st.sampled_from(MIXES)),
        "mix_age_groups": draw(st.sampled_from(AGE_MIXES)),
    }
    data = {**round_config.model_dump(), **remedies}
    return type(round_config).model_validate(data), companies, venues


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_random_rounds_with_remedies_give_valid_rosters(instance):
    round_config, companies, venues = instance
    problem = PlanningProblem(round=round_config, companies=tuple(companies), venues=tuple(venues))
    roster = json.loads(solve(problem, time_limit=10, seed=0, workers=2).to_json())
    ids = [m for c in roster["cohorts"] for m in c["members"]]
    ids += [u["company_id"] for u in roster["unplaced"]]
    assert sorted(ids) == sorted(c.company_id for c in companies)
    errors = check_roster(round_config, companies, venues, roster)
    if roster["solver"]["status"] in ("INFEASIBLE", "TIME_LIMIT"):
        assert roster["cohorts"] == []
        errors = [e for e in errors if not e.startswith("required venue")]
    assert errors == []
