"""A fake CRM on 127.0.0.1: a webhook receiver that verifies signatures and dedupes on
Idempotency-Key, and the generic REST lead API the reconcile adapter reads."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

from leadsignal.crm.signing import SignatureError, verify
from tests.fakes.base import FakeServer, Recorded, Reply

HOOK_PATH = "/hooks/leadsignal"


class FakeCrm(FakeServer):
    def __init__(self, secret: str, *, page_size: int = 2) -> None:
        super().__init__()
        self.secret = secret
        self.page_size = page_size
        self.stored: dict[str, dict[str, Any]] = {}  # Idempotency-Key -> envelope, first delivery wins
        self.received_keys: list[str] = []  # every verified delivery, duplicates included
        self.rejected: list[str] = []
        self.leads: dict[str, dict[str, Any]] = {}  # agency id -> lead JSON as the CRM holds it
        self.changed: list[str] = []
        self.signals: list[dict[str, Any]] = []
        self.failures: dict[str, list[Reply]] = {}  # Idempotency-Key -> replies to give before accepting it
        # Set ``hold`` to make the next hook request wait (after storing) until ``release`` is set.
        self.hold = False
        self.holding = threading.Event()
        self.release = threading.Event()

    @property
    def hook_url(self) -> str:
        return self.url + HOOK_PATH

    def hook_requests(self) -> list[Recorded]:
        return self.requests_to(HOOK_PATH, "POST")

    def handle(self, req: Recorded) -> Reply:
        if req.path == HOOK_PATH and req.method == "POST":
            return self._hook(req)
        if req.path == "/leads" and req.method == "GET":
            return self._changes(req)
        if req.path.startswith("/leads/") and req.method == "GET":
            lead = self.leads.get(req.path.removeprefix("/leads/"))
            return Reply(200, lead) if lead is not None else Reply(404, {"error": "not found"})
        if req.path == "/signals" and req.method == "POST":
            self.signals.append(req.json())
            return Reply(201, {"ok": True})
        return Reply(404, {"error": "no such route"})

    def _hook(self, req: Recorded) -> Reply:
        try:
            verify(self.secret, req.body, timestamp=req.headers.get("x-leadsignal-timestamp"),
                   signature=req.headers.get("x-leadsignal-signature"), now=time.time())  # fmt: skip
        except SignatureError as exc:
            self.rejected.append(str(exc))
            return Reply(401, {"error": str(exc)})
        key = req.headers["idempotency-key"]
        if self.failures.get(key):
            return self.failures[key].pop(0)
        envelope = json.loads(req.body)
        self.received_keys.append(key)
        self.stored.setdefault(key, envelope)
        if self.hold:
            self.hold = False
            self.holding.set()
            self.release.wait(20)
        return Reply(200, {"stored": key})

    def _changes(self, req: Recorded) -> Reply:
        start = int(req.query.get("cursor", "0"))
        items = [self.leads[a] for a in self.changed[start : start + self.page_size]]
        after = start + self.page_size
        return Reply(200, {"items": items, "next_cursor": str(after) if after < len(self.changed) else None})
