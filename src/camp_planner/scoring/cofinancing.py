"""Co-financing caps per level and age group (docs/scoring.md "Co-financing caps")."""

from __future__ import annotations

from camp_planner.models.enums import Level

#: (level, young) -> (min, max) indicative co-financing cap in DKK; min == max unless a range.
COFINANCING_CAPS: dict[tuple[Level, bool], tuple[int, int]] = {
    (Level.A, True): (137_000, 137_000),
    (Level.A, False): (700_000, 700_000),
    (Level.B, True): (77_000, 77_000),
    (Level.B, False): (435_000, 435_000),
    (Level.C, True): (17_000, 20_000),
    (Level.C, False): (34_000, 34_000),
}

#: Least share of an investment the company finances with its own cash (a few exceptions).
OWN_CASH_SHARE_MIN = 0.5


def cofinancing_cap(level: Level, young: bool) -> tuple[int, int]:
    """The indicative co-financing cap for a level and age group.

    Implements the table of docs/scoring.md "Co-financing caps" (DKK, indicative):
    A 137,000 / 700,000, B 77,000 / 435,000, C 17,000–20,000 / 34,000 for companies under /
    at least 3 years old.

    Args:
        level: The company's level (use ``ScoreResult.roster_level`` for a company below C).
        young: True for a company under 3 years old.

    Returns:
        (min, max) in DKK; equal unless the table gives a range.
    """
    return COFINANCING_CAPS[(Level(level), bool(young))]
