"""The signed inbound webhook: signature checks, idempotency, and handling that can be replayed."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from leadsignal.app import create_app
from leadsignal.compliance.audit import Actor
from leadsignal.compliance.models import AuditEntry
from leadsignal.core.context import AppContext
from leadsignal.crm import inbox
from leadsignal.crm.models import InboxEvent, Outcome
from leadsignal.crm.signing import signed_headers
from leadsignal.crm.sync import contact_flags
from leadsignal.db import session_scope, utcnow
from tests.crm import factories as f
from tests.crm.conftest import INBOUND_SECRET

URL = "/api/v1/crm/webhooks/inbound"


@pytest.fixture
def client(crm_ctx: AppContext) -> Iterator[TestClient]:
    with TestClient(create_app(crm_ctx)) as c:
        yield c


def _post(client: TestClient, event: dict[str, Any], *, secret: str = INBOUND_SECRET, at: float | None = None) -> Any:
    body = json.dumps(event).encode()
    headers = {"Content-Type": "application/json", **signed_headers(secret, body, now=at)}
    return client.post(URL, content=body, headers=headers)


def _outcome_event(agency_id: str, external_id: str = "crm-evt-1", **data: Any) -> dict[str, Any]:
    payload = {"external_id": f"out-{external_id}", "agency_id_number": agency_id, "outcome": "contacted",
               "occurred_at": "2026-11-20T15:04:05Z", "agent_external_id": "agent-7", **data}  # fmt: skip
    return {"id": external_id, "type": "outcome.recorded", "data": payload}


def _count(ctx: AppContext, model: type[Any]) -> int:
    with session_scope(ctx.sessions) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_signed_event_is_handled(client: TestClient, crm_ctx: AppContext) -> None:
    _, agency_id = f.lead(crm_ctx)
    response = _post(client, _outcome_event(agency_id))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "handled"
    assert body["result"]["created"] is True
    assert _count(crm_ctx, Outcome) == 1


@pytest.mark.parametrize(
    ("secret", "age", "message"),
    [
        ("not-the-shared-secret-000000", 0, "signature does not match"),
        (INBOUND_SECRET, 301, "timestamp is more than 300 s away from now"),
    ],
)
def test_bad_or_stale_signature_is_401(client: TestClient, crm_ctx: AppContext, secret: str, age: int,
                                       message: str) -> None:  # fmt: skip
    _, agency_id = f.lead(crm_ctx)
    response = _post(client, _outcome_event(agency_id), secret=secret, at=time.time() - age)
    assert response.status_code == 401
    assert response.json()["error"] == {"code": "bad_signature", "message": message, "details": None}
    assert _count(crm_ctx, InboxEvent) == 0


def test_tampered_body_and_missing_headers_are_401(client: TestClient, crm_ctx: AppContext) -> None:
    _, agency_id = f.lead(crm_ctx)
    body = json.dumps(_outcome_event(agency_id)).encode()
    headers = signed_headers(INBOUND_SECRET, body)
    tampered = body.replace(b"contacted", b"refused__")
    assert client.post(URL, content=tampered, headers=headers).status_code == 401
    missing = client.post(URL, content=body, headers={"Content-Type": "application/json"})
    assert missing.status_code == 401
    assert missing.json()["error"]["message"] == "missing signature or timestamp header"


def test_no_configured_secret_refuses_everything(app_ctx: AppContext) -> None:
    body = b'{"id": "x", "type": "lead.updated", "data": {}}'
    unconfigured = AppContext(app_ctx.settings.model_copy(update={"crm_inbound_secret": None}), _engine=app_ctx.engine)
    with TestClient(create_app(unconfigured)) as c:
        response = c.post(URL, content=body, headers=signed_headers("anything-at-all-0123456", body))
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "no shared secret is configured"


def test_same_event_twice_is_handled_once(client: TestClient, crm_ctx: AppContext) -> None:
    _, agency_id = f.lead(crm_ctx)
    first = _post(client, _outcome_event(agency_id))
    second = _post(client, _outcome_event(agency_id))
    assert (first.json()["status"], second.json()["status"]) == ("handled", "duplicate")
    assert first.json()["inbox_id"] == second.json()["inbox_id"]
    assert _count(crm_ctx, InboxEvent) == 1
    assert _count(crm_ctx, Outcome) == 1


def test_lead_update_event_applies_crm_fields(client: TestClient, crm_ctx: AppContext) -> None:
    lead_id, agency_id = f.lead(crm_ctx)
    event = {"id": "upd-1", "type": "lead.updated",
             "data": {"agency_id_number": agency_id, "crm_version": 3, "phone_1": "(614) 555-0199",
                      "cease_and_desist": True}}  # fmt: skip
    response = _post(client, event)
    assert response.status_code == 200, response.text
    assert response.json()["result"] == {"status": "applied", "changed": ["cease_and_desist", "phone_1"],
                                         "stored_version": 3}  # fmt: skip
    with session_scope(crm_ctx.sessions) as session:
        assert f.stored_lead(session, lead_id).phone_1 == "+16145550199"
        flags = contact_flags(session, lead_id)
        assert flags.cease_and_desist
        assert flags.blocks_contact


def test_failed_handling_keeps_the_event_for_replay(client: TestClient, crm_ctx: AppContext) -> None:
    response = _post(client, _outcome_event("NOT-YET-IMPORTED"))
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "failed"
    assert body["error"] == "no lead with agency_id_number 'NOT-YET-IMPORTED'"
    assert _count(crm_ctx, Outcome) == 0
    # The CRM sending it again does not re-run it; a replay after the lead exists does.
    assert _post(client, _outcome_event("NOT-YET-IMPORTED")).json()["status"] == "duplicate"
    f.lead(crm_ctx, agency_id_number="NOT-YET-IMPORTED")
    with session_scope(crm_ctx.sessions) as session:
        handled = inbox.replay(session, body["inbox_id"], actor=Actor("cli:test"))
        assert handled.status == "handled"
        assert handled.row.attempts == 2
        assert handled.row.handled_at is not None
        assert session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.action == "crm.inbox.replayed")) == 1  # fmt: skip
    assert _count(crm_ctx, Outcome) == 1


def test_pending_events_are_retried_later(client: TestClient, crm_ctx: AppContext) -> None:
    assert _post(client, _outcome_event("LATE-LEAD")).status_code == 202
    f.lead(crm_ctx, agency_id_number="LATE-LEAD")
    assert inbox.process_pending(crm_ctx) == 0  # too soon after the failed attempt
    later = utcnow() + inbox.INBOX_RETRY_BASE
    assert inbox.process_pending(crm_ctx, now=later) == 1
    assert _count(crm_ctx, Outcome) == 1


def test_unknown_event_type_is_422(client: TestClient) -> None:
    response = _post(client, {"id": "x", "type": "lead.deleted", "data": {}})
    assert response.status_code == 422
