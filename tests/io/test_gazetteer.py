"""The embedded gazetteer: Danish spelling variants, unknown and ambiguous names, regions."""

from __future__ import annotations

import pytest

from camp_planner.io.demo import VENUE_TOWNS, venue_places
from camp_planner.io.gazetteer import (
    TownError,
    min_population,
    normalize,
    region_code,
    resolve_town,
    towns_in_region,
)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Aarhus", "Århus"),  # aa = å
        ("Grenå", "Grenaa"),
        ("Ringkøbing", "Ringkobing"),  # ø = o
        ("Ringkøbing", "Ringkoebing"),  # ø = oe
        ("Æbeltoft", "Ebeltoft"),  # an alternate name
        ("aarhus", "ÅRHUS"),  # case
        ("Viby J", "viby j"),  # alternate name telling the two Vibys apart
    ],
)
def test_spelling_variants_resolve_to_the_same_place(one: str, other: str) -> None:
    assert resolve_town(one) == resolve_town(other)


def test_aarhus() -> None:
    place = resolve_town("Aarhus")
    assert place.admin1 == "18" and place.population > 200_000
    assert place.lat == pytest.approx(56.157, abs=0.01) and place.lon == pytest.approx(
        10.21, abs=0.01
    )


def test_normalize() -> None:
    assert normalize(" Grenå ") == normalize("GRENAA") == "grena"


def test_exact_spelling_wins_over_folding() -> None:
    # Harlev (near Aarhus) and Hårlev (Zealand) only collide once å is folded
    assert resolve_town("Harlev").admin1 == "18"
    assert resolve_town("Hårlev").admin1 == "20"


def test_unknown_name_lists_close_candidates() -> None:
    with pytest.raises(TownError) as info:
        resolve_town("Hinerup")
    assert "Hinnerup" in [p.name for p in info.value.candidates]
    assert "Hinnerup" in info.value.message and "lat/lon" in info.value.message


def test_unknown_name_without_candidates() -> None:
    with pytest.raises(TownError) as info:
        resolve_town("Xyzzyqwv")
    assert info.value.candidates == [] and "lat/lon" in info.value.message


def test_ambiguous_name_lists_places_with_coordinates() -> None:
    with pytest.raises(TownError) as info:
        resolve_town("Hinnerup")  # GeoNames has two Hinnerup in Region Midtjylland
    candidates = info.value.candidates
    assert len(candidates) == 2 and {p.admin1 for p in candidates} == {"18"}
    message = info.value.message
    assert "give lat/lon instead" in message
    assert all(f"{p.lat:.5f}" in message for p in candidates)


def test_small_towns_resolve() -> None:
    assert min_population() <= 1000
    for name in ("Ry", "Tranebjerg", "Hadsten"):
        assert resolve_town(name).population < 15_000


def test_region_by_code_and_name() -> None:
    assert region_code("18") == region_code("Region Midtjylland") == "18"
    assert region_code("midtjylland") == region_code("Central Jutland") == "18"
    with pytest.raises(ValueError, match="unknown region"):
        region_code("Bavaria")


def test_towns_in_region() -> None:
    towns = towns_in_region("Region Midtjylland")
    assert len(towns) > 50 and towns[0].name == "Århus"
    assert all(t.admin1 == "18" and t.population > 0 for t in towns)
    assert [t.population for t in towns] == sorted((t.population for t in towns), reverse=True)


def test_all_19_municipal_seats_are_in_the_gazetteer() -> None:
    places = venue_places()
    assert len(places) == len(VENUE_TOWNS) == 19
    assert all(p.admin1 == "18" for p in places.values())
    assert places["hinnerup"].lon > 10  # Favrskov's Hinnerup, north of Aarhus
