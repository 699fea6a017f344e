"""Token buckets per host and per service, plus back-off windows, local or shared through Redis.

With Redis every worker process draws from the same buckets (one atomic Lua script using the
Redis server's clock, so hosts with skewed clocks still agree). Without it, buckets live in this
process only, which is right for the embedded single-process mode.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from typing import Protocol

import redis
import structlog

from leadsignal.integrations.http.clock import Clock, real_clock

log = structlog.get_logger(__name__)


@dataclass(frozen=True)
class RateSpec:
    """``rate`` tokens per second, at most ``burst`` saved up."""

    rate: float
    burst: int = 1

    def __post_init__(self) -> None:
        if not (self.rate > 0 and math.isfinite(self.rate)):
            raise ValueError(f"rate must be a positive number of requests per second, not {self.rate!r}")
        if self.burst < 1:
            raise ValueError(f"burst must be at least 1, not {self.burst!r}")

    @classmethod
    def per_second(cls, rate: float) -> RateSpec:
        """A bucket that allows ``rate`` per second with a burst of one second's worth."""
        return cls(rate=rate, burst=max(1, int(rate)))


class RateLimiter(Protocol):
    def try_acquire(self, key: str, spec: RateSpec) -> float:
        """Take one token: 0.0 when granted, else the seconds to wait before asking again."""
        ...

    def back_off(self, key: str, seconds: float) -> None:
        """Refuse ``key`` for ``seconds`` (extends, never shortens, a current window)."""
        ...

    def backoff_remaining(self, key: str) -> float: ...


class LocalRateLimiter:
    """In-process buckets; thread-safe."""

    def __init__(self, clock: Clock = real_clock) -> None:
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._until: dict[str, float] = {}
        self._lock = threading.Lock()

    def try_acquire(self, key: str, spec: RateSpec) -> float:
        with self._lock:
            now = self._clock()
            tokens, ts = self._buckets.get(key, (float(spec.burst), now))
            tokens = min(float(spec.burst), tokens + max(0.0, now - ts) * spec.rate)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, now)
                return 0.0
            self._buckets[key] = (tokens, now)
            return (1.0 - tokens) / spec.rate

    def back_off(self, key: str, seconds: float) -> None:
        with self._lock:
            until = self._clock() + seconds
            self._until[key] = max(until, self._until.get(key, 0.0))

    def backoff_remaining(self, key: str) -> float:
        with self._lock:
            return max(0.0, self._until.get(key, 0.0) - self._clock())


_ACQUIRE = """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local data = redis.call('HMGET', KEYS[1], 'tokens', 'ts')
local tokens = tonumber(data[1])
local ts = tonumber(data[2])
if tokens == nil or ts == nil then
  tokens = burst
  ts = now
end
tokens = math.min(burst, tokens + math.max(0, now - ts) * rate)
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = (1 - tokens) / rate
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'ts', tostring(now))
redis.call('PEXPIRE', KEYS[1], math.ceil(burst / rate * 1000) + 1000)
return tostring(wait)
"""

_BACK_OFF = """
local ms = tonumber(ARGV[1])
local current = redis.call('PTTL', KEYS[1])
if current < ms then
  redis.call('SET', KEYS[1], '1', 'PX', ms)
end
return 1
"""


class RedisRateLimiter:
    """Buckets shared by every process that uses the same Redis and ``prefix``.

    If Redis stops answering, limits fall back to this process's own buckets (still polite, just
    no longer shared) and a warning is logged, rather than failing every outbound call.
    """

    def __init__(self, client: redis.Redis, *, prefix: str, fallback: LocalRateLimiter | None = None) -> None:
        self._redis = client
        self._prefix = prefix.rstrip(":")
        self._acquire = client.register_script(_ACQUIRE)
        self._back_off = client.register_script(_BACK_OFF)
        self._fallback = fallback or LocalRateLimiter()

    @classmethod
    def from_url(cls, url: str, *, prefix: str) -> RedisRateLimiter:
        return cls(redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5), prefix=prefix)

    def try_acquire(self, key: str, spec: RateSpec) -> float:
        try:
            raw = self._acquire(keys=[f"{self._prefix}:bucket:{key}"], args=[repr(spec.rate), spec.burst])
        except redis.RedisError as exc:
            log.warning("ratelimit.redis_unavailable", error=str(exc)[:200])
            return self._fallback.try_acquire(key, spec)
        return float(raw.decode() if isinstance(raw, bytes) else raw)

    def back_off(self, key: str, seconds: float) -> None:
        self._fallback.back_off(key, seconds)  # also local, so it holds even if Redis is gone
        ms = max(1, math.ceil(seconds * 1000))
        try:
            self._back_off(keys=[f"{self._prefix}:backoff:{key}"], args=[ms])
        except redis.RedisError as exc:
            log.warning("ratelimit.redis_unavailable", error=str(exc)[:200])

    def backoff_remaining(self, key: str) -> float:
        local = self._fallback.backoff_remaining(key)
        try:
            ttl = self._redis.pttl(f"{self._prefix}:backoff:{key}")
        except redis.RedisError as exc:
            log.warning("ratelimit.redis_unavailable", error=str(exc)[:200])
            return local
        return max(local, int(ttl) / 1000.0)
