"""A fake Firecrawl scrape API (``POST /v2/scrape`` and ``/v1/scrape``)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from tests.fakes.base import FakeServer, Recorded, Reply

ALLOWED_KEYS = {
    "url", "formats", "onlyMainContent", "includeTags", "excludeTags", "headers", "timeout", "waitFor", "mobile",
    "location", "blockAds", "proxy", "maxAge", "storeInCache", "actions", "parsers", "origin",
    "skipTlsVerification", "removeBase64Images", "fastMode", "zeroDataRetention",
}  # fmt: skip
CREDITS_MESSAGE = (
    "Insufficient credits to perform this request. For more credits, you can upgrade your plan at "
    "https://firecrawl.dev/pricing or try changing the request limit to a lower value."
)


@dataclass
class Page:
    markdown: str
    title: str | None = None
    status_code: int = 200


class FakeFirecrawl(FakeServer):
    """``pages[url] = Page(markdown, title, status_code)``; unknown URLs scrape as a 404 page.
    ``credits`` (None = unlimited) runs out into 402s."""

    def __init__(self, api_key: str = "fc-test-key", *, credits: int | None = None) -> None:
        super().__init__()
        self.api_key = api_key
        self.credits = credits
        self.pages: dict[str, Page] = {}

    def add_page(self, url: str, markdown: str, *, title: str | None = None, status_code: int = 200) -> None:
        self.pages[url] = Page(markdown, title, status_code)

    def scraped_urls(self) -> list[str]:
        return [r.json()["url"] for r in self.requests_to("/v") if r.method == "POST" and r.path.endswith("/scrape")]

    def handle(self, req: Recorded) -> Reply:
        if req.method != "POST" or req.path not in ("/v1/scrape", "/v2/scrape"):
            return Reply(404, {"success": False, "error": f"Cannot {req.method} {req.path}"})
        if req.headers.get("authorization") != f"Bearer {self.api_key}":
            return Reply(401, {"success": False, "error": "Unauthorized: Invalid token"})
        try:
            body = json.loads(req.body or b"null")
        except ValueError:
            return Reply(400, {"success": False, "error": "Bad Request: invalid JSON"})
        if not isinstance(body, dict) or not isinstance(body.get("url"), str):
            return Reply(400, {"success": False, "error": "Bad Request", "details": [{"path": ["url"]}]})
        unknown = sorted(set(body) - ALLOWED_KEYS)
        if unknown:
            return Reply(400, {"success": False, "error": f"Bad Request: Unrecognized key(s) in object: {unknown}"})
        if self.credits is not None:
            if self.credits <= 0:
                return Reply(402, {"success": False, "error": CREDITS_MESSAGE})
            self.credits -= 1
        url = body["url"]
        page = self.pages.get(url) or Page("", "Not Found", 404)
        data = {
            "markdown": page.markdown,
            "metadata": {"title": page.title, "sourceURL": url, "url": url, "statusCode": page.status_code,
                         "contentType": "text/html; charset=utf-8", "scrapeId": "fake-scrape", "creditsUsed": 1},
        }  # fmt: skip
        return Reply(200, {"success": True, "data": data})
