"""Brevo delivery webhooks: token check, single and batched events, replays, unknown message ids."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from leadsignal.alerts.email.models import EmailEvent, EmailLog
from leadsignal.alerts.email.service import send_and_log
from leadsignal.app import create_app
from leadsignal.core.context import AppContext
from leadsignal.core.deps import get_session
from leadsignal.integrations.brevo import BrevoSender
from leadsignal.settings import Settings
from tests.alerts.factories import make_email
from tests.fakes.brevo import FakeBrevo, webhook_event

TOKEN = "brevo-hook-secret-7f3a9c"
URL = "/api/v1/email/brevo/events"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
T0 = 1_795_000_000  # seconds since the epoch, late 2026


@pytest.fixture
def client(db: Session, settings: Settings, engine: Engine) -> Iterator[TestClient]:
    """The real app; its request session is the test's rolled-back one, so nothing needs wiping."""
    configured = settings.model_copy(update={"brevo_webhook_token": SecretStr(TOKEN)})
    app = create_app(AppContext(configured, _engine=engine))
    app.dependency_overrides[get_session] = lambda: db
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def sent(db: Session, fake_brevo: FakeBrevo) -> EmailLog:
    """A digest sent through (fake) Brevo, so events carry the ``message-id`` Brevo gave us."""
    sender = BrevoSender(api_key=fake_brevo.api_key, base_url=fake_brevo.url, sender_email="leadsignal@agency.example")
    return send_and_log(db, sender, make_email(), signal_ids=[1, 2])


def _log(db: Session, log_id: int) -> EmailLog:
    db.expire_all()
    row = db.get(EmailLog, log_id)
    assert row is not None
    return row


def _event_count(db: Session) -> int:
    return db.scalar(select(func.count()).select_from(EmailEvent)) or 0


def test_single_event_marks_delivered(client: TestClient, db: Session, sent: EmailLog) -> None:
    message_id = sent.provider_message_id
    assert message_id is not None
    response = client.post(URL, json=webhook_event("delivered", message_id, ts_epoch=T0), headers=AUTH)

    assert response.status_code == 200, response.text
    assert response.json() == {"recorded": 1, "duplicates": 0, "unmatched": 0, "skipped": 0}
    row = _log(db, sent.id)
    assert row.status == "delivered"
    assert row.last_event_at == dt.datetime.fromtimestamp(T0, dt.UTC)
    [event] = db.scalars(select(EmailEvent)).all()
    assert (event.email_log_id, event.event) == (sent.id, "delivered")
    assert event.raw["message-id"] == message_id


def test_batched_array_out_of_order_keeps_the_furthest_status(client: TestClient, db: Session,
                                                             sent: EmailLog) -> None:  # fmt: skip
    mid = str(sent.provider_message_id)
    batch = [
        webhook_event("delivered", mid, ts_epoch=T0 + 5),
        webhook_event("request", mid, ts_epoch=T0),  # arrives late; must not undo "delivered"
        webhook_event("opened", mid, ts_epoch=T0 + 60),
        webhook_event("click", mid, ts_epoch=T0 + 90, link="https://leadsignal.agency.example/signals/1"),
    ]
    response = client.post(URL, json=batch, headers=AUTH)
    assert response.json() == {"recorded": 4, "duplicates": 0, "unmatched": 0, "skipped": 0}
    row = _log(db, sent.id)
    assert row.status == "delivered"
    assert row.last_event_at == dt.datetime.fromtimestamp(T0 + 90, dt.UTC)


def test_replayed_event_is_stored_once(client: TestClient, db: Session, sent: EmailLog) -> None:
    event = webhook_event("delivered", str(sent.provider_message_id), ts_epoch=T0)
    assert client.post(URL, json=event, headers=AUTH).json()["recorded"] == 1
    assert client.post(URL, json=event, headers=AUTH).json() == {
        "recorded": 0, "duplicates": 1, "unmatched": 0, "skipped": 0,
    }  # fmt: skip
    assert client.post(URL, json=[event, event], headers=AUTH).json()["duplicates"] == 2
    assert _event_count(db) == 1


def test_hard_bounce_records_the_reason(client: TestClient, db: Session, sent: EmailLog) -> None:
    mid = str(sent.provider_message_id)
    client.post(URL, json=webhook_event("request", mid, ts_epoch=T0), headers=AUTH)
    client.post(URL, json=webhook_event("hard_bounce", mid, ts_epoch=T0 + 3, reason="550 mailbox unknown"),
                headers=AUTH)  # fmt: skip
    row = _log(db, sent.id)
    assert row.status == "bounced"
    assert row.error == "hard_bounce: 550 mailbox unknown"


def test_unknown_message_id_is_accepted_and_counted(client: TestClient, db: Session, sent: EmailLog) -> None:
    response = client.post(URL, json=webhook_event("delivered", "<nobody@smtp-relay.mailin.fr>"), headers=AUTH)
    assert response.status_code == 200
    assert response.json() == {"recorded": 0, "duplicates": 0, "unmatched": 1, "skipped": 0}
    assert _event_count(db) == 0
    assert _log(db, sent.id).status == "sent"


def test_unknown_event_type_is_skipped(client: TestClient, sent: EmailLog) -> None:
    body = [webhook_event("loaded_by_proxy_v9", str(sent.provider_message_id)),
            webhook_event("spam", str(sent.provider_message_id))]  # fmt: skip
    assert client.post(URL, json=body, headers=AUTH).json() == {
        "recorded": 1, "duplicates": 0, "unmatched": 0, "skipped": 1,
    }  # fmt: skip


def test_token_in_the_url_is_accepted(client: TestClient, sent: EmailLog) -> None:
    response = client.post(f"{URL}?token={TOKEN}", json=webhook_event("delivered", str(sent.provider_message_id)))
    assert response.status_code == 200


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"}],
    ids=["none", "wrong", "basic"],
)
def test_missing_or_wrong_token_is_401(client: TestClient, sent: EmailLog, headers: dict[str, str]) -> None:
    response = client.post(URL, json=webhook_event("delivered", str(sent.provider_message_id)), headers=headers)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_webhook_refused_when_no_token_is_configured(db: Session, settings: Settings, engine: Engine) -> None:
    unconfigured = settings.model_copy(update={"brevo_webhook_token": None})
    app = create_app(AppContext(unconfigured, _engine=engine))
    app.dependency_overrides[get_session] = lambda: db
    with TestClient(app) as client:
        response = client.post(URL, json=webhook_event("delivered", "<x@y>"), headers=AUTH)
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "webhook_not_configured"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ([], "empty event array"),
        ("delivered", "event[0] is not a JSON object"),
        ({"message-id": "<a@b>"}, "event[0] has no 'event' name"),
        ([{"event": "delivered", "message-id": "<a@b>"}, {"event": "delivered"}], "event[1] has no 'message-id'"),
        (
            {"event": "opened", "message-id": "<" + "x" * 300 + ">"},
            "event[0] has a 'message-id' longer than 255 characters",
        ),
    ],
)
def test_malformed_payload_is_400(client: TestClient, body: Any, message: str) -> None:
    response = client.post(URL, json=body, headers=AUTH)
    assert response.status_code == 400
    assert response.json()["error"]["message"] == message
