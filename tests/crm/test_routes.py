"""REST routes for CRM clients (outcomes, lead updates with field ownership) and admins (dead letters)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from leadsignal.app import create_app
from leadsignal.compliance.models import AuditEntry
from leadsignal.core.context import AppContext
from leadsignal.crm.dispatcher import dispatch_once
from leadsignal.crm.models import Outcome
from leadsignal.db import session_scope
from leadsignal.events.models import OutboxEvent
from leadsignal.matching.models import IdentityMatch
from leadsignal.matching.scoring import MatchResult
from leadsignal.matching.service import confirmed_match_for, record_match, review_queue
from leadsignal.sources.records import ProfileRecord
from tests.crm import factories as f
from tests.crm.fake_crm import FakeCrm
from tests.fakes.base import Reply


@pytest.fixture
def api(crm_ctx: AppContext) -> Iterator[TestClient]:
    with TestClient(create_app(crm_ctx)) as c:
        yield c


def _auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _outcome(agency_id: str, **overrides: Any) -> dict[str, Any]:
    body = {"external_id": "o-1", "agency_id_number": agency_id, "outcome": "promise_to_pay",
            "occurred_at": "2026-11-20T10:00:00-05:00", "agent_external_id": "agent-7"}  # fmt: skip
    body.update(overrides)
    return body


def _actions(ctx: AppContext, prefix: str) -> list[AuditEntry]:
    with session_scope(ctx.sessions) as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action.startswith(prefix))))


def test_outcome_is_stored_once_per_external_id(api: TestClient, crm_ctx: AppContext) -> None:
    lead_id, agency_id = f.lead(crm_ctx)
    token = f.client_token(crm_ctx, ["outcomes:write"])
    first = api.post("/api/v1/crm/outcomes", json=_outcome(agency_id), headers=_auth(token))
    again = api.post("/api/v1/crm/outcomes", json=_outcome(agency_id), headers=_auth(token))
    assert (first.status_code, again.status_code) == (201, 200), first.text
    assert first.json()["id"] == again.json()["id"]
    assert (first.json()["created"], again.json()["created"]) == (True, False)
    assert first.json()["occurred_at"].startswith("2026-11-20T15:00:00")
    with session_scope(crm_ctx.sessions) as session:
        [row] = session.scalars(select(Outcome)).all()
        assert (row.lead_id, row.outcome) == (lead_id, "promise_to_pay")
        assert row.source.startswith("lsc_")
        events = session.scalars(select(OutboxEvent).where(OutboxEvent.event_type == "outcome.recorded.v1")).all()
        assert len(events) == 1
    [entry] = _actions(crm_ctx, "outcome.recorded")
    assert entry.actor.startswith("crm:lsc_")


def test_reused_external_id_with_other_content_is_409(api: TestClient, crm_ctx: AppContext) -> None:
    _, agency_id = f.lead(crm_ctx)
    token = f.client_token(crm_ctx, ["outcomes:write"])
    api.post("/api/v1/crm/outcomes", json=_outcome(agency_id), headers=_auth(token))
    response = api.post("/api/v1/crm/outcomes", json=_outcome(agency_id, outcome="refused"), headers=_auth(token))
    assert response.status_code == 409
    assert response.json()["error"]["message"] == "outcome 'o-1' was already recorded with different outcome"


def test_payment_needs_an_amount_and_others_refuse_one(api: TestClient, crm_ctx: AppContext) -> None:
    _, agency_id = f.lead(crm_ctx)
    token = f.client_token(crm_ctx, ["outcomes:write"])
    missing = api.post("/api/v1/crm/outcomes", json=_outcome(agency_id, outcome="payment_received"),
                       headers=_auth(token))  # fmt: skip
    assert missing.status_code == 422
    assert "payment_received needs an amount" in missing.text
    extra = api.post("/api/v1/crm/outcomes", json=_outcome(agency_id, amount="10.00"), headers=_auth(token))
    assert extra.status_code == 422
    paid = api.post("/api/v1/crm/outcomes", json=_outcome(agency_id, outcome="payment_received", amount="125.50"),
                    headers=_auth(token))  # fmt: skip
    assert paid.status_code == 201
    assert paid.json()["amount"] == "125.50"


def test_outcome_errors(api: TestClient, crm_ctx: AppContext) -> None:
    _, agency_a = f.lead(crm_ctx)
    lead_b, _ = f.lead(crm_ctx)
    signal_of_b, _ = f.signal_event(crm_ctx, lead_b)
    token = f.client_token(crm_ctx, ["outcomes:write"])
    unknown = api.post("/api/v1/crm/outcomes", json=_outcome("NOPE"), headers=_auth(token))
    assert unknown.status_code == 404
    foreign = api.post("/api/v1/crm/outcomes", json=_outcome(agency_a, signal_id=signal_of_b), headers=_auth(token))
    assert foreign.status_code == 422
    assert foreign.json()["error"]["message"] == f"signal {signal_of_b} is not a signal of lead {agency_a}"
    naive = api.post("/api/v1/crm/outcomes", json=_outcome(agency_a, occurred_at="2026-11-20T10:00:00"),
                     headers=_auth(token))  # fmt: skip
    assert naive.status_code == 422


def test_outcome_needs_the_scope(api: TestClient, crm_ctx: AppContext) -> None:
    _, agency_id = f.lead(crm_ctx)
    assert api.post("/api/v1/crm/outcomes", json=_outcome(agency_id)).status_code == 401
    reader = f.client_token(crm_ctx, ["leads:read"])
    response = api.post("/api/v1/crm/outcomes", json=_outcome(agency_id), headers=_auth(reader))
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "insufficient_scope"


def test_wrong_person_is_flagged_for_identity_review(api: TestClient, crm_ctx: AppContext) -> None:
    lead_id, agency_id = f.lead(crm_ctx)
    url = "https://www.linkedin.com/in/someone-else"
    with session_scope(crm_ctx.sessions) as session:
        session.add(IdentityMatch(lead_id=lead_id, profile_url=url, score=0.97, decision="confirmed",
                                  reasons=["name", "city"], status="confirmed"))  # fmt: skip
    token = f.client_token(crm_ctx, ["outcomes:write"])
    response = api.post("/api/v1/crm/outcomes", json=_outcome(agency_id, outcome="wrong_person"), headers=_auth(token))
    assert response.status_code == 201
    [entry] = _actions(crm_ctx, "identity_match.wrong_person_reported")
    assert entry.entity_id == str(lead_id)
    assert entry.details == {"outcome_id": response.json()["id"], "matches_reopened": 1}
    with session_scope(crm_ctx.sessions) as session:
        assert confirmed_match_for(session, lead_id) is None
        match = session.scalars(select(IdentityMatch).where(IdentityMatch.lead_id == lead_id)).one()
        assert match.status == "pending_review"
        assert match in review_queue(session)
        # Automatic re-scoring cannot confirm it again: a person must decide.
        profile = ProfileRecord(profile_url=url, first_name="Jane", last_name="Doe")
        record_match(session, lead_id, profile, MatchResult(decision="confirmed", score=0.99, reasons=["x"]))
        assert match.status == "pending_review"


def test_lead_update_applies_crm_owned_fields_by_version(api: TestClient, crm_ctx: AppContext) -> None:
    lead_id, agency_id = f.lead(crm_ctx)
    token = f.client_token(crm_ctx, ["leads:write"])
    url = f"/api/v1/crm/leads/{agency_id}"
    v2 = api.patch(url, json={"crm_version": 2, "email": "New.Mail@Example.org", "status_description": "Payment plan",
                              "do_not_contact": True}, headers=_auth(token))  # fmt: skip
    assert v2.status_code == 200, v2.text
    assert v2.json() == {"agency_id_number": agency_id, "status": "applied", "crm_version": 2, "stored_version": 2,
                         "changed": ["do_not_contact", "email", "status_description"]}  # fmt: skip
    # An older version arriving late is ignored and reported; the same version again is a duplicate.
    v1 = api.patch(url, json={"crm_version": 1, "email": "old@example.org"}, headers=_auth(token))
    assert v1.json()["status"] == "stale"
    assert v1.json()["stored_version"] == 2
    again = api.patch(url, json={"crm_version": 2, "email": "other@example.org"}, headers=_auth(token))
    assert again.json()["status"] == "duplicate"
    with session_scope(crm_ctx.sessions) as session:
        lead = f.stored_lead(session, lead_id)
        assert (lead.email, lead.status_description) == ("new.mail@example.org", "Payment plan")
    assert {e.action for e in _actions(crm_ctx, "lead.")} == {
        "lead.crm_updated", "lead.contact_flags.updated", "lead.crm_update.stale", "lead.crm_update.duplicate",
    }  # fmt: skip
    cleared = api.patch(url, json={"crm_version": 3, "do_not_contact": False, "email": None}, headers=_auth(token))
    assert cleared.json()["changed"] == ["do_not_contact", "email"]


def test_fields_leadsignal_owns_are_refused(api: TestClient, crm_ctx: AppContext) -> None:
    _, agency_id = f.lead(crm_ctx)
    token = f.client_token(crm_ctx, ["leads:write"])
    url = f"/api/v1/crm/leads/{agency_id}"
    response = api.patch(url, json={"crm_version": 5, "email": "a@b.org", "companyDomain": "x.com", "total_due": "1"},
                         headers=_auth(token))  # fmt: skip
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "field_not_owned"
    assert error["details"] == [{"field": "companyDomain", "owner": "leadsignal"},
                                {"field": "total_due", "owner": "agency_import"}]  # fmt: skip
    unknown = api.patch(url, json={"crm_version": 5, "favourite_colour": "blue"}, headers=_auth(token))
    assert unknown.status_code == 422
    assert unknown.json()["error"]["message"] == "unknown lead field(s): favourite_colour"
    bad_phone = api.patch(url, json={"crm_version": 5, "phone_1": "12"}, headers=_auth(token))
    assert bad_phone.status_code == 422
    assert "phone_1" in bad_phone.json()["error"]["message"]
    assert api.patch(url, json={"email": "a@b.org"}, headers=_auth(token)).status_code == 422  # no crm_version
    assert api.patch("/api/v1/crm/leads/NOPE", json={"crm_version": 1}, headers=_auth(token)).status_code == 404
    nothing_changed = api.patch(url, json={"crm_version": 5, "email": "a@b.org"}, headers=_auth(token))
    assert nothing_changed.json()["status"] == "applied"  # the refused update changed nothing, not even the version


def test_deadletters_for_admins(api: TestClient, crm_ctx: AppContext, fake_crm: FakeCrm) -> None:
    f.endpoint(crm_ctx, fake_crm.hook_url)
    lead_id, _ = f.lead(crm_ctx)
    _, event_id = f.signal_event(crm_ctx, lead_id)
    fake_crm.script("/hooks", Reply(410, "gone"))
    dispatch_once(crm_ctx)
    admin, agent = f.user_token(crm_ctx, "admin"), f.user_token(crm_ctx, "agent")
    assert api.get("/api/v1/crm/deadletters", headers=_auth(agent)).status_code == 403
    listed = api.get("/api/v1/crm/deadletters", headers=_auth(admin))
    assert listed.status_code == 200
    [dead] = listed.json()
    assert (dead["event_id"], dead["attempts"], dead["last_status_code"]) == (event_id, 1, 410)
    replay_url = f"/api/v1/crm/deadletters/{dead['delivery_id']}/replay"
    assert api.post(replay_url, headers=_auth(admin)).json() == {
        "delivery_id": dead["delivery_id"],
        "status": "pending",
    }
    assert api.post(replay_url, headers=_auth(admin)).status_code == 409  # no longer dead
    assert api.post("/api/v1/crm/deadletters/999999/replay", headers=_auth(admin)).status_code == 404
    assert api.get("/api/v1/crm/deadletters", headers=_auth(admin)).json() == []
