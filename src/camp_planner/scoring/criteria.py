"""The scorecard's seven criteria and the rules that turn a scorecard into per-criterion levels.

Implements docs/scoring.md, "The rules" (the strategy's growth-potential levels, the
shared scoring module): the criteria table with its fixed weights, the demands per level,
and the derivation of `ambition` and `market` from figures.
"""

from __future__ import annotations

from dataclasses import dataclass

from camp_planner.models.domain import Scorecard
from camp_planner.models.enums import Level

#: Least expected annual growth (%) of revenue, employment and export for the ambition demands.
GROWTH_PCT_MIN = 10.0
#: Horizon (years) within which the growth is expected: A = short term, B = medium term.
SHORT_TERM_YEARS = 2.0
MEDIUM_TERM_YEARS = 5.0
#: Export share of sales demanded at A for `market` (not for young companies).
EXPORT_SHARE_A = 0.25


@dataclass(frozen=True, slots=True)
class Criterion:
    """One row of the scorecard table.

    Attributes:
        key: Column / field name, e.g. ``"ambition"``.
        name: Human name used in explanations.
        weight: Weight in percent; the weights sum to 100.
        has_c_demand: False when the criterion demands nothing at C (it then counts as met).
    """

    key: str
    name: str
    weight: int
    has_c_demand: bool = True


#: The scorecard table (docs/scoring.md): key, human name, weight in percent.
CRITERIA: tuple[Criterion, ...] = (
    Criterion("ambition", "growth ambition", 40),
    Criterion("scalability", "scalability", 10),
    Criterion("organisation", "organisational capacity", 10),
    Criterion("market", "market", 10),
    Criterion("financing", "financing", 10),
    Criterion("technology", "technology", 10),
    Criterion("role_model", "role model", 10, has_c_demand=False),
)
CRITERION_KEYS: tuple[str, ...] = tuple(c.key for c in CRITERIA)
CRITERION_NAMES: dict[str, str] = {c.key: c.name for c in CRITERIA}
WEIGHTS: dict[str, int] = {c.key: c.weight for c in CRITERIA}
assert sum(WEIGHTS.values()) == 100


def ambition_from_figures(growth_pct: float | None, horizon_years: float | None) -> Level | None:
    """Derive the ambition level from expected growth and its horizon.

    Implements docs/scoring.md's ambition row: "expects ≥10 %/year growth in revenue, employment
    and export in the short term (within 2 years)" (A), "the same in the medium term (within
    5 years)" (B), "the same in the long term (beyond 5 years)" (C).

    ``growth_pct`` is the lowest of the three expected growth rates (revenue, employment,
    export): all three must reach 10 %. The boundaries are inclusive: 2 years is still short
    term, 5 years still medium term.

    Args:
        growth_pct: Expected annual growth in percent.
        horizon_years: Years within which that growth is expected.

    Returns:
        A, B or C; None when growth is below 10 % or a figure is missing (or the horizon is
        negative).
    """
    if growth_pct is None or horizon_years is None or horizon_years < 0:
        return None
    if growth_pct < GROWTH_PCT_MIN:
        return None
    if horizon_years <= SHORT_TERM_YEARS:
        return Level.A
    if horizon_years <= MEDIUM_TERM_YEARS:
        return Level.B
    return Level.C


def ambition_level(card: Scorecard) -> Level | None:
    """The ambition level used for scoring: as recorded, else derived from figures.

    Implements docs/scoring.md: "for `ambition` and `market` it can also be derived from figures
    (expected annual growth % ... and the horizon in years)". A recorded level always wins;
    figures are used only when `ambition` is not recorded (see :func:`ambition_from_figures`).

    Args:
        card: The scorecard.

    Returns:
        The level reached, or None.
    """
    if card.ambition is not None:
        return card.ambition
    return ambition_from_figures(card.growth_pct, card.growth_horizon_years)


def market_level(card: Scorecard) -> Level | None:
    """The market level used for scoring, combining the recorded level and the export share.

    Implements docs/scoring.md's market row, A: "international market potential confirmed/tested:
    export share ≥ 25 % (*)", and its footnote "(*) The export-share requirement does not
    apply to young companies (under 3 years)". Interpretation:

    * Established company, export share known: share ≥ 25 % meets the A demand (level A
      whatever was recorded); share < 25 % does not, so a recorded A counts as B.
    * Established company, export share unknown: the recorded level as given.
    * Young company: the export-share requirement is waived, so the A demand is met as soon
      as the B demand is (recorded B or A, or a share ≥ 25 %); a recorded C stays C and
      nothing recorded stays none.

    Args:
        card: The scorecard.

    Returns:
        The level reached, or None.
    """
    recorded = card.market
    share = card.export_share
    share_meets_a = share is not None and share >= EXPORT_SHARE_A
    if card.young:
        if share_meets_a or recorded in (Level.A, Level.B):
            return Level.A
        return recorded
    if share is None:
        return recorded
    if share_meets_a:
        return Level.A
    return Level.B if recorded is Level.A else recorded


def criterion_levels(card: Scorecard) -> dict[str, Level | None]:
    """The level reached per criterion, after deriving `ambition` and `market`.

    Implements docs/scoring.md: "The scorecard's input is what a growth consultant records per
    criterion (the level reached: A, B, C or none)".

    Args:
        card: The scorecard.

    Returns:
        Criterion key -> level reached (None = none), in table order.
    """
    levels: dict[str, Level | None] = {key: getattr(card, key) for key in CRITERION_KEYS}
    levels["ambition"] = ambition_level(card)
    levels["market"] = market_level(card)
    return levels


def is_met(criterion: Criterion, reached: Level | None, level: Level) -> bool:
    """Whether a criterion counts as met at a level.

    Implements docs/scoring.md: "a criterion counts as met when the company meets L's demand
    (meeting a higher level's demand implies meeting the lower ones)" and "`role_model` has
    no C demand, so it counts as met at C".

    Args:
        criterion: The criterion.
        reached: The level the company reached on it (None = none).
        level: The level L asked about.

    Returns:
        True when ``reached`` is L or higher, or L is C and the criterion has no C demand.
    """
    if level is Level.C and not criterion.has_c_demand:
        return True
    return reached is not None and reached.rank <= level.rank
