"""Answers are cached per scope and parameters, and recomputed as soon as new data lands."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import redis
from fastapi.testclient import TestClient
from structlog.testing import capture_logs

from leadsignal.analytics.cache import LocalCache, RedisCache, cache_from_url
from leadsignal.core.context import AppContext
from tests.analytics.fixtures import OCT, Month, add_outcome, at

URL = f"/api/v1/analytics/overview?{OCT}"


def paid(body: dict[str, object]) -> int:
    rows = body["conversion"]
    assert isinstance(rows, list)
    return sum(r["payment_received"] for r in rows)


def test_second_call_is_cached_until_an_outcome_lands(client: TestClient, month: Month, app_ctx: AppContext) -> None:
    headers = month.scene.headers["admin"]
    first = client.get(URL, headers=headers).json()
    second = client.get(URL, headers=headers).json()
    assert (first["cached"], second["cached"]) == (False, True)
    assert second["generated_at"] == first["generated_at"]
    assert {k: v for k, v in second.items() if k != "cached"} == {k: v for k, v in first.items() if k != "cached"}
    add_outcome(app_ctx, month.unowned_lead_id, "payment_received", at(20), "10.00")
    third = client.get(URL, headers=headers).json()
    assert third["cached"] is False
    assert paid(third) == paid(first) + 1  # the unowned lead's new_job (s4) converted


def test_acknowledging_a_signal_refreshes_the_cache(client: TestClient, month: Month) -> None:
    scene = month.scene
    assert client.get(URL, headers=scene.headers["manager"]).json()["cached"] is False
    assert client.get(URL, headers=scene.headers["manager"]).json()["cached"] is True
    ack = client.post(f"/api/v1/signals/{month.signal_ids['s3']}/ack", headers=scene.headers["agent"])
    assert ack.status_code == 200
    after = client.get(URL, headers=scene.headers["manager"]).json()
    assert after["cached"] is False
    total = next(r for r in after["response_times"] if r["user_id"] is None)
    assert total["acknowledged"] == 4


def test_scopes_do_not_share_entries(client: TestClient, month: Month) -> None:
    headers = month.scene.headers
    assert client.get(URL, headers=headers["admin"]).json()["cached"] is False
    manager = client.get(URL, headers=headers["manager"]).json()
    assert manager["cached"] is False
    assert {r["team_id"] for r in manager["response_times"]} == {month.scene.team_a.id}
    week = client.get(URL + "&bucket=week", headers=headers["admin"]).json()
    assert week["cached"] is False


@pytest.fixture
def redis_cache() -> Iterator[tuple[RedisCache, redis.Redis, str]]:
    client = redis.Redis(host="127.0.0.1", port=6379, db=0, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError:
        pytest.skip("no Redis on 127.0.0.1:6379 (scripts/services.sh starts one)")
    prefix = f"leadsignal-test:analytics:{uuid.uuid4().hex}:"
    try:
        yield RedisCache(client, prefix=prefix), client, prefix
    finally:
        keys = list(client.scan_iter(match=prefix + "*"))
        if keys:
            client.delete(*keys)
        client.close()


def test_redis_holds_the_answers(
    client: TestClient, month: Month, redis_cache: tuple[RedisCache, redis.Redis, str]
) -> None:
    cache, raw, prefix = redis_cache
    client.app.state.analytics_cache = cache  # type: ignore[attr-defined]
    headers = month.scene.headers["admin"]
    first = client.get(URL, headers=headers).json()
    keys = list(raw.scan_iter(match=prefix + "*"))
    assert len(keys) == 1
    assert 0 < raw.ttl(keys[0]) <= 300
    second = client.get(URL, headers=headers).json()
    assert (first["cached"], second["cached"]) == (False, True)
    assert second["conversion"] == first["conversion"]
    raw.set(keys[0], b"not json")  # an unreadable entry is recomputed, not a 500
    assert client.get(URL, headers=headers).json()["cached"] is False


def test_redis_down_still_answers(client: TestClient, month: Month) -> None:
    client.app.state.analytics_cache = RedisCache.from_url("redis://127.0.0.1:1/0")  # type: ignore[attr-defined]
    headers = month.scene.headers["admin"]
    with capture_logs() as logs:
        first = client.get(URL, headers=headers)
        second = client.get(URL, headers=headers)
    assert (first.status_code, second.status_code) == (200, 200)
    assert (first.json()["cached"], second.json()["cached"]) == (False, False)
    assert first.json()["conversion"][0]["signals"] == 3
    assert [e["event"] for e in logs if e["log_level"] == "warning"] == ["analytics.cache_unavailable"]


def test_cache_follows_settings() -> None:
    assert isinstance(cache_from_url(None), LocalCache)
    assert isinstance(cache_from_url("redis://127.0.0.1:6379/0"), RedisCache)


def test_local_cache_expires_and_evicts() -> None:
    cache = LocalCache(ttl=0)
    cache.set("a", "1")
    assert cache.get("a") is None
    cache = LocalCache(max_entries=2)
    for key in "abc":
        cache.set(key, key)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (None, "b", "c")
