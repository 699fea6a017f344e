"""Where computed overviews wait for the next identical request: Redis when configured, else memory.

Keys already hold the data version, so an entry never goes stale while the data stays the same;
the TTL only bounds memory and covers changes the version does not see (deleted rows, a lead
moved to another team). A Redis error never fails a request: the overview is computed instead,
a warning is logged, and Redis is left alone for a short while so a dead server costs one timeout.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Protocol

import redis
import structlog

log = structlog.get_logger(__name__)

TTL_SECONDS = 300
REDIS_PREFIX = "leadsignal:analytics:"
RETRY_AFTER_SECONDS = 30.0


class AnalyticsCache(Protocol):
    def get(self, key: str) -> str | None: ...

    def set(self, key: str, value: str) -> None: ...


class LocalCache:
    """A TTL LRU in this process (the embedded single-process mode)."""

    def __init__(self, *, ttl: float = TTL_SECONDS, max_entries: int = 256) -> None:
        self._ttl, self._max = ttl, max_entries
        self._items: OrderedDict[str, tuple[float, str]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> str | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            if item[0] <= time.monotonic():
                del self._items[key]
                return None
            self._items.move_to_end(key)
            return item[1]

    def set(self, key: str, value: str) -> None:
        with self._lock:
            self._items[key] = (time.monotonic() + self._ttl, value)
            self._items.move_to_end(key)
            while len(self._items) > self._max:
                self._items.popitem(last=False)


class RedisCache:
    """Shared by every API process; values are the overview's JSON."""

    def __init__(self, client: redis.Redis, *, prefix: str = REDIS_PREFIX, ttl: int = TTL_SECONDS) -> None:
        self._redis, self._prefix, self._ttl = client, prefix, ttl
        self._skip_until = 0.0

    @classmethod
    def from_url(cls, url: str, *, prefix: str = REDIS_PREFIX) -> RedisCache:
        # Short timeouts: a slow cache must not be slower than computing the answer.
        return cls(redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5), prefix=prefix)

    def get(self, key: str) -> str | None:
        if time.monotonic() < self._skip_until:
            return None
        try:
            raw = self._redis.get(self._prefix + key)
        except redis.RedisError as exc:
            self._failed(exc)
            return None
        if raw is None:
            return None
        return raw.decode() if isinstance(raw, bytes) else str(raw)

    def set(self, key: str, value: str) -> None:
        if time.monotonic() < self._skip_until:
            return
        try:
            self._redis.set(self._prefix + key, value, ex=self._ttl)
        except redis.RedisError as exc:
            self._failed(exc)

    def _failed(self, exc: redis.RedisError) -> None:
        log.warning("analytics.cache_unavailable", error=str(exc)[:200], retry_in_s=RETRY_AFTER_SECONDS)
        self._skip_until = time.monotonic() + RETRY_AFTER_SECONDS


def cache_from_url(redis_url: str | None) -> AnalyticsCache:
    return RedisCache.from_url(redis_url) if redis_url else LocalCache()
