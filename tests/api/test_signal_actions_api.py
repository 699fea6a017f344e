"""Dashboard actions on a signal: assign it, record outcomes in the ledger, list a lead's outcomes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from leadsignal.compliance.models import AuditEntry
from leadsignal.core.context import AppContext
from leadsignal.crm.models import Outcome
from leadsignal.db import session_scope
from leadsignal.events.models import OutboxEvent
from leadsignal.events.service import OUTCOME_RECORDED
from leadsignal.leads.models import Lead
from leadsignal.matching.models import IdentityMatch
from leadsignal.signals.models import Signal
from tests.auth.factories import Scene, make_signal, make_user


def _audits(ctx: AppContext, action: str) -> list[AuditEntry]:
    with session_scope(ctx.sessions) as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def _signal(ctx: AppContext, signal_id: int) -> Signal:
    with session_scope(ctx.sessions) as session:
        signal = session.get(Signal, signal_id)
        assert signal is not None
        return signal


def _outcomes(ctx: AppContext) -> list[Outcome]:
    with session_scope(ctx.sessions) as session:
        return list(session.scalars(select(Outcome).order_by(Outcome.id)))


# --- assign -------------------------------------------------------------------------------------


def test_agent_takes_an_unassigned_signal_only_for_themselves(client: TestClient, scene: Scene,
                                                              app_ctx: AppContext) -> None:  # fmt: skip
    url, agent = f"/api/v1/signals/{scene.signal.id}/assign", scene.users["agent"]
    to_manager = client.post(url, json={"user_id": scene.users["manager"].id}, headers=scene.headers["agent"])
    assert to_manager.status_code == 403
    assert to_manager.json()["error"]["message"] == "agents may assign signals only to themselves"
    taken = client.post(url, json={"user_id": agent.id}, headers=scene.headers["agent"])
    assert taken.status_code == 200, taken.text
    assert taken.json()["assignee_user_id"] == agent.id
    assert taken.json()["evidence"]  # a SignalDetail
    again = client.post(url, json={"user_id": agent.id}, headers=scene.headers["agent"])
    assert again.status_code == 200
    [entry] = _audits(app_ctx, "signal.assigned")  # taking it twice changed it once
    assert entry.entity_id == str(scene.signal.id)
    assert entry.actor == f"user:{agent.id}"
    assert entry.details == {"from": None, "to": agent.id, "team_id": scene.team_a.id}


def test_agent_cannot_take_a_signal_assigned_to_someone_else(client: TestClient, scene: Scene,
                                                             app_ctx: AppContext) -> None:  # fmt: skip
    with session_scope(app_ctx.sessions) as session:
        colleague = make_user(session, "agent", teams=(scene.team_a,))
        session.get(Signal, scene.signal.id).assignee_user_id = colleague.id  # type: ignore[union-attr]
    response = client.post(f"/api/v1/signals/{scene.signal.id}/assign", json={"user_id": scene.users["agent"].id},
                           headers=scene.headers["agent"])  # fmt: skip
    assert response.status_code == 403
    assert "already assigned to another user" in response.json()["error"]["message"]
    assert _signal(app_ctx, scene.signal.id).assignee_user_id == colleague.id


def test_manager_and_admin_assign_to_eligible_team_members_only(client: TestClient, scene: Scene,
                                                                app_ctx: AppContext) -> None:  # fmt: skip
    with session_scope(app_ctx.sessions) as session:
        colleague = make_user(session, "agent", teams=(scene.team_a,))
        outsider = make_user(session, "agent", teams=(scene.team_b,))
        gone = make_user(session, "agent", teams=(scene.team_a,))
        gone.is_active = False
        auditor = make_user(session, "compliance", teams=(scene.team_a,))
    url = f"/api/v1/signals/{scene.signal.id}/assign"

    def assign(persona: str, user_id: int) -> Any:
        return client.post(url, json={"user_id": user_id}, headers=scene.headers[persona])

    assert assign("manager", colleague.id).json()["assignee_user_id"] == colleague.id
    assert assign("admin", scene.users["manager"].id).json()["assignee_user_id"] == scene.users["manager"].id
    for user_id, message in [
        (outsider.id, f"user {outsider.id} is not a member of the signal's team {scene.team_a.id}"),
        (gone.id, f"user {gone.id} is not an active agent or manager"),
        (auditor.id, f"user {auditor.id} is not an active agent or manager"),
        (999_999, "user 999999 is not an active agent or manager"),
    ]:
        refused = assign("admin", user_id)
        assert refused.status_code == 422, refused.text
        assert refused.json()["error"] == {"code": "invalid_assignee", "message": message, "details": None}
    assert _signal(app_ctx, scene.signal.id).assignee_user_id == scene.users["manager"].id
    [first, second] = _audits(app_ctx, "signal.assigned")
    assert (first.details["from"], first.details["to"]) == (None, colleague.id)
    assert (second.details["from"], second.details["to"]) == (colleague.id, scene.users["manager"].id)
    assert assign("other_agent", scene.users["other_agent"].id).status_code == 404
    assert client.post("/api/v1/signals/999999/assign", json={"user_id": colleague.id},
                       headers=scene.headers["admin"]).status_code == 404  # fmt: skip
    assert client.post(url, json={"user_id": "x"}, headers=scene.headers["admin"]).status_code == 422


def test_routed_team_decides_who_is_eligible(client: TestClient, scene: Scene, app_ctx: AppContext) -> None:
    with session_scope(app_ctx.sessions) as session:
        session.get(Signal, scene.signal.id).routed_team_id = scene.team_b.id  # type: ignore[union-attr]
    url = f"/api/v1/signals/{scene.signal.id}/assign"
    other = scene.users["other_agent"].id
    assert client.post(url, json={"user_id": other}, headers=scene.headers["admin"]).status_code == 200
    # The manager sees the lead (team A) but does not manage team B, where the signal was routed.
    refused = client.post(url, json={"user_id": other}, headers=scene.headers["manager"])
    assert refused.status_code == 403
    assert refused.json()["error"]["message"] == "managers assign signals only of teams they manage"


def test_signal_without_any_team_only_goes_to_the_leads_assignee(client: TestClient, scene: Scene,
                                                                 app_ctx: AppContext) -> None:  # fmt: skip
    with session_scope(app_ctx.sessions) as session:
        lead = session.get(Lead, scene.other_lead.id)  # type: ignore[attr-defined]
        assert lead is not None
        lead.team_id, lead.assignee_user_id = None, scene.users["other_agent"].id
    url = f"/api/v1/signals/{scene.other_signal.id}/assign"
    refused = client.post(url, json={"user_id": scene.users["agent"].id}, headers=scene.headers["admin"])
    assert refused.status_code == 422
    assert "has no team" in refused.json()["error"]["message"]
    taken = client.post(url, json={"user_id": scene.users["other_agent"].id}, headers=scene.headers["other_agent"])
    assert taken.status_code == 200


# --- outcomes -----------------------------------------------------------------------------------


def test_contact_outcome_records_in_the_ledger_and_marks_the_signal_contacted(
    client: TestClient, scene: Scene, app_ctx: AppContext
) -> None:
    agent = scene.users["agent"]
    response = client.post(f"/api/v1/signals/{scene.signal.id}/outcomes",
                           json={"outcome": "contacted", "notes": "left a voicemail"},
                           headers=scene.headers["agent"])  # fmt: skip
    assert response.status_code == 201, response.text
    body = response.json()
    lead_id = scene.lead.id  # type: ignore[attr-defined]
    assert body["external_id"].startswith("dashboard:")
    assert (body["lead_id"], body["signal_id"], body["outcome"], body["created"]) == (
        lead_id, scene.signal.id, "contacted", True
    )  # fmt: skip
    assert body["agent_external_id"] == f"user:{agent.id}"
    assert body["amount"] is None
    occurred = dt.datetime.fromisoformat(body["occurred_at"])
    assert abs((occurred - dt.datetime.now(dt.UTC)).total_seconds()) < 60
    [row] = _outcomes(app_ctx)
    assert (row.source, row.notes) == ("dashboard", "left a voicemail")
    signal = _signal(app_ctx, scene.signal.id)
    assert signal.status == "contacted"
    assert signal.acknowledged_at is not None
    [recorded] = _audits(app_ctx, "outcome.recorded")
    assert recorded.details == {
        "outcome": "contacted", "outcome_id": row.id, "external_id": row.external_id, "signal_id": scene.signal.id,
        "via": "dashboard", "user_email": agent.email,
    }  # fmt: skip
    [contacted] = _audits(app_ctx, "signal.contacted")
    assert contacted.details == {"from": "new", "outcome": "contacted", "outcome_id": row.id}
    with session_scope(app_ctx.sessions) as session:
        events = session.scalar(select(func.count(OutboxEvent.id)).where(OutboxEvent.event_type == OUTCOME_RECORDED))
    assert events == 1


def test_status_moves_only_from_open_statuses_and_only_for_contacts(client: TestClient, scene: Scene,
                                                                    app_ctx: AppContext) -> None:  # fmt: skip
    with session_scope(app_ctx.sessions) as session:
        refused_one = make_signal(session, scene.lead.id)  # type: ignore[attr-defined]
        rejected = make_signal(session, scene.lead.id)  # type: ignore[attr-defined]
        rejected.status = "rejected"
        confirmed = make_signal(session, scene.lead.id)  # type: ignore[attr-defined]
        confirmed.status, confirmed.acknowledged_at = "confirmed", dt.datetime(2026, 1, 2, tzinfo=dt.UTC)
    post = client.post
    headers = scene.headers["manager"]
    assert post(f"/api/v1/signals/{refused_one.id}/outcomes", json={"outcome": "refused"},
                headers=headers).status_code == 201  # fmt: skip
    assert post(f"/api/v1/signals/{rejected.id}/outcomes", json={"outcome": "promise_to_pay"},
                headers=headers).status_code == 201  # fmt: skip
    paid = post(f"/api/v1/signals/{confirmed.id}/outcomes", json={"outcome": "payment_received", "amount": "125.50"},
                headers=headers)  # fmt: skip
    assert paid.status_code == 201, paid.text
    assert paid.json()["amount"] == "125.50"
    assert _signal(app_ctx, refused_one.id).status == "new"
    assert _signal(app_ctx, rejected.id).status == "rejected"
    after = _signal(app_ctx, confirmed.id)
    assert after.status == "contacted"
    assert after.acknowledged_at == dt.datetime(2026, 1, 2, tzinfo=dt.UTC)  # kept, not overwritten


def test_same_idempotency_key_records_once_and_a_different_body_conflicts(
    client: TestClient, scene: Scene, app_ctx: AppContext
) -> None:
    url = f"/api/v1/signals/{scene.signal.id}/outcomes"
    headers = {**scene.headers["agent"], "Idempotency-Key": "call-2026.11.24:a_1"}
    first = client.post(url, json={"outcome": "promise_to_pay"}, headers=headers)
    again = client.post(url, json={"outcome": "promise_to_pay"}, headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == {**first.json(), "created": False}
    assert first.json()["external_id"] == "dashboard:call-2026.11.24:a_1"
    conflict = client.post(url, json={"outcome": "refused"}, headers=headers)
    assert conflict.status_code == 409
    assert conflict.json()["error"]["code"] == "conflict"
    assert "different outcome" in conflict.json()["error"]["message"]
    elsewhere = client.post(f"/api/v1/signals/{scene.other_signal.id}/outcomes", json={"outcome": "promise_to_pay"},
                            headers={**scene.headers["admin"], "Idempotency-Key": "call-2026.11.24:a_1"})  # fmt: skip
    assert elsewhere.status_code == 409
    assert len(_outcomes(app_ctx)) == 1
    assert len(_audits(app_ctx, "outcome.recorded")) == 1
    assert len(_audits(app_ctx, "signal.contacted")) == 1
    for bad_key in ("", "has space", "x" * 101, "semi;colon"):
        bad = client.post(
            url, json={"outcome": "contacted"}, headers={**scene.headers["agent"], "Idempotency-Key": bad_key}
        )
        assert bad.status_code == 422, bad_key
    no_key = [client.post(url, json={"outcome": "contacted"}, headers=scene.headers["agent"]) for _ in range(2)]
    assert [r.status_code for r in no_key] == [201, 201]  # without a key, each request is a new outcome


def test_wrong_person_from_the_dashboard_reopens_identity_review(client: TestClient, scene: Scene,
                                                                 app_ctx: AppContext) -> None:  # fmt: skip
    lead_id = scene.lead.id  # type: ignore[attr-defined]
    with session_scope(app_ctx.sessions) as session:
        session.add(IdentityMatch(lead_id=lead_id, profile_url="https://www.linkedin.com/in/not-jane", score=0.97,
                                  decision="confirmed", reasons=["name"], status="confirmed"))  # fmt: skip
    response = client.post(f"/api/v1/signals/{scene.signal.id}/outcomes", json={"outcome": "wrong_person"},
                           headers=scene.headers["agent"])  # fmt: skip
    assert response.status_code == 201
    [flagged] = _audits(app_ctx, "identity_match.wrong_person_reported")
    assert flagged.details == {"outcome_id": response.json()["id"], "matches_reopened": 1}
    with session_scope(app_ctx.sessions) as session:
        match = session.scalars(select(IdentityMatch).where(IdentityMatch.lead_id == lead_id)).one()
        assert match.status == "pending_review"
    assert _signal(app_ctx, scene.signal.id).status == "new"  # a wrong person is not a contact


def test_outcome_validation_errors(client: TestClient, scene: Scene, app_ctx: AppContext) -> None:
    url = f"/api/v1/signals/{scene.signal.id}/outcomes"
    future = (dt.datetime.now(dt.UTC) + dt.timedelta(minutes=10)).isoformat()
    soon = (dt.datetime.now(dt.UTC) + dt.timedelta(minutes=2)).isoformat()
    for body, needle in [
        ({"outcome": "payment_received"}, "payment_received needs an amount"),
        ({"outcome": "payment_received", "amount": 0}, "greater than 0"),
        ({"outcome": "payment_received", "amount": "12.345"}, "decimal places"),
        ({"outcome": "contacted", "amount": 5}, "contacted takes no amount"),
        ({"outcome": "contacted", "occurred_at": future}, "occurred_at is in the future"),
        ({"outcome": "contacted", "occurred_at": "2026-11-20T10:00:00"}, "timezone"),
        ({"outcome": "contacted", "notes": "x" * 2001}, "2000"),
        ({"outcome": "called"}, "contacted"),
        ({"outcome": "contacted", "agent_external_id": "spoof"}, "Extra inputs"),
    ]:
        response = client.post(url, json=body, headers=scene.headers["agent"])
        assert response.status_code == 422, body
        assert needle in response.text, (body, response.text)
    ok = client.post(url, json={"outcome": "payment_received", "amount": 99.5, "occurred_at": soon},
                     headers=scene.headers["agent"])  # fmt: skip
    assert ok.status_code == 201, ok.text
    assert ok.json()["amount"] == "99.50"
    assert len(_outcomes(app_ctx)) == 1


def test_outcomes_need_a_visible_signal_and_a_writing_role(client: TestClient, scene: Scene) -> None:
    url = f"/api/v1/signals/{scene.signal.id}/outcomes"
    body = {"outcome": "contacted"}
    assert client.post(url, json=body, headers=scene.headers["other_agent"]).status_code == 404
    assert client.post(url, json=body, headers=scene.headers["compliance"]).status_code == 403
    assert client.post(url, json=body, headers=scene.headers["client"]).status_code == 403
    assert client.post(url, json=body).status_code == 401
    assert client.post("/api/v1/signals/999999/outcomes", json=body, headers=scene.headers["admin"]).status_code == 404


# --- a lead's outcomes --------------------------------------------------------------------------


def test_lead_outcomes_newest_first_visible_only_and_audited(client: TestClient, scene: Scene,
                                                             app_ctx: AppContext) -> None:  # fmt: skip
    url = f"/api/v1/signals/{scene.signal.id}/outcomes"
    times = ["2026-11-20T10:00:00Z", "2026-11-22T10:00:00Z", "2026-11-21T10:00:00Z"]
    made = [client.post(url, json={"outcome": "contacted", "occurred_at": t}, headers=scene.headers["agent"]).json()
            for t in times]  # fmt: skip
    client.post(f"/api/v1/signals/{scene.other_signal.id}/outcomes", json={"outcome": "refused"},
                headers=scene.headers["admin"])  # fmt: skip
    lead_id = scene.lead.id  # type: ignore[attr-defined]
    listed = client.get(f"/api/v1/leads/{lead_id}/outcomes", headers=scene.headers["agent"])
    assert listed.status_code == 200
    assert [o["id"] for o in listed.json()] == [made[1]["id"], made[2]["id"], made[0]["id"]]
    assert all(o["created"] is False and o["lead_id"] == lead_id for o in listed.json())
    assert client.get(f"/api/v1/leads/{lead_id}/outcomes", headers=scene.headers["other_agent"]).status_code == 404
    [read] = [e for e in _audits(app_ctx, "lead.read") if e.fields == ["outcomes"]]
    assert read.entity_id == str(lead_id)
    assert read.actor == f"user:{scene.users['agent'].id}"
    assert read.details == {"outcome_ids": [made[1]["id"], made[2]["id"], made[0]["id"]]}
