"""Worker for the cross-process rate-limit test: a forked process with its own polite client."""

from __future__ import annotations

from typing import Any

from leadsignal.integrations.http import PoliteClient, RateSpec, RedisRateLimiter
from leadsignal.sources.scrape_log import MemoryScrapeLogSink
from tests.integrations.factories import UA


def hammer(jobs: Any, redis_url: str, prefix: str, rate: float, barrier: Any) -> None:
    """Take ``(url, n)`` from ``jobs``, wait for the other worker, send ``n`` GETs (real sleeps)."""
    url, n = jobs.get(timeout=60)
    limiter = RedisRateLimiter.from_url(redis_url, prefix=prefix)
    with PoliteClient(
        user_agent=UA, sink=MemoryScrapeLogSink(), limiter=limiter, default_host_rate=RateSpec(rate, 1), timeout=10
    ) as client:
        barrier.wait(timeout=60)
        for _ in range(n):
            client.request("GET", url, service="ratetest")
