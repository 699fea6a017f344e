"""GET /api/v1/reports/uplift and /precision: roles, shape, bad input; held signals stay out of the API."""

from __future__ import annotations

import datetime as dt

from fastapi.testclient import TestClient

from leadsignal.core.context import AppContext
from leadsignal.db import session_scope
from leadsignal.signals.models import Signal
from tests.auth.factories import Scene
from tests.auth.fixtures import app_ctx, client, scene
from tests.uplift.factories import T0, assigned_lead, outcome

__all__ = ["app_ctx", "client", "scene"]


def test_uplift_report_roles_and_shape(client: TestClient, scene: Scene, app_ctx: AppContext) -> None:
    with session_scope(app_ctx.sessions) as session:
        lead = assigned_lead(session, app_ctx.cipher, group="treatment", at=T0)
        outcome(session, lead, "payment_received", T0 + dt.timedelta(days=2), "50.00")
        assigned_lead(session, app_ctx.cipher, group="control", at=T0, signal_type="award")
    for role, status in (("manager", 200), ("admin", 200), ("compliance", 200), ("agent", 403), ("client", 403),
                         ("anonymous", 401)):  # fmt: skip
        assert client.get("/api/v1/reports/uplift", headers=scene.headers[role]).status_code == status, role
    body = client.get("/api/v1/reports/uplift", headers=scene.headers["manager"]).json()
    assert set(body) == {"experiment", "generated_at", "since", "window_days", "alpha", "power",
                         "target_relative_uplift", "overall", "by_signal_type", "notes"}  # fmt: skip
    assert body["overall"]["treatment"]["first_payment"] == 1
    assert body["overall"]["treatment"]["recovered_per_lead"] == 50.0
    assert [s["signal_type"] for s in body["by_signal_type"]] == ["award", "new_job"]
    assert set(body["overall"]["payment_plan"]) >= {"relative_ci", "absolute_ci", "p_value", "mde_relative"}
    late = client.get("/api/v1/reports/uplift", params={"since": "2999-01-01"}, headers=scene.headers["admin"])
    assert late.status_code == 422
    assert "future" in late.text
    bad = client.get("/api/v1/reports/uplift", params={"since": "yesterday"}, headers=scene.headers["admin"])
    assert bad.status_code == 422


def test_precision_report_api(client: TestClient, scene: Scene, app_ctx: AppContext) -> None:
    with session_scope(app_ctx.sessions) as session:
        signal = session.get(Signal, scene.signal.id)
        assert signal is not None
        signal.status = "confirmed"
    assert client.get("/api/v1/reports/precision", headers=scene.headers["agent"]).status_code == 403
    body = client.get("/api/v1/reports/precision", headers=scene.headers["compliance"]).json()
    assert body["overall"]["confirmed"] == 1
    assert body["overall"]["precision"] == 1.0
    assert body["weeks"][0]["signal_type"] == "new_job"


def test_held_signals_are_not_in_the_signal_api(client: TestClient, scene: Scene, app_ctx: AppContext) -> None:
    with session_scope(app_ctx.sessions) as session:
        signal = session.get(Signal, scene.signal.id)
        assert signal is not None
        signal.alert_status, signal.held_until = "held", T0 + dt.timedelta(days=30)
    lead_id = scene.signal.lead_id
    for role in ("agent", "manager", "admin"):
        headers = scene.headers[role]
        feed = client.get("/api/v1/signals", headers=headers).json()["items"]
        assert scene.signal.id not in [s["id"] for s in feed], role
        assert client.get(f"/api/v1/signals/{scene.signal.id}", headers=headers).status_code == 404
        timeline = client.get(f"/api/v1/leads/{lead_id}/timeline", headers=headers).json()["items"]
        assert timeline == [], role
