"""What-if venue planning: solve the round under several scenarios and compare them.

- :mod:`~camp_planner.whatif.scenarios`: :class:`Scenario`, the scenarios.toml format,
  ``--venues`` ranges, :func:`apply_scenario`;
- :mod:`~camp_planner.whatif.runner`: :func:`run_scenarios` (the roster solver per scenario);
- :mod:`~camp_planner.whatif.compare`: the metrics and the comparison tables;
- :mod:`~camp_planner.whatif.chart`: the chart.

Files and the ``camp-planner whatif`` command are in :mod:`camp_planner.outputs.whatif_files`.
"""

from camp_planner.whatif.compare import (
    CONTRACT_COLUMNS,
    comparison_sheet,
    scenario_metrics,
    venue_usage,
    whatif_table,
)
from camp_planner.whatif.runner import ScenarioResult, WhatIf, run_scenarios
from camp_planner.whatif.scenarios import (
    BASELINE,
    Scenario,
    ScenarioError,
    apply_scenario,
    scenarios_from_toml,
    venue_range_scenarios,
    with_baseline,
)

__all__ = [
    "BASELINE",
    "CONTRACT_COLUMNS",
    "Scenario",
    "ScenarioError",
    "ScenarioResult",
    "WhatIf",
    "apply_scenario",
    "comparison_sheet",
    "run_scenarios",
    "scenario_metrics",
    "scenarios_from_toml",
    "venue_range_scenarios",
    "venue_usage",
    "whatif_table",
    "with_baseline",
]
