"""Read a LinkedIn location ("Columbus, Ohio, United States", "Greater Columbus Area") as city and state."""

from __future__ import annotations

import re
from dataclasses import dataclass

from leadsignal.leads.us_states import STATE_CODES, STATE_NAMES
from leadsignal.matching.names import fold

_US = {"united states", "united states of america", "usa", "us", "u s", "u s a"}

# Metro areas LinkedIn shows instead of a city: name -> (principal cities, state codes).
_METROS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "new york city metropolitan area": (frozenset({"new york", "brooklyn", "bronx", "queens", "manhattan",
                                                   "staten island", "jersey city", "newark"}), frozenset({"NY", "NJ"})),
    "san francisco bay area": (frozenset({"san francisco", "oakland", "san jose", "berkeley", "palo alto",
                                          "fremont"}), frozenset({"CA"})),
    "los angeles metropolitan area": (frozenset({"los angeles", "long beach", "anaheim", "glendale",
                                                 "pasadena", "santa ana"}), frozenset({"CA"})),
    "dallas-fort worth metroplex": (frozenset({"dallas", "fort worth", "arlington", "plano", "irving"}),
                                    frozenset({"TX"})),
    "washington dc-baltimore area": (frozenset({"washington", "baltimore", "arlington", "alexandria",
                                                "silver spring"}), frozenset({"DC", "MD", "VA"})),
    "greater houston": (frozenset({"houston", "sugar land", "the woodlands", "pasadena"}), frozenset({"TX"})),
    "greater boston": (frozenset({"boston", "cambridge", "quincy", "somerville"}), frozenset({"MA"})),
    "greater chicago area": (frozenset({"chicago", "evanston", "naperville", "aurora"}), frozenset({"IL"})),
    "greater philadelphia": (frozenset({"philadelphia", "camden", "cherry hill"}), frozenset({"PA", "NJ"})),
    "atlanta metropolitan area": (frozenset({"atlanta", "marietta", "decatur", "sandy springs"}),
                                  frozenset({"GA"})),
    "miami-fort lauderdale area": (frozenset({"miami", "fort lauderdale", "hialeah", "hollywood"}),
                                   frozenset({"FL"})),
    "greater seattle area": (frozenset({"seattle", "bellevue", "tacoma", "redmond"}), frozenset({"WA"})),
    "greater phoenix area": (frozenset({"phoenix", "mesa", "tempe", "scottsdale", "chandler"}), frozenset({"AZ"})),
    "greater minneapolis-st. paul area": (frozenset({"minneapolis", "saint paul", "bloomington"}),
                                          frozenset({"MN"})),
    "denver metropolitan area": (frozenset({"denver", "aurora", "lakewood", "boulder"}), frozenset({"CO"})),
    "greater st. louis": (frozenset({"saint louis"}), frozenset({"MO", "IL"})),
    "greater cleveland": (frozenset({"cleveland", "lakewood", "parma"}), frozenset({"OH"})),
    "greater columbus area": (frozenset({"columbus"}), frozenset({"OH"})),
    "cincinnati metropolitan area": (frozenset({"cincinnati"}), frozenset({"OH", "KY"})),
    "greater detroit area": (frozenset({"detroit", "dearborn", "warren", "troy"}), frozenset({"MI"})),
    "greater tampa bay area": (frozenset({"tampa", "saint petersburg", "clearwater"}), frozenset({"FL"})),
    "greater orlando": (frozenset({"orlando", "kissimmee"}), frozenset({"FL"})),
    "charlotte metro": (frozenset({"charlotte"}), frozenset({"NC", "SC"})),
    "greater pittsburgh region": (frozenset({"pittsburgh"}), frozenset({"PA"})),
    "austin, texas metropolitan area": (frozenset({"austin", "round rock"}), frozenset({"TX"})),
    "san antonio, texas metropolitan area": (frozenset({"san antonio"}), frozenset({"TX"})),
    "nashville metropolitan area": (frozenset({"nashville", "franklin", "murfreesboro"}), frozenset({"TN"})),
    "greater indianapolis": (frozenset({"indianapolis", "carmel", "fishers"}), frozenset({"IN"})),
    "kansas city metropolitan area": (frozenset({"kansas city", "overland park", "olathe"}),
                                      frozenset({"MO", "KS"})),
    "las vegas metropolitan area": (frozenset({"las vegas", "henderson"}), frozenset({"NV"})),
    "portland, oregon metropolitan area": (frozenset({"portland", "beaverton", "gresham"}), frozenset({"OR"})),
    "greater sacramento": (frozenset({"sacramento", "elk grove", "roseville"}), frozenset({"CA"})),
    "greater san diego area": (frozenset({"san diego", "chula vista", "oceanside"}), frozenset({"CA"})),
    "raleigh-durham-chapel hill area": (frozenset({"raleigh", "durham", "chapel hill", "cary"}),
                                        frozenset({"NC"})),
}  # fmt: skip
# Ambiguous city names that do not identify a state on their own in "Greater X Area".
_AMBIGUOUS_WITHOUT_STATE = frozenset({"columbus", "portland", "springfield", "kansas city", "arlington"})


@dataclass(frozen=True)
class Place:
    """What a location text says: cities it may mean, states it may be in, and whether it is in the US."""

    cities: frozenset[str] = frozenset()
    states: frozenset[str] = frozenset()
    us: bool | None = None  # None when the text names no country

    @property
    def empty(self) -> bool:
        return not self.cities and not self.states and self.us is None


def norm_city(city: str) -> str:
    """'St. Louis' -> 'saint louis', 'Ft Worth' -> 'fort worth', accents and punctuation dropped."""
    text = re.sub(r"[.'’]", "", fold(city))
    text = re.sub(r"\bst\b", "saint", text)
    text = re.sub(r"\bft\b", "fort", text)
    text = re.sub(r"\bmt\b", "mount", text)
    return " ".join(re.split(r"[^a-z]+", text)).strip()


def _state(part: str) -> str | None:
    text = " ".join(part.replace(".", "").split()).upper()
    if text in STATE_CODES and len(text) == 2:
        return text
    return STATE_NAMES.get(text)


_AREA = re.compile(r"^(?:greater\s+)?(.+?)(?:\s+(?:metropolitan|metro|bay))?(?:\s+(?:area|region|metroplex))?$")


def _strip_area(part: str) -> str:
    """'Greater Cleveland Area' -> 'cleveland', 'Ohio Metropolitan Area' -> 'ohio'."""
    folded = fold(part).strip()
    m = _AREA.match(folded)
    return m.group(1) if m else folded


def parse_location(text: str | None) -> Place:
    if not text or not text.strip():
        return Place()
    raw = " ".join(text.split())
    key = fold(raw).replace(", united states", "").strip()
    if key in _METROS:
        return Place(*_METROS[key], True)
    parts = [p.strip() for p in raw.split(",") if p.strip()]
    us: bool | None = None
    if parts and fold(parts[-1]).replace(".", " ").strip() in _US:
        us, parts = True, parts[:-1]
        if not parts:
            return Place(us=True)
    states: set[str] = set()
    last_state = _state(_strip_area(parts[-1]))
    if last_state is not None and (len(parts) > 1 or us or len(parts[-1]) > 2):
        states.add(last_state)
        parts = parts[:-1]
    elif len(parts) >= 2:
        return Place(us=False)  # "Toronto, Ontario, Canada", "London, England, United Kingdom"
    cities: set[str] = set()
    if parts:
        for piece in re.split(r"-|/", _strip_area(parts[0])):
            if piece.strip():
                cities.add(norm_city(piece))
    return Place(frozenset(cities), frozenset(states), True if states else us)


def place_of(location_text: str | None, city: str | None, state: str | None, country_code: str | None) -> Place:
    """A profile's place: its structured city/state when the mapper found them, else the text."""
    parsed = parse_location(location_text)
    cities = set(parsed.cities)
    states = set(parsed.states)
    if city:
        cities.add(norm_city(city))
    if state and (code := _state(state)):
        states.add(code)
    us = parsed.us
    if country_code:
        us = country_code.upper() == "US"
    if states:
        us = True if us is None else us
    return Place(frozenset(cities), frozenset(states), us)


def is_ambiguous_city(city: str) -> bool:
    return norm_city(city) in _AMBIGUOUS_WITHOUT_STATE
