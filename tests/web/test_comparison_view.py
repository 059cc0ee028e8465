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


def _cells(placed: int, travel: float, mean: float) -> dict[str, dict]:
    columns = ["scenario", "placed", "unplaced", "travel_km_total", "travel_km_mean"]
    data = [["baseline", 107, 13, 3000.0, 28.0], ["other", placed, 120 - placed, travel, mean]]
    view = comparison_view(columns, data, {})
    return {r["metric"]: r["cells"][1] for r in view["rows"]}


def test_less_travel_with_fewer_placed_is_not_called_better():
    """Issue 18: "-999,2 km" was green although 12 fewer companies were placed."""
    cells = _cells(95, 2000.8, 21.0)
    assert cells["placed"]["verdict"] == "worse"
    assert cells["unplaced"]["verdict"] == "worse"
    for metric in ("travel_km_total", "travel_km_mean"):
        assert cells[metric]["verdict"] == "neutral"
        assert cells[metric]["outranked"] is True


def test_travel_is_judged_when_placed_is_no_worse():
    better = _cells(107, 2000.8, 21.0)
    assert better["travel_km_total"]["verdict"] == "better"
    assert "outranked" not in better["travel_km_total"]
    more = _cells(110, 3100.0, 29.0)  # more placed, more travel: the travel is a real cost
    assert more["placed"]["verdict"] == "better"
    assert more["travel_km_total"]["verdict"] == "worse"
    assert "outranked" not in more["travel_km_total"]
