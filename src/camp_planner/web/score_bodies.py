"""The bodies of ``POST /api/score`` (docs/web.md, "Score"), as pydantic models.

The request is ``multipart/form-data`` with one file (field ``file``); its problems are
answered 422 as :class:`camp_planner.web.bodies.ProblemsAnswer`.
"""

from __future__ import annotations

from pydantic import BaseModel

from camp_planner.scoring import ScoreResult


class ScoredCompany(BaseModel):
    """One row of levels.csv, with the flags a consultant asks about."""

    company_id: str
    level: str
    score_A: float  # noqa: N815 - levels.csv's column names
    score_B: float  # noqa: N815
    score_C: float  # noqa: N815
    explanation: str
    below_c: bool
    a_recommendation_only: bool

    @classmethod
    def of(cls, result: ScoreResult) -> ScoredCompany:
        scores = {level.value: value for level, value in result.scores.items()}
        return cls(
            company_id=result.company_id,
            level=result.level_text,
            score_A=scores["A"],
            score_B=scores["B"],
            score_C=scores["C"],
            explanation=result.explanation,
            below_c=result.below_c,
            a_recommendation_only=result.a_recommendation_only,
        )


class ScoreAnswer(BaseModel):
    """200 of POST /api/score: every company in file order, the counts per level (``A``,
    ``B``, ``C``, ``below_C``), the A levels waiting for the growth panel, the columns not
    used and levels.csv's text as ``camp-planner score`` writes it."""

    companies: list[ScoredCompany]
    counts: dict[str, int]
    pending_panel: int
    ignored_columns: list[str]
    levels_csv: str
