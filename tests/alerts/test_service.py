"""send_and_log: one log row per Idempotency-Key, errors recorded, audit entries written."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from leadsignal.alerts.email.models import EmailLog, OutboxMessage
from leadsignal.alerts.email.outbox import OutboxSender
from leadsignal.alerts.email.port import IDEMPOTENCY_HEADER, RetryableEmailError
from leadsignal.alerts.email.service import send_and_log
from leadsignal.compliance.audit import Actor
from leadsignal.compliance.models import AuditEntry
from leadsignal.integrations.brevo import BrevoSender
from leadsignal.integrations.http.retry import RetryPolicy
from tests.alerts.factories import make_email
from tests.fakes.brevo import SEND_PATH, FakeBrevo, brevo_error


def _brevo(fake: FakeBrevo, attempts: int = 2) -> BrevoSender:
    return BrevoSender(api_key=fake.api_key, base_url=fake.url, sender_email="leadsignal@agency.example",
                       policy=RetryPolicy(max_attempts=attempts, base_delay=0.01), sleep=lambda _: None)  # fmt: skip


def _audit(db: Session, row: EmailLog) -> list[AuditEntry]:
    return list(
        db.scalars(select(AuditEntry).where(AuditEntry.entity_type == "email", AuditEntry.entity_id == str(row.id)))
    )


def test_outbox_send_is_logged_and_audited(db: Session) -> None:
    message = make_email()
    row = send_and_log(db, OutboxSender(db, sender_email="leadsignal@agency.example"), message,
                       signal_ids=[5, 3, 5], actor=Actor("system:digest"))  # fmt: skip

    assert row.status == "sent"
    assert row.provider == "outbox"
    assert row.signal_ids == [3, 5]
    assert row.recipient == "dana.ortiz@agency.example"
    assert row.template == "digest"
    assert row.attempts == 1
    stored = db.scalar(select(OutboxMessage).where(OutboxMessage.message_id == row.provider_message_id))
    assert stored is not None
    assert stored.html == message.html
    [entry] = _audit(db, row)
    assert entry.action == "email.sent"
    assert entry.actor == "system:digest"
    assert entry.details["signal_ids"] == [3, 5]
    assert "dana" not in str(entry.details)  # the audit trail names fields, never PII values


def test_same_idempotency_key_sends_once(db: Session, fake_brevo: FakeBrevo) -> None:
    message = make_email()
    first = send_and_log(db, _brevo(fake_brevo), message, signal_ids=[1])
    again = send_and_log(db, _brevo(fake_brevo), message, signal_ids=[1])
    assert again.id == first.id
    assert len(fake_brevo.sent) == 1
    assert db.scalar(select(EmailLog.attempts).where(EmailLog.id == first.id)) == 1


def test_permanent_error_is_recorded_not_raised(db: Session, fake_brevo: FakeBrevo) -> None:
    fake_brevo.script(SEND_PATH, brevo_error(400, "invalid_parameter", "email is not valid in to"))
    row = send_and_log(db, _brevo(fake_brevo), make_email(), signal_ids=[9])

    assert row.status == "failed"
    assert row.provider_message_id is None
    assert row.error is not None
    assert "invalid_parameter" in row.error
    assert "email is not valid" in row.error
    [entry] = _audit(db, row)
    assert entry.action == "email.failed"
    assert entry.details["code"] == "invalid_parameter"
    # A permanent failure is final: calling again does not send.
    again = make_email(headers={IDEMPOTENCY_HEADER: row.idempotency_key})
    assert send_and_log(db, _brevo(fake_brevo), again).status == "failed"
    assert len(fake_brevo.send_requests()) == 1


def test_retryable_error_is_logged_then_raised_and_the_retry_reuses_the_row(db: Session, fake_brevo: FakeBrevo) -> None:
    fake_brevo.script(SEND_PATH, *[brevo_error(503, "unavailable", "maintenance")] * 2)
    message = make_email()
    with pytest.raises(RetryableEmailError):
        send_and_log(db, _brevo(fake_brevo, attempts=2), message, signal_ids=[4])

    row = db.scalar(select(EmailLog).where(EmailLog.idempotency_key == message.idempotency_key))
    assert row is not None
    assert (row.status, row.attempts) == ("queued", 1)
    assert row.error is not None
    assert "maintenance" in row.error
    assert _audit(db, row) == []

    retried = send_and_log(db, _brevo(fake_brevo), message, signal_ids=[4])
    assert retried.id == row.id
    assert (retried.status, retried.attempts, retried.error) == ("sent", 2, None)
    assert retried.provider_message_id is not None
    assert [e.action for e in _audit(db, retried)] == ["email.sent"]
