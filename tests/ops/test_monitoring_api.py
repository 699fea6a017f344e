"""GET /api/v1/admin/monitoring: the figures of a known day, exactly."""

from __future__ import annotations

from fastapi.testclient import TestClient

from leadsignal.core.context import AppContext
from leadsignal.core.crypto import PiiCipher
from leadsignal.db import session_scope, utcnow
from tests.auth.factories import Scene
from tests.ops.factories import quiet_scene_signals, seed_day


def _seeded(app_ctx: AppContext, scene: Scene, cipher: PiiCipher) -> None:
    now = utcnow()
    with session_scope(app_ctx.sessions) as session:
        quiet_scene_signals(session, [scene.signal.id, scene.other_signal.id], now)
        seed_day(session, cipher, now)


def test_monitoring_reports_the_last_hour_and_day(client: TestClient, scene: Scene, app_ctx: AppContext,
                                                  cipher: PiiCipher) -> None:  # fmt: skip
    _seeded(app_ctx, scene, cipher)
    response = client.get("/api/v1/admin/monitoring", headers=scene.headers["admin"])
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"generated_at", "last_hour", "last_24h", "sources", "queue", "workers", "workers_healthy",
                         "recent_errors"}  # fmt: skip
    hour, day = body["last_hour"], body["last_24h"]
    assert hour["window"] == "1h"
    assert day["window"] == "24h"
    expected_hour = {"profiles_fetched": 12, "profile_fetch_errors": 1, "scrape_attempts": 14, "scrape_failures": 4,
                     "signals_detected": 2, "signals_by_type": {"new_job": 2}, "alerts_sent": 1, "emails_sent": 3,
                     "emails_failed": 1, "errors": 1, "rate_limit_incidents": 1, "rate_limit_seconds": 1800.0,
                     "profiles_by_source": {"apify": {"fetched": 12, "failed": 1}}}  # fmt: skip
    assert {k: hour[k] for k in expected_hour} == expected_hour
    expected_day = {"profiles_fetched": 32, "scrape_attempts": 17, "scrape_failures": 7, "signals_detected": 3,
                    "signals_by_type": {"new_job": 2, "promotion": 1}, "alerts_sent": 2,
                    "profiles_by_source": {"apify": {"fetched": 12, "failed": 1},
                                           "sample": {"fetched": 20, "failed": 0}}}  # fmt: skip
    assert {k: day[k] for k in expected_day} == expected_day

    sources = {s["service"]: s for s in body["sources"]}
    assert sources["apify"] | {"backed_off_until": None} == {
        "service": "apify", "attempts": 10, "successes": 8, "blocked": 1, "rate_limited": 0, "parse_failures": 1,
        "errors": 0, "block_rate": 0.1, "incidents": 0, "backed_off_until": None, "status": "degraded",
    }  # fmt: skip
    assert sources["google_cse"]["status"] == "blocked"
    assert sources["google_cse"]["block_rate"] == 0.5
    assert sources["google_cse"]["incidents"] == 1
    assert sources["google_cse"]["backed_off_until"] is not None

    assert body["queue"] == {"broker": "none", "celery_queue": None, "alerts_pending": 1, "webhooks_pending": 0,
                             "emails_queued": 1}  # fmt: skip
    assert [(w["worker"], w["healthy"]) for w in body["workers"]] == [("celery@h1:11", True), ("celery@h2:22", False)]
    assert body["workers_healthy"] is True
    errors = body["recent_errors"]
    # blocks are incidents (source health), not errors; equal times keep errors before emails
    assert [e["kind"] for e in errors] == ["scrape", "error", "email", "scrape", "scrape", "scrape"]
    assert errors[0]["source"] == "apify"
    assert errors[0]["message"] == "malformed: malformed reason"
    assert errors[2]["message"] == "failed: 550 no such user"
    assert errors[1] == {"occurred_at": errors[1]["occurred_at"], "kind": "error", "source": "api GET /api/v1/leads",
                         "message": "RuntimeError: boom", "request_id": "req-err-1"}  # fmt: skip


def test_compliance_may_read_it_others_may_not(client: TestClient, scene: Scene) -> None:
    assert client.get("/api/v1/admin/monitoring", headers=scene.headers["compliance"]).status_code == 200
    for persona in ("agent", "manager", "client"):
        assert client.get("/api/v1/admin/monitoring", headers=scene.headers[persona]).status_code == 403


def test_error_messages_keep_no_sql_parameters() -> None:
    from sqlalchemy.exc import IntegrityError

    from leadsignal.compliance.ops.errors import safe_message

    orig = ValueError('duplicate key value violates unique constraint "uq_users_email"\nDETAIL: Key (email)=(a@b.c)')
    exc = IntegrityError("INSERT INTO users (email) VALUES (%(email)s)", {"email": "jane.doe@example.com"}, orig)
    message = safe_message(exc)
    assert message == 'ValueError: duplicate key value violates unique constraint "uq_users_email"'
    assert safe_message(RuntimeError("plain")) == "plain"
