"""Builds the polite client from Settings: Redis-shared buckets when ``redis_url`` is set."""

from __future__ import annotations

from leadsignal.integrations.http.client import PoliteClient
from leadsignal.integrations.http.clock import Clock, Sleeper, real_clock, real_sleep
from leadsignal.integrations.http.proxies import ProxyPool
from leadsignal.integrations.http.ratelimit import LocalRateLimiter, RateLimiter, RateSpec, RedisRateLimiter
from leadsignal.integrations.http.retry import RetryPolicy
from leadsignal.settings import Settings
from leadsignal.sources.scrape_log import ScrapeLogSink


def limiter_from_settings(settings: Settings, *, clock: Clock = real_clock) -> RateLimiter:
    if settings.redis_url:
        return RedisRateLimiter.from_url(settings.redis_url, prefix=settings.http_rate_limit_prefix)
    return LocalRateLimiter(clock)


def build_polite_client(
    settings: Settings,
    sink: ScrapeLogSink,
    *,
    limiter: RateLimiter | None = None,
    clock: Clock = real_clock,
    sleep: Sleeper = real_sleep,
) -> PoliteClient:
    """The client every adapter shares; fails fast on a bad user agent or proxy URL."""
    secrets = [
        s.get_secret_value()
        for s in (settings.apify_token, settings.google_cse_key, settings.firecrawl_api_key)
        if s is not None
    ]
    proxies = (
        ProxyPool(
            settings.proxy_urls,
            max_failures=settings.proxy_max_failures,
            bench_seconds=settings.proxy_bench_seconds,
            clock=clock,
        )
        if settings.proxy_urls
        else None
    )
    return PoliteClient(
        user_agent=settings.user_agent,
        sink=sink,
        limiter=limiter or limiter_from_settings(settings, clock=clock),
        retry=RetryPolicy(
            max_attempts=settings.http_max_attempts, max_retry_after=settings.http_max_retry_after_seconds
        ),
        proxies=proxies,
        default_host_rate=RateSpec.per_second(settings.http_default_host_rate),
        host_rates={h: RateSpec.per_second(r) for h, r in settings.http_host_rates.items()},
        service_rates={s: RateSpec.per_second(r) for s, r in settings.http_service_rates.items()},
        block_backoff=settings.http_block_backoff_seconds,
        timeout=settings.http_timeout_seconds,
        secrets=secrets,
        clock=clock,
        sleep=sleep,
    )
