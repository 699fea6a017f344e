"""A fake Google Custom Search JSON API (``GET /customsearch/v1``)."""

from __future__ import annotations

from typing import Any

from tests.fakes.base import FakeServer, Recorded, Reply


def _google_error(code: int, status: str, message: str, reason: str) -> Reply:
    return Reply(
        code,
        {
            "error": {
                "code": code,
                "message": message,
                "errors": [{"message": message, "domain": "global", "reason": reason}],
                "status": status,
            }
        },
    )


QUOTA_MESSAGE = (
    "Quota exceeded for quota metric 'Queries' and limit 'Queries per day' of service "
    "'customsearch.googleapis.com' for consumer 'project_number:123456789'."
)


class FakeGoogleCse(FakeServer):
    """``results[query] = [{"title", "link", "snippet"}, ...]``; ``daily_quota`` queries, then 429."""

    def __init__(
        self, key: str = "cse-test-key", cx: str = "cx-test-engine", *, daily_quota: int | None = None
    ) -> None:
        super().__init__()
        self.key = key
        self.cx = cx
        self.daily_quota = daily_quota
        self.results: dict[str, list[dict[str, str]]] = {}
        self.queries_served = 0

    def add_results(self, query: str, *results: dict[str, str]) -> None:
        self.results.setdefault(query.strip().lower(), []).extend(results)

    def handle(self, req: Recorded) -> Reply:
        if req.path not in ("/customsearch/v1", "/customsearch/v1/siterestrict") or req.method != "GET":
            return Reply(404, {"error": {"code": 404, "message": "Not Found", "status": "NOT_FOUND"}})
        if req.query.get("key") != self.key:
            return _google_error(
                400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", "badRequest"
            )
        q = req.query.get("q", "")
        if not req.query.get("cx") or not q:
            return _google_error(400, "INVALID_ARGUMENT", "Request contains an invalid argument.", "badRequest")
        if req.query.get("cx") != self.cx:
            return _google_error(400, "INVALID_ARGUMENT", "Request contains an invalid argument.", "invalid")
        try:
            num = int(req.query.get("num", "10"))
            start = int(req.query.get("start", "1"))
        except ValueError:
            return _google_error(400, "INVALID_ARGUMENT", "Invalid value for num/start.", "invalid")
        if not 1 <= num <= 10 or start < 1 or start + num > 101:
            return _google_error(400, "INVALID_ARGUMENT", "Request contains an invalid argument.", "invalid")
        if self.daily_quota is not None and self.queries_served >= self.daily_quota:
            return _google_error(429, "RESOURCE_EXHAUSTED", QUOTA_MESSAGE, "rateLimitExceeded")
        self.queries_served += 1
        hits = self.results.get(q.strip().lower(), [])
        page = hits[start - 1 : start - 1 + num]
        request_info = {"title": f"Google Custom Search - {q}", "totalResults": str(len(hits)), "searchTerms": q,
                        "count": len(page), "startIndex": start, "inputEncoding": "utf8", "outputEncoding": "utf8",
                        "safe": "off", "cx": self.cx}  # fmt: skip
        body: dict[str, Any] = {
            "kind": "customsearch#search",
            "queries": {"request": [request_info]},
            "context": {"title": "fake-engine"},
            "searchInformation": {"searchTime": 0.01, "totalResults": str(len(hits))},
        }
        if page:  # Google omits ``items`` entirely when nothing matched
            body["items"] = [
                {
                    "kind": "customsearch#result",
                    "title": h.get("title", ""),
                    "link": h["link"],
                    "displayLink": h["link"].split("/")[2] if "://" in h["link"] else h["link"],
                    "snippet": h.get("snippet", ""),
                }
                for h in page
            ]
        if start + num <= len(hits):
            body["queries"]["nextPage"] = [{**request_info, "startIndex": start + num}]
        return Reply(200, body)
