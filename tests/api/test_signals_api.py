"""Signal feed filters and pages, acknowledge, and feedback that becomes a training label."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient
from sqlalchemy import select

from leadsignal.core.context import AppContext
from leadsignal.db import session_scope
from leadsignal.nlp.models import LabelledExample
from tests.auth.factories import Scene, make_signal


def test_feed_filters_and_pages(client: TestClient, scene: Scene, app_ctx: AppContext) -> None:
    lead_id = scene.lead.id  # type: ignore[attr-defined]
    base = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    with session_scope(app_ctx.sessions) as session:
        made = [make_signal(session, lead_id, detected_at=base + dt.timedelta(days=i), signal_type=t, confidence=c)
                for i, (t, c) in enumerate([("award", 0.4), ("promotion", 0.8), ("award", 0.95)])]  # fmt: skip
    admin = scene.headers["admin"]

    def ids(query: str) -> list[int]:
        response = client.get(f"/api/v1/signals?{query}", headers=admin)
        assert response.status_code == 200, response.text
        return [s["id"] for s in response.json()["items"]]

    newest = [scene.other_signal.id, scene.signal.id]
    assert ids("") == [*sorted(newest, reverse=True), made[2].id, made[1].id, made[0].id]
    assert ids("signal_type=award") == [made[2].id, made[0].id]
    assert ids("min_confidence=0.9&until=2026-06-01T00:00:00Z") == [made[2].id]
    assert ids("since=2026-01-02T00:00:00Z&until=2026-01-03T00:00:00Z") == [made[1].id]
    assert ids(f"team_id={scene.team_b.id}") == [scene.other_signal.id]
    assert ids(f"lead_id={lead_id}&category=positive&status=new")[-1] == made[0].id
    page = client.get("/api/v1/signals?limit=2&until=2026-06-01T00:00:00Z", headers=admin).json()
    rest = client.get(f"/api/v1/signals?limit=2&until=2026-06-01T00:00:00Z&cursor={page['next_cursor']}",
                      headers=admin).json()  # fmt: skip
    assert [s["id"] for s in page["items"] + rest["items"]] == [made[2].id, made[1].id, made[0].id]
    assert client.get("/api/v1/signals?since=2026-01-01T00:00:00", headers=admin).status_code == 422
    assert client.get("/api/v1/signals?signal_type=lottery", headers=admin).status_code == 422


def test_ack_is_idempotent(client: TestClient, scene: Scene) -> None:
    url = f"/api/v1/signals/{scene.signal.id}/ack"
    assert client.post(url, headers=scene.headers["agent"]).json()["status"] == "acknowledged"
    assert client.post(url, headers=scene.headers["agent"]).json()["status"] == "acknowledged"
    assert client.post(url, headers=scene.headers["other_agent"]).status_code == 404


def test_feedback_records_training_labels(client: TestClient, scene: Scene, app_ctx: AppContext) -> None:
    confirm = client.post(f"/api/v1/signals/{scene.signal.id}/feedback", json={"verdict": "confirm"},
                          headers=scene.headers["agent"])  # fmt: skip
    assert confirm.json() == {"signal_id": scene.signal.id, "status": "confirmed", "label": "new_job",
                              "recorded_for_training": True}  # fmt: skip
    reject = client.post(f"/api/v1/signals/{scene.other_signal.id}/feedback", json={"verdict": "reject"},
                         headers=scene.headers["admin"])  # fmt: skip
    assert reject.json()["label"] == "none"
    assert reject.json()["status"] == "rejected"
    with session_scope(app_ctx.sessions) as session:
        rows = session.execute(select(LabelledExample.label, LabelledExample.source, LabelledExample.signal_id)
                               .order_by(LabelledExample.id)).all()  # fmt: skip
    assert [tuple(r) for r in rows] == [("new_job", "agent_confirm", scene.signal.id),
                                        ("none", "agent_reject", scene.other_signal.id)]  # fmt: skip
    bad = client.post(f"/api/v1/signals/{scene.signal.id}/feedback", json={"verdict": "maybe"},
                      headers=scene.headers["agent"])  # fmt: skip
    assert bad.status_code == 422


def test_feed_and_detail_reads_are_audited(client: TestClient, scene: Scene, app_ctx: AppContext) -> None:
    from leadsignal.compliance.models import AuditEntry

    client.get("/api/v1/signals", headers=scene.headers["agent"])
    client.get(f"/api/v1/signals/{scene.signal.id}", headers=scene.headers["agent"])
    with session_scope(app_ctx.sessions) as session:
        rows = session.scalars(select(AuditEntry).where(AuditEntry.action == "lead.read").order_by(AuditEntry.id)).all()
    lead_id = scene.lead.id  # type: ignore[attr-defined]
    assert [r.details.get("ids") for r in rows] == [[lead_id], None]
    assert rows[1].entity_id == str(lead_id)
    assert rows[1].details == {"signal_ids": [scene.signal.id]}
    assert {r.actor for r in rows} == {f"user:{scene.users['agent'].id}"}
