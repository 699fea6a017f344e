"""robots.txt per origin, fetched once and cached (RFC 9309 rules for unreachable files)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from protego import Protego

from leadsignal.integrations.http.clock import Clock, real_clock

# What fetching robots.txt gave: (status or None for a transport failure, body text).
RobotsFetch = Callable[[str], tuple[int | None, str]]


@dataclass
class _Entry:
    parser: Protego | None  # None: allow everything
    disallow_all: bool
    expires: float


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url!r}")
    return f"{parts.scheme}://{parts.netloc.rsplit('@', 1)[-1].lower()}"


class RobotsCache:
    """``allowed(url)``: robots.txt of the URL's origin decides.

    A missing robots.txt (4xx) allows everything; a server error or time-out disallows everything
    for ``error_ttl`` seconds, since "unreachable" must be read as "complete disallow".
    """

    def __init__(
        self,
        user_agent: str,
        fetch: RobotsFetch,
        *,
        ttl: float = 3600.0,
        error_ttl: float = 300.0,
        clock: Clock = real_clock,
    ) -> None:
        self._ua = user_agent
        self._fetch = fetch
        self._ttl = ttl
        self._error_ttl = error_ttl
        self._clock = clock
        self._cache: dict[str, _Entry] = {}
        self._lock = threading.Lock()

    def allowed(self, url: str) -> bool:
        origin = origin_of(url)
        entry = self._entry(origin)
        if entry.disallow_all:
            return False
        if entry.parser is None:
            return True
        return bool(entry.parser.can_fetch(url, self._ua))

    def crawl_delay(self, url: str) -> float | None:
        entry = self._entry(origin_of(url))
        if entry.parser is None:
            return None
        delay = entry.parser.crawl_delay(self._ua)
        return float(delay) if delay is not None else None

    def _entry(self, origin: str) -> _Entry:
        now = self._clock()
        with self._lock:
            cached = self._cache.get(origin)
        if cached is not None and cached.expires > now:
            return cached
        status, body = self._fetch(origin + "/robots.txt")
        if status is not None and 200 <= status < 300:
            entry = _Entry(Protego.parse(body), False, now + self._ttl)
        elif status is not None and 400 <= status < 500 and status != 429:
            entry = _Entry(None, False, now + self._ttl)
        else:
            entry = _Entry(None, True, now + self._error_ttl)
        with self._lock:
            self._cache[origin] = entry
        return entry
