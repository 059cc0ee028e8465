"""Score a scorecard: weighted score per level, the company's level and an explanation.

Implements docs/scoring.md, "The rules" (the strategy's growth-potential levels, the
shared scoring module), paragraph "Scoring rule" and the decisions below it.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from camp_planner.models.domain import Scorecard
from camp_planner.models.enums import Level
from camp_planner.scoring.cofinancing import cofinancing_cap
from camp_planner.scoring.criteria import CRITERIA, CRITERION_NAMES, criterion_levels, is_met

#: A company meets a level when its score there is at least this many percent.
THRESHOLD_PCT = 70.0
#: Levels from highest to lowest.
LEVELS: tuple[Level, ...] = (Level.A, Level.B, Level.C)
#: Text used for a company that meets no level (docs/scoring.md's `below_C`).
BELOW_C = "below_C"


class ScoreResult(BaseModel):
    """The explainable result of scoring one scorecard.

    Attributes:
        company_id: As on the scorecard.
        level: Highest level met; None when below C.
        below_c: True when no level is met (score(C) < 70 %).
        roster_level: Level the roster trains the company at: ``level``, or C when below C.
        scores: Weighted score per level, in percent (0-100).
        met: Criterion keys met per level, in table order.
        missing: Criterion keys not met per level, in table order.
        criteria: Level reached per criterion after deriving ambition/market from figures.
        panel_approved: As on the scorecard (growth panel, "vækstpanel").
        a_recommendation_only: Level A not (yet) approved by the growth panel.
        explanation: In words: the level and what is missing for the next level up.
        cofinancing_cap_dkk: The indicative co-financing cap (DKK) for the roster level and
            the company's age group (docs/scoring.md "Co-financing caps"), as (min, max).
    """

    model_config = ConfigDict(frozen=True)

    company_id: str
    level: Level | None
    below_c: bool
    roster_level: Level
    scores: dict[Level, float]
    met: dict[Level, list[str]]
    missing: dict[Level, list[str]]
    criteria: dict[str, Level | None]
    panel_approved: bool | None = None
    a_recommendation_only: bool = False
    explanation: str
    #: indicative co-financing cap (DKK, min and max) for the roster level and age group
    cofinancing_cap_dkk: tuple[int, int] = (0, 0)

    @property
    def level_text(self) -> str:
        """``"A"``, ``"B"``, ``"C"`` or ``"below_C"`` (docs/scoring.md's `level` column)."""
        return BELOW_C if self.level is None else self.level.value


def _pct(value: float) -> str:
    """Format a percentage without a needless decimal: 80 -> "80 %", 82.5 -> "82.5 %"."""
    return f"{value:g} %"


def _names(keys: list[str]) -> str:
    return ", ".join(CRITERION_NAMES[key] for key in keys)


def explain(
    level: Level | None,
    scores: dict[Level, float],
    missing: dict[Level, list[str]],
    a_recommendation_only: bool = False,
) -> str:
    """Say in words why the company has its level and not the next one up.

    Implements docs/scoring.md: "A score is an explainable result: per level, which criteria were
    met and which were not. Consultants will ask 'why is this company B and not A?'".

    Args:
        level: The level met (None = below C).
        scores: Score per level, percent.
        missing: Criterion keys not met per level.
        a_recommendation_only: Add the growth-panel note to an A.

    Returns:
        E.g. ``"B: meets B (score 80 %). Missing for A (score 60 %): scalability, market"``.
    """
    if level is None:
        head = f"below C: meets no level (score C {_pct(scores[Level.C])})"
        next_up: Level | None = Level.C
    else:
        head = f"{level.value}: meets {level.value} (score {_pct(scores[level])})"
        next_up = LEVELS[level.rank - 1] if level.rank > 0 else None
    if next_up is None:
        text = head + (f". Not met at A: {_names(missing[Level.A])}" if missing[Level.A] else "")
        if a_recommendation_only:
            text += ". A is a recommendation until the growth panel approves"
        return text
    text = f"{head}. Missing for {next_up.value} (score {_pct(scores[next_up])}): "
    text += _names(missing[next_up])
    if level is None:
        text += ". Trained with C companies"
    return text


def score(card: Scorecard) -> ScoreResult:
    """Score a scorecard.

    Implements docs/scoring.md's scoring rule: "`score(L) = Σ weight(criterion) over the criteria
    met at L`. A company meets level L when `score(L) ≥ 70 %`; its level is the **highest**
    level it meets", and the decisions "A company that meets no level (score(C) < 70 %) is
    reported as *below C*" (trained with C companies) and "the scorecard result A is a
    *recommendation* until the panel has approved".

    Args:
        card: What the consultant recorded (plus optional figures).

    Returns:
        The level, per-level scores, met/missing criteria and an explanation.
    """
    reached = criterion_levels(card)
    scores: dict[Level, float] = {}
    met: dict[Level, list[str]] = {}
    missing: dict[Level, list[str]] = {}
    for lvl in LEVELS:
        met[lvl] = [c.key for c in CRITERIA if is_met(c, reached[c.key], lvl)]
        missing[lvl] = [c.key for c in CRITERIA if c.key not in met[lvl]]
        scores[lvl] = float(sum(c.weight for c in CRITERIA if c.key in met[lvl]))
    level = next((lvl for lvl in LEVELS if scores[lvl] >= THRESHOLD_PCT), None)
    recommendation_only = level is Level.A and card.panel_approved is not True
    return ScoreResult(
        company_id=card.company_id,
        level=level,
        below_c=level is None,
        roster_level=Level.C if level is None else level,
        scores=scores,
        met=met,
        missing=missing,
        criteria=reached,
        panel_approved=card.panel_approved,
        a_recommendation_only=recommendation_only,
        explanation=explain(level, scores, missing, recommendation_only),
        cofinancing_cap_dkk=cofinancing_cap(Level.C if level is None else level, card.young),
    )
