"""A fake Apify API v2: actor runs, run polling, abort, and paged datasets.

Load data with ``add_profile(item)``, ``add_posts(profile_url, items)`` and
``add_search_results(query, items)``; the three harvestapi actors then answer from it, so a whole
monitoring cycle can run against this server. ``make_profile_item``/``make_post_item`` build
realistic items. Failure modes: ``fail_next_run("FAILED" | "TIMED-OUT" | "ABORTED")``,
``add_raw_items(actor, ...)`` for malformed items, ``polls_until_done``, and ``script()``.
"""

from __future__ import annotations

import copy
import datetime as dt
import itertools
import json
import re
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import unquote, urlsplit

from tests.fakes.base import FakeServer, Recorded, Reply

PROFILE_ACTOR = "harvestapi/linkedin-profile-scraper"
POSTS_ACTOR = "harvestapi/linkedin-profile-posts"
SEARCH_ACTOR = "harvestapi/linkedin-profile-search"
PROFILE_MODES = {"Profile details no email ($4 per 1k)", "Profile details + email search ($10 per 1k)"}
SEARCH_MODES = {"Short", "Full", "Full + email search"}
TERMINAL = {"SUCCEEDED", "FAILED", "TIMED-OUT", "ABORTED"}
NO_LIMIT = 999999999999

ActorFn = Callable[[dict[str, Any]], list[Any]]
_RUN_PATH = re.compile(r"^/v2/(?:actors|acts)/([^/]+)/runs$")
_RUN_GET = re.compile(r"^/v2/actor-runs/([^/]+)$")
_RUN_ABORT = re.compile(r"^/v2/actor-runs/([^/]+)/abort$")
_DATASET = re.compile(r"^/v2/datasets/([^/]+)/items$")
_RUN_DATASET = re.compile(r"^/v2/actor-runs/([^/]+)/dataset/items$")


def slug_of(url: str) -> str:
    """The lower-case ``/in/<slug>`` of a LinkedIn profile URL (scheme optional)."""
    raw = url if "://" in url else "https://" + url
    match = re.match(r"^/(?:in|pub)/([^/?#]+)", urlsplit(raw).path)
    if not match:
        raise ValueError(f"not a profile URL: {url!r}")
    return unquote(match.group(1)).lower()


def _iso(when: dt.datetime) -> str:
    return when.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def make_profile_item(
    slug: str,
    first_name: str,
    last_name: str,
    *,
    headline: str | None = None,
    company: str | None = "Acme Corp",
    title: str | None = "Engineer",
    start: tuple[int, int] = (2022, 3),
    location: str = "Austin, Texas, United States",
    city: str = "Austin",
    state: str = "Texas",
    extra_positions: list[dict[str, Any]] | None = None,
    certifications: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A profile item in the shape harvestapi/linkedin-profile-scraper returns."""
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    experience: list[dict[str, Any]] = []
    if company:
        month = months[start[1] - 1]
        experience.append(
            {
                "position": title,
                "location": location,
                "employmentType": "Full-time",
                "companyName": company,
                "companyLinkedinUrl": f"https://www.linkedin.com/company/{company.lower().replace(' ', '-')}/",
                "startDate": {"month": month, "year": start[0], "text": f"{month} {start[0]}"},
                "endDate": {"text": "Present"},
            }
        )
    experience.extend(extra_positions or [])
    return {
        "id": f"ACoAA{abs(hash(slug)) % 10**12:012d}",
        "publicIdentifier": slug,
        "linkedinUrl": f"https://www.linkedin.com/in/{slug}",
        "firstName": first_name,
        "lastName": last_name,
        "headline": headline or (f"{title} at {company}" if company else None),
        "about": None,
        "openToWork": False,
        "location": {
            "linkedinText": location,
            "countryCode": "US",
            "parsed": {"text": location, "countryCode": "US", "country": "United States", "state": state, "city": city},
        },
        "currentPosition": [{"companyName": company}] if company else [],
        "experience": experience,
        "education": [],
        "certifications": certifications or [],
        "honorsAndAwards": [],
        "skills": [],
    }


def make_post_item(
    slug: str, post_id: str, text: str, posted_at: dt.datetime, *, author_name: str = "Test Person"
) -> dict[str, Any]:
    """A post item in the shape harvestapi/linkedin-profile-posts returns."""
    return {
        "type": "post",
        "id": post_id,
        "linkedinUrl": f"https://www.linkedin.com/posts/{slug}_activity-{post_id}",
        "content": text,
        "author": {
            "universalName": None,
            "publicIdentifier": slug,
            "type": "profile",
            "name": author_name,
            "linkedinUrl": f"https://www.linkedin.com/in/{slug}?miniProfileUrn=urn%3Ali%3Afsd_profile%3AX",
        },
        "postedAt": {"timestamp": int(posted_at.timestamp() * 1000), "date": _iso(posted_at)},
        "postImages": [],
        "engagement": {"likes": 3, "comments": 1, "shares": 0},
    }


def _error(status: int, type_: str, message: str) -> Reply:
    return Reply(status, {"error": {"type": type_, "message": message}})


class FakeApify(FakeServer):
    def __init__(self, token: str = "apify-test-token", *, polls_until_done: int = 1) -> None:  # noqa: S107
        super().__init__()
        self.token = token
        self.polls_until_done = polls_until_done
        self.profiles: dict[str, dict[str, Any]] = {}
        self.posts: dict[str, list[dict[str, Any]]] = {}
        self.search_results: dict[str, list[dict[str, Any]]] = {}
        self.raw_items: dict[str, list[Any]] = {}
        self.runs: dict[str, dict[str, Any]] = {}
        self.datasets: dict[str, list[Any]] = {}
        self.run_inputs: list[tuple[str, dict[str, Any]]] = []
        self._outcomes: list[str] = []
        self._polls: dict[str, int] = {}
        self._finals: dict[str, str] = {}
        self._ids = itertools.count(1)
        self._data_lock = threading.Lock()
        self.actors: dict[str, ActorFn] = {
            PROFILE_ACTOR: self._profile_actor,
            POSTS_ACTOR: self._posts_actor,
            SEARCH_ACTOR: self._search_actor,
        }

    # -- loading data ---------------------------------------------------------------------

    def add_profile(self, item: dict[str, Any]) -> None:
        url = item.get("linkedinUrl") or f"https://www.linkedin.com/in/{item['publicIdentifier']}"
        self.profiles[slug_of(url)] = item

    def add_posts(self, profile_url: str, items: list[dict[str, Any]]) -> None:
        self.posts.setdefault(slug_of(profile_url), []).extend(items)

    def set_posts(self, profile_url: str, items: list[dict[str, Any]]) -> None:
        """Replace a profile's posts (e.g. between two monitoring cycles)."""
        self.posts[slug_of(profile_url)] = list(items)

    def load(
        self,
        *,
        profiles: Iterable[dict[str, Any]] = (),
        posts: Mapping[str, list[dict[str, Any]]] | None = None,
    ) -> None:
        """Load a whole world at once: profile items, and post items keyed by profile URL.
        A profile added again replaces the earlier item (the profile changed)."""
        for item in profiles:
            self.add_profile(item)
        for url, items in (posts or {}).items():
            self.add_posts(url, items)

    def add_search_results(self, query: str, items: list[dict[str, Any]]) -> None:
        self.search_results.setdefault(query.strip().lower(), []).extend(items)

    def add_raw_items(self, actor: str, *items: Any) -> None:
        """Items appended verbatim to every dataset of ``actor`` (malformed or partial ones)."""
        self.raw_items.setdefault(actor, []).extend(items)

    def register_actor(self, actor: str, fn: ActorFn) -> None:
        self.actors[actor] = fn

    def fail_next_run(self, status: str = "FAILED") -> None:
        if status not in TERMINAL - {"SUCCEEDED"}:
            raise ValueError(f"not a failing terminal status: {status}")
        self._outcomes.append(status)

    # -- the actors -----------------------------------------------------------------------

    def _profile_actor(self, run_input: dict[str, Any]) -> list[Any]:
        mode = run_input.get("profileScraperMode")
        if mode is not None and mode not in PROFILE_MODES:
            raise _InvalidInput(f"profileScraperMode must be one of {sorted(PROFILE_MODES)}")
        out: list[Any] = []
        for url in list(run_input.get("urls") or []) + list(run_input.get("queries") or []):
            try:
                item = self.profiles.get(slug_of(url))
            except ValueError:
                out.append({"originalQuery": url, "error": "Invalid LinkedIn profile URL"})
                continue
            if item is None:
                out.append({"originalQuery": url, "error": "Profile not found"})
            else:
                out.append({**copy.deepcopy(item), "originalQuery": url})
        return out

    def _posts_actor(self, run_input: dict[str, Any]) -> list[Any]:
        max_posts = int(run_input.get("maxPosts") or 0)
        out: list[Any] = []
        for url in run_input.get("targetUrls") or []:
            try:
                posts = self.posts.get(slug_of(url), [])
            except ValueError:
                continue
            out.extend(copy.deepcopy(posts[:max_posts] if max_posts else posts))
        return out

    def _search_actor(self, run_input: dict[str, Any]) -> list[Any]:
        mode = run_input.get("profileScraperMode", "Full")
        if mode not in SEARCH_MODES:
            raise _InvalidInput(f"profileScraperMode must be one of {sorted(SEARCH_MODES)}")
        items = self.search_results.get(str(run_input.get("searchQuery", "")).strip().lower(), [])
        limit = int(run_input.get("maxItems") or 0)
        return copy.deepcopy(items[:limit] if limit else items)

    # -- protocol -------------------------------------------------------------------------

    def handle(self, req: Recorded) -> Reply:
        auth = req.headers.get("authorization", "")
        if auth != f"Bearer {self.token}" and req.query.get("token") != self.token:
            return _error(401, "invalid-token", "Authentication token is not valid.")
        if req.method == "POST" and (m := _RUN_PATH.match(req.path)):
            return self._start(m.group(1), req)
        if req.method == "GET" and (m := _RUN_GET.match(req.path)):
            return self._poll(m.group(1))
        if req.method == "POST" and (m := _RUN_ABORT.match(req.path)):
            return self._abort(m.group(1))
        if req.method == "GET" and (m := _DATASET.match(req.path)):
            return self._items(m.group(1), req)
        if req.method == "GET" and (m := _RUN_DATASET.match(req.path)):
            run = self.runs.get(m.group(1))
            if run is None:
                return _error(404, "record-not-found", "Actor run was not found.")
            return self._items(run["defaultDatasetId"], req)
        return _error(404, "page-not-found", f"No route for {req.method} {req.path}")

    def _new_id(self) -> str:
        return f"fake{next(self._ids):013d}"

    def _start(self, actor_id: str, req: Recorded) -> Reply:
        actor = unquote(actor_id).replace("~", "/")
        fn = self.actors.get(actor)
        if fn is None:
            return _error(404, "record-not-found", "Actor was not found.")
        if "application/json" not in req.headers.get("content-type", ""):
            return _error(400, "invalid-input", "Content-Type must be application/json")
        try:
            run_input = json.loads(req.body or b"{}")
            if not isinstance(run_input, dict):
                raise _InvalidInput("input must be a JSON object")
            items = fn(run_input) + list(self.raw_items.get(actor, []))
        except (ValueError, _InvalidInput) as exc:
            return _error(400, "invalid-input", str(exc))
        with self._data_lock:
            run_id, dataset_id = self._new_id(), self._new_id()
            final = self._outcomes.pop(0) if self._outcomes else "SUCCEEDED"
            self.run_inputs.append((actor, run_input))
            self.datasets[dataset_id] = items if final == "SUCCEEDED" else items[: len(items) // 2]
            now = dt.datetime.now(dt.UTC)
            self.runs[run_id] = {
                "id": run_id,
                "actId": actor_id,
                "userId": "fakeUser0000000",
                "startedAt": _iso(now),
                "finishedAt": None,
                "status": "RUNNING",
                "statusMessage": None,
                "meta": {"origin": "API"},
                "stats": {},
                "options": {"build": "latest", "timeoutSecs": 300, "memoryMbytes": 1024, "diskMbytes": 2048},
                "buildId": "fakeBuild000000",
                "generalAccess": "FOLLOW_USER_SETTING",
                "defaultKeyValueStoreId": self._new_id(),
                "defaultDatasetId": dataset_id,
                "defaultRequestQueueId": self._new_id(),
                "exitCode": None,
                "buildNumber": "0.0.1",
                "usageTotalUsd": 0.0,
            }
            self._polls[run_id] = self.polls_until_done
            self._finals[run_id] = final
            run = dict(self.runs[run_id])
        return Reply(201, {"data": run}, headers={"Location": f"{self.url}/v2/actor-runs/{run_id}"})

    def _poll(self, run_id: str) -> Reply:
        with self._data_lock:
            run = self.runs.get(run_id)
            if run is None:
                return _error(404, "record-not-found", "Actor run was not found.")
            if run["status"] not in TERMINAL:
                self._polls[run_id] -= 1
                if self._polls[run_id] <= 0:
                    final = self._finals[run_id]
                    run["status"] = final
                    run["exitCode"] = 0 if final == "SUCCEEDED" else 1
                    run["statusMessage"] = {"FAILED": "Actor failed", "TIMED-OUT": "Run timed out"}.get(final)
                    run["finishedAt"] = _iso(dt.datetime.now(dt.UTC))
            return Reply(200, {"data": dict(run)})

    def _abort(self, run_id: str) -> Reply:
        with self._data_lock:
            run = self.runs.get(run_id)
            if run is None:
                return _error(404, "record-not-found", "Actor run was not found.")
            if run["status"] not in TERMINAL:
                run["status"] = "ABORTED"
                run["finishedAt"] = _iso(dt.datetime.now(dt.UTC))
            return Reply(200, {"data": dict(run)})

    def _items(self, dataset_id: str, req: Recorded) -> Reply:
        with self._data_lock:
            items = self.datasets.get(dataset_id)
        if items is None:
            return _error(404, "record-not-found", "Dataset was not found.")
        if req.query.get("clean") in ("1", "true"):
            items = [
                {k: v for k, v in i.items() if not k.startswith("#")} if isinstance(i, dict) else i
                for i in items
                if i not in ({}, None)
            ]
        try:
            offset = int(req.query.get("offset", "0"))
            limit = int(req.query["limit"]) if "limit" in req.query else None
        except ValueError:
            return _error(400, "invalid-parameter", "offset and limit must be integers")
        page = items[offset : offset + limit] if limit is not None else items[offset:]
        headers = {
            "X-Apify-Pagination-Offset": str(offset),
            "X-Apify-Pagination-Limit": str(limit if limit is not None else NO_LIMIT),
            "X-Apify-Pagination-Count": str(len(page)),
            "X-Apify-Pagination-Total": str(len(items)),
            "X-Apify-Pagination-Desc": "false",
        }
        return Reply(200, json.dumps(page).encode(), headers=headers, content_type="application/json")


class _InvalidInput(Exception):
    pass
