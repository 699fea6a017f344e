"""GET /metrics: Prometheus text from the database, behind a token or loopback in production."""

from __future__ import annotations

from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from pydantic import SecretStr

from leadsignal.app import create_app
from leadsignal.core.context import AppContext
from leadsignal.core.crypto import PiiCipher
from leadsignal.db import session_scope, utcnow
from tests.ops.factories import seed_day


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def _ctx(app_ctx: AppContext, **settings: object) -> AppContext:
    ctx = AppContext(app_ctx.settings.model_copy(update=settings), _engine=app_ctx.engine)
    ctx.__dict__["sessions"] = app_ctx.sessions
    return ctx


def test_metrics_expose_the_days_figures(client: TestClient, app_ctx: AppContext, cipher: PiiCipher) -> None:
    with session_scope(app_ctx.sessions) as session:
        seed_day(session, cipher, utcnow())
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    got = _samples(response.text)

    def value(name: str, **labels: str) -> float:
        return got[(name, tuple(sorted(labels.items())))]

    assert value("leadsignal_profiles_fetched", source="apify", status="fetched", window="1h") == 12
    assert value("leadsignal_profiles_fetched", source="sample", status="fetched", window="24h") == 20
    assert value("leadsignal_scrape_attempts", service="apify", outcome="success", window="1h") == 8
    assert value("leadsignal_scrape_attempts", service="apify", outcome="timeout", window="24h") == 3
    assert ("leadsignal_scrape_attempts", (("outcome", "timeout"), ("service", "apify"), ("window", "1h"))) not in got
    assert value("leadsignal_signals_detected", signal_type="promotion", window="24h") == 1
    assert value("leadsignal_alerts_sent", window="24h") == 2
    assert value("leadsignal_emails_sent", window="1h") == 3
    assert value("leadsignal_emails_failed", window="1h") == 1
    assert value("leadsignal_errors", window="24h") == 1
    assert value("leadsignal_rate_limit_incidents", service="google_cse", kind="429", window="1h") == 1
    assert value("leadsignal_queue_depth", queue="emails_queued") == 1
    assert value("leadsignal_queue_depth", queue="alerts_pending") == 1
    assert ("leadsignal_queue_depth", (("queue", "celery"),)) not in got  # no Redis broker configured
    assert 9 <= value("leadsignal_worker_heartbeat_age_seconds", worker="celery@h1:11", kind="celery") < 60
    assert value("leadsignal_source_block_rate", service="google_cse") == 0.5
    assert value("leadsignal_source_parse_failures", service="apify") == 1
    assert value("leadsignal_source_backed_off", service="google_cse") == 1
    assert value("leadsignal_source_backed_off", service="apify") == 0
    assert value("leadsignal_metrics_collect_seconds") < 5


def test_a_metrics_token_is_required_when_set(app_ctx: AppContext) -> None:
    ctx = _ctx(app_ctx, metrics_token=SecretStr("s3cret-metrics-token"))
    with TestClient(create_app(ctx)) as test_client:
        assert test_client.get("/metrics").status_code == 401
        assert test_client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
        ok = test_client.get("/metrics", headers={"Authorization": "Bearer s3cret-metrics-token"})
        assert ok.status_code == 200
        assert "leadsignal_queue_depth" in ok.text


def test_production_without_a_token_answers_loopback_only(app_ctx: AppContext) -> None:
    ctx = _ctx(app_ctx, env="production")
    app = create_app(ctx)
    with TestClient(app) as remote:  # the test client calls from host "testclient"
        response = remote.get("/metrics")
        assert response.status_code == 403
        assert "LEADSIGNAL_METRICS_TOKEN" in response.json()["error"]["message"]
    with TestClient(app, client=("127.0.0.1", 50000)) as local:
        assert local.get("/metrics").status_code == 200
