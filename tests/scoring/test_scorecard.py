"""The shared scoring module against DOMAIN.md's scorecard rules (section 3.2 and 3.5).

Weights: ambition 40, scalability / organisation / market / financing / technology /
role_model 10 each. Expected scores are derived by hand in the comments.
"""

from __future__ import annotations

import pydantic
import pytest
from hypothesis import given
from hypothesis import strategies as st

from camp_planner.models import Level, Scorecard
from camp_planner.scoring import (
    CRITERIA,
    CRITERION_KEYS,
    WEIGHTS,
    ambition_from_figures,
    cofinancing_cap,
    market_level,
    score,
)

A, B, C = Level.A, Level.B, Level.C


def card(**levels: object) -> Scorecard:
    return Scorecard(company_id="12345678", **levels)  # type: ignore[arg-type]


def test_weights_table() -> None:
    # DOMAIN.md: ambition 40 %, the other six 10 % each, summing to 100 %.
    assert WEIGHTS == {
        "ambition": 40,
        "scalability": 10,
        "organisation": 10,
        "market": 10,
        "financing": 10,
        "technology": 10,
        "role_model": 10,
    }
    assert [c.key for c in CRITERIA] == list(CRITERION_KEYS)


@pytest.mark.parametrize(
    ("levels", "scores", "level"),
    [
        # ambition B (40) + scalability, organisation, market B (30) = 70 at B
        # -> meets B exactly at the boundary; at A nothing is met (0).
        # At C: 70 + role_model (no C demand, 10) = 80.
        (
            {"ambition": B, "scalability": B, "organisation": B, "market": B},
            (0, 70, 80),
            B,
        ),
        # ambition B (40) + scalability, organisation B (20) = 60 at B -> not B.
        # At C: 60 + role_model (10) = 70 -> meets C exactly at the boundary.
        ({"ambition": B, "scalability": B, "organisation": B}, (0, 60, 70), C),
        # ambition A (40) + scalability, organisation, market A (30) = 70 at A -> A.
        (
            {"ambition": A, "scalability": A, "organisation": A, "market": A},
            (70, 70, 80),
            A,
        ),
        # ambition A (40) + scalability, organisation A (20) + market B = 60 at A -> not A;
        # at B market counts too: 70 -> B.
        (
            {"ambition": A, "scalability": A, "organisation": A, "market": B},
            (60, 70, 80),
            B,
        ),
        # Everything but ambition at A: 6 x 10 = 60 at A, B and C -> below C.
        (
            {k: A for k in CRITERION_KEYS if k != "ambition"},
            (60, 60, 60),
            None,
        ),
    ],
)
def test_seventy_percent_boundary(
    levels: dict[str, Level], scores: tuple[int, int, int], level: Level | None
) -> None:
    result = score(card(**levels))
    assert (result.scores[A], result.scores[B], result.scores[C]) == scores
    assert result.level == level


@pytest.mark.parametrize(
    ("recorded", "scores"),
    [
        # All A: every criterion meets A, hence B and C too -> 100 / 100 / 100.
        (A, (100, 100, 100)),
        # All B: nothing at A (0); B and C all met -> 0 / 100 / 100.
        (B, (0, 100, 100)),
        # All C: only C is met -> 0 / 0 / 100.
        (C, (0, 0, 100)),
    ],
)
def test_higher_level_implies_lower(recorded: Level, scores: tuple[int, int, int]) -> None:
    result = score(card(**{k: recorded for k in CRITERION_KEYS}))
    assert (result.scores[A], result.scores[B], result.scores[C]) == scores
    assert result.level == recorded


def test_role_model_counts_as_met_at_c() -> None:
    # ambition C (40) + scalability, organisation C (20) = 60, + role_model with no C demand
    # (10) = 70 -> C. Without the role-model decision it would be 60 -> below C.
    result = score(card(ambition=C, scalability=C, organisation=C))
    assert result.scores[C] == 70
    assert "role_model" in result.met[C]
    assert "role_model" in result.missing[B]
    assert result.level == C


def test_below_c() -> None:
    # Nothing recorded: only role_model is met at C (10) -> 10 < 70 -> below C,
    # trained with C companies.
    result = score(card())
    assert result.scores == {A: 0, B: 0, C: 10}
    assert result.level is None
    assert result.below_c is True
    assert result.roster_level == C
    assert result.level_text == "below_C"
    assert result.explanation.startswith("below C: meets no level")
    assert "growth ambition" in result.explanation


def test_explanation_says_what_is_missing_for_the_next_level() -> None:
    # ambition A (40) + organisation A (10) = 50 at A; at B all but role_model: 90 -> B.
    result = score(
        card(ambition=A, scalability=B, organisation=A, market=B, financing=B, technology=B)
    )
    assert result.level == B
    assert result.explanation == (
        "B: meets B (score 90 %). Missing for A (score 50 %): "
        "scalability, market, financing, technology, role model"
    )
    assert result.missing[A] == ["scalability", "market", "financing", "technology", "role_model"]
    assert result.met[A] == ["ambition", "organisation"]


@pytest.mark.parametrize(
    ("young", "recorded", "share", "expected"),
    [
        # Young: the export-share requirement is waived, so the B demand meets A.
        (True, B, None, A),
        (True, A, None, A),
        (True, B, 0.0, A),
        (True, C, None, C),  # C is not the B demand: stays C
        (True, None, None, None),
        (True, None, 0.30, A),  # the share proves A anyway
        # Established: the A demand needs export share >= 25 %.
        (False, B, None, B),
        (False, A, None, A),  # no figure: the consultant's level stands
        (False, None, 0.25, A),  # exactly 25 % meets A
        (False, C, 0.25, A),
        (False, C, 0.2499, C),  # just below 25 %: nothing derived
        (False, A, 0.10, B),  # recorded A contradicted by the share: counts as B
        (False, None, 0.10, None),
    ],
)
def test_market_from_export_share_and_young_waiver(
    young: bool, recorded: Level | None, share: float | None, expected: Level | None
) -> None:
    assert market_level(card(young=young, market=recorded, export_share=share)) == expected


@pytest.mark.parametrize(
    ("young", "level", "score_a"),
    [
        # ambition A (40) + scalability, organisation A (20) + market B; young: market meets A
        # (waiver) -> 40 + 20 + 10 = 70 -> A.
        (True, A, 70),
        # Established: market B does not meet A -> 60 at A; at B 70 -> B.
        (False, B, 60),
    ],
)
def test_young_export_waiver_changes_the_level(young: bool, level: Level, score_a: int) -> None:
    result = score(card(young=young, ambition=A, scalability=A, organisation=A, market=B))
    assert result.scores[A] == score_a
    assert result.level == level


@pytest.mark.parametrize(
    ("growth", "horizon", "expected"),
    [
        (10, 0, A),
        (10, 2, A),  # within 2 years: short term, boundary inclusive
        (10, 2.01, B),
        (10, 5, B),  # within 5 years: medium term, boundary inclusive
        (10, 5.01, C),  # beyond 5 years: long term
        (25, 10, C),
        (9.99, 1, None),  # growth below 10 %: no ambition level
        (None, 2, None),
        (10, None, None),
        (10, -1, None),
    ],
)
def test_ambition_from_figures(
    growth: float | None, horizon: float | None, expected: Level | None
) -> None:
    assert ambition_from_figures(growth, horizon) == expected
    result = score(card(growth_pct=growth, growth_horizon_years=horizon))
    assert result.criteria["ambition"] == expected


def test_recorded_ambition_wins_over_figures() -> None:
    result = score(card(ambition=C, growth_pct=20, growth_horizon_years=1))
    assert result.criteria["ambition"] == C


def test_ambition_from_figures_decides_the_level() -> None:
    # Figures 12 %/year within 2 years -> ambition A (40) + scalability, organisation,
    # market A (30) = 70 at A -> A.
    result = score(
        card(scalability=A, organisation=A, market=A, growth_pct=12, growth_horizon_years=2)
    )
    assert result.scores[A] == 70
    assert result.level == A


@pytest.mark.parametrize(
    ("approved", "flag"),
    [(None, True), (False, True), (True, False)],
)
def test_growth_panel_flag(approved: bool | None, flag: bool) -> None:
    # All A: 100 at A -> A; a recommendation until the panel has approved.
    result = score(card(panel_approved=approved, **{k: A for k in CRITERION_KEYS}))
    assert result.level == A  # the level stays A; the roster policy is elsewhere
    assert result.a_recommendation_only is flag
    assert result.panel_approved is approved
    assert ("growth panel" in result.explanation) is flag


def test_panel_flag_only_for_a() -> None:
    result = score(card(**{k: B for k in CRITERION_KEYS}))
    assert result.level == B
    assert result.a_recommendation_only is False


@pytest.mark.parametrize(
    ("level", "young", "cap"),
    [
        (A, True, (137_000, 137_000)),
        (A, False, (700_000, 700_000)),
        (B, True, (77_000, 77_000)),
        (B, False, (435_000, 435_000)),
        (C, True, (17_000, 20_000)),
        (C, False, (34_000, 34_000)),
    ],
)
def test_cofinancing_caps(level: Level, young: bool, cap: tuple[int, int]) -> None:
    assert cofinancing_cap(level, young) == cap


def test_result_is_frozen() -> None:
    result = score(card())
    with pytest.raises(pydantic.ValidationError):
        result.level = A  # type: ignore[misc]


_LEVELS = st.sampled_from([None, A, B, C])


@given(
    levels=st.fixed_dictionaries({k: _LEVELS for k in CRITERION_KEYS}),
    young=st.booleans(),
    share=st.none() | st.floats(0, 1),
    growth=st.none() | st.floats(0, 50),
    horizon=st.none() | st.floats(0, 20),
)
def test_score_properties(
    levels: dict[str, Level | None],
    young: bool,
    share: float | None,
    growth: float | None,
    horizon: float | None,
) -> None:
    result = score(
        card(
            young=young,
            export_share=share,
            growth_pct=growth,
            growth_horizon_years=horizon,
            **levels,
        )
    )
    # Meeting a higher demand implies meeting the lower ones: the score is monotone.
    assert result.scores[A] <= result.scores[B] <= result.scores[C]
    for lvl in (A, B, C):
        assert result.scores[lvl] == sum(WEIGHTS[k] for k in result.met[lvl])
        assert sorted(result.met[lvl] + result.missing[lvl]) == sorted(CRITERION_KEYS)
        assert 0 <= result.scores[lvl] <= 100
    assert set(result.met[A]) <= set(result.met[B]) <= set(result.met[C])
    # The level is the highest level with score >= 70; None (below C) when there is none.
    meeting = [lvl for lvl in (A, B, C) if result.scores[lvl] >= 70]
    assert result.level == (meeting[0] if meeting else None)
    assert result.below_c is (result.level is None)
    assert result.roster_level == (result.level or C)
