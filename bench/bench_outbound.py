"""Outbound overhead: the polite client against a local server, Redis buckets, Apify batches.

Run: .venv/bin/python bench/bench_outbound.py [--requests 2000] [--profiles 500]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx
import redis

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.report import machine, write_section
from leadsignal.core import migrate
from leadsignal.db import make_engine, make_sessionmaker
from leadsignal.integrations.apify import ApifyClient, ApifyLinkedInSource
from leadsignal.integrations.http import LocalRateLimiter, PoliteClient, RateLimiter, RateSpec, RedisRateLimiter
from leadsignal.sources.scrape_log import DbScrapeLogSink, MemoryScrapeLogSink, ScrapeLogSink
from tests.fakes.apify import FakeApify, make_profile_item
from tests.fakes.web import FakeWebsite

REDIS_URL = "redis://127.0.0.1:6379/0"
UA = "leadsignal-bench/1.0 (+https://agency.example/bot)"
FAST = RateSpec(1e6, 1_000_000)


def timed(n: int, call: Callable[[], object]) -> tuple[float, list[float]]:
    lat: list[float] = []
    start = time.perf_counter()
    for _ in range(n):
        t = time.perf_counter()
        call()
        lat.append(time.perf_counter() - t)
    return time.perf_counter() - start, lat


def row(name: str, n: int, total: float, lat: list[float]) -> str:
    p50 = statistics.median(lat) * 1000
    p95 = statistics.quantiles(lat, n=20)[18] * 1000
    return f"| {name} | {n:,} | {total:.2f} s | {n / total:,.0f}/s | {p50:.2f} ms | {p95:.2f} ms |"


def polite(sink: ScrapeLogSink, limiter: RateLimiter) -> PoliteClient:
    return PoliteClient(user_agent=UA, sink=sink, limiter=limiter, default_host_rate=FAST, timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--profiles", type=int, default=500)
    args = parser.parse_args()
    n = args.requests
    rows: list[str] = []
    prefix = f"bench:{uuid.uuid4().hex}"
    with tempfile.TemporaryDirectory() as tmp, FakeWebsite() as site:
        url = site.url + "/ping"
        engine = make_engine(f"sqlite:///{tmp}/bench.db")
        migrate.upgrade(engine)
        with httpx.Client(trust_env=False) as bare:
            rows.append(row("bare httpx.Client (baseline)", n, *timed(n, lambda: bare.get(url))))
        with polite(MemoryScrapeLogSink(), LocalRateLimiter()) as c:
            rows.append(
                row("polite, local buckets, memory log", n, *timed(n, lambda: c.request("GET", url, service="b")))
            )
        with polite(MemoryScrapeLogSink(), RedisRateLimiter.from_url(REDIS_URL, prefix=prefix)) as c:
            rows.append(
                row("polite, Redis buckets, memory log", n, *timed(n, lambda: c.request("GET", url, service="b")))
            )
        with polite(DbScrapeLogSink(make_sessionmaker(engine)), LocalRateLimiter()) as c:
            rows.append(
                row(
                    "polite, local buckets, SQLite scrape log", n, *timed(n, lambda: c.request("GET", url, service="b"))
                )
            )
        limiter = RedisRateLimiter.from_url(REDIS_URL, prefix=prefix)
        rows.append(row("RedisRateLimiter.try_acquire alone", n, *timed(n, lambda: limiter.try_acquire("k", FAST))))
        engine.dispose()

    with FakeApify() as fake:
        urls = []
        for i in range(args.profiles):
            slug = f"bench-person-{i}"
            fake.add_profile(make_profile_item(slug, "Bench", f"Person{i}"))
            urls.append(f"https://www.linkedin.com/in/{slug}")
        http = polite(MemoryScrapeLogSink(), LocalRateLimiter())
        client = ApifyClient(http, token=fake.token, base_url=fake.url, poll_interval=0.0)
        source = ApifyLinkedInSource(client, batch_size=100)
        start = time.perf_counter()
        results = source.fetch_profiles(urls)
        apify_s = time.perf_counter() - start
        assert sum(r.profile is not None for r in results) == args.profiles
        runs = len(fake.run_inputs)
    keys = list(redis.Redis.from_url(REDIS_URL).scan_iter(f"{prefix}:*"))
    if keys:
        redis.Redis.from_url(REDIS_URL).delete(*keys)

    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    body = "\n".join(
        [
            "## Outbound: polite client, Redis buckets, Apify batches",
            "",
            f"`.venv/bin/python bench/bench_outbound.py --requests {n} --profiles {args.profiles}` on {machine()}",
            f"(load average {load} at the end: other work shared the machine).",
            "Sequential GETs to a local ThreadingHTTPServer with limits set out of the way, so the figures are the",
            "client's own overhead: back-off check, buckets, block detection, URL masking and one scrape-log row per",
            "attempt (robots.txt is not involved: only page fetches consult it, once per host and hour).",
            "",
            "| client | requests | time | rate | p50 | p95 |",
            "|---|---|---|---|---|---|",
            *rows,
            "",
            f"ApifyLinkedInSource.fetch_profiles: {args.profiles:,} profiles in {runs} actor runs of 100 against the",
            f"local fake (start, poll, page, map): {apify_s:.2f} s, {args.profiles / apify_s:,.0f} profiles/s.",
        ]
    )
    write_section("outbound", body)
    print(body)


if __name__ == "__main__":
    main()
