"""Remedies for groups too small for a cohort: online cohorts, approved mixing, no travel
limit, one more venue; what each would buy this round (docs/remedies.md).

- :func:`remedies_for` lists the remedies worth trying on a round;
- :func:`run_remedies` solves the round once per remedy and once with all of them;
- the ranked table ``remedies.csv`` is written by :mod:`camp_planner.outputs.remedies_files`.
"""

from camp_planner.remedies.catalogue import ALL, Remedy, all_together, remedies_for
from camp_planner.remedies.runner import AS_IT_IS, COLUMNS, RemedyResult, RemedyRun, run_remedies

__all__ = [
    "ALL",
    "AS_IT_IS",
    "COLUMNS",
    "Remedy",
    "RemedyResult",
    "RemedyRun",
    "all_together",
    "remedies_for",
    "run_remedies",
]
