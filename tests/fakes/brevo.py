"""A fake Brevo transactional API (``POST /v3/smtp/email``) and builders of its webhook payloads.

Checks the ``api-key`` header (401 ``{"code":"unauthorized","message":"Key not found"}``), the JSON
body (400 ``missing_parameter``/``invalid_parameter``), answers 201 ``{"messageId": ...}`` with the
``x-sib-ratelimit-*`` headers, and keeps every accepted body in ``sent``. Failures such as 429 or
503 are scripted with ``server.script(SEND_PATH, Reply(...))``.
"""

from __future__ import annotations

import itertools
import json
import time
from typing import Any

from tests.fakes.base import FakeServer, Recorded, Reply

SEND_PATH = "/v3/smtp/email"
RATE_LIMIT = 1000


def brevo_error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> Reply:
    return Reply(status, {"code": code, "message": message}, headers=headers or {})


class FakeBrevo(FakeServer):
    def __init__(self, api_key: str = "xkeysib-test-key") -> None:
        super().__init__()
        self.api_key = api_key
        self.sent: list[dict[str, Any]] = []
        self._ids = itertools.count(1)

    def send_requests(self) -> list[Recorded]:
        return self.requests_to(SEND_PATH, method="POST")

    def handle(self, req: Recorded) -> Reply:
        if req.path != SEND_PATH or req.method != "POST":
            return brevo_error(404, "document_not_found", f"Cannot {req.method} {req.path}")
        if req.headers.get("api-key") != self.api_key:
            return brevo_error(401, "unauthorized", "Key not found")
        try:
            body = json.loads(req.body or b"null")
        except ValueError:
            return brevo_error(400, "bad_request", "Input must be a valid JSON object")
        problem = _validate(body)
        if problem is not None:
            return problem
        self.sent.append(body)
        message_id = f"<{time.strftime('%Y%m%d%H%M%S')}.{next(self._ids):011d}@smtp-relay.mailin.fr>"
        headers = {
            "x-sib-ratelimit-limit": str(RATE_LIMIT),
            "x-sib-ratelimit-remaining": str(RATE_LIMIT - len(self.sent)),
            "x-sib-ratelimit-reset": "1",
        }
        return Reply(201, {"messageId": message_id}, headers=headers)


def _validate(body: Any) -> Reply | None:
    if not isinstance(body, dict):
        return brevo_error(400, "bad_request", "Input must be a valid JSON object")
    if "templateId" not in body:
        sender = body.get("sender")
        if not isinstance(sender, dict) or not (sender.get("email") or sender.get("id")):
            return brevo_error(400, "missing_parameter", "sender is missing")
        for field in ("subject", "htmlContent"):
            if not body.get(field):
                return brevo_error(400, "missing_parameter", f"{field} is missing")
    to = body.get("to")
    if not isinstance(to, list) or not to:
        return brevo_error(400, "missing_parameter", "to is missing")
    for item in to:
        if not isinstance(item, dict) or "@" not in str(item.get("email", "")):
            return brevo_error(400, "invalid_parameter", "email is not valid in to")
    tags = body.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        return brevo_error(400, "invalid_parameter", "tags should be an array of strings")
    headers = body.get("headers", {})
    if not isinstance(headers, dict):
        return brevo_error(400, "invalid_parameter", "headers should be an object")
    return None


def webhook_event(event: str, message_id: str, *, ts_epoch: int | None = None, **extra: Any) -> dict[str, Any]:
    """A transactional webhook payload as Brevo posts it (fields from Brevo's own example)."""
    ts = ts_epoch if ts_epoch is not None else int(time.time())
    payload: dict[str, Any] = {
        "event": event,
        "email": "collector@agency.example",
        "id": 123456,
        "date": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(ts + 3600)),
        "ts": ts,
        "message-id": message_id,
        "ts_event": ts,
        "subject": "leadsignal digest",
        "sending_ip": "1.2.3.4",
        "ts_epoch": ts * 1000,
        "tags": ["digest"],
    }
    payload.update(extra)
    return payload
