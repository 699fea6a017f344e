"""Record factories for the sources tests."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from leadsignal.sources.records import Credential, Education, Honor, Position, PostRecord, ProfileRecord, YearMonth

_seq = itertools.count(1)


def job(title: str, company: str, *, start: tuple[int, int] = (2023, 6), end: tuple[int, int] | None = None,
        **extra: Any) -> Position:  # fmt: skip
    return Position(
        title=title,
        company=company,
        start=YearMonth(year=start[0], month=start[1]),
        end=YearMonth(year=end[0], month=end[1]) if end else None,
        is_current=end is None,
        **extra,
    )


def profile(**overrides: Any) -> ProfileRecord:
    """A valid profile with one job, one degree, one certification and one honour."""
    values: dict[str, Any] = {
        "profile_url": f"https://www.linkedin.com/in/jane-doe-syn{next(_seq)}",
        "first_name": "Jane",
        "last_name": "Doe",
        "full_name": "Jane Doe",
        "headline": "Analyst at Northwind Logistics",
        "city": "Columbus",
        "state": "OH",
        "country_code": "US",
        "positions": (job("Analyst", "Northwind Logistics"),),
        "education": (
            Education(school="Ohio State University", degree="Bachelor of Science", start=YearMonth(year=2018)),
        ),
        "credentials": (Credential(name="Excel Essentials", issuer="LinkedIn", issued=YearMonth(year=2022, month=3)),),
        "honors": (Honor(title="Dean's List", issuer="Ohio State University"),),
        "source": "test",
    }
    values.update(overrides)
    return ProfileRecord(**values)


def post(post_id: str | None = None, **overrides: Any) -> PostRecord:
    values: dict[str, Any] = {
        "post_id": post_id or f"7{next(_seq):018d}",
        "url": None,
        "author_profile_url": "https://www.linkedin.com/in/jane-doe-syn1",
        "text": "Excited to share that I passed the NCLEX!",
        "posted_at": dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC),
        "source": "test",
    }
    values.update(overrides)
    return PostRecord(**values)
