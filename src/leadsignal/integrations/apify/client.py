"""Apify REST v2 over the polite client: start a run, poll it to the end, page its dataset."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from leadsignal.integrations.apify.errors import ApifyDeadlineExceeded, ApifyError, ApifyRunFailed
from leadsignal.integrations.http import HttpStatusError, OutboundError, PoliteClient
from leadsignal.integrations.http.clock import Clock, Sleeper, real_clock, real_sleep
from leadsignal.integrations.http.masking import mask_url
from leadsignal.sources.scrape_log import ScrapeAttempt

SERVICE = "apify"
TERMINAL = frozenset({"SUCCEEDED", "FAILED", "TIMED-OUT", "ABORTED"})


class ApifyRun(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True, frozen=True)

    id: str
    status: str
    default_dataset_id: str = Field(alias="defaultDatasetId")
    status_message: str | None = Field(default=None, alias="statusMessage")

    @property
    def finished(self) -> bool:
        return self.status in TERMINAL


def actor_path_id(actor: str) -> str:
    """``user/name`` -> ``user~name`` (raw ids pass through)."""
    actor = actor.strip()
    if not actor or actor.count("/") > 1:
        raise ValueError(f"actor must be 'user/name' or a raw id, not {actor!r}")
    return quote(actor.replace("/", "~"), safe="~")


class ApifyClient:
    """The few endpoints we need. ``wait_secs`` is the server-side long poll (max 60)."""

    def __init__(
        self,
        http: PoliteClient,
        *,
        token: str,
        base_url: str = "https://api.apify.com",
        wait_secs: int = 60,
        poll_interval: float = 2.0,
        page_size: int = 1000,
        clock: Clock = real_clock,
        sleep: Sleeper = real_sleep,
    ) -> None:
        if not token:
            raise ValueError("an Apify token is required (LEADSIGNAL_APIFY_TOKEN)")
        if not 0 <= wait_secs <= 60:
            raise ValueError("wait_secs must be between 0 and 60")
        self.http = http
        self._token = token
        self._base = base_url.rstrip("/") + "/v2"
        self._wait_secs = wait_secs
        self._poll_interval = poll_interval
        self._page_size = page_size
        self._clock = clock
        self._sleep = sleep

    # -- runs -----------------------------------------------------------------------------

    def start_run(
        self,
        actor: str,
        run_input: dict[str, Any],
        *,
        timeout_secs: int | None = None,
        memory_mbytes: int | None = None,
        max_items: int | None = None,
    ) -> ApifyRun:
        params = {
            k: v
            for k, v in {"timeout": timeout_secs, "memory": memory_mbytes, "maxItems": max_items}.items()
            if v is not None
        }
        body = self._json("POST", f"/actors/{actor_path_id(actor)}/runs", params=params, json=run_input)
        return self._run(body)

    def get_run(self, run_id: str, *, wait_secs: int = 0) -> ApifyRun:
        params = {"waitForFinish": wait_secs} if wait_secs else None
        body = self._json("GET", f"/actor-runs/{quote(run_id)}", params=params, timeout=wait_secs + 30.0)
        return self._run(body)

    def abort_run(self, run_id: str) -> ApifyRun:
        return self._run(self._json("POST", f"/actor-runs/{quote(run_id)}/abort"))

    def wait_for_run(self, run: ApifyRun, *, deadline_s: float) -> ApifyRun:
        """Poll until the run is terminal; SUCCEEDED is returned, anything else raises."""
        give_up = self._clock() + deadline_s
        while not run.finished:
            left = give_up - self._clock()
            if left <= 0:
                with contextlib.suppress(ApifyError):  # best effort: the deadline error is what matters
                    self.abort_run(run.id)
                raise ApifyDeadlineExceeded(run.id, deadline_s)
            before = self._clock()
            run = self.get_run(run.id, wait_secs=int(min(self._wait_secs, max(1.0, left))))
            if not run.finished and self._clock() - before < self._poll_interval:
                self._sleep(self._poll_interval)  # the server answered at once: do not hammer it
        if run.status != "SUCCEEDED":
            raise ApifyRunFailed(run.id, run.status, run.status_message)
        return run

    def call(self, actor: str, run_input: dict[str, Any], *, deadline_s: float, **options: Any) -> ApifyRun:
        return self.wait_for_run(self.start_run(actor, run_input, **options), deadline_s=deadline_s)

    # -- datasets -------------------------------------------------------------------------

    def iter_items(self, dataset_id: str) -> Iterator[Any]:
        """Every item, page by page, until an empty page or the reported total is reached."""
        offset = 0
        while True:
            params = {"offset": offset, "limit": self._page_size, "clean": 1, "format": "json"}
            response = self._request("GET", f"/datasets/{quote(dataset_id)}/items", params=params)
            page = self._decode(response)
            if not isinstance(page, list):
                raise self._malformed(response, "dataset page is not a JSON array")
            if not page:
                return
            yield from page
            count = _int_header(response, "x-apify-pagination-count", None) or 0
            total = _int_header(response, "x-apify-pagination-total", None)
            offset += max(count, len(page))
            if total is not None and offset >= total:
                return

    def list_items(self, dataset_id: str) -> list[Any]:
        return list(self.iter_items(dataset_id))

    # -- plumbing -------------------------------------------------------------------------

    def _request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self._token}", "Accept": "application/json"}
        try:
            return self.http.request(method, self._base + path, service=SERVICE, headers=headers, **kwargs)
        except HttpStatusError as exc:
            raise _from_envelope(exc) from exc
        except OutboundError as exc:
            raise ApifyError(str(exc), type="transport", retryable=exc.retryable) from exc

    def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self._request(method, path, **kwargs)
        return self._decode(response)

    def _decode(self, response: httpx.Response) -> Any:
        try:
            return response.json()
        except ValueError as exc:
            raise self._malformed(response, "response is not JSON") from exc

    def _run(self, body: Any) -> ApifyRun:
        try:
            return ApifyRun.model_validate(body["data"])
        except (KeyError, TypeError, ValidationError) as exc:
            raise ApifyError(f"unexpected run object: {str(exc)[:200]}", type="malformed-response") from exc

    def _malformed(self, response: httpx.Response, why: str) -> ApifyError:
        self.http.sink.record_attempt(
            ScrapeAttempt(
                service=SERVICE,
                source_url=mask_url(str(response.request.url)),
                outcome="malformed",
                reason=why,
                http_status=response.status_code,
            )
        )
        return ApifyError(why, type="malformed-response", status=response.status_code, retryable=True)


def _int_header(response: httpx.Response, name: str, default: int | None) -> int | None:
    try:
        return int(response.headers[name])
    except (KeyError, ValueError):
        return default


def _from_envelope(exc: HttpStatusError) -> ApifyError:
    """``{"error": {"type", "message"}}`` -> ``ApifyError``; 429/5xx/408 stay retryable."""
    type_, message = "http-error", exc.body[:300]
    try:
        error = json.loads(exc.body)["error"]
        type_, message = str(error.get("type") or type_), str(error.get("message") or message)
    except (ValueError, KeyError, TypeError, AttributeError):
        pass
    return ApifyError(f"Apify {exc.status} {type_}: {message}", type=type_, status=exc.status, retryable=exc.retryable)
