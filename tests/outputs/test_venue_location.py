"""A venue's place in words names its town once (issue 18: "Papirfabrikken, Silkeborg,
Silkeborg")."""

from __future__ import annotations

from camp_planner.models import Venue
from camp_planner.outputs.writers import venue_location


def _venue(name: str, town: str | None) -> Venue:
    return Venue(venue_id="v", name=name, lat=56.17, lon=9.55, town=town)


def test_the_town_is_named_once() -> None:
    assert venue_location(_venue("Papirfabrikken, Silkeborg", "Silkeborg")) == (
        "Papirfabrikken, Silkeborg"
    )
    assert venue_location(_venue("Papirfabrikken", "Silkeborg")) == "Papirfabrikken, Silkeborg"
    assert venue_location(_venue("Silkeborg", "silkeborg")) == "Silkeborg"
    assert venue_location(_venue("Silkeborg Bad", "Silkeborg")) == "Silkeborg Bad, Silkeborg"
    assert venue_location(_venue("Herning", None)) == "Herning"
