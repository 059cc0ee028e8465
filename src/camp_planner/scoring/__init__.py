"""The shared scoring module: scorecard -> growth-potential level (docs/scoring.md).

Usage::

    from camp_planner.scoring import score
    result = score(Scorecard(company_id="1", ambition=Level.A, scalability=Level.B, ...))
    result.level, result.scores, result.explanation
"""

from camp_planner.scoring.cofinancing import COFINANCING_CAPS, cofinancing_cap
from camp_planner.scoring.criteria import (
    CRITERIA,
    CRITERION_KEYS,
    CRITERION_NAMES,
    WEIGHTS,
    Criterion,
    ambition_from_figures,
    criterion_levels,
    market_level,
)
from camp_planner.scoring.scorecard import BELOW_C, LEVELS, THRESHOLD_PCT, ScoreResult, score

__all__ = [
    "BELOW_C",
    "COFINANCING_CAPS",
    "CRITERIA",
    "CRITERION_KEYS",
    "CRITERION_NAMES",
    "LEVELS",
    "THRESHOLD_PCT",
    "WEIGHTS",
    "Criterion",
    "ScoreResult",
    "ambition_from_figures",
    "cofinancing_cap",
    "criterion_levels",
    "market_level",
    "score",
]
