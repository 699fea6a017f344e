"""``POST {base}/v3/smtp/email`` with plain httpx; Brevo's errors mapped onto the email port.

429 waits for ``x-sib-ratelimit-reset`` (or ``Retry-After``) and 5xx or transport failures back off
exponentially, both a bounded number of times. Every attempt carries the same ``Idempotency-Key``
header, so a retry after a time-out whose outcome we never saw is not delivered twice.
"""

from __future__ import annotations

import random
import ssl
import time
from collections.abc import Callable
from typing import Any

import httpx
import structlog

from leadsignal.alerts.email.port import (
    EmailConfigError,
    OutgoingEmail,
    PermanentEmailError,
    RetryableEmailError,
    SendResult,
)
from leadsignal.integrations.http.retry import RetryPolicy, parse_retry_after

log = structlog.get_logger(__name__)

SEND_PATH = "/v3/smtp/email"
# Everything else (400, 401, 402 no credits, 403, 404...) is permanent: sending again cannot help.
RETRY_STATUSES = frozenset({408, 409, 425, 429, 500, 502, 503, 504})


class BrevoSender:
    provider = "brevo"

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str,
        sender_email: str,
        sender_name: str | None = None,
        timeout: float = 15.0,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        if not api_key:
            raise EmailConfigError("the brevo provider needs LEADSIGNAL_BREVO_API_KEY")
        self._url = base_url.rstrip("/") + SEND_PATH
        self._sender: dict[str, str] = {"email": sender_email}
        if sender_name:
            self._sender["name"] = sender_name
        self._policy = policy or RetryPolicy(max_attempts=3, base_delay=0.5, max_delay=10.0, max_retry_after=60.0)
        self._sleep = sleep
        self._rng = random.Random()
        self._api_key, self._timeout, self._transport = api_key, timeout, transport
        self._tls = ssl.create_default_context()  # built once: it costs more than the request itself

    def payload(self, message: OutgoingEmail) -> dict[str, Any]:
        to: dict[str, str] = {"email": str(message.to)}
        if message.to_name:
            to["name"] = message.to_name
        body: dict[str, Any] = {
            "sender": self._sender,
            "to": [to],
            "subject": message.subject,
            "htmlContent": message.html,
            "textContent": message.text,
            "headers": dict(message.headers),
        }
        if message.tags:
            body["tags"] = list(message.tags)
        return body

    def send(self, message: OutgoingEmail) -> SendResult:
        body = self.payload(message)
        attempts = self._policy.max_attempts
        # One client per send: digests go out a few hundred a day, and nothing is left open to leak.
        with httpx.Client(
            timeout=self._timeout,
            transport=self._transport,
            verify=self._tls,
            headers={"api-key": self._api_key, "Accept": "application/json"},
            follow_redirects=False,
        ) as client:
            return self._send_with_retries(client, body, attempts)

    def _send_with_retries(self, client: httpx.Client, body: dict[str, Any], attempts: int) -> SendResult:
        for attempt in range(1, attempts + 1):
            try:
                response = client.post(self._url, json=body)
            except httpx.TransportError as exc:
                error = RetryableEmailError(f"brevo unreachable: {type(exc).__name__}: {exc}", provider=self.provider)
                wait = self._policy.backoff(attempt, self._rng)
            else:
                if response.status_code == 201:
                    return SendResult(provider=self.provider, message_id=_message_id(response))
                failure = _error_for(response)
                if isinstance(failure, PermanentEmailError):
                    raise failure
                error = failure
                wait = error.retry_after if error.retry_after is not None else self._policy.backoff(attempt, self._rng)
            if attempt == attempts or wait > self._policy.max_retry_after:
                log.warning(
                    "brevo.send_gave_up", attempts=attempt, status=error.status, code=error.code, wait=round(wait, 2)
                )
                error.retry_after = wait
                raise error
            log.info("brevo.send_retry", attempt=attempt, status=error.status, wait=round(wait, 2))
            self._sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover - the loop always returns or raises


def _message_id(response: httpx.Response) -> str:
    try:
        data = response.json()
    except ValueError as exc:
        raise PermanentEmailError("brevo answered 201 without a JSON body", provider="brevo", status=201) from exc
    message_id = data.get("messageId") if isinstance(data, dict) else None
    if not isinstance(message_id, str) or not message_id:
        raise PermanentEmailError(
            f"brevo answered 201 without a messageId: {data!r}"[:300], provider="brevo", status=201
        )
    return message_id


def _error_for(response: httpx.Response) -> PermanentEmailError | RetryableEmailError:
    status = response.status_code
    code, text = _error_body(response)
    message = f"brevo {status} {code or 'error'}: {text}" if text else f"brevo {status} {code or 'error'}"
    if status in RETRY_STATUSES or status >= 500:
        now = time.time()
        reset = parse_retry_after(response.headers.get("x-sib-ratelimit-reset"), now=now)
        retry_after = reset if reset is not None else parse_retry_after(response.headers.get("retry-after"), now=now)
        return RetryableEmailError(message, provider="brevo", code=code, status=status, retry_after=retry_after)
    return PermanentEmailError(message, provider="brevo", code=code, status=status)


def _error_body(response: httpx.Response) -> tuple[str | None, str]:
    """Brevo's ``{"code", "message"}``; anything else is shown as (short) text."""
    try:
        data = response.json()
    except ValueError:
        return None, response.text[:200].strip()
    if isinstance(data, dict):
        code = data.get("code")
        text = data.get("message")
        return (str(code) if code is not None else None), (str(text) if text is not None else "")
    return None, str(data)[:200]
