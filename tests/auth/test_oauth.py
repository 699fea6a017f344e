"""OAuth 2.0 client credentials at /oauth/token, with RFC 6749 error bodies."""

from __future__ import annotations

import base64

from fastapi.testclient import TestClient

from leadsignal.auth import service
from leadsignal.core.context import AppContext
from leadsignal.db import session_scope
from tests.auth.factories import ACTOR, Scene

TOKEN = "/oauth/token"


def _basic(client_id: str, secret: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()}


def test_basic_auth_token_reads_leads(client: TestClient, scene: Scene) -> None:
    response = client.post(TOKEN, data={"grant_type": "client_credentials"},
                           headers=_basic(scene.client_id, scene.client_secret))  # fmt: skip
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["scope"] == "leads:read signals:read"
    assert response.headers["cache-control"] == "no-store"
    leads = client.get("/api/v1/leads", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert leads.status_code == 200
    assert len(leads.json()["items"]) == 2
    detail = client.get(f"/api/v1/leads/{scene.lead.id}", headers={"Authorization": f"Bearer {body['access_token']}"})  # type: ignore[attr-defined]
    assert detail.json()["tax_id"] is None  # machines never get even the last four


def test_form_credentials_and_scope_subset(client: TestClient, scene: Scene) -> None:
    response = client.post(TOKEN, data={"grant_type": "client_credentials", "client_id": scene.client_id,
                                        "client_secret": scene.client_secret, "scope": "leads:read"})  # fmt: skip
    assert response.status_code == 200
    token = response.json()["access_token"]
    assert response.json()["scope"] == "leads:read"
    feed = client.get("/api/v1/signals", headers={"Authorization": f"Bearer {token}"})
    assert feed.status_code == 403
    assert feed.json()["error"]["code"] == "insufficient_scope"


def test_errors_follow_rfc_6749(client: TestClient, scene: Scene) -> None:
    wrong = client.post(TOKEN, data={"grant_type": "client_credentials"}, headers=_basic(scene.client_id, "nope"))
    assert wrong.status_code == 401
    assert wrong.json()["error"] == "invalid_client"
    assert wrong.headers["www-authenticate"].startswith("Basic")
    grant = client.post(TOKEN, data={"grant_type": "password"}, headers=_basic(scene.client_id, scene.client_secret))
    assert (grant.status_code, grant.json()["error"]) == (400, "unsupported_grant_type")
    scope = client.post(TOKEN, data={"grant_type": "client_credentials", "scope": "leads:write"},
                        headers=_basic(scene.client_id, scene.client_secret))  # fmt: skip
    assert (scope.status_code, scope.json()["error"]) == (400, "invalid_scope")
    missing = client.post(TOKEN, data={})
    assert (missing.status_code, missing.json()["error"]) == (400, "invalid_request")
    as_json = client.post(TOKEN, json={"grant_type": "client_credentials"})
    assert (as_json.status_code, as_json.json()["error"]) == (400, "invalid_request")
    garbled = client.post(TOKEN, data={"grant_type": "client_credentials"}, headers={"Authorization": "Basic %%%"})
    assert (garbled.status_code, garbled.json()["error"]) == (401, "invalid_client")


def test_revoked_client_loses_access_at_once(client: TestClient, scene: Scene, app_ctx: AppContext) -> None:
    assert client.get("/api/v1/leads", headers=scene.headers["client"]).status_code == 200
    with session_scope(app_ctx.sessions) as session:
        service.revoke_client(session, scene.client_id, actor=ACTOR)
    assert client.get("/api/v1/leads", headers=scene.headers["client"]).status_code == 401
    again = client.post(TOKEN, data={"grant_type": "client_credentials"},
                        headers=_basic(scene.client_id, scene.client_secret))  # fmt: skip
    assert again.status_code == 401


def test_client_secret_is_stored_only_as_digest(app_ctx: AppContext) -> None:
    with session_scope(app_ctx.sessions) as session:
        created, secret = service.create_client(session, name="X", scopes=["leads:read"], actor=ACTOR)
        assert secret not in created.secret_hash
        assert len(created.secret_hash) == 64
