"""Every API route that reads or writes lead data leaves an audit row: who, which record, which
fields, when, and from where (client address and request id, filled from the request itself).

Routes are enumerated from the app, so a lead route added later is checked automatically. Each is
called as a persona its access declaration admits, twice over (the first round's writes give the
second round's lists something to return); a route that never returned lead data fails the test,
so none passes for want of data.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from leadsignal.compliance.models import AuditEntry
from leadsignal.compliance.optout_requests import PersonDetails, create_request
from leadsignal.core.context import AppContext
from leadsignal.core.crypto import PiiCipher
from leadsignal.db import session_scope, utcnow
from leadsignal.events.models import OutboxEvent
from leadsignal.events.service import ALERT_RAISED
from leadsignal.leads.models import Lead
from leadsignal.matching.models import IdentityMatch
from tests.api.test_route_matrix import api_routes, fill, placeholders
from tests.auth.factories import Scene
from tests.auth.fixtures import app_ctx, client, scene

__all__ = ["app_ctx", "client", "scene"]  # fixtures

LEAD_DATA = re.compile(r"^/api/v1/(leads|signals|crm/leads|crm/outcomes|identity/reviews|opt-outs|opt-out-requests"
                       r"|disputes)(/|$)")  # fmt: skip
PREFERRED = ("admin", "manager", "agent", "compliance", "client")


def _seed(ctx: AppContext, scene: Scene, cipher: PiiCipher) -> int:
    """A pending identity match, an opted-out lead, a public opt-out request and a feed event;
    returns the event's id."""
    lead_id = scene.lead.id  # type: ignore[attr-defined]
    with session_scope(ctx.sessions) as session:
        other = session.get(Lead, scene.other_lead.id)  # type: ignore[attr-defined]
        assert other is not None
        other.do_not_scrape, other.do_not_scrape_reason, other.do_not_scrape_source = True, "asked", "borrower"
        other.do_not_scrape_at = utcnow()
        session.add(IdentityMatch(lead_id=lead_id, profile_url="https://www.linkedin.com/in/jane-doe-1", score=0.7,
                                  decision="review", reasons=["name"], status="pending_review"))  # fmt: skip
        create_request(session, cipher, PersonDetails(full_name="Jane Doe", email="jane@example.com"), ip="192.0.2.1")
        event = OutboxEvent(event_id=str(uuid.uuid4()), event_type=ALERT_RAISED, aggregate_type="signal",
                            aggregate_id=str(scene.signal.id), lead_id=lead_id,
                            payload={"signal_id": scene.signal.id, "lead_id": lead_id},
                            created_at=utcnow())  # fmt: skip
        session.add(event)
        session.flush()
        return event.id


def _returned_data(response: Any) -> bool:
    content_type = response.headers.get("content-type", "")
    if content_type.startswith("text/event-stream"):
        return b"\ndata: " in response.content
    if not content_type.startswith("application/json"):
        return bool(response.content)
    body = response.json()
    if isinstance(body, dict) and "items" in body:
        return bool(body["items"])
    return body not in ([], {}, None)


def test_every_lead_data_route_is_audited(client: TestClient, scene: Scene, app_ctx: AppContext,
                                          cipher: PiiCipher) -> None:  # fmt: skip
    event_id = _seed(app_ctx, scene, cipher)
    names = placeholders(scene)
    routes = [(m, p, d) for m, p, d in api_routes(client) if LEAD_DATA.match(p) and d is not None]
    assert len(routes) >= 15, routes
    checked: set[str] = set()
    failures: list[str] = []
    for _ in range(2):
        for method, path, declared in routes:
            persona = next((p for p in PREFERRED if 200 <= declared["statuses"][p] < 300), None)
            if persona is None:
                checked.add(f"{method} {path}")  # nobody may reach it with the scene's data: nothing to read
                continue
            example = fill(declared["example"], names | {"unique": uuid.uuid4().hex[:10]})
            values = {**names, **{k: str(v) for k, v in example.get("path", {}).items()}}
            url = re.sub(r"\{(\w+)\}", lambda m, v=values: v[m.group(1)], path)  # type: ignore[misc]
            rid = f"cov-{uuid.uuid4().hex[:16]}"
            headers = {**scene.headers[persona], "X-Request-ID": rid, "Last-Event-ID": str(event_id - 1)}
            response = client.request(method, url, headers=headers, json=example.get("json"))
            if not 200 <= response.status_code < 300 or (method == "GET" and not _returned_data(response)):
                continue
            with app_ctx.sessions() as session:
                rows = session.scalars(select(AuditEntry).where(AuditEntry.request_id == rid)).all()
            actor = f"user:{scene.users[persona].id}" if persona != "client" else None
            problem = _problem(rows, method, actor)
            if problem:
                failures.append(f"{method} {path} as {persona}: {problem}")
            checked.add(f"{method} {path}")
    never = sorted({f"{m} {p}" for m, p, _ in routes} - checked)
    assert never == [], f"routes that never returned lead data to check: {never}"
    assert failures == []


def _problem(rows: Sequence[AuditEntry], method: str, actor: str | None) -> str | None:
    if not rows:
        return "no audit entry"
    for row in rows:
        if actor is not None and row.actor != actor:
            continue
        if actor is None and not row.actor.startswith("crm:"):
            continue
        if not row.origin or not row.origin.startswith("ip:"):
            return f"audit entry {row.action} has no client address (origin={row.origin!r})"
        if row.occurred_at is None or not row.entity_type:
            return f"audit entry {row.action} lacks when or what"
        named = row.entity_id is not None or (row.details or {}).get("ids") or (row.details or {}).get("lead_ids")
        if not named and row.entity_type in ("lead", "signal"):
            return f"audit entry {row.action} names no record"
        if method == "GET" and not row.fields:
            return f"audit entry {row.action} names no fields read"
        return None
    return f"no audit entry by {actor or 'the CRM client'}: {[r.actor for r in rows]}"
