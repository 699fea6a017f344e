"""Profiles and identities for matching tests, valid unless overridden."""

from __future__ import annotations

import itertools
from typing import Any

from leadsignal.matching.identity import LeadIdentity
from leadsignal.sources.records import Education, Position, ProfileRecord, YearMonth

_seq = itertools.count(1)


def identity(**overrides: Any) -> LeadIdentity:
    """Jane Doe, born 2000, of Columbus, Ohio."""
    values: dict[str, Any] = {"first_name": "Jane", "last_name": "Doe", "city": "Columbus", "state": "OH",
                              "birth_year": 2000}  # fmt: skip
    values.update(overrides)
    return LeadIdentity(**values)


def profile(*, education_end: int | None = 2022, **overrides: Any) -> ProfileRecord:
    """A Columbus profile of Jane Doe with a bachelor's degree finished in ``education_end``."""
    n = next(_seq)
    values: dict[str, Any] = {
        "profile_url": f"https://www.linkedin.com/in/jane-doe-{n}",
        "first_name": "Jane",
        "last_name": "Doe",
        "full_name": "Jane Doe",
        "location_text": "Columbus, Ohio, United States",
        "city": "Columbus",
        "state": "OH",
        "country_code": "US",
        "positions": (Position(title="Analyst", company="Kroger", start=YearMonth(year=2023), is_current=True),),
        "education": ()
        if education_end is None
        else (
            Education(
                school="Ohio State University",
                degree="Bachelor of Science - BS",
                start=YearMonth(year=education_end - 4),
                end=YearMonth(year=education_end),
            ),
        ),
    }
    values.update(overrides)
    return ProfileRecord(**values)


class ListSearch:
    """A ``ProfileSearch`` over a fixed list of profiles, recording every query it is asked."""

    name = "list"

    def __init__(self, profiles: list[ProfileRecord]) -> None:
        self.profiles = profiles
        self.queries: list[dict[str, Any]] = []

    def search_people(
        self, *, first_name: str, last_name: str, location: str | None, limit: int = 10
    ) -> list[ProfileRecord]:
        self.queries.append({"first_name": first_name, "last_name": last_name, "location": location, "limit": limit})
        return self.profiles[:limit]
