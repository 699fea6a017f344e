"""Admins manage routing rules over the API; bad rules are refused with a specific reason."""

from __future__ import annotations

from fastapi.testclient import TestClient

from leadsignal.app import create_app
from leadsignal.core.context import AppContext
from leadsignal.db import session_scope
from tests.auth.factories import bearer, make_team, make_user


def test_admin_creates_lists_replaces_and_deletes_rules(app_ctx: AppContext) -> None:
    with session_scope(app_ctx.sessions) as session:
        team = make_team(session)
        agent = make_user(session, "agent", teams=(team,))
        outsider = make_user(session, "agent")
        admin = bearer(app_ctx.settings, make_user(session, "admin"))
        team_id, agent_id, outsider_id = team.id, agent.id, outsider.id
    with TestClient(create_app(app_ctx)) as client:
        body = {"name": "texas", "position": 5, "conditions": {"states": ["tx"], "min_priority": "high"},
                "team_id": team_id, "user_id": agent_id}  # fmt: skip
        created = client.post("/api/v1/routing-rules", json=body, headers=admin)
        assert created.status_code == 201, created.text
        rule = created.json()
        assert rule["conditions"]["states"] == ["TX"]
        assert client.post("/api/v1/routing-rules", json=body, headers=admin).status_code == 409
        bad_state = client.post("/api/v1/routing-rules", json=body | {"name": "x", "conditions": {"states": ["ZZ"]}},
                                headers=admin)  # fmt: skip
        assert bad_state.status_code == 422
        not_member = client.post("/api/v1/routing-rules", json=body | {"name": "y", "user_id": outsider_id},
                                 headers=admin)  # fmt: skip
        assert not_member.json()["error"]["message"] == f"user {outsider_id} is not a member of team {team_id}"
        replaced = client.put(f"/api/v1/routing-rules/{rule['id']}", json=body | {"position": 1}, headers=admin)
        assert replaced.json()["position"] == 1
        assert [r["name"] for r in client.get("/api/v1/routing-rules", headers=admin).json()] == ["texas"]
        assert client.delete(f"/api/v1/routing-rules/{rule['id']}", headers=admin).status_code == 204
        assert client.get("/api/v1/routing-rules", headers=admin).json() == []
