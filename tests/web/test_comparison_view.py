"""The comparison page marks changes within the solver's gaps (issue 13, item 5)."""

from __future__ import annotations

from camp_planner.web.views import comparison_view

COLUMNS = [
    "scenario", "placed", "travel_km_total", "status", "gap",
    "significant_placed", "significant_travel_km_total",
]  # fmt: skip


def travel_cell(significant: str) -> dict:
    data = [
        ["baseline", 95, 2647.9, "FEASIBLE", 0.03, "", ""],
        ["Skive closed", 95, 2613.8, "OPTIMAL", 0.0, "true", significant],
    ]
    view = comparison_view(COLUMNS, data, {})
    row = next(r for r in view["rows"] if r["metric"] == "travel_km_total")
    return row["cells"][1]


def test_a_change_within_the_gaps_is_not_called_better():
    cell = travel_cell("false")
    assert round(cell["change"], 1) == -34.1
    assert cell["not_significant"] is True
    assert cell["verdict"] == "neutral"


def test_a_change_beyond_the_gaps_is_better():
    cell = travel_cell("true")
    assert "not_significant" not in cell
    assert cell["verdict"] == "better"
