"""Token buckets: local with a fake clock, and Redis-shared across two real worker processes."""

from __future__ import annotations

import multiprocessing
import uuid
from collections.abc import Iterator

import pytest
import redis

from leadsignal.integrations.http import LocalRateLimiter, RateSpec, RedisRateLimiter
from leadsignal.integrations.http.clock import FakeTime
from tests.fakes.web import FakeWebsite
from tests.integrations.rate_worker import hammer

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    prefix = f"leadsignal-test:{uuid.uuid4().hex}"
    yield prefix
    client = redis.Redis.from_url(REDIS_URL)
    keys = list(client.scan_iter(f"{prefix}:*"))
    if keys:
        client.delete(*keys)


def test_local_bucket_refills_at_the_rate() -> None:
    clock = FakeTime()
    limiter = LocalRateLimiter(clock)
    spec = RateSpec(rate=2.0, burst=3)
    assert [limiter.try_acquire("k", spec) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert limiter.try_acquire("k", spec) == pytest.approx(0.5)
    clock.sleep(0.5)
    assert limiter.try_acquire("k", spec) == 0.0
    assert limiter.try_acquire("other", spec) == 0.0  # keys are independent


def test_local_backoff_extends_never_shortens() -> None:
    clock = FakeTime()
    limiter = LocalRateLimiter(clock)
    limiter.back_off("host:a", 100)
    limiter.back_off("host:a", 10)
    clock.sleep(50)
    assert limiter.backoff_remaining("host:a") == pytest.approx(50)


def test_rate_spec_rejects_nonsense() -> None:
    with pytest.raises(ValueError, match="positive"):
        RateSpec(0)
    with pytest.raises(ValueError, match="burst"):
        RateSpec(1.0, 0)


def test_redis_bucket_and_backoff_are_shared_between_instances(redis_prefix: str) -> None:
    a = RedisRateLimiter.from_url(REDIS_URL, prefix=redis_prefix)
    b = RedisRateLimiter.from_url(REDIS_URL, prefix=redis_prefix)
    spec = RateSpec(rate=0.5, burst=2)
    assert a.try_acquire("host:x", spec) == 0.0
    assert b.try_acquire("host:x", spec) == 0.0
    wait = a.try_acquire("host:x", spec)
    assert 1.5 < wait <= 2.0  # empty bucket at 0.5 tokens/s
    a.back_off("host:x", 60)
    assert 55 < b.backoff_remaining("host:x") <= 60
    assert b.backoff_remaining("host:y") == 0.0


def test_redis_outage_falls_back_to_local_buckets() -> None:
    dead = RedisRateLimiter.from_url("redis://127.0.0.1:1/0", prefix="unused")
    spec = RateSpec(rate=1.0, burst=1)
    assert dead.try_acquire("host:x", spec) == 0.0
    assert dead.try_acquire("host:x", spec) > 0.5  # still limited, by this process alone
    dead.back_off("host:x", 30)
    assert 25 < dead.backoff_remaining("host:x") <= 30


def _run_two_workers(prefixes: tuple[str, str], n: int, rate: float) -> list[float]:
    """Fork two workers (before any server thread exists), then serve them; arrival times back."""
    ctx = multiprocessing.get_context("fork")
    jobs, barrier = ctx.Queue(), ctx.Barrier(2)
    procs = [ctx.Process(target=hammer, args=(jobs, REDIS_URL, p, rate, barrier)) for p in prefixes]
    for proc in procs:
        proc.start()
    with FakeWebsite() as site:
        for _ in procs:
            jobs.put((site.url + "/ping", n))
        for proc in procs:
            proc.join(timeout=90)
        assert [p.exitcode for p in procs] == [0, 0]
        return [r.at for r in site.requests_to("/ping")]


def _max_in_window(times: list[float], window: float) -> int:
    times = sorted(times)
    return max(sum(1 for t in times[i:] if t < start + window) for i, start in enumerate(times))


def test_shared_rate_limit_holds_across_two_processes(redis_prefix: str) -> None:
    rate, n, window = 4.0, 5, 1.0
    # A token bucket with burst 1 grants at most 1 + rate*W requests in any window of W seconds.
    # 50 ms are shaved off the window for the gap between a grant and the request's arrival.
    limit = 1 + int(rate * window)
    shared = _run_two_workers((redis_prefix, redis_prefix), n, rate)
    assert len(shared) == 2 * n
    assert _max_in_window(shared, window - 0.05) <= limit

    # Control: the same load with one bucket per process breaks the limit, so the check can fail.
    separate = _run_two_workers((redis_prefix + ":a", redis_prefix + ":b"), n, rate)
    assert _max_in_window(separate, window - 0.05) > limit
