"""The polite client against a real local web server, for every failure mode."""

from __future__ import annotations

import datetime as dt
from email.utils import format_datetime

import httpx
import pytest

from leadsignal.integrations.http import (
    BlockedByHost,
    HostBackedOff,
    HttpStatusError,
    RobotsDisallowed,
    TransportFailure,
)
from leadsignal.integrations.http.retry import RetryPolicy
from tests.fakes.base import Reply
from tests.fakes.web import (
    BLOCK_PAGE,
    CAPTCHA_PAGE,
    CLOUDFLARE_CHALLENGE,
    CONTACT_FORM_PAGE,
    HCAPTCHA_PAGE,
    FakeWebsite,
)
from tests.integrations.factories import make_client


def test_success_is_logged_with_status_latency_and_our_user_agent(fake_site: FakeWebsite) -> None:
    client, sink, _ = make_client()
    response = client.request("GET", fake_site.url + "/ping", service="web", lead_id=7)
    assert response.text == "ok"
    [attempt] = sink.attempts
    assert (attempt.outcome, attempt.http_status, attempt.attempt, attempt.lead_id) == ("success", 200, 1, 7)
    assert attempt.latency_ms is not None
    assert fake_site.requests_to("/ping")[0].headers["user-agent"] == client.user_agent


def test_retry_after_seconds_is_honoured(fake_site: FakeWebsite) -> None:
    fake_site.script("/ping", Reply(429, "slow down", headers={"Retry-After": "7"}))
    client, sink, clock = make_client()
    assert client.request("GET", fake_site.url + "/ping", service="web").status_code == 200
    assert sink.outcomes() == ["rate_limited", "success"]
    assert max(clock.sleeps) >= 7.0
    [incident] = sink.incidents
    assert (incident.kind, incident.host, incident.backoff_seconds) == ("429", f"127.0.0.1:{fake_site.port}", 7.0)


def test_retry_after_http_date_is_honoured(fake_site: FakeWebsite) -> None:
    client, sink, clock = make_client()
    when = dt.datetime.fromtimestamp(clock() + 30, dt.UTC)
    fake_site.script("/ping", Reply(503, "maintenance", headers={"Retry-After": format_datetime(when, usegmt=True)}))
    assert client.request("GET", fake_site.url + "/ping", service="web").status_code == 200
    assert sink.outcomes() == ["http_error", "success"]
    assert sum(clock.sleeps) >= 29.0


def test_retry_after_longer_than_allowed_is_surfaced_not_slept(fake_site: FakeWebsite) -> None:
    fake_site.script("/ping", Reply(429, "", headers={"Retry-After": "3600"}))
    client, sink, clock = make_client()
    with pytest.raises(HttpStatusError) as info:
        client.request("GET", fake_site.url + "/ping", service="web")
    assert info.value.retryable
    assert info.value.retry_after == 3600.0
    assert clock.sleeps == []
    assert len(fake_site.requests_to("/ping")) == 1
    # the host is now backed off: the next call sends nothing
    with pytest.raises(HostBackedOff):
        client.request("GET", fake_site.url + "/ping", service="web")
    assert len(fake_site.requests_to("/ping")) == 1
    assert sink.outcomes() == ["rate_limited", "rate_limited"]


def test_5xx_burst_is_retried_with_growing_backoff(fake_site: FakeWebsite) -> None:
    fake_site.script("/ping", Reply(500), Reply(502), method="GET")
    client, sink, clock = make_client()
    assert client.request("GET", fake_site.url + "/ping", service="web").status_code == 200
    assert sink.outcomes() == ["http_error", "http_error", "success"]
    assert [a.attempt for a in sink.attempts] == [1, 2, 3]
    assert 0.5 <= clock.sleeps[0] <= 1.0
    assert 1.0 <= clock.sleeps[1] <= 2.0


def test_5xx_on_every_attempt_raises_retryable_error(fake_site: FakeWebsite) -> None:
    fake_site.script("/ping", *[Reply(503, "down")] * 3)
    client, sink, _ = make_client()
    with pytest.raises(HttpStatusError) as info:
        client.request("GET", fake_site.url + "/ping", service="web")
    assert info.value.status == 503
    assert info.value.retryable
    assert sink.outcomes() == ["http_error"] * 3


def test_other_4xx_is_not_retried(fake_site: FakeWebsite) -> None:
    client, sink, _ = make_client()
    with pytest.raises(HttpStatusError) as info:
        client.request("GET", fake_site.url + "/missing", service="web")
    assert info.value.status == 404
    assert not info.value.retryable
    assert len(fake_site.requests_to("/missing")) == 1
    assert sink.outcomes() == ["http_error"]


def test_timeouts_are_retried_then_reported(fake_site: FakeWebsite) -> None:
    fake_site.script("/slow", Reply(200, "late", delay=0.6), Reply(200, "late", delay=0.6))
    fake_site.pages["/slow"] = "<html>fast now</html>"
    client, sink, _ = make_client(timeout=0.2)
    assert "fast now" in client.request("GET", fake_site.url + "/slow", service="web").text
    assert sink.outcomes() == ["timeout", "timeout", "success"]

    fake_site.script("/slow", *[Reply(200, "late", delay=0.6)] * 3)
    with pytest.raises(TransportFailure):
        client.request("GET", fake_site.url + "/slow", service="web")
    assert sink.outcomes()[3:] == ["timeout"] * 3


def test_connection_refused_is_an_error_outcome() -> None:
    with FakeWebsite() as gone:
        url = gone.url
    client, sink, _ = make_client(retry=RetryPolicy(max_attempts=2, base_delay=0.01))
    with pytest.raises(TransportFailure):
        client.request("GET", url + "/ping", service="web")
    assert sink.outcomes() == ["error", "error"]


def test_robots_disallow_sends_no_request(fake_site: FakeWebsite) -> None:
    fake_site.robots_txt = "User-agent: *\nDisallow: /private\n"
    fake_site.pages["/private/page"] = "<html>secret</html>"
    client, sink, _ = make_client()
    with pytest.raises(RobotsDisallowed):
        client.get_page(fake_site.url + "/private/page", service="web", lead_id=3)
    assert fake_site.requests_to("/private") == []
    assert [r.path for r in fake_site.requests] == ["/robots.txt"]
    assert sink.attempts[-1].outcome == "robots_disallowed"
    assert sink.attempts[-1].lead_id == 3
    # allowed paths still work, and robots.txt is fetched once per host
    assert client.get_page(fake_site.url + "/ping", service="web").status_code == 200
    assert len(fake_site.requests_to("/robots.txt")) == 1


def test_robots_rules_for_our_agent_and_missing_or_failing_robots() -> None:
    with FakeWebsite("User-agent: leadsignal-test\nDisallow: /\n\nUser-agent: *\nAllow: /\n") as site:
        client, _, _ = make_client()
        with pytest.raises(RobotsDisallowed):
            client.get_page(site.url + "/ping", service="web")
    with FakeWebsite(robots_txt=None) as site:  # 404 robots.txt: everything allowed
        client, _, _ = make_client()
        assert client.get_page(site.url + "/ping", service="web").status_code == 200
    with FakeWebsite() as site:  # robots.txt unreachable (5xx): nothing allowed
        site.script("/robots.txt", *[Reply(500)] * 2)
        client, _, _ = make_client()
        with pytest.raises(RobotsDisallowed):
            client.get_page(site.url + "/ping", service="web")
        assert site.requests_to("/ping") == []


def test_redirect_to_disallowed_path_is_not_followed(fake_site: FakeWebsite) -> None:
    fake_site.robots_txt = "User-agent: *\nDisallow: /private\n"
    fake_site.pages["/go"] = Reply(302, b"", headers={"Location": "/private/x"})
    client, _, _ = make_client()
    with pytest.raises(RobotsDisallowed):
        client.get_page(fake_site.url + "/go", service="web")
    assert fake_site.requests_to("/private") == []


@pytest.mark.parametrize(
    ("reply", "kind"),
    [
        (Reply(403, CAPTCHA_PAGE), "captcha"),
        (Reply(200, CAPTCHA_PAGE), "captcha"),
        (Reply(403, HCAPTCHA_PAGE), "captcha"),
        (Reply(503, CLOUDFLARE_CHALLENGE, headers={"cf-mitigated": "challenge"}), "captcha"),
        (Reply(999, "<html><body>request denied</body></html>"), "blocked"),
        (Reply(403, BLOCK_PAGE), "blocked"),
    ],
)
def test_block_and_captcha_pages_back_off_the_host(fake_site: FakeWebsite, reply: Reply, kind: str) -> None:
    fake_site.pages["/profile"] = reply
    client, sink, _ = make_client(block_backoff=900.0)
    with pytest.raises(BlockedByHost) as info:
        client.get_page(fake_site.url + "/profile", service="web")
    assert info.value.kind == kind
    assert sink.attempts[-1].outcome == kind
    [incident] = sink.incidents
    assert incident.kind == kind
    assert incident.backoff_seconds == 900.0
    # backed off: the next page on that host is not requested at all, and is logged
    with pytest.raises(HostBackedOff):
        client.get_page(fake_site.url + "/ping", service="web")
    assert fake_site.requests_to("/ping") == []
    assert sink.attempts[-1].outcome == "rate_limited"


def test_contact_form_with_recaptcha_is_not_a_challenge(fake_site: FakeWebsite) -> None:
    fake_site.pages["/contact"] = CONTACT_FORM_PAGE
    client, sink, _ = make_client()
    assert client.get_page(fake_site.url + "/contact", service="web").status_code == 200
    assert sink.incidents == []


def test_secrets_are_masked_in_the_log(fake_site: FakeWebsite) -> None:
    fake_site.pages["/api"] = Reply(400, {"error": "bad key sk-secret-123"})
    client, sink, _ = make_client(secrets=["sk-secret-123"])
    with pytest.raises(HttpStatusError) as info:
        client.request("GET", fake_site.url + "/api", service="web", params={"key": "sk-secret-123", "q": "x"})
    assert "sk-secret-123" not in info.value.body
    [attempt] = sink.attempts
    assert "sk-secret-123" not in attempt.source_url
    assert "key=***" in attempt.source_url
    assert attempt.reason is not None
    assert "sk-secret-123" not in attempt.reason
    assert fake_site.requests_to("/api")[0].query["key"] == "sk-secret-123"  # the real value was sent


def test_local_rate_limit_makes_the_client_wait(fake_site: FakeWebsite) -> None:
    from leadsignal.integrations.http import RateSpec

    client, _, clock = make_client(default_host_rate=RateSpec(2.0, 1))
    for _ in range(5):
        client.request("GET", fake_site.url + "/ping", service="web")
    assert sum(clock.sleeps) == pytest.approx(2.0)  # 4 waits of 0.5 s at 2 requests/s


def test_crawl_delay_from_robots_is_obeyed(fake_site: FakeWebsite) -> None:
    fake_site.robots_txt = "User-agent: *\nCrawl-delay: 5\n"
    client, _, clock = make_client()
    client.get_page(fake_site.url + "/ping", service="web")
    client.get_page(fake_site.url + "/ping", service="web")
    assert sum(clock.sleeps) >= 5.0


def test_bad_url_scheme_is_refused() -> None:
    client, _, _ = make_client()
    with pytest.raises((ValueError, httpx.UnsupportedProtocol)):
        client.get_page("ftp://example.com/file", service="web")
