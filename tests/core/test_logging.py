"""Structured logs: JSON lines carrying the request id; unhandled errors logged and kept; Sentry optional."""

from __future__ import annotations

import io
import json
import logging
import sys
import types
from collections.abc import Iterator
from typing import Any

import pytest
import structlog
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import select

from leadsignal.app import create_app
from leadsignal.compliance.ops.models import ErrorEvent
from leadsignal.core import logging as ls_logging
from leadsignal.core.context import AppContext
from leadsignal.core.logging import configure_logging, init_sentry
from leadsignal.settings import Settings
from tests.auth.factories import Scene
from tests.auth.fixtures import app_ctx, client, scene

__all__ = ["app_ctx", "client", "scene"]  # fixtures


@pytest.fixture
def log_stream(settings: Settings) -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = configure_logging(settings, stream=stream)
    try:
        yield stream
    finally:
        logging.getLogger().removeHandler(handler)
        structlog.reset_defaults()


def _lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_a_requests_log_lines_are_json_with_its_request_id(
    log_stream: io.StringIO, client: TestClient, scene: Scene
) -> None:
    response = client.get("/api/v1/leads", headers={**scene.headers["agent"], "X-Request-ID": "req-h5-0001"})
    assert response.status_code == 200
    logging.getLogger("uvicorn.error").warning("outside any request")

    lines = _lines(log_stream)  # every line parses as JSON, or json.loads raised
    [access] = [line for line in lines if line["event"] == "http.request"]
    assert access["request_id"] == "req-h5-0001"
    assert access["method"] == "GET"
    assert access["path"] == "/api/v1/leads"
    assert access["status"] == 200
    assert access["principal"] == f"user:{scene.users['agent'].id}"
    assert access["level"] == "info"
    assert access["timestamp"].endswith("Z")
    [stdlib] = [line for line in lines if line["event"] == "outside any request"]
    assert stdlib["logger"] == "uvicorn.error"
    assert stdlib["level"] == "warning"
    assert "request_id" not in stdlib  # the context ended with the request


def test_an_unhandled_error_is_logged_with_its_request_id_and_kept(
    log_stream: io.StringIO, app_ctx: AppContext
) -> None:
    app = create_app(app_ctx)

    def explode() -> None:
        raise RuntimeError("disk on fire")

    app.add_api_route("/boom", explode)
    app.router.routes.insert(0, app.router.routes.pop())  # ahead of the dashboard's catch-all
    with TestClient(app, raise_server_exceptions=False) as test_client:
        response = test_client.get("/boom", headers={"X-Request-ID": "req-boom-1"})

    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal_error"
    assert "disk on fire" not in response.text
    [line] = [line for line in _lines(log_stream) if line["event"] == "api.unhandled_error"]
    assert line["request_id"] == "req-boom-1"
    assert line["level"] == "error"
    assert "RuntimeError: disk on fire" in line["exception"]
    with app_ctx.sessions() as session:
        [row] = session.scalars(select(ErrorEvent)).all()
    assert (row.component, row.where, row.error_type, row.message, row.request_id) == (
        "api", "GET /boom", "RuntimeError", "disk on fire", "req-boom-1"
    )  # fmt: skip


def test_console_format_for_development(settings: Settings) -> None:
    stream = io.StringIO()
    handler = configure_logging(settings.model_copy(update={"log_format": "console"}), stream=stream)
    try:
        structlog.get_logger("t").info("hello.console", n=1)
    finally:
        logging.getLogger().removeHandler(handler)
        structlog.reset_defaults()
    text = stream.getvalue()
    assert "hello.console" in text
    assert not text.lstrip().startswith("{")


def test_sentry_without_the_package_warns_once(
    settings: Settings, log_stream: io.StringIO, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "sentry_sdk", None)  # import fails as if not installed
    monkeypatch.setattr(ls_logging, "_sentry_warned", False)
    with_dsn = settings.model_copy(update={"sentry_dsn": SecretStr("https://key@sentry.example/1")})
    assert init_sentry(with_dsn) is False
    assert init_sentry(with_dsn) is False
    warnings = [line for line in _lines(log_stream) if line["event"] == "sentry.unavailable"]
    assert len(warnings) == 1
    assert "leadsignal[sentry]" in warnings[0]["reason"]
    assert "key@sentry" not in log_stream.getvalue()


def test_sentry_is_initialised_without_personal_data(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, Any]] = []
    fake = types.ModuleType("sentry_sdk")
    fake.init = lambda **kwargs: calls.append(kwargs)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "sentry_sdk", fake)
    assert init_sentry(settings) is False  # no DSN: nothing to do
    assert init_sentry(
        settings.model_copy(update={"sentry_dsn": SecretStr("https://key@sentry.example/1")}), component="worker"
    )
    [options] = calls
    assert options["dsn"] == "https://key@sentry.example/1"
    assert options["send_default_pii"] is False
    assert options["environment"] == "test"
    assert options["server_name"] == "worker"
