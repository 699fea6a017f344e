"""The Apify REST client against the fake Apify server: runs, polling, paging, error envelopes."""

from __future__ import annotations

import httpx
import pytest

from leadsignal.integrations.apify import ApifyDeadlineExceeded, ApifyError, ApifyRunFailed
from leadsignal.integrations.apify.client import actor_path_id
from tests.fakes.apify import FakeApify
from tests.fakes.base import Reply
from tests.integrations.apify_helpers import make_apify_client

ECHO = "tester/echo"


def _echo(fake: FakeApify, n: int) -> None:
    fake.register_actor(ECHO, lambda run_input: [{"i": i, "#hidden": "x"} for i in range(n)])


def test_run_polls_to_success_and_pages_the_dataset() -> None:
    with FakeApify(polls_until_done=3) as fake:
        _echo(fake, 5)
        apify, sink, _ = make_apify_client(fake, page_size=2)
        run = apify.call(ECHO, {"hello": "world"}, deadline_s=60)
        items = apify.list_items(run.default_dataset_id)
    assert items == [{"i": i} for i in range(5)]  # clean=1 drops hidden fields
    assert fake.run_inputs == [(ECHO, {"hello": "world"})]
    start = fake.requests_to("/v2/actors/tester~echo/runs")[0]
    assert start.headers["authorization"] == f"Bearer {fake.token}"
    assert "token" not in start.query  # the token never travels in the URL
    polls = fake.requests_to("/v2/actor-runs/")
    assert len(polls) == 3
    assert all(p.query["waitForFinish"] == "5" for p in polls)
    pages = fake.requests_to("/v2/datasets/")
    assert [(p.query["offset"], p.query["limit"], p.query["clean"]) for p in pages] == [
        ("0", "2", "1"),
        ("2", "2", "1"),
        ("4", "2", "1"),
    ]
    assert set(sink.outcomes()) == {"success"}
    assert len(sink.attempts) == 1 + 3 + 3


def test_paging_stops_at_an_empty_page_when_total_is_unknown() -> None:
    with FakeApify() as fake:
        fake.datasets["ds1"] = [{"i": 1}, {"i": 2}]
        fake.script(
            "/v2/datasets/ds1/items", Reply(200, [{"i": 1}, {"i": 2}], headers={"X-Apify-Pagination-Count": "2"})
        )
        fake.script("/v2/datasets/ds1/items", Reply(200, [], headers={"X-Apify-Pagination-Count": "0"}))
        apify, _, _ = make_apify_client(fake, page_size=2)
        assert apify.list_items("ds1") == [{"i": 1}, {"i": 2}]
        assert [r.query["offset"] for r in fake.requests_to("/v2/datasets/ds1")] == ["0", "2"]


@pytest.mark.parametrize(("status", "retryable"), [("FAILED", False), ("TIMED-OUT", True), ("ABORTED", True)])
def test_failed_runs_raise_typed_errors(status: str, retryable: bool) -> None:
    with FakeApify(polls_until_done=2) as fake:
        _echo(fake, 4)
        fake.fail_next_run(status)
        apify, _, _ = make_apify_client(fake)
        with pytest.raises(ApifyRunFailed) as info:
            apify.call(ECHO, {}, deadline_s=60)
    assert info.value.run_status == status
    assert info.value.retryable is retryable
    assert fake.requests_to("/v2/datasets/") == []  # a failed run's partial dataset is never read


def test_overall_deadline_aborts_the_run() -> None:
    with FakeApify(polls_until_done=10_000) as fake:
        _echo(fake, 1)
        apify, _, clock = make_apify_client(fake)
        with pytest.raises(ApifyDeadlineExceeded) as info:
            apify.call(ECHO, {}, deadline_s=10)
        assert info.value.retryable
        [run] = fake.runs.values()
        assert run["status"] == "ABORTED"
        assert len(fake.requests_to(f"/v2/actor-runs/{run['id']}/abort", "POST")) == 1
        assert 5 <= len(fake.requests_to(f"/v2/actor-runs/{run['id']}", "GET")) <= 11
        assert sum(clock.sleeps) >= 10


def test_invalid_token_is_permanent_and_not_retried() -> None:
    with FakeApify() as fake:
        _echo(fake, 1)
        apify, sink, _ = make_apify_client(fake, token="wrong-token")
        with pytest.raises(ApifyError) as info:
            apify.call(ECHO, {}, deadline_s=60)
        assert (info.value.type, info.value.status, info.value.retryable) == ("invalid-token", 401, False)
        assert len(fake.requests) == 1
        assert sink.outcomes() == ["http_error"]


def test_unknown_actor_maps_the_error_envelope() -> None:
    with FakeApify() as fake:
        apify, _, _ = make_apify_client(fake)
        with pytest.raises(ApifyError) as info:
            apify.start_run("nobody/nothing", {})
    assert info.value.type == "record-not-found"
    assert not info.value.retryable


def test_rate_limit_and_server_errors_are_retried_with_retry_after() -> None:
    with FakeApify() as fake:
        _echo(fake, 3)
        limited = {"error": {"type": "rate-limit-exceeded", "message": "You have exceeded the rate limit"}}
        fake.script("/v2/actors/", Reply(429, limited, headers={"Retry-After": "4"}), method="POST")
        fake.script("/v2/datasets/", Reply(502, "bad gateway"), Reply(500, {"error": {"type": "x", "message": "y"}}))
        apify, sink, clock = make_apify_client(fake)
        run = apify.call(ECHO, {}, deadline_s=60)
        assert len(apify.list_items(run.default_dataset_id)) == 3
    assert 4.0 in clock.sleeps
    assert sink.outcomes() == ["rate_limited", "success", "success", "http_error", "http_error", "success"]
    assert len(sink.attempts) == len(fake.requests)  # every request the server saw is in the log
    assert [i.kind for i in sink.incidents] == ["429"]


def test_rate_limit_on_every_attempt_is_a_retryable_error() -> None:
    with FakeApify() as fake:
        limited = {"error": {"type": "rate-limit-exceeded", "message": "slow down"}}
        fake.script("/v2/actors/", *[Reply(429, limited)] * 3)
        apify, _, _ = make_apify_client(fake)
        with pytest.raises(ApifyError) as info:
            apify.start_run(ECHO, {})
    assert (info.value.type, info.value.status, info.value.retryable) == ("rate-limit-exceeded", 429, True)


def test_non_json_dataset_page_is_malformed_and_logged() -> None:
    with FakeApify() as fake:
        fake.datasets["ds1"] = [{"i": 1}]
        fake.script("/v2/datasets/ds1/items", Reply(200, b"<html>oops</html>", content_type="application/json"))
        apify, sink, _ = make_apify_client(fake)
        with pytest.raises(ApifyError) as info:
            apify.list_items("ds1")
    assert info.value.type == "malformed-response"
    assert sink.outcomes() == ["success", "malformed"]


def test_the_fake_also_routes_the_deprecated_acts_prefix() -> None:
    with FakeApify() as fake:
        _echo(fake, 1)
        response = httpx.post(
            f"{fake.url}/v2/acts/tester~echo/runs", params={"token": fake.token}, json={}, trust_env=False
        )
    assert response.status_code == 201
    assert response.headers["location"].endswith(response.json()["data"]["id"])


def test_actor_ids() -> None:
    assert actor_path_id("harvestapi/linkedin-profile-scraper") == "harvestapi~linkedin-profile-scraper"
    assert actor_path_id("vKg4IjxZbEYTYeW8T") == "vKg4IjxZbEYTYeW8T"
    with pytest.raises(ValueError, match="user/name"):
        actor_path_id("a/b/c")


def test_slow_dataset_page_times_out_and_is_retried() -> None:
    with FakeApify() as fake:
        _echo(fake, 2)
        fake.script("/v2/datasets/", Reply(200, b"[]", delay=0.6))
        apify, sink, _ = make_apify_client(fake, timeout=0.2)
        run = apify.call(ECHO, {}, deadline_s=60)
        assert apify.list_items(run.default_dataset_id) == [{"i": 0}, {"i": 1}]
    assert sink.outcomes()[-2:] == ["timeout", "success"]
