"""/api/v1/admin/signal-weights: managers read, admins override per type, every change audited."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from leadsignal.compliance.models import AuditEntry
from leadsignal.core.context import AppContext
from leadsignal.db import session_scope
from leadsignal.signals.score import DEFAULT_TYPE_WEIGHTS
from leadsignal.signals.weights import effective_weights
from tests.auth.factories import Scene

URL = "/api/v1/admin/signal-weights"


def test_admin_overrides_and_removes_weights(client: TestClient, scene: Scene, app_ctx: AppContext) -> None:
    start = client.get(URL, headers=scene.headers["manager"])
    assert start.status_code == 200
    assert start.json() == {"weights": DEFAULT_TYPE_WEIGHTS, "defaults": DEFAULT_TYPE_WEIGHTS, "overrides": {}}
    changed = client.put(URL, json={"weights": {"award": 1.5, "new_job": 0}}, headers=scene.headers["admin"])
    assert changed.status_code == 200, changed.text
    assert changed.json()["overrides"] == {"award": 1.5, "new_job": 0.0}
    assert changed.json()["weights"] == {**DEFAULT_TYPE_WEIGHTS, "award": 1.5, "new_job": 0.0}
    assert changed.json()["defaults"] == DEFAULT_TYPE_WEIGHTS
    removed = client.put(URL, json={"weights": {"award": None, "new_job": 2.25}}, headers=scene.headers["admin"])
    assert removed.json()["overrides"] == {"new_job": 2.25}
    with session_scope(app_ctx.sessions) as session:
        assert effective_weights(session, app_ctx.settings)["award"] == DEFAULT_TYPE_WEIGHTS["award"]
        entries = list(session.scalars(select(AuditEntry).where(AuditEntry.action == "signal_weights.updated")
                                       .order_by(AuditEntry.id)))  # fmt: skip
    assert [e.details["changes"] for e in entries] == [
        {"award": {"from": None, "to": 1.5}, "new_job": {"from": None, "to": 0.0}},
        {"award": {"from": 1.5, "to": None}, "new_job": {"from": 0.0, "to": 2.25}},
    ]
    assert {e.actor for e in entries} == {f"user:{scene.users['admin'].id}"}
    same = client.put(URL, json={"weights": {"new_job": 2.25}}, headers=scene.headers["admin"])
    assert same.status_code == 200
    with session_scope(app_ctx.sessions) as session:
        count = len(list(session.scalars(select(AuditEntry.id).where(AuditEntry.action == "signal_weights.updated"))))
    assert count == 2  # no change, no audit row


def test_bad_weight_changes_are_refused_whole(client: TestClient, scene: Scene) -> None:
    admin = scene.headers["admin"]
    for body, message in [
        ({"weights": {"award": 1, "lottery": 1, "apple": None}}, "unknown signal type(s): apple, lottery"),
        ({"weights": {"job_loss": 1}}, "hardship signal type(s) are never scored, so take no weight: job_loss"),
        ({"weights": {"award": 3.5}}, "less than or equal to 3"),
        ({"weights": {"award": -0.1}}, "greater than or equal to 0"),
        ({"weights": {"award": "high"}}, "valid number"),
        ({"weights": {"award": 1}, "extra": 1}, "Extra inputs"),
    ]:
        response = client.put(URL, json=body, headers=admin)
        assert response.status_code == 422, body
        assert message in response.text, response.text
    assert client.get(URL, headers=admin).json()["overrides"] == {}


def test_settings_weights_sit_between_defaults_and_overrides(client: TestClient, scene: Scene,
                                                             app_ctx: AppContext) -> None:  # fmt: skip
    app_ctx.settings.signal_type_weights = {"award": 0.9, "promotion": 0.7}
    client.put(URL, json={"weights": {"award": 0.1}}, headers=scene.headers["admin"])
    body = client.get(URL, headers=scene.headers["admin"]).json()
    assert body["defaults"] == {**DEFAULT_TYPE_WEIGHTS, "award": 0.9, "promotion": 0.7}
    assert body["weights"] == {**DEFAULT_TYPE_WEIGHTS, "award": 0.1, "promotion": 0.7}
