"""The what-if chart starts its travel axes at zero (a 1 % change must not look like a
cliff) and speaks the round's language (issue 18)."""

from __future__ import annotations

import pandas as pd

from camp_planner.whatif.chart import scenarios_figure, venues_figure

TABLE = pd.DataFrame(
    {
        "scenario": ["baseline", "5 venues", "7 venues"],
        "max_venues": [6, 5, 7],
        "travel_km_total": [2614.0, 2640.0, 2600.0],
        "travel_km_mean": [27.5, 27.8, 27.4],
        "travel_km_p90": [65.9, 66.0, 65.0],
        "placed": [95, 95, 95],
        "unplaced": [25, 25, 25],
    }
)


def test_the_travel_axes_start_at_zero() -> None:
    fig = venues_figure(TABLE)
    top, middle, bottom = fig.axes[:3]
    for ax in (top, middle, bottom):
        low, high = ax.get_ylim()
        assert low == 0 and high > 0
    assert top.get_ylim()[1] >= 2640  # the values are on the chart


def test_danish_labels() -> None:
    fig = venues_figure(TABLE, lang="da")
    titles = [ax.get_title() for ax in fig.axes]
    assert "Samlet rejse for de placerede virksomheder" in titles
    assert fig.axes[2].get_xlabel() == "højst antal mødesteder"
    bars = scenarios_figure(TABLE, lang="da")
    assert [t.get_text() for t in bars.axes[0].get_yticklabels()][0] == "grundlag"
    assert bars.axes[0].get_title() == "virksomheder placeret"
    english = scenarios_figure(TABLE)
    assert [t.get_text() for t in english.axes[0].get_yticklabels()][0] == "baseline"
