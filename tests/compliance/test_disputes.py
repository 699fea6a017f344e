"""Disputes of a signal: suppression, identity review for "not me", the compliance list."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from leadsignal.compliance.models import AuditEntry
from leadsignal.core.context import AppContext
from leadsignal.db import session_scope, utcnow
from leadsignal.matching.models import IdentityMatch
from leadsignal.signals.models import Signal
from tests.auth.factories import Scene, make_signal
from tests.auth.fixtures import app_ctx, client, scene

__all__ = ["app_ctx", "client", "scene"]
URL = "https://www.linkedin.com/in/jane-doe-dispute"


@pytest.fixture
def matched(app_ctx: AppContext, scene: Scene) -> int:
    """The scene's signal alerted, and its lead's profile confirmed; returns the match id."""
    with session_scope(app_ctx.sessions) as session:
        signal = session.get(Signal, scene.signal.id)
        assert signal is not None
        signal.alert_status, signal.alerted_at = "alerted", utcnow()
        match = IdentityMatch(lead_id=signal.lead_id, profile_url=URL, score=0.97, decision="confirmed", reasons=[],
                              status="confirmed")  # fmt: skip
        session.add(match)
        session.flush()
        return match.id


def _dispute(client: TestClient, scene: Scene, persona: str, **body: object) -> dict[str, object]:
    response = client.post(f"/api/v1/signals/{scene.signal.id}/disputes", json=body, headers=scene.headers[persona])
    assert response.status_code == 201, response.text
    result: dict[str, object] = response.json()
    return result


def test_not_me_suppresses_the_signal_and_reopens_the_match(client: TestClient, scene: Scene, matched: int,
                                                            app_ctx: AppContext) -> None:  # fmt: skip
    body = _dispute(client, scene, "agent", kind="not_me", notes="borrower says that is her cousin")
    assert (body["kind"], body["matches_reopened"], body["previous_alert_status"]) == ("not_me", 1, "alerted")
    assert body["created_by"] == f"user:{scene.users['agent'].id}"
    with app_ctx.sessions() as session:
        signal = session.get(Signal, scene.signal.id)
        match = session.get(IdentityMatch, matched)
        assert signal is not None
        assert match is not None
        assert (signal.status, signal.alert_status) == ("disputed", "blocked")
        assert "disputed" in signal.blocked_reasons
        assert match.status == "pending_review"
        assert match.reviewed_by == f"user:{scene.users['agent'].id}"
        actions = set(session.scalars(select(AuditEntry.action)))
    assert {"signal.disputed", "identity_match.reopened"} <= actions
    agent = scene.headers["agent"]
    assert client.get("/api/v1/signals", headers=agent).json()["items"] == []  # out of the feed
    disputed = client.get("/api/v1/signals?status=disputed", headers=agent).json()["items"]
    assert [s["id"] for s in disputed] == [scene.signal.id]


def test_not_true_suppresses_without_touching_the_match(client: TestClient, scene: Scene, matched: int,
                                                        app_ctx: AppContext) -> None:  # fmt: skip
    body = _dispute(client, scene, "compliance", kind="not_true", notes=None)
    assert body["matches_reopened"] == 0
    with app_ctx.sessions() as session:
        match = session.get(IdentityMatch, matched)
        signal = session.get(Signal, scene.signal.id)
        assert match is not None
        assert signal is not None
        assert match.status == "confirmed"
        assert signal.status == "disputed"


def test_disputes_are_listed_for_compliance(client: TestClient, scene: Scene, app_ctx: AppContext) -> None:
    with session_scope(app_ctx.sessions) as session:
        second = make_signal(session, scene.lead.id)  # type: ignore[attr-defined]
    _dispute(client, scene, "agent", kind="not_true")
    response = client.post(f"/api/v1/signals/{second.id}/disputes", json={"kind": "not_me"},
                           headers=scene.headers["manager"])  # fmt: skip
    assert response.status_code == 201
    compliance = scene.headers["compliance"]
    first_page = client.get("/api/v1/disputes?limit=1", headers=compliance).json()
    assert [d["signal_id"] for d in first_page["items"]] == [second.id]
    rest = client.get(f"/api/v1/disputes?limit=1&cursor={first_page['next_cursor']}", headers=compliance).json()
    assert [d["signal_id"] for d in rest["items"]] == [scene.signal.id]
    assert rest["next_cursor"] is None
    only = client.get("/api/v1/disputes?kind=not_me", headers=compliance).json()["items"]
    assert [d["kind"] for d in only] == ["not_me"]
    assert client.get("/api/v1/disputes", headers=scene.headers["agent"]).status_code == 403


@pytest.mark.parametrize(
    ("persona", "body", "status"),
    [
        ("other_agent", {"kind": "not_me"}, 404),
        ("client", {"kind": "not_me"}, 403),
        ("agent", {"kind": "wrong"}, 422),
        ("agent", {"kind": "not_true", "notes": "x" * 2001}, 422),
        ("agent", {"kind": "not_true", "extra": 1}, 422),
    ],
)
def test_bad_or_unauthorised_disputes_are_refused(client: TestClient, scene: Scene, persona: str,
                                                  body: dict[str, object], status: int) -> None:  # fmt: skip
    response = client.post(f"/api/v1/signals/{scene.signal.id}/disputes", json=body, headers=scene.headers[persona])
    assert response.status_code == status
    assert client.get(f"/api/v1/signals/{scene.signal.id}", headers=scene.headers["admin"]).json()["status"] == "new"
