"""The identity review queue over HTTP, scoped to the leads the reviewer may see."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from leadsignal.app import create_app
from leadsignal.auth.models import TeamMember
from leadsignal.compliance.models import AuditEntry
from leadsignal.core.context import AppContext
from leadsignal.db import session_scope
from leadsignal.matching.models import IdentityMatch
from leadsignal.matching.service import confirmed_match_for
from tests.auth.factories import bearer, make_team, make_user
from tests.factories import make_lead


def test_managers_review_their_teams_matches_only(app_ctx: AppContext) -> None:
    with session_scope(app_ctx.sessions) as session:
        manager = make_user(session, "manager")
        mine, theirs = make_team(session, manager=manager), make_team(session)
        lead = make_lead(session, app_ctx.cipher, team_id=mine.id, debtor_name="Rosa Diaz")
        other = make_lead(session, app_ctx.cipher, team_id=theirs.id)
        for target in (lead, other):
            url = f"https://www.linkedin.com/in/p{target.id}"
            session.add(IdentityMatch(lead_id=target.id, profile_url=url, score=0.8, decision="review",
                                      reasons=["name: nickname"], status="pending_review"))  # fmt: skip
        session.flush()
        session.add(TeamMember(user_id=manager.id, team_id=mine.id))
        headers = bearer(app_ctx.settings, manager)
        agent_headers = bearer(app_ctx.settings, make_user(session, "agent", teams=(mine,)))
        lead_id = lead.id
    with TestClient(create_app(app_ctx)) as client:
        queue = client.get("/api/v1/identity/reviews", headers=headers).json()
        assert [(i["lead_id"], i["lead_name"]) for i in queue] == [(lead_id, "Rosa Diaz")]
        assert client.get("/api/v1/identity/reviews", headers=agent_headers).status_code == 403
        other_match = client.post(f"/api/v1/identity/reviews/{queue[0]['match_id'] + 1}", json={"approve": True},
                                  headers=headers)  # fmt: skip
        assert other_match.status_code == 404  # another team's match is invisible
        decided = client.post(f"/api/v1/identity/reviews/{queue[0]['match_id']}", json={"approve": True},
                              headers=headers)  # fmt: skip
        assert decided.status_code == 200
        again = client.post(f"/api/v1/identity/reviews/{queue[0]['match_id']}", json={"approve": False},
                            headers=headers)  # fmt: skip
        assert again.status_code == 409
    with app_ctx.sessions() as session:
        assert confirmed_match_for(session, lead_id) == (f"https://www.linkedin.com/in/p{lead_id}", 1.0)
        assert session.scalars(select(AuditEntry.action).where(AuditEntry.action == "identity_match.approved")).one()
