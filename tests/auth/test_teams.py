"""GET /teams tells whoever may see a team who its people are, so managers can label the Assign picker."""

from __future__ import annotations

from fastapi.testclient import TestClient

from leadsignal.auth.models import User
from leadsignal.core.context import AppContext
from leadsignal.db import session_scope
from tests.auth.factories import Scene

TEAMS = "/api/v1/teams"


def _person(user: User) -> dict[str, object]:
    return {"user_id": user.id, "email": user.email, "role": user.role, "is_active": True}


def test_a_manager_sees_the_e_mails_and_roles_of_the_team_people(client: TestClient, scene: Scene) -> None:
    response = client.get(TEAMS, headers=scene.headers["manager"])
    assert response.status_code == 200, response.text
    (team,) = response.json()["items"]  # the manager's own team only; team B stays hidden
    assert team["id"] == scene.team_a.id
    assert team["member_ids"] == [scene.users["agent"].id]
    assert team["members"] == [_person(scene.users["agent"])]
    assert team["manager"] == _person(scene.users["manager"])


def test_members_follow_the_teams_the_caller_may_see(client: TestClient, scene: Scene) -> None:
    agent = client.get(TEAMS, headers=scene.headers["agent"]).json()["items"]
    assert [t["id"] for t in agent] == [scene.team_a.id]
    assert scene.users["other_agent"].email not in str(agent)
    admin = {t["id"]: t for t in client.get(TEAMS, headers=scene.headers["admin"]).json()["items"]}
    assert admin[scene.team_b.id]["members"] == [_person(scene.users["other_agent"])]
    assert admin[scene.team_b.id]["manager"] is None


def test_adding_a_member_returns_them_with_their_e_mail(client: TestClient, scene: Scene, app_ctx: AppContext) -> None:
    with session_scope(app_ctx.sessions) as session:
        spare = session.get(User, scene.spare.id)
        assert spare is not None
        spare.is_active = False
    response = client.post(f"{TEAMS}/{scene.team_a.id}/members", json={"user_id": scene.spare.id},
                           headers=scene.headers["manager"])  # fmt: skip
    assert response.status_code == 200, response.text
    members = {m["user_id"]: m for m in response.json()["members"]}
    assert set(members) == {scene.users["agent"].id, scene.spare.id}
    assert members[scene.spare.id] == {**_person(scene.spare), "is_active": False}
