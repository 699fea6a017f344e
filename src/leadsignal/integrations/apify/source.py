"""LinkedIn profiles, posts and people search through the harvestapi actors on Apify.

Many profile URLs go into one actor run (cheaper and kinder than one run each). Items are turned
into records by ``leadsignal.sources.mappers``; an unusable item becomes an error result for its
URL plus a ``malformed`` scrape-log row, and the rest of the batch goes on. A failed run turns
every URL of its batch into an error result: nothing from a half-read run is returned.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

import structlog
from sqlalchemy.orm import Session, sessionmaker

from leadsignal.integrations.apify.client import SERVICE, ApifyClient
from leadsignal.integrations.apify.errors import ApifyError
from leadsignal.integrations.http import PoliteClient, build_polite_client
from leadsignal.settings import Settings
from leadsignal.sources.mappers import MalformedItem, canonical_profile_url, map_post_item, map_profile_item
from leadsignal.sources.records import FetchResult, PostRecord, ProfileRecord
from leadsignal.sources.scrape_log import DbScrapeLogSink, Outcome, ScrapeAttempt

log = structlog.get_logger(__name__)

PROFILE_MODE = "Profile details no email ($4 per 1k)"
# postedLimit values of harvestapi/linkedin-profile-posts, narrowest first, with their reach.
_POSTED_LIMITS = (
    ("1h", dt.timedelta(hours=1)),
    ("24h", dt.timedelta(hours=24)),
    ("week", dt.timedelta(days=7)),
    ("month", dt.timedelta(days=31)),
    ("3months", dt.timedelta(days=92)),
    ("6months", dt.timedelta(days=183)),
    ("year", dt.timedelta(days=366)),
)


def posted_limit(since: dt.datetime | None, now: dt.datetime) -> str:
    """The narrowest ``postedLimit`` that still reaches back to ``since`` (``month`` by default)."""
    if since is None:
        return "month"
    age = now - since
    return next((name for name, reach in _POSTED_LIMITS if age <= reach), "any")


def _canonical(value: Any) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return canonical_profile_url(value)
    except ValueError:
        return None


def _batches(urls: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(urls), size):
        yield urls[start : start + size]


class _Apify:
    def __init__(self, client: ApifyClient, *, run_deadline_s: float) -> None:
        self.client = client
        self.run_deadline_s = run_deadline_s

    def _note(self, outcome: Outcome, url: str, reason: str) -> None:
        self.client.http.sink.record_attempt(
            ScrapeAttempt(service=SERVICE, source_url=url, outcome=outcome, reason=reason[:300])
        )

    def _run_items(self, actor: str, run_input: dict[str, Any]) -> list[Any]:
        run = self.client.call(actor, run_input, deadline_s=self.run_deadline_s)
        return self.client.list_items(run.default_dataset_id)


class ApifyLinkedInSource(_Apify):
    """``ProfileSource`` over harvestapi/linkedin-profile-scraper and harvestapi/linkedin-profile-posts."""

    name = "apify"

    def __init__(
        self,
        client: ApifyClient,
        *,
        profile_actor: str = "harvestapi/linkedin-profile-scraper",
        posts_actor: str = "harvestapi/linkedin-profile-posts",
        batch_size: int = 100,
        max_posts: int = 20,
        run_deadline_s: float = 1800.0,
        now: Callable[[], dt.datetime] | None = None,
    ) -> None:
        super().__init__(client, run_deadline_s=run_deadline_s)
        if batch_size < 1:
            raise ValueError("batch_size must be at least 1")
        self.profile_actor = profile_actor
        self.posts_actor = posts_actor
        self.batch_size = batch_size
        self.max_posts = max_posts
        self._now = now or (lambda: dt.datetime.now(dt.UTC))

    def fetch_profiles(self, profile_urls: list[str]) -> list[FetchResult]:
        valid, results = self._split_valid(profile_urls)
        for batch in _batches(valid, self.batch_size):
            results.extend(self._profile_batch(batch))
        return results

    def fetch_posts(self, profile_urls: list[str], *, since: dt.datetime | None = None) -> list[FetchResult]:
        valid, results = self._split_valid(profile_urls)
        for batch in _batches(valid, self.batch_size):
            results.extend(self._posts_batch(batch, since))
        return results

    # -- batches --------------------------------------------------------------------------

    def _split_valid(self, urls: list[str]) -> tuple[list[str], list[FetchResult]]:
        valid: list[str] = []
        rejected: list[FetchResult] = []
        for url in urls:
            canonical = _canonical(url)
            if canonical is None:
                rejected.append(FetchResult(profile_url=url, error="not a LinkedIn profile URL"))
            elif canonical not in valid:
                valid.append(canonical)
        return valid, rejected

    def _profile_batch(self, batch: list[str]) -> list[FetchResult]:
        run_input = {"urls": batch, "profileScraperMode": PROFILE_MODE}
        try:
            items = self._run_items(self.profile_actor, run_input)
        except ApifyError as exc:
            log.warning("apify.profile_batch_failed", size=len(batch), error=str(exc), retryable=exc.retryable)
            return [FetchResult(profile_url=u, error=f"apify: {exc}") for u in batch]
        wanted = set(batch)
        found: dict[str, ProfileRecord] = {}
        errors: dict[str, str] = {}
        fetched_at = self._now()
        source = f"apify:{self.profile_actor}"
        for item in items:
            asked = _canonical(item.get("originalQuery") or item.get("query")) if isinstance(item, dict) else None
            try:
                record = map_profile_item(item, source=source, fetched_at=fetched_at)
            except MalformedItem as exc:
                actor_error = isinstance(item, dict) and bool(item.get("error"))
                where = asked or (_canonical(item.get("linkedinUrl")) if isinstance(item, dict) else None)
                self._note("error" if actor_error else "malformed", where or f"apify:{self.profile_actor}", str(exc))
                if where in wanted and where not in found:
                    errors[where] = f"{'actor error' if actor_error else 'malformed item'}: {exc}"
                continue
            key = asked if asked in wanted else record.profile_url
            if key not in wanted:
                self._note("malformed", record.profile_url, "profile returned that was not asked for")
                continue
            found[key] = record
            errors.pop(key, None)
        return [
            FetchResult(profile_url=u, profile=found[u])
            if u in found
            else FetchResult(profile_url=u, error=errors.get(u, "profile not returned by the actor"))
            for u in batch
        ]

    def _posts_batch(self, batch: list[str], since: dt.datetime | None) -> list[FetchResult]:
        run_input = {"targetUrls": batch, "maxPosts": self.max_posts, "postedLimit": posted_limit(since, self._now())}
        try:
            items = self._run_items(self.posts_actor, run_input)
        except ApifyError as exc:
            log.warning("apify.posts_batch_failed", size=len(batch), error=str(exc), retryable=exc.retryable)
            return [FetchResult(profile_url=u, error=f"apify: {exc}") for u in batch]
        wanted = set(batch)
        posts: dict[str, dict[str, PostRecord]] = {u: {} for u in batch}
        source = f"apify:{self.posts_actor}"
        for item in items:
            try:
                post = map_post_item(item, source=source)
            except MalformedItem as exc:
                self._note("malformed", source, str(exc))
                continue
            if post is None:
                continue  # reactions, comments: not posts
            owner = post.author_profile_url if post.author_profile_url in wanted else None
            if owner is None and isinstance(item, dict):
                owner = _canonical(item.get("query") or item.get("targetUrl") or item.get("inputUrl"))
            if owner is None and len(batch) == 1:
                owner = batch[0]
            if owner not in wanted:
                self._note("malformed", post.url or source, "post cannot be attributed to a requested profile")
                continue
            if since is not None and post.posted_at is not None and post.posted_at < since:
                continue
            posts[owner][post.post_id] = post
        return [FetchResult(profile_url=u, posts=tuple(posts[u].values())) for u in batch]


class ApifyProfileSearch(_Apify):
    """``ProfileSearch`` over harvestapi/linkedin-profile-search (Full mode: same shape as profiles).

    Raises ``ApifyError`` when the run cannot be done; ``.retryable`` says whether to try later.
    """

    name = "apify-search"

    def __init__(
        self, client: ApifyClient, *, actor: str = "harvestapi/linkedin-profile-search", run_deadline_s: float = 900.0
    ) -> None:
        super().__init__(client, run_deadline_s=run_deadline_s)
        self.actor = actor

    def search_people(
        self, *, first_name: str, last_name: str, location: str | None, limit: int = 10
    ) -> list[ProfileRecord]:
        query = " ".join(p.strip() for p in (first_name, last_name) if p and p.strip())
        if not query:
            raise ValueError("a name is needed to search for people")
        if limit < 1:
            raise ValueError("limit must be at least 1")
        run_input: dict[str, Any] = {
            "searchQuery": query,
            "locations": [location] if location else [],
            "profileScraperMode": "Full",
            "maxItems": limit,
        }
        source = f"apify:{self.actor}"
        out: dict[str, ProfileRecord] = {}
        for item in self._run_items(self.actor, run_input):
            try:
                record = map_profile_item(item, source=source)
            except MalformedItem as exc:
                self._note("malformed", source, str(exc))
                continue
            out.setdefault(record.profile_url, record)
        return list(out.values())[:limit]


def build_apify_source_and_search(
    settings: Settings, sessions: sessionmaker[Session], *, http: PoliteClient | None = None
) -> tuple[ApifyLinkedInSource, ApifyProfileSearch]:
    """The production source and search: polite client from settings, attempts to the DB scrape log."""
    if settings.apify_token is None or not settings.apify_token.get_secret_value():
        raise ValueError("the apify source needs LEADSIGNAL_APIFY_TOKEN")
    http = http or build_polite_client(settings, DbScrapeLogSink(sessions))
    client = ApifyClient(http, token=settings.apify_token.get_secret_value(), base_url=settings.apify_base_url)
    source = ApifyLinkedInSource(
        client,
        profile_actor=settings.apify_profile_actor,
        posts_actor=settings.apify_posts_actor,
        batch_size=settings.apify_batch_size,
        max_posts=settings.apify_max_posts,
        run_deadline_s=settings.apify_run_deadline_seconds,
    )
    search = ApifyProfileSearch(
        client, actor=settings.apify_search_actor, run_deadline_s=settings.apify_run_deadline_seconds
    )
    return source, search
