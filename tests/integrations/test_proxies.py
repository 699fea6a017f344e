"""Proxy rotation and health: a dead proxy is benched, traffic moves to the healthy ones."""

from __future__ import annotations

import pytest

from leadsignal.integrations.http.clock import FakeTime
from leadsignal.integrations.http.proxies import ProxyPool
from leadsignal.integrations.http.retry import RetryPolicy
from tests.fakes.web import FakeProxy, FakeWebsite
from tests.integrations.factories import make_client


def test_pool_benches_after_n_failures_and_recovers() -> None:
    clock = FakeTime()
    pool = ProxyPool(["http://a:1", "http://user:pw@b:2"], max_failures=2, bench_seconds=60, clock=clock)
    a = pool.choose()
    assert a is not None
    assert a.id == "http://a:1"
    pool.report_failure(a)
    pool.report_failure(a)
    assert pool.healthy() == ["http://b:2"]  # the id never carries credentials
    assert {pool.choose().id for _ in range(3)} == {"http://b:2"}  # type: ignore[union-attr]
    clock.sleep(61)
    assert pool.healthy() == ["http://a:1", "http://b:2"]


def test_pool_refuses_a_url_without_host() -> None:
    with pytest.raises(ValueError, match="scheme and host"):
        ProxyPool(["not a url"])


def test_requests_rotate_through_proxies_and_skip_a_dead_one() -> None:
    with FakeWebsite() as dead:
        dead_url = dead.url  # nothing listens there any more
    with FakeProxy("p1") as p1, FakeProxy("p2") as p2:
        clock = FakeTime()
        pool = ProxyPool([dead_url, p1.url, p2.url], max_failures=1, bench_seconds=300, clock=clock)
        client, sink, _ = make_client(clock=clock, proxies=pool, retry=RetryPolicy(max_attempts=3, base_delay=0.01))
        vias = [client.request("GET", "http://site.invalid/page", service="web").json()["via"] for _ in range(4)]
        assert vias == ["p1", "p2", "p1", "p2"]
        assert p1.requests[0].target == "http://site.invalid/page"  # absolute-form: a real proxy request
        first, second = sink.attempts[:2]
        assert (first.outcome, first.proxy_id) == ("error", dead_url)
        assert (second.outcome, second.attempt) == ("success", 2)
        assert pool.healthy() == [f"http://127.0.0.1:{p1.port}", f"http://127.0.0.1:{p2.port}"]
