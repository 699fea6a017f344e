"""The one polite HTTP client every outbound call goes through.

Per request: host back-off window, token buckets (host and service), proxy choice, the call,
block/CAPTCHA detection, then retry or not. Every attempt is reported to the scrape-log sink
with its URL masked. Page fetches (``get_page``) also obey robots.txt on every redirect hop.
"""

from __future__ import annotations

import datetime as dt
import random
import threading
import time
from collections.abc import Mapping
from typing import Any, cast
from urllib.parse import urljoin

import httpx
import structlog

from leadsignal.integrations.http.blocks import detect_block
from leadsignal.integrations.http.clock import Clock, Sleeper, real_clock, real_sleep
from leadsignal.integrations.http.errors import (
    BlockedByHost,
    HostBackedOff,
    HttpStatusError,
    OutboundError,
    RobotsDisallowed,
    TransportFailure,
)
from leadsignal.integrations.http.masking import mask_text, mask_url
from leadsignal.integrations.http.proxies import Proxy, ProxyPool
from leadsignal.integrations.http.ratelimit import LocalRateLimiter, RateLimiter, RateSpec
from leadsignal.integrations.http.retry import RetryPolicy, parse_retry_after
from leadsignal.integrations.http.robots import RobotsCache
from leadsignal.integrations.http.useragent import validate_user_agent
from leadsignal.sources.scrape_log import IncidentKind, IncidentReport, Outcome, ScrapeAttempt, ScrapeLogSink

log = structlog.get_logger(__name__)
_REASON_MAX = 300
ROBOTS_SERVICE = "robots"  # robots.txt fetches are logged under their own service name


def host_key(url: httpx.URL) -> str:
    """``host`` or ``host:port`` when the port is not the scheme's default."""
    default = {"http": 80, "https": 443}.get(url.scheme)
    return url.host if url.port in (None, default) else f"{url.host}:{url.port}"


class PoliteClient:
    def __init__(
        self,
        *,
        user_agent: str,
        sink: ScrapeLogSink,
        limiter: RateLimiter | None = None,
        retry: RetryPolicy | None = None,
        proxies: ProxyPool | None = None,
        default_host_rate: RateSpec | None = None,
        host_rates: Mapping[str, RateSpec] | None = None,
        service_rates: Mapping[str, RateSpec] | None = None,
        block_backoff: float = 1800.0,
        timeout: float = 30.0,
        max_rate_wait: float = 120.0,
        robots_ttl: float = 3600.0,
        secrets: list[str] | None = None,
        clock: Clock = real_clock,
        sleep: Sleeper = real_sleep,
        rng: random.Random | None = None,
    ) -> None:
        self.user_agent = validate_user_agent(user_agent)
        self.sink = sink
        self.limiter: RateLimiter = limiter or LocalRateLimiter(clock)
        self.retry = retry or RetryPolicy()
        self.proxies = proxies
        self.default_host_rate = default_host_rate or RateSpec(1.0, 1)
        self.host_rates = dict(host_rates or {})
        self.service_rates = dict(service_rates or {})
        self.block_backoff = block_backoff
        self.timeout = timeout
        self.max_rate_wait = max_rate_wait
        self._secrets = [s for s in (secrets or []) if s]
        self._clock = clock
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._clients: dict[str | None, httpx.Client] = {}
        self._clients_lock = threading.Lock()
        self.robots = RobotsCache(self.user_agent, self._fetch_robots, ttl=robots_ttl, clock=clock)

    # -- public ---------------------------------------------------------------------------

    def request(
        self,
        method: str,
        url: str,
        *,
        service: str,
        lead_id: int | None = None,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | None = None,
        retry: RetryPolicy | None = None,
        host_rate: RateSpec | None = None,
    ) -> httpx.Response:
        """Send with throttling and retries; a 2xx/3xx is returned, anything else raises an ``OutboundError``."""
        policy = retry or self.retry
        target = httpx.URL(url, params=params) if params else httpx.URL(url)
        shown = mask_url(str(target))
        hkey = host_key(target)
        for attempt in range(1, policy.max_attempts + 1):
            proxy = self.proxies.choose() if self.proxies else None
            http = self._client(proxy)  # built before taking a token, so the token is spent on sending
            self._wait_for_backoff(hkey, service=service, shown=shown, lead_id=lead_id, attempt=attempt, policy=policy)
            self._throttle(hkey, service, host_rate, shown=shown, lead_id=lead_id, attempt=attempt)
            base = {
                "service": service,
                "source_url": shown,
                "lead_id": lead_id,
                "attempt": attempt,
                "proxy_id": _pid(proxy),
            }
            started = time.perf_counter()
            try:
                response = http.request(
                    method, target, json=json, headers=dict(headers or {}), timeout=timeout or self.timeout
                )
            except httpx.TimeoutException as exc:
                self._transport_failed(proxy, base, "timeout", exc, started)
                if attempt == policy.max_attempts:
                    raise TransportFailure(f"timed out {attempt} times: {shown}", url=shown) from exc
                self._sleep(policy.backoff(attempt, self._rng))
                continue
            except httpx.TransportError as exc:
                self._transport_failed(proxy, base, "error", exc, started)
                if attempt == policy.max_attempts:
                    raise TransportFailure(f"{type(exc).__name__} {attempt} times: {shown}", url=shown) from exc
                self._sleep(policy.backoff(attempt, self._rng))
                continue
            latency = int((time.perf_counter() - started) * 1000)
            status = response.status_code
            base |= {"http_status": status, "latency_ms": latency}

            kind = detect_block(response)
            if kind is not None:
                self._blocked(kind, response, proxy, base, hkey)
            if status < 400:
                if proxy is not None and self.proxies is not None:
                    self.proxies.report_success(proxy)
                self._record(outcome="success", **base)
                return response

            retry_after = parse_retry_after(response.headers.get("retry-after"), now=self._clock())
            reason = self._excerpt(response)
            if status not in policy.retry_statuses:
                self._record(outcome="http_error", reason=reason, **base)
                raise self._status_error(response, shown, retry_after)
            self._record(outcome="rate_limited" if status == 429 else "http_error", reason=reason, **base)
            wait = retry_after if retry_after is not None else policy.backoff(attempt, self._rng)
            if status == 429 or (status == 503 and retry_after is not None):
                self.limiter.back_off(f"host:{hkey}", wait)  # other workers hold off too
            if status == 429 or (status == 503 and retry_after is not None):  # the host asks us to slow down
                self._incident(service, hkey, str(status), wait, shown, status)
            if attempt == policy.max_attempts or wait > policy.max_retry_after:
                raise self._status_error(response, shown, retry_after)
            self._sleep(wait)
        raise AssertionError("unreachable: the loop returns or raises")  # pragma: no cover

    def get_page(self, url: str, *, service: str, lead_id: int | None = None, max_redirects: int = 5) -> httpx.Response:
        """Fetch a web page directly: robots.txt checked for every hop, its Crawl-delay obeyed."""
        current = url
        for _ in range(max_redirects + 1):
            self.ensure_allowed(current, service=service, lead_id=lead_id)
            delay = self.robots.crawl_delay(current)
            spec = RateSpec(1.0 / delay, 1) if delay and delay > 0 else None
            response = self.request("GET", current, service=service, lead_id=lead_id, host_rate=spec)
            if not response.is_redirect:
                return response
            current = urljoin(current, response.headers.get("location", ""))
        raise OutboundError(f"more than {max_redirects} redirects from {mask_url(url)}", url=mask_url(url))

    def ensure_allowed(self, url: str, *, service: str, lead_id: int | None = None) -> None:
        """Raise ``RobotsDisallowed`` (and log it) when robots.txt forbids ``url`` to us."""
        if not self.robots.allowed(url):
            shown = mask_url(url)
            self._record(
                service=service, source_url=shown, lead_id=lead_id, attempt=1, outcome="robots_disallowed",
                reason="robots.txt disallows this URL for our user agent",
            )  # fmt: skip
            raise RobotsDisallowed(f"robots.txt disallows {shown}", url=shown)

    def close(self) -> None:
        for client in self._clients.values():
            client.close()
        self._clients.clear()

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- internals ------------------------------------------------------------------------

    def _client(self, proxy: Proxy | None) -> httpx.Client:
        key = proxy.url if proxy is not None else None
        with self._clients_lock:
            client = self._clients.get(key)
            if client is None:
                client = httpx.Client(
                    proxy=key,
                    headers={"User-Agent": self.user_agent},
                    follow_redirects=False,
                    trust_env=False,  # no proxy or netrc from the environment: settings decide
                    timeout=self.timeout,
                )
                self._clients[key] = client
            return client

    def _fetch_robots(self, robots_url: str) -> tuple[int | None, str]:
        policy = RetryPolicy(max_attempts=2, base_delay=self.retry.base_delay, max_delay=self.retry.max_delay)
        try:
            response = self.request("GET", robots_url, service=ROBOTS_SERVICE, retry=policy)
        except HttpStatusError as exc:
            return exc.status, ""
        except TransportFailure:
            return None, ""  # unreachable: read as "disallow all" for a while (RFC 9309)
        if response.is_redirect:  # a robots.txt behind a redirect: treat as missing rather than chase it
            return 404, ""
        return response.status_code, response.text

    def _wait_for_backoff(
        self, hkey: str, *, service: str, shown: str, lead_id: int | None, attempt: int, policy: RetryPolicy
    ) -> None:
        remaining = self.limiter.backoff_remaining(f"host:{hkey}")
        if remaining <= 0:
            return
        if remaining > policy.max_retry_after:
            self._record(
                service=service, source_url=shown, lead_id=lead_id, attempt=attempt, outcome="rate_limited",
                reason=f"host {hkey} is backed off for {remaining:.0f}s more; no request sent",
            )  # fmt: skip
            raise HostBackedOff(f"{hkey} is backed off for {remaining:.0f}s", url=shown, retry_after=remaining)
        self._sleep(remaining)

    def _throttle(
        self, hkey: str, service: str, host_rate: RateSpec | None, *, shown: str, lead_id: int | None, attempt: int
    ) -> None:
        buckets = [(f"host:{hkey}", host_rate or self.host_rates.get(hkey, self.default_host_rate))]
        if service in self.service_rates:
            buckets.append((f"service:{service}", self.service_rates[service]))
        waited = 0.0
        for key, spec in buckets:
            while (wait := self.limiter.try_acquire(key, spec)) > 0:
                if waited + wait > self.max_rate_wait:
                    self._record(
                        service=service, source_url=shown, lead_id=lead_id, attempt=attempt, outcome="rate_limited",
                        reason=f"local rate limit {key} would need more than {self.max_rate_wait:.0f}s",
                    )  # fmt: skip
                    raise HostBackedOff(f"rate limit {key} saturated", url=shown, retry_after=wait)
                self._sleep(wait)
                waited += wait

    def _transport_failed(
        self, proxy: Proxy | None, base: dict[str, Any], outcome: Outcome, exc: Exception, started: float
    ) -> None:
        if proxy is not None and self.proxies is not None:
            self.proxies.report_failure(proxy)
        latency = int((time.perf_counter() - started) * 1000)
        self._record(outcome=outcome, reason=f"{type(exc).__name__}: {exc}"[:_REASON_MAX], latency_ms=latency, **base)

    def _blocked(
        self, kind: str, response: httpx.Response, proxy: Proxy | None, base: dict[str, Any], hkey: str
    ) -> None:
        if proxy is not None and self.proxies is not None:
            self.proxies.report_failure(proxy)
        service, shown = base["service"], base["source_url"]
        self._record(outcome="captcha" if kind == "captcha" else "blocked", reason=f"{kind} page; not solved", **base)
        self.limiter.back_off(f"host:{hkey}", self.block_backoff)
        self._incident(service, hkey, kind, self.block_backoff, shown, response.status_code)
        log.warning("http.blocked", kind=kind, host=hkey, service=service, status=response.status_code)
        raise BlockedByHost(
            f"{kind} page from {hkey}; backing off {self.block_backoff:.0f}s",
            url=shown,
            kind=kind,
            status=response.status_code,
            retry_after=self.block_backoff,
        )

    def _incident(self, service: str, hkey: str, kind: str, seconds: float, shown: str, status: int) -> None:
        report = IncidentReport(
            service=service,
            host=hkey,
            kind=cast(IncidentKind, kind),
            started_at=dt.datetime.fromtimestamp(self._clock(), dt.UTC),
            backoff_seconds=seconds,
            details={"url": shown, "http_status": status},
        )
        self.sink.record_incident(report)

    def _record(self, **fields: Any) -> None:
        if fields.get("reason"):
            fields["reason"] = mask_text(str(fields["reason"]), self._secrets)
        self.sink.record_attempt(ScrapeAttempt(**fields))

    def _excerpt(self, response: httpx.Response) -> str:
        text = " ".join(response.text[:_REASON_MAX].split())
        return mask_text(f"HTTP {response.status_code}: {text}", self._secrets)[:_REASON_MAX]

    def _status_error(self, response: httpx.Response, shown: str, retry_after: float | None) -> HttpStatusError:
        return HttpStatusError(
            f"HTTP {response.status_code} from {shown}",
            url=shown,
            status=response.status_code,
            body=mask_text(response.text, self._secrets),
            headers=dict(response.headers),
            retry_after=retry_after,
        )


def _pid(proxy: Proxy | None) -> str | None:
    return proxy.id if proxy is not None else None
