from __future__ import annotations

import pytest

from leadsignal.matching.location import Place, norm_city, parse_location, place_of


@pytest.mark.parametrize(
    ("text", "cities", "states", "us"),
    [
        ("Columbus, Ohio, United States", {"columbus"}, {"OH"}, True),
        ("Greater Columbus Area", {"columbus"}, {"OH"}, True),
        ("Cleveland, Ohio Metropolitan Area", {"cleveland"}, {"OH"}, True),
        ("Ohio, United States", set(), {"OH"}, True),
        ("United States", set(), set(), True),
        ("Columbus, OH", {"columbus"}, {"OH"}, True),
        ("St. Louis, Missouri, United States", {"saint louis"}, {"MO"}, True),
        ("Washington, District of Columbia, United States", {"washington"}, {"DC"}, True),
        ("San Juan, Puerto Rico", {"san juan"}, {"PR"}, True),
        ("Toronto, Ontario, Canada", set(), set(), False),
        ("London, England, United Kingdom", set(), set(), False),
        ("Greater Springfield Area", {"springfield"}, set(), None),
        ("", set(), set(), None),
    ],
)
def test_parse_location(text: str, cities: set[str], states: set[str], us: bool | None) -> None:
    place = parse_location(text)
    assert (set(place.cities), set(place.states), place.us) == (cities, states, us)


def test_metro_areas_list_their_principal_cities() -> None:
    bay = parse_location("San Francisco Bay Area")
    assert {"san francisco", "oakland", "san jose"} <= bay.cities
    assert bay.states == {"CA"}
    dfw = parse_location("Dallas-Fort Worth Metroplex")
    assert {"dallas", "fort worth"} <= dfw.cities


def test_norm_city() -> None:
    assert norm_city("St. Paul") == norm_city("Saint Paul") == "saint paul"
    assert norm_city("Ft Worth") == "fort worth"
    assert norm_city("Mt. Vernon") == "mount vernon"


def test_place_of_merges_structured_fields_and_country() -> None:
    assert place_of(None, "Dayton", "Ohio", "US") == Place(frozenset({"dayton"}), frozenset({"OH"}), True)
    assert place_of("Paris", None, None, "FR").us is False
    assert place_of(None, None, None, None).empty
