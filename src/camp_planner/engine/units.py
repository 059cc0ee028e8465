"""The objectives' units, written once: travel in 10 m units and who goes first as one
number (docs/rules.md "Who goes first"). Every model (round, counts, programme, replan,
start) weighs travel and priority with these."""

from __future__ import annotations

from camp_planner.models import PlanningProblem

#: travel is optimised in 10 m units (km x 100)
TRAVEL_UNITS_PER_KM = 100


def travel_units(km: float) -> int:
    """`km` in the models' travel units (10 m, rounded)."""
    return round(km * TRAVEL_UNITS_PER_KM)


def placement_priority(problem: PlanningProblem) -> dict[str, int]:
    """company_id -> who goes first as one number (docs/rules.md "Who goes first"): higher
    `priority` + `level_priority[level]` first; among equals, the earliest `waiting_since`.
    The policy priority is scaled above every waiting rank, so the sum the model maximises
    puts a higher priority before any amount of waiting among the companies competing."""
    ranks = problem.waiting_ranks()
    scale = max(ranks.values(), default=0) + 1
    return {
        c.company_id: problem.policy_priority(c) * scale + ranks[c.company_id]
        for c in problem.companies
    }
