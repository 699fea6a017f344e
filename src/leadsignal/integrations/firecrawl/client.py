"""``PageScraper`` over Firecrawl (``POST /v2/scrape``).

Firecrawl fetches the page for us, so we check the target site's robots.txt ourselves first:
its robots rules bind us whichever machine makes the request.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

from leadsignal.integrations.http import HttpStatusError, OutboundError, PoliteClient, RobotsDisallowed
from leadsignal.sources.enrichment import EnrichmentError, PageUnavailable, ScrapedPage

SERVICE = "firecrawl"


class CreditsExhausted(EnrichmentError):
    """402: the Firecrawl plan is out of credits; no point retrying until it is topped up."""


class FirecrawlScraper:
    name = "firecrawl"

    def __init__(
        self,
        http: PoliteClient,
        *,
        api_key: str,
        base_url: str = "https://api.firecrawl.dev",
        page_timeout_ms: int = 30_000,
        check_robots: bool = True,
    ) -> None:
        if not api_key:
            raise ValueError("Firecrawl needs LEADSIGNAL_FIRECRAWL_API_KEY")
        self._http = http
        self._key = api_key
        self._url = base_url.rstrip("/") + "/v2/scrape"
        self._page_timeout_ms = page_timeout_ms
        self._check_robots = check_robots

    def scrape(self, url: str) -> ScrapedPage:
        if self._check_robots:
            try:
                self._http.ensure_allowed(url, service=SERVICE)
            except RobotsDisallowed as exc:
                raise PageUnavailable(str(exc), provider=self.name) from exc
            except ValueError as exc:
                raise PageUnavailable(f"not a web URL: {exc}", provider=self.name) from exc
        body = {"url": url, "formats": ["markdown"], "onlyMainContent": True, "timeout": self._page_timeout_ms}
        try:
            response = self._http.request(
                "POST",
                self._url,
                service=SERVICE,
                json=body,
                headers={"Authorization": f"Bearer {self._key}"},
                timeout=self._page_timeout_ms / 1000 + 15,
            )
        except HttpStatusError as exc:
            raise _error(exc) from exc
        except OutboundError as exc:
            raise EnrichmentError(str(exc), provider=self.name, retryable=exc.retryable) from exc
        try:
            payload = response.json()
        except ValueError as exc:
            raise EnrichmentError("Firecrawl answered with non-JSON", provider=self.name, retryable=True) from exc
        if not isinstance(payload, dict) or payload.get("success") is not True:
            message = payload.get("error") if isinstance(payload, dict) else None
            raise PageUnavailable(f"Firecrawl could not scrape {url}: {message or 'success=false'}", provider=self.name)
        data: dict[str, Any] = payload["data"] if isinstance(payload.get("data"), dict) else {}
        metadata: dict[str, Any] = data["metadata"] if isinstance(data.get("metadata"), dict) else {}
        status = metadata.get("statusCode")
        return ScrapedPage(
            markdown=str(data.get("markdown") or ""),
            title=str(metadata["title"]) if metadata.get("title") else None,
            status_code=int(status) if isinstance(status, int) else None,
        )


def _error(exc: HttpStatusError) -> EnrichmentError:
    message = exc.body[:200]
    with contextlib.suppress(ValueError, AttributeError):
        message = str(json.loads(exc.body).get("error") or message)
    if exc.status == 402:
        return CreditsExhausted(f"Firecrawl credits exhausted: {message}", provider="firecrawl", retryable=False)
    if exc.status in (400, 403, 404):  # bad or unsupported URL: this page only
        return PageUnavailable(f"Firecrawl {exc.status}: {message}", provider="firecrawl")
    return EnrichmentError(
        f"Firecrawl {exc.status}: {message}", provider="firecrawl", retryable=exc.retryable, retry_after=exc.retry_after
    )
