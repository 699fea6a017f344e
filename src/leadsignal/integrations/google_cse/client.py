"""``WebSearch`` over Google Custom Search (``GET /customsearch/v1``).

Google reports the JSON API closed to new customers and discontinued on 2027-01-01; a successor
is one new class with the same ``search`` method (see ``leadsignal.sources.enrichment``).
"""

from __future__ import annotations

import json
from typing import Any

from leadsignal.integrations.http import HttpStatusError, OutboundError, PoliteClient, RetryPolicy
from leadsignal.integrations.http.retry import RETRY_STATUSES
from leadsignal.sources.enrichment import EnrichmentError, SearchResult

SERVICE = "google_cse"
# Quota is daily (resets at midnight Pacific): retrying a 429 within seconds only burns time.
_POLICY = RetryPolicy(max_attempts=3, retry_statuses=RETRY_STATUSES - {429})


class QuotaExceeded(EnrichmentError):
    """429 RESOURCE_EXHAUSTED (or the older 403 dailyLimitExceeded): retry after the quota resets."""


class GoogleCseSearch:
    name = "google_cse"

    def __init__(self, http: PoliteClient, *, key: str, cx: str, base_url: str = "https://www.googleapis.com") -> None:
        if not key or not cx:
            raise ValueError("Google CSE needs both LEADSIGNAL_GOOGLE_CSE_KEY and LEADSIGNAL_GOOGLE_CSE_CX")
        self._http = http
        self._key = key
        self._cx = cx
        self._url = base_url.rstrip("/") + "/customsearch/v1"

    def search(self, query: str, num: int = 10) -> list[SearchResult]:
        if not query.strip():
            raise ValueError("search query is empty")
        params = {"key": self._key, "cx": self._cx, "q": query, "num": max(1, min(10, num))}
        try:
            response = self._http.request("GET", self._url, service=SERVICE, params=params, retry=_POLICY)
        except HttpStatusError as exc:
            raise _error(exc) from exc
        except OutboundError as exc:
            raise EnrichmentError(str(exc), provider=self.name, retryable=exc.retryable) from exc
        try:
            body = response.json()
        except ValueError as exc:
            raise EnrichmentError("Google CSE answered with non-JSON", provider=self.name, retryable=True) from exc
        items = body.get("items") if isinstance(body, dict) else None
        if items is None:  # Google leaves ``items`` out entirely when nothing matched
            return []
        return [
            SearchResult(title=str(i.get("title") or ""), link=i["link"], snippet=str(i.get("snippet") or ""))
            for i in items
            if isinstance(i, dict) and isinstance(i.get("link"), str)
        ]


def _error(exc: HttpStatusError) -> EnrichmentError:
    status_text, reason, message = "", "", exc.body[:200]
    try:
        error: dict[str, Any] = json.loads(exc.body)["error"]
        status_text = str(error.get("status") or "")
        message = str(error.get("message") or message)
        reason = str((error.get("errors") or [{}])[0].get("reason") or "")
    except (ValueError, KeyError, TypeError, IndexError, AttributeError):
        pass
    if (
        exc.status == 429
        or status_text == "RESOURCE_EXHAUSTED"
        or reason in ("dailyLimitExceeded", "rateLimitExceeded")
    ):
        return QuotaExceeded(f"Google CSE quota exhausted: {message}", provider="google_cse", retryable=True)
    return EnrichmentError(
        f"Google CSE {exc.status} {status_text}: {message}", provider="google_cse", retryable=exc.retryable
    )
