"""Admin routes for webhook endpoints and CRM OAuth clients: secrets shown once, every write audited."""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Iterator
from typing import Any, get_args

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from leadsignal.app import create_app
from leadsignal.auth.service import SCOPES
from leadsignal.compliance.models import AuditEntry
from leadsignal.core.context import AppContext
from leadsignal.crm.dispatcher import dispatch_once
from leadsignal.crm.models import WebhookEndpoint
from leadsignal.crm.schemas import ClientScope
from leadsignal.crm.webhooks import endpoint_secret
from leadsignal.db import session_scope, utcnow
from tests.crm import factories as f
from tests.crm.fake_crm import FakeCrm
from tests.fakes.base import Reply

HOOKS, CLIENTS = "/api/v1/crm/webhooks", "/api/v1/crm/clients"


@pytest.fixture
def api(crm_ctx: AppContext) -> Iterator[TestClient]:
    with TestClient(create_app(crm_ctx)) as c:
        yield c


@pytest.fixture
def admin(crm_ctx: AppContext) -> dict[str, str]:
    return _auth(f.user_token(crm_ctx, "admin"))


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _actions(ctx: AppContext, entity_type: str) -> list[tuple[str, str, list[str]]]:
    with session_scope(ctx.sessions) as session:
        rows = session.scalars(select(AuditEntry).where(AuditEntry.entity_type == entity_type).order_by(AuditEntry.id))
        return [(e.action, e.actor, list(e.fields)) for e in rows]


def _hook(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"name": "Acme CRM", "url": "https://crm.agency.example/hooks",
                            "event_types": ["signal.created.v1"]}  # fmt: skip
    body.update(overrides)
    return body


@pytest.mark.parametrize("role", ["agent", "manager", "compliance"])
def test_only_admins_manage_endpoints_and_clients(api: TestClient, crm_ctx: AppContext, role: str) -> None:
    person = _auth(f.user_token(crm_ctx, role))
    machine = _auth(f.client_token(crm_ctx, list(SCOPES)))
    for headers in (person, machine):
        assert api.get(HOOKS, headers=headers).status_code == 403
        assert api.post(HOOKS, json=_hook(), headers=headers).status_code == 403
        assert api.get(CLIENTS, headers=headers).status_code == 403
        assert api.post(CLIENTS, json={"name": "x", "scopes": ["leads:read"]}, headers=headers).status_code == 403
    assert api.get(HOOKS).status_code == 401
    with session_scope(crm_ctx.sessions) as session:
        assert session.scalars(select(WebhookEndpoint)).all() == []


def test_endpoint_lifecycle_shows_the_secret_only_once(api: TestClient, crm_ctx: AppContext, admin: dict[str, str]
                                                       ) -> None:  # fmt: skip
    created = api.post(HOOKS, json=_hook(), headers=admin)
    assert created.status_code == 201, created.text
    assert created.headers["cache-control"] == "no-store"
    body = created.json()
    secret, endpoint_id = body["secret"], body["id"]
    assert len(secret) >= 32
    assert (body["is_active"], body["event_types"], body["pending"], body["dead"]) == (
        True, ["signal.created.v1"], 0, 0)  # fmt: skip

    [listed] = api.get(HOOKS, headers=admin).json()
    assert "secret" not in listed
    assert secret not in str(listed)
    assert listed["url"] == "https://crm.agency.example/hooks"

    patched = api.patch(f"{HOOKS}/{endpoint_id}", json={"name": "Acme", "event_types": ["*"]}, headers=admin)
    assert patched.status_code == 200, patched.text
    assert (patched.json()["name"], patched.json()["event_types"]) == ("Acme", ["*"])

    rotated = api.post(f"{HOOKS}/{endpoint_id}/rotate-secret", headers=admin)
    assert rotated.status_code == 200
    assert rotated.headers["cache-control"] == "no-store"
    new_secret = rotated.json()["secret"]
    assert new_secret != secret
    with session_scope(crm_ctx.sessions) as session:
        stored = session.get(WebhookEndpoint, endpoint_id)
        assert stored is not None
        assert endpoint_secret(stored, crm_ctx.cipher) == new_secret
        assert new_secret not in stored.secret_enc

    off = api.patch(f"{HOOKS}/{endpoint_id}", json={"is_active": False}, headers=admin).json()
    assert off["is_active"] is False
    assert off["deactivated_reason"].startswith("deactivated by user:")
    on = api.patch(f"{HOOKS}/{endpoint_id}", json={"is_active": True}, headers=admin).json()
    assert (on["is_active"], on["deactivated_reason"]) == (True, None)
    assert api.delete(f"{HOOKS}/{endpoint_id}", headers=admin).status_code == 204
    [removed] = api.get(HOOKS, headers=admin).json()
    assert removed["is_active"] is False
    assert removed["deactivated_reason"].startswith("removed by user:")

    actions = _actions(crm_ctx, "webhook_endpoint")
    assert [a for a, _, _ in actions] == [
        "webhook.endpoint.added", "webhook.endpoint.updated", "webhook.endpoint.secret_rotated",
        "webhook.endpoint.updated", "webhook.endpoint.updated", "webhook.endpoint.removed",
    ]  # fmt: skip
    assert actions[1][2] == ["event_types", "name"]
    assert all(actor.startswith("user:") for _, actor, _ in actions)


def test_rotated_secret_signs_the_next_delivery(api: TestClient, crm_ctx: AppContext, admin: dict[str, str],
                                                fake_crm: FakeCrm) -> None:  # fmt: skip
    endpoint_id = f.endpoint(crm_ctx, fake_crm.hook_url)
    new_secret = api.post(f"{HOOKS}/{endpoint_id}/rotate-secret", headers=admin).json()["secret"]
    lead_id, _ = f.lead(crm_ctx)
    f.signal_event(crm_ctx, lead_id)
    dispatch_once(crm_ctx)
    assert fake_crm.rejected
    assert not fake_crm.stored
    [listed] = api.get(HOOKS, headers=admin).json()
    assert (listed["pending"], listed["retrying"], listed["delivered"]) == (1, 1, 0)
    fake_crm.secret = new_secret  # the CRM is given the new secret; the retry gets through
    dispatch_once(crm_ctx, now=utcnow() + dt.timedelta(hours=1))
    assert len(fake_crm.stored) == 1
    [listed] = api.get(HOOKS, headers=admin).json()
    assert (listed["pending"], listed["retrying"], listed["delivered"]) == (0, 0, 1)


def test_stats_and_reactivating_a_gone_endpoint(api: TestClient, crm_ctx: AppContext, admin: dict[str, str],
                                                fake_crm: FakeCrm) -> None:  # fmt: skip
    endpoint_id = f.endpoint(crm_ctx, fake_crm.hook_url)
    lead_id, _ = f.lead(crm_ctx)
    f.signal_event(crm_ctx, lead_id)
    dispatch_once(crm_ctx)
    [delivered] = api.get(HOOKS, headers=admin).json()
    assert (delivered["delivered"], delivered["pending"], delivered["dead"]) == (1, 0, 0)
    assert delivered["last_delivered_at"] is not None

    other_lead, _ = f.lead(crm_ctx)
    f.signal_event(crm_ctx, other_lead)
    fake_crm.script("/hooks", Reply(410, "gone"))
    dispatch_once(crm_ctx)
    [gone] = api.get(HOOKS, headers=admin).json()
    assert (gone["is_active"], gone["deactivated_reason"], gone["dead"]) == (False, "answered 410 Gone", 1)
    back = api.patch(f"{HOOKS}/{endpoint_id}", json={"is_active": True}, headers=admin).json()
    assert (back["is_active"], back["deactivated_reason"], back["dead"]) == (True, None, 1)


@pytest.mark.parametrize(
    ("body", "status", "fragment"),
    [
        (_hook(url="ftp://crm.agency.example/x"), 422, "absolute http(s) URL"),
        (_hook(event_types=["signal.created.v9"]), 422, "unknown event types signal.created.v9"),
        (_hook(event_types=["signal.detected.v1"]), 422, "unknown event types"),  # internal, never delivered
        (_hook(event_types=[" "]), 422, "at least one event type"),
        (_hook(event_types=[]), 422, "request is invalid"),
        (_hook(secret="mine-0123456789abcdef"), 422, "request is invalid"),  # the server makes secrets
        (_hook(name=""), 422, "request is invalid"),
    ],
)
def test_bad_endpoints_are_refused(api: TestClient, admin: dict[str, str], body: dict[str, Any], status: int,
                                   fragment: str) -> None:  # fmt: skip
    response = api.post(HOOKS, json=body, headers=admin)
    assert response.status_code == status, response.text
    assert fragment in response.text
    assert api.get(HOOKS, headers=admin).json() == []


def test_https_is_required_in_production(api: TestClient, crm_ctx: AppContext, admin: dict[str, str],
                                         monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.setattr(crm_ctx.settings, "env", "production")
    response = api.post(HOOKS, json=_hook(url="http://crm.agency.example/hooks"), headers=admin)
    assert response.status_code == 422
    assert "must use https in production" in response.json()["error"]["message"]
    endpoint_id = api.post(HOOKS, json=_hook(), headers=admin).json()["id"]
    moved = api.patch(f"{HOOKS}/{endpoint_id}", json={"url": "http://crm.agency.example/x"}, headers=admin)
    assert moved.status_code == 422


def test_conflicts_and_missing_endpoints(api: TestClient, crm_ctx: AppContext, admin: dict[str, str]) -> None:
    first = api.post(HOOKS, json=_hook(), headers=admin).json()["id"]
    duplicate = api.post(HOOKS, json=_hook(name="again"), headers=admin)
    assert duplicate.status_code == 409
    assert duplicate.json()["error"]["message"] == f"active webhook endpoint {first} already has this URL"
    api.patch(f"{HOOKS}/{first}", json={"is_active": False}, headers=admin)
    second = api.post(HOOKS, json=_hook(name="again"), headers=admin)
    assert second.status_code == 201  # the old one is inactive: the URL is free
    assert api.patch(f"{HOOKS}/{first}", json={"is_active": True}, headers=admin).status_code == 409
    third = api.post(HOOKS, json=_hook(url="https://other.agency.example/hooks"), headers=admin).json()["id"]
    moved = api.patch(f"{HOOKS}/{third}", json={"url": "https://crm.agency.example/hooks"}, headers=admin)
    assert moved.status_code == 409
    assert api.patch(f"{HOOKS}/{first}", json={"bogus": 1}, headers=admin).status_code == 422
    for method, path in (("PATCH", f"{HOOKS}/999999"), ("DELETE", f"{HOOKS}/999999"),
                         ("POST", f"{HOOKS}/999999/rotate-secret")):  # fmt: skip
        missing = api.request(method, path, json={"is_active": True} if method == "PATCH" else None, headers=admin)
        assert missing.status_code == 404, (method, path)
        assert missing.json()["error"]["message"] == "webhook endpoint 999999 does not exist"
    assert [a for a, _, _ in _actions(crm_ctx, "webhook_endpoint")].count("webhook.endpoint.added") == 3


def _basic(client_id: str, secret: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()}


def test_client_lifecycle_token_then_revoke(api: TestClient, crm_ctx: AppContext, admin: dict[str, str]) -> None:
    created = api.post(CLIENTS, json={"name": " Acme CRM ", "scopes": ["outcomes:write", "leads:read"]},
                       headers=admin)  # fmt: skip
    assert created.status_code == 201, created.text
    assert created.headers["cache-control"] == "no-store"
    body = created.json()
    client_id, secret = body["client_id"], body["client_secret"]
    assert (body["name"], body["scopes"], body["is_active"]) == ("Acme CRM", ["leads:read", "outcomes:write"], True)

    [listed] = api.get(CLIENTS, headers=admin).json()
    assert "client_secret" not in listed
    assert secret not in str(listed)
    assert listed["last_token_at"] is None

    grant = {"grant_type": "client_credentials"}
    token = api.post("/oauth/token", data=grant, headers=_basic(client_id, secret))
    assert token.status_code == 200, token.text
    bearer = _auth(token.json()["access_token"])
    assert api.get("/api/v1/leads", headers=bearer).status_code == 200
    assert api.get(CLIENTS, headers=admin).json()[0]["last_token_at"] is not None

    revoked = api.post(f"{CLIENTS}/{client_id}/revoke", headers=admin)
    assert revoked.status_code == 200
    assert (revoked.json()["is_active"], revoked.json()["revoked_at"] is not None) == (False, True)
    assert api.get("/api/v1/leads", headers=bearer).status_code == 401
    refused = api.post("/oauth/token", data=grant, headers=_basic(client_id, secret))
    assert (refused.status_code, refused.json()["error"]) == (401, "invalid_client")
    assert api.post(f"{CLIENTS}/{client_id}/revoke", headers=admin).status_code == 200  # idempotent
    assert [a for a, actor, _ in _actions(crm_ctx, "oauth_client") if actor.startswith("user:")] == [
        "crm_client.created", "crm_client.revoked"]  # fmt: skip


@pytest.mark.parametrize(
    "body",
    [
        {"name": "x", "scopes": ["leads:delete"]},
        {"name": "x", "scopes": []},
        {"name": "  ", "scopes": ["leads:read"]},
        {"name": "x" * 121, "scopes": ["leads:read"]},
        {"name": "x", "scopes": ["leads:read"], "client_secret": "chosen-by-me"},
    ],
)
def test_bad_clients_are_refused(api: TestClient, admin: dict[str, str], body: dict[str, Any]) -> None:
    response = api.post(CLIENTS, json=body, headers=admin)
    assert response.status_code == 422, response.text
    assert response.json()["error"]["code"] == "validation_error"
    assert api.get(CLIENTS, headers=admin).json() == []


def test_unknown_client_cannot_be_revoked(api: TestClient, admin: dict[str, str]) -> None:
    response = api.post(f"{CLIENTS}/lsc_nope/revoke", headers=admin)
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "no client with id lsc_nope"


def test_scope_choices_match_the_service() -> None:
    assert set(get_args(ClientScope)) == set(SCOPES)
