"""Apify: the REST client and the LinkedIn profile, posts and search adapters built on it."""

from __future__ import annotations

from leadsignal.integrations.apify.client import ApifyClient, ApifyRun
from leadsignal.integrations.apify.errors import ApifyDeadlineExceeded, ApifyError, ApifyRunFailed
from leadsignal.integrations.apify.source import (
    ApifyLinkedInSource,
    ApifyProfileSearch,
    build_apify_source_and_search,
)

__all__ = [
    "ApifyClient",
    "ApifyDeadlineExceeded",
    "ApifyError",
    "ApifyLinkedInSource",
    "ApifyProfileSearch",
    "ApifyRun",
    "ApifyRunFailed",
    "build_apify_source_and_search",
]
