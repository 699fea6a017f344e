"""Login, lockout, refresh rotation with reuse detection, logout: through the real routes."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from sqlalchemy import select

from leadsignal.auth.models import RefreshToken, User
from leadsignal.compliance.models import AuditEntry
from leadsignal.core.context import AppContext
from leadsignal.db import session_scope
from tests.auth.factories import PASSWORD, Scene

LOGIN = "/api/v1/auth/login"


def _login(client: TestClient, email: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post(LOGIN, json={"email": email, "password": password})


def test_login_gives_tokens_that_reach_me(client: TestClient, scene: Scene) -> None:
    agent = scene.users["agent"]
    response = _login(client, agent.email.upper())  # e-mails compare lowercased
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 900
    assert response.headers["cache-control"] == "no-store"
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.json()["id"] == agent.id
    assert me.json()["role"] == "agent"
    assert me.json()["team_ids"] == [scene.team_a.id]
    assert "leads:read" in me.json()["scopes"]


def test_wrong_password_and_unknown_email_look_the_same(client: TestClient, scene: Scene) -> None:
    wrong = _login(client, scene.users["agent"].email, "not-the-password")
    unknown = _login(client, "nobody@agency.example", "not-the-password")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert wrong.json()["error"]["code"] == "invalid_credentials"


def test_repeated_failures_lock_known_and_unknown_emails_alike(client: TestClient, scene: Scene,
                                                            app_ctx: AppContext) -> None:  # fmt: skip
    app_ctx.settings.login_max_failures = 3  # fewer slow argon2 checks; the rule is the same
    agent = scene.users["agent"]
    for email in (agent.email, "ghost@agency.example"):
        statuses = [_login(client, email, "wrong-password!").status_code for _ in range(3)]
        assert statuses == [401] * 3
        locked = _login(client, email, PASSWORD if email == agent.email else "wrong-password!")
        assert locked.status_code == 423
        assert locked.json()["error"]["code"] == "account_locked"
        assert locked.json()["error"]["details"]["retry_after_seconds"] > 0
    # The lock lifts once its time has passed.
    with session_scope(app_ctx.sessions) as session:
        user = session.get(User, agent.id)
        assert user is not None
        assert user.locked_until is not None
        user.locked_until = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)
    assert _login(client, agent.email).status_code == 200


def test_disabled_user_cannot_log_in_or_use_a_token(client: TestClient, scene: Scene, app_ctx: AppContext) -> None:
    agent = scene.users["agent"]
    with session_scope(app_ctx.sessions) as session:
        user = session.get(User, agent.id)
        assert user is not None
        user.is_active = False
    assert _login(client, agent.email).status_code == 401
    assert client.get("/api/v1/me", headers=scene.headers["agent"]).status_code == 401


def test_refresh_rotates_and_reuse_revokes_the_family(client: TestClient, scene: Scene, app_ctx: AppContext) -> None:
    first = _login(client, scene.users["manager"].email).json()["refresh_token"]
    rotated = client.post("/api/v1/auth/refresh", json={"refresh_token": first})
    assert rotated.status_code == 200
    second = rotated.json()["refresh_token"]
    assert second != first
    reused = client.post("/api/v1/auth/refresh", json={"refresh_token": first})
    assert reused.status_code == 401
    assert reused.json()["error"]["code"] == "refresh_token_reused"
    # The thief's reuse also killed the legitimate, newer token of the same login.
    assert client.post("/api/v1/auth/refresh", json={"refresh_token": second}).status_code == 401
    with session_scope(app_ctx.sessions) as session:
        assert all(t.revoked_at is not None for t in session.scalars(select(RefreshToken)))
        assert session.scalar(select(AuditEntry).where(AuditEntry.action == "auth.refresh_reuse")) is not None


def test_logout_revokes_the_refresh_token(client: TestClient, scene: Scene) -> None:
    token = _login(client, scene.users["admin"].email).json()["refresh_token"]
    assert client.post("/api/v1/auth/logout", json={"refresh_token": token}).status_code == 204
    assert client.post("/api/v1/auth/refresh", json={"refresh_token": token}).status_code == 401


def test_expired_or_forged_access_tokens_are_refused(client: TestClient, scene: Scene) -> None:
    import jwt

    from leadsignal.auth.tokens import issue_access_token

    settings = client.app.state.ctx.settings  # type: ignore[attr-defined]
    old, _ = issue_access_token(settings, kind="user", subject=str(scene.users["admin"].id), role="admin",
                                scopes=["leads:read"], now=dt.datetime.now(dt.UTC) - dt.timedelta(hours=1))  # fmt: skip
    expired = client.get("/api/v1/leads", headers={"Authorization": f"Bearer {old}"})
    assert expired.status_code == 401
    assert expired.json()["error"] == {"code": "unauthenticated", "message": "access token expired", "details": None}
    assert expired.headers["www-authenticate"].startswith("Bearer")
    forged = jwt.encode({"sub": f"user:{scene.users['agent'].id}", "role": "admin", "aud": "leadsignal-api",
                         "iss": "leadsignal", "iat": 0, "exp": 4_000_000_000}, "guessed-secret-guessed-secret-32b",
                        algorithm="HS256")  # fmt: skip
    assert client.get("/api/v1/leads", headers={"Authorization": f"Bearer {forged}"}).status_code == 401
    none_alg = jwt.encode({"sub": "user:1", "role": "admin"}, key=None, algorithm="none")  # type: ignore[arg-type]
    assert client.get("/api/v1/leads", headers={"Authorization": f"Bearer {none_alg}"}).status_code == 401


def test_role_in_token_cannot_outrank_the_account(client: TestClient, scene: Scene) -> None:
    """The role is re-read from the database: a token minted as admin for an agent acts as the agent."""
    from leadsignal.auth.tokens import issue_access_token

    settings = client.app.state.ctx.settings  # type: ignore[attr-defined]
    token, _ = issue_access_token(settings, kind="user", subject=str(scene.users["agent"].id), role="admin",
                                  scopes=["leads:read", "signals:read"], now=dt.datetime.now(dt.UTC))  # fmt: skip
    items = client.get("/api/v1/leads", headers={"Authorization": f"Bearer {token}"}).json()["items"]
    assert [i["id"] for i in items] == [scene.lead.id]  # type: ignore[attr-defined]
