"""Our own typed view of a LinkedIn profile and post, whatever actor or source produced them.

Actor outputs drift between builds; mappers (one per actor) turn their items into these records,
so the rest of the system never reads a vendor field name.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class YearMonth(_Record):
    year: int
    month: int | None = None  # 1-12, None when only the year is known


class Position(_Record):
    title: str | None = None
    company: str | None = None
    company_url: str | None = None
    location: str | None = None
    employment_type: str | None = None
    start: YearMonth | None = None
    end: YearMonth | None = None  # None with is_current=True for "Present"
    is_current: bool = False
    description: str | None = None


class Education(_Record):
    school: str | None = None
    degree: str | None = None
    field_of_study: str | None = None
    start: YearMonth | None = None
    end: YearMonth | None = None


class Credential(_Record):
    """A certification or licence as listed on the profile."""

    name: str
    issuer: str | None = None
    issued: YearMonth | None = None
    expires: YearMonth | None = None
    credential_id: str | None = None


class Honor(_Record):
    title: str
    issuer: str | None = None
    issued: YearMonth | None = None
    description: str | None = None


class ProfileRecord(_Record):
    profile_url: str  # canonical https://www.linkedin.com/in/<slug>
    public_identifier: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    full_name: str | None = None
    headline: str | None = None
    about: str | None = None
    location_text: str | None = None
    city: str | None = None
    state: str | None = None  # USPS code when known
    country_code: str | None = None
    open_to_work: bool = False
    email: str | None = None
    phone: str | None = None
    positions: tuple[Position, ...] = ()
    education: tuple[Education, ...] = ()
    credentials: tuple[Credential, ...] = ()
    honors: tuple[Honor, ...] = ()
    fetched_at: dt.datetime | None = Field(default=None, exclude=True)  # not part of the content hash
    source: str = Field(default="unknown", exclude=True)

    @property
    def current_positions(self) -> tuple[Position, ...]:
        return tuple(p for p in self.positions if p.is_current)


class PostRecord(_Record):
    post_id: str  # stable id from the platform (activity URN number)
    url: str | None = None
    author_profile_url: str | None = None
    text: str
    posted_at: dt.datetime | None = None
    is_repost: bool = False
    source: str = Field(default="unknown", exclude=True)


class FetchResult(_Record):
    """What one source call returned for one profile URL: a profile and/or posts, or an error."""

    profile_url: str
    profile: ProfileRecord | None = None
    posts: tuple[PostRecord, ...] = ()
    error: str | None = None


class ProfileSource(Protocol):
    """A source of profiles and posts. Batches: one call may cover many profile URLs."""

    name: str

    def fetch_profiles(self, profile_urls: list[str]) -> list[FetchResult]: ...

    def fetch_posts(self, profile_urls: list[str], *, since: dt.datetime | None = None) -> list[FetchResult]: ...


class ProfileSearch(Protocol):
    """Finds candidate profiles for a lead without a known profile URL."""

    name: str

    def search_people(
        self, *, first_name: str, last_name: str, location: str | None, limit: int = 10
    ) -> list[ProfileRecord]: ...
