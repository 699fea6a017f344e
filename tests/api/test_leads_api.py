"""Lead list, detail masking, reveal, timeline and assignment, with the audit rows they leave."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from sqlalchemy import select

from leadsignal.compliance.models import AuditEntry
from leadsignal.core.context import AppContext
from leadsignal.core.crypto import PiiCipher
from leadsignal.db import session_scope
from leadsignal.leads.models import Lead
from tests.auth.factories import Scene, make_signal
from tests.factories import make_lead


def _audit(app_ctx: AppContext, action: str) -> list[AuditEntry]:
    with session_scope(app_ctx.sessions) as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def test_list_pages_with_cursor_and_audits_one_row_per_page(
    client: TestClient, scene: Scene, app_ctx: AppContext, cipher: PiiCipher
) -> None:
    with session_scope(app_ctx.sessions) as session:
        for name in ("Amy Zed", "Carl Young", "Dana Xu", "Eve West", "Al Vance"):
            make_lead(session, cipher, debtor_name=name)
    admin = scene.headers["admin"]
    first = client.get("/api/v1/leads?limit=3", headers=admin).json()
    assert [i["debtor_name"] for i in first["items"]] == ["Al Vance", "Amy Zed", "Bob Other"]
    second = client.get(f"/api/v1/leads?limit=3&cursor={first['next_cursor']}", headers=admin).json()
    assert [i["debtor_name"] for i in second["items"]] == ["Carl Young", "Dana Xu", "Eve West"]
    third = client.get(f"/api/v1/leads?limit=3&cursor={second['next_cursor']}", headers=admin).json()
    assert [i["debtor_name"] for i in third["items"]] == ["Jane Doe"]
    assert third["next_cursor"] is None
    reads = _audit(app_ctx, "lead.read")
    assert len(reads) == 3
    assert reads[0].actor == f"user:{scene.users['admin'].id}"
    assert len(reads[0].details["ids"]) == 3
    assert "debtor_name" in reads[0].fields
    assert "tax_id" not in reads[0].fields


def test_list_filters(client: TestClient, scene: Scene, app_ctx: AppContext, cipher: PiiCipher) -> None:
    with session_scope(app_ctx.sessions) as session:
        odd = make_lead(session, cipher, debtor_name="Zoe Sure", state="TX")
        odd.debtor_name = "Zoe Per%_Cent"  # the importer refuses such names; the search must not choke on them
    admin = scene.headers["admin"]

    def names(query: str) -> list[str]:
        response = client.get(f"/api/v1/leads?{query}", headers=admin)
        assert response.status_code == 200, response.text
        return [i["debtor_name"] for i in response.json()["items"]]

    assert names("q=doe") == ["Jane Doe"]
    assert names("q=%25_") == ["Zoe Per%_Cent"]  # LIKE wildcards are literal
    assert names("q=e%25") == []
    assert names("state=tx") == ["Zoe Per%_Cent"]
    assert names(f"team_id={scene.team_b.id}") == ["Bob Other"]
    assert names(f"assignee_id={scene.users['agent'].id}") == ["Jane Doe"]
    assert names("do_not_scrape=true") == []
    assert client.get("/api/v1/leads?segment=nope", headers=admin).json()["error"]["code"] == "unknown_segment"
    assert client.get("/api/v1/leads?limit=201", headers=admin).status_code == 422
    assert client.get("/api/v1/leads?cursor=garbage!", headers=admin).json()["error"]["code"] == "invalid_cursor"


def test_detail_masks_for_people_and_audits_fields(client: TestClient, scene: Scene, app_ctx: AppContext) -> None:
    lead_id = scene.lead.id  # type: ignore[attr-defined]
    body = client.get(f"/api/v1/leads/{lead_id}", headers=scene.headers["agent"]).json()
    assert body["tax_id"] == "***-**-6789"
    assert body["loan_number"].startswith("****")
    assert len(body["loan_number"]) == 8
    assert "dob" not in body
    assert "tax_id_enc" not in body
    entry = _audit(app_ctx, "lead.read")[-1]
    assert entry.entity_id == str(lead_id)
    assert "tax_id" in entry.fields


def test_reveal_is_audited_and_limited(client: TestClient, scene: Scene, app_ctx: AppContext) -> None:
    lead_id = scene.lead.id  # type: ignore[attr-defined]
    url = f"/api/v1/leads/{lead_id}/reveal"
    assert client.post(url, json={"field": "tax_id"}, headers=scene.headers["agent"]).status_code == 403
    shown = client.post(url, json={"field": "tax_id"}, headers=scene.headers["compliance"])
    assert shown.json() == {"lead_id": lead_id, "field": "tax_id", "value": "123456789"}
    assert client.post(url, json={"field": "email"}, headers=scene.headers["admin"]).status_code == 422
    reveals = _audit(app_ctx, "lead.reveal")
    assert [(r.actor, r.fields) for r in reveals] == [(f"user:{scene.users['compliance'].id}", ["tax_id"])]


def test_timeline_newest_first_with_evidence(client: TestClient, scene: Scene, app_ctx: AppContext) -> None:
    lead_id = scene.lead.id  # type: ignore[attr-defined]
    old = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    with session_scope(app_ctx.sessions) as session:
        older = make_signal(session, lead_id, detected_at=old, signal_type="certification")
    page = client.get(f"/api/v1/leads/{lead_id}/timeline?limit=1", headers=scene.headers["manager"]).json()
    assert [s["id"] for s in page["items"]] == [scene.signal.id]
    assert page["items"][0]["evidence"][0]["snippet"].startswith("Thrilled")
    rest = client.get(f"/api/v1/leads/{lead_id}/timeline?limit=1&cursor={page['next_cursor']}",
                      headers=scene.headers["manager"]).json()  # fmt: skip
    assert [s["id"] for s in rest["items"]] == [older.id]
    assert rest["next_cursor"] is None
    other = client.get(f"/api/v1/leads/{lead_id}/timeline", headers=scene.headers["other_agent"])
    assert other.status_code == 404


def test_assignment_rules(client: TestClient, scene: Scene, app_ctx: AppContext) -> None:
    lead_id = scene.lead.id  # type: ignore[attr-defined]
    url = f"/api/v1/leads/{lead_id}/assignment"
    manager = scene.headers["manager"]
    moved_away = client.patch(url, json={"team_id": scene.team_b.id}, headers=manager)
    assert moved_away.status_code == 403  # managers stay within their teams
    stranger = client.patch(url, json={"assignee_user_id": scene.users["other_agent"].id}, headers=manager)
    assert stranger.status_code == 422
    assert stranger.json()["error"]["code"] == "invalid_assignee"
    cleared = client.patch(url, json={"assignee_user_id": None}, headers=manager)
    assert cleared.json() == {"lead_id": lead_id, "team_id": scene.team_a.id, "assignee_user_id": None}
    admin_move = client.patch(url, json={"team_id": scene.team_b.id, "assignee_user_id": scene.users["other_agent"].id},
                              headers=scene.headers["admin"])  # fmt: skip
    assert admin_move.status_code == 200
    assert client.get(f"/api/v1/leads/{lead_id}", headers=scene.headers["other_agent"]).status_code == 200
    assert client.get(f"/api/v1/leads/{lead_id}", headers=scene.headers["agent"]).status_code == 404
    with session_scope(app_ctx.sessions) as session:
        lead = session.get(Lead, lead_id)
        assert lead is not None
        assert lead.team_id == scene.team_b.id
    assert [a.fields for a in _audit(app_ctx, "lead.assigned")] == [
        ["assignee_user_id"],
        ["assignee_user_id", "team_id"],
    ]


def test_segment_filter_applies_saved_rules(
    client: TestClient, scene: Scene, app_ctx: AppContext, cipher: PiiCipher
) -> None:
    from leadsignal.leads.segments import ensure_default_segments

    today = dt.date.today()
    with session_scope(app_ctx.sessions) as session:
        ensure_default_segments(session)  # second-chance: 21-30 years old, 90+ days delinquent
        make_lead(session, cipher, debtor_name="Old Timer", dob=today.replace(year=today.year - 50))
    everyone = client.get("/api/v1/leads", headers=scene.headers["admin"]).json()["items"]
    assert [i["debtor_name"] for i in everyone] == ["Bob Other", "Jane Doe", "Old Timer"]
    response = client.get("/api/v1/leads?segment=second-chance", headers=scene.headers["admin"])
    assert [i["debtor_name"] for i in response.json()["items"]] == ["Bob Other", "Jane Doe"]
