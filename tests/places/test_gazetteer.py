"""The embedded gazetteer: Danish spelling variants, postcodes, districts, municipalities,
unknown and ambiguous names, regions."""

from __future__ import annotations

import pytest

from camp_planner.demo.generator import VENUE_TOWNS, venue_places
from camp_planner.places.gazetteer import (
    MUNICIPALITIES,
    REGIONS,
    Place,
    TownError,
    find_municipality,
    find_towns,
    in_midtjylland,
    min_population,
    municipality_name,
    nearest_match,
    nearest_place,
    normalize,
    point_place,
    postal_districts,
    region_code,
    region_name,
    region_note,
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


# --- postcodes, postal districts, municipalities, regions --------------------------------------


@pytest.mark.parametrize(
    "written",
    ["8000 Aarhus C", "8000", "DK-8000", "dk 8000", "DK8000", "8000 Aarhus", "8000 Århus C",
     "8000  aarhus c", "Aarhus C 8000", "Aarhus C, 8000", "Aarhus C", "Århus C", "aarhus c."],
)  # fmt: skip
def test_postcode_and_district_forms_of_aarhus_c(written: str) -> None:
    place = resolve_town(written)
    assert place.postcode == "8000" and place.name == "Aarhus C"
    assert place.municipality == "Aarhus" and in_midtjylland(place)
    assert place.lat == pytest.approx(56.15, abs=0.02) and place.lon == pytest.approx(
        10.2, abs=0.02
    )


@pytest.mark.parametrize(
    ("written", "postcode", "municipality"),
    [
        ("Aarhus N", "8200", "Aarhus"),
        ("Aarhus V", "8210", "Aarhus"),
        ("Viby J", "8260", "Aarhus"),
        ("Brabrand", "8220", "Aarhus"),
        ("Højbjerg", "8270", "Aarhus"),
        ("8362 Hørning", "8362", "Skanderborg"),
        ("8382", "8382", "Favrskov"),
        ("Fårvang", "8882", "Silkeborg"),  # a village only the postcode list knows
        ("Farvang", "8882", "Silkeborg"),
        ("Højslev", "7840", "Skive"),
        ("Hojslev", "7840", "Skive"),
    ],
)
def test_districts_and_villages_resolve(written: str, postcode: str, municipality: str) -> None:
    place = resolve_town(written)
    assert place.postcode == postcode and place.municipality == municipality
    assert place.admin1 == "18" and place.region == "Region Midtjylland"


def test_district_that_is_a_town_keeps_the_towns_coordinate() -> None:
    # GeoNames' Viby (Aarhus) and the postal district 8260 Viby J are one place
    viby = resolve_town("Viby J")
    assert viby.geonameid and viby.population > 0 and viby.postcode == "8260"
    assert resolve_town("8260") == resolve_town("8260 Viby J") == viby


@pytest.mark.parametrize(
    ("written", "postcode", "municipality", "lat"),
    [
        ("Hørning (Skanderborg)", "8362", "Skanderborg", 56.09),
        ("Hørning (Skanderborg Kommune)", "8362", "Skanderborg", 56.09),
        ("hørning (skanderborg)", "8362", "Skanderborg", 56.09),
        ("Horning(Skanderborg)", "8362", "Skanderborg", 56.09),
        ("Hørning (Randers)", "", "Randers", 56.41),
        ("Hinnerup (Favrskov)", "8382", "Favrskov", 56.27),
        ("Hinnerup (8382)", "8382", "Favrskov", 56.27),
        ("Viby (Aarhus)", "8260", "Aarhus", 56.12),
        ("Viby (Aarhus Kommune)", "8260", "Aarhus", 56.12),
        ("Viby (Roskilde)", "4130", "Roskilde", 55.55),
        ("Viby (Region Sjælland)", "4130", "Roskilde", 55.55),
        ("Viby (Zealand)", "4130", "Roskilde", 55.55),
    ],
)
def test_town_with_municipality_or_region_picks_one_of_namesakes(
    written: str, postcode: str, municipality: str, lat: float
) -> None:
    place = resolve_town(written)
    assert place.postcode == postcode and place.municipality == municipality
    assert place.lat == pytest.approx(lat, abs=0.02)


def test_hinnerup_favrskov_is_the_demo_venue() -> None:
    match = nearest_match("Hinnerup", 56.27, 10.06)
    assert match is not None and resolve_town("Hinnerup (Favrskov)") == match[0]
    assert resolve_town("8382 Hinnerup") == match[0]


def test_ambiguous_name_lists_municipalities_coordinates_and_how_to_choose() -> None:
    with pytest.raises(TownError) as info:
        resolve_town("Hørning")
    candidates = info.value.candidates
    assert {p.municipality for p in candidates} == {"Randers", "Skanderborg"}
    message = info.value.message
    assert "Randers Kommune" in message and "Skanderborg Kommune" in message
    assert all(f"{p.lat:.5f}" in message and f"{p.lon:.5f}" in message for p in candidates)
    assert "8362 Hørning" in message and "(Randers)" in message and "give lat/lon" in message


def test_a_postal_district_far_from_a_namesake_town_is_a_second_place() -> None:
    # 2000 Frederiksberg (Copenhagen) and GeoNames' Frederiksberg near Sorø
    places = find_towns("Frederiksberg")
    assert {p.admin1 for p in places} == {"17", "20"}
    assert resolve_town("2000 Frederiksberg").municipality == "Frederiksberg"
    assert resolve_town("Frederiksberg (Sorø)").admin1 == "20"


def test_unknown_names_list_close_candidates() -> None:
    with pytest.raises(TownError) as info:
        resolve_town("Fårvangg")
    assert "Fårvang" in [p.name for p in info.value.candidates]
    assert "did you mean" in info.value.message and "Fårvang" in info.value.message


def test_unknown_postcode_lists_near_codes() -> None:
    with pytest.raises(TownError) as info:
        resolve_town("8999")
    assert "8999" in info.value.message and "does not exist" in info.value.message
    assert info.value.candidates and all(p.postcode for p in info.value.candidates)


def test_postcode_and_town_that_disagree() -> None:
    with pytest.raises(TownError) as info:
        resolve_town("8000 Skive")
    message = info.value.message
    assert "8000 Aarhus C" in message and "'Skive'" in message
    assert {"Aarhus C", "Skive"} <= {p.name for p in info.value.candidates}


def test_postcode_with_a_town_inside_its_district() -> None:
    # the town written is not the district's name but lies within it
    assert resolve_town("8260 Viby").postcode == "8260"


def test_unknown_municipality_suggests_one() -> None:
    with pytest.raises(TownError) as info:
        resolve_town("Hinnerup (Favskov)")
    assert "Favrskov" in info.value.message
    assert {p.municipality for p in info.value.candidates} >= {"Favrskov"}


def test_no_such_town_in_that_municipality() -> None:
    with pytest.raises(TownError) as info:
        resolve_town("Hinnerup (Lemvig)")
    message = info.value.message
    assert "no 'Hinnerup' in Lemvig Kommune" in message and "Favrskov Kommune" in message
    assert len(info.value.candidates) == 2


@pytest.mark.parametrize(
    ("written", "admin1"),
    [("København", "17"), ("Copenhagen", "17"), ("Sæby", "19"), ("9300 Sæby", "19"),
     ("2100", "17"), ("Odense", "21"), ("Roskilde", "20"), ("Aalborg", "19")],
)  # fmt: skip
def test_places_outside_the_region_say_their_region(written: str, admin1: str) -> None:
    place = resolve_town(written)
    assert place.admin1 == admin1 and place.region == REGIONS[admin1] == region_name(admin1)
    assert not in_midtjylland(place)
    assert REGIONS[admin1] in place.describe()


def test_region_note_names_region_and_nearest_venue() -> None:
    venues = [("aarhus", 56.15674, 10.21076), ("herning", 56.13615, 8.97662)]
    copenhagen = resolve_town("København")
    note = region_note(copenhagen, venues, label="København")
    assert note is not None and note.startswith("København is in Region Hovedstaden, ")
    assert note.endswith("km from the nearest venue (aarhus)")
    km = int(note.split(", ")[1].split(" km")[0])
    assert 150 <= km <= 170
    assert "Region Nordjylland" in (region_note(resolve_town("Sæby"), venues) or "")
    assert region_note(resolve_town("Fårvang"), venues) is None
    assert (
        region_note(copenhagen, [])
        == "Copenhagen is in Region Hovedstaden, outside Region Midtjylland"
    )


def test_describe_gives_postcode_municipality_region_and_coordinates() -> None:
    text = resolve_town("Hinnerup (Favrskov)").describe()
    assert text == "8382 Hinnerup (Favrskov Kommune, Region Midtjylland, 56.26608, 10.06299)"
    assert "Københavns Kommune" in resolve_town("1050").describe()


def test_nearest_place_gives_the_region_of_a_point() -> None:
    assert nearest_place(56.16, 10.2)[0].admin1 == "18"
    assert nearest_place(55.68, 12.57)[0].admin1 == "17"
    place, km = nearest_place(57.33, 10.52)
    assert place.admin1 == "19" and km < 5


def test_point_place_for_a_company_given_by_coordinates() -> None:
    place = point_place(55.70, 12.55, "Nørrebro office")
    assert (place.name, place.lat, place.lon) == ("Nørrebro office", 55.70, 12.55)
    assert place.municipality == "København" and not in_midtjylland(place)
    note = region_note(place, [("aarhus", 56.15674, 10.21076)])
    assert note is not None and note.startswith("Nørrebro office is in Region Hovedstaden, ")
    assert in_midtjylland(point_place(56.27, 9.70))  # near Fårvang


def test_municipalities_and_regions() -> None:
    assert len(MUNICIPALITIES) == 98
    counts = {code: sum(1 for _, r in MUNICIPALITIES.values() if r == code) for code in REGIONS}
    assert counts == {"17": 29, "18": 19, "19": 11, "20": 17, "21": 22}
    assert find_municipality("Københavns Kommune") == find_municipality("københavn") == "København"
    assert find_municipality("Ringkobing Skjern") == "Ringkøbing-Skjern"
    assert find_municipality("Bornholms Regionskommune") == "Bornholm"
    assert find_municipality("Midtjylland") is None
    assert municipality_name("Favrskov") == "Favrskov Kommune"


def test_postcode_list() -> None:
    districts = postal_districts()
    assert 1000 < len(districts) < 1300
    assert {p.municipality for p in districts.values()} == {m for m, _ in MUNICIPALITIES.values()}
    assert all(len(code) == 4 and code.isdigit() for code in districts)
    for place in districts.values():  # every coordinate in Denmark, in its municipality's region
        assert 54.5 < place.lat < 57.8 and 8.0 < place.lon < 15.2
        regions = {r for m, r in MUNICIPALITIES.values() if m == place.municipality}
        assert regions == {place.admin1}


def test_towns_keep_their_geonames_data() -> None:
    # towns_in_region (the demo's source) is GeoNames' list, now with municipalities
    towns = towns_in_region("18")
    assert all(t.geonameid and t.municipality for t in towns)
    aarhus = towns[0]
    assert (aarhus.name, aarhus.lat, aarhus.lon) == ("Århus", 56.15674, 10.21076)
    assert aarhus.municipality == "Aarhus"


def test_place_keeps_its_old_constructor() -> None:
    place = Place("X", 56.0, 10.0, 10, "18")
    assert place.municipality == "" and place.postcode == "" and place.label == "X"
    assert place.describe() == "X (Region Midtjylland, 56.00000, 10.00000)"
