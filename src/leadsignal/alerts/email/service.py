"""Send through any provider and keep the audit trail: one ``email_log`` row per message, its
delivery events, and a compliance audit entry. Services flush; the caller owns the transaction."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import structlog
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from leadsignal.alerts.email.models import EmailEvent, EmailLog
from leadsignal.alerts.email.port import (
    DeliveryEvent,
    EmailSender,
    OutgoingEmail,
    PermanentEmailError,
    RetryableEmailError,
)
from leadsignal.compliance import audit
from leadsignal.compliance.audit import SYSTEM, Actor
from leadsignal.db import utcnow

log = structlog.get_logger(__name__)

# What each provider event says about the message; opens and clicks imply it was delivered.
EVENT_STATUS: dict[str, str] = {
    "request": "sent",
    "delivered": "delivered",
    "opened": "delivered",
    "unique_opened": "delivered",
    "proxy_open": "delivered",
    "unique_proxy_open": "delivered",
    "click": "delivered",
    "soft_bounce": "deferred",
    "deferred": "deferred",
    "hard_bounce": "bounced",
    "invalid_email": "bounced",
    "blocked": "blocked",
    "spam": "spam",
    "unsubscribed": "unsubscribed",
    "error": "failed",
}
# Events arrive out of order; a later-ranked status wins, and among final ones the latest event.
_RANK = {"queued": 0, "sent": 1, "deferred": 2, "delivered": 3}
_FINAL_RANK = 4
_ERROR_MAX = 2000


def send_and_log(
    session: Session,
    sender: EmailSender,
    message: OutgoingEmail,
    *,
    signal_ids: Iterable[int] = (),
    actor: Actor = SYSTEM,
) -> EmailLog:
    """Send once per ``Idempotency-Key`` and log it. A permanent failure is recorded and returned
    (status ``failed``); a retryable one is recorded (status stays ``queued``) and re-raised, so the
    caller can commit the attempt and retry later with the same message."""
    row = session.scalar(select(EmailLog).where(EmailLog.idempotency_key == message.idempotency_key))
    if row is not None and row.status != "queued":
        log.info("email.already_handled", email_log_id=row.id, status=row.status)
        return row
    if row is None:
        row = EmailLog(
            provider=sender.provider,
            recipient=str(message.to),
            template=message.template,
            subject=message.subject,
            signal_ids=sorted(set(signal_ids)),
            idempotency_key=message.idempotency_key,
            status="queued",
            attempts=0,
        )
        session.add(row)
    row.provider = sender.provider
    row.attempts = (row.attempts or 0) + 1
    session.flush()
    try:
        result = sender.send(message)
    except PermanentEmailError as exc:
        row.status, row.error = "failed", str(exc)[:_ERROR_MAX]
        _audit(session, actor, "email.failed", row, code=exc.code)
        session.flush()
        log.warning("email.send_failed", email_log_id=row.id, provider=exc.provider, code=exc.code, status=exc.status)
        return row
    except RetryableEmailError as exc:
        row.error = str(exc)[:_ERROR_MAX]
        session.flush()
        log.warning("email.send_deferred", email_log_id=row.id, provider=exc.provider, retry_after=exc.retry_after)
        raise
    row.status, row.error, row.provider_message_id = "sent", None, result.message_id
    _audit(session, actor, "email.sent", row)
    session.flush()
    log.info("email.sent", email_log_id=row.id, provider=row.provider, template=row.template)
    return row


def _audit(session: Session, actor: Actor, action: str, row: EmailLog, *, code: str | None = None) -> None:
    details: dict[str, object] = {
        "provider": row.provider,
        "template": row.template,
        "signal_ids": row.signal_ids,
        "attempts": row.attempts,
    }
    if code:
        details["code"] = code
    audit.record(session, actor, action, entity_type="email", entity_id=row.id, fields=["recipient"], details=details)


@dataclass(frozen=True)
class EventOutcome:
    recorded: int = 0
    duplicates: int = 0
    unmatched: int = 0
    skipped: int = 0


def record_delivery_events(session: Session, events: Sequence[DeliveryEvent], *, skipped: int = 0) -> EventOutcome:
    """Store each event once (a replayed webhook is a no-op) and move the message's status on."""
    recorded = duplicates = unmatched = 0
    by_message = _logs_by_message_id(session, {(e.provider, e.message_id) for e in events})
    for event in sorted(events, key=lambda e: e.occurred_at):
        row = by_message.get((event.provider, event.message_id))
        if row is None:
            unmatched += 1
            log.info("email.event_unmatched", provider=event.provider, kind=event.event)
            continue
        if not _insert_event(session, row.id, event):
            duplicates += 1
            continue
        recorded += 1
        _apply_status(row, event)
    session.flush()
    return EventOutcome(recorded=recorded, duplicates=duplicates, unmatched=unmatched, skipped=skipped)


def _logs_by_message_id(session: Session, keys: set[tuple[str, str]]) -> dict[tuple[str, str], EmailLog]:
    ids = {message_id for _, message_id in keys}
    if not ids:
        return {}
    rows = session.scalars(select(EmailLog).where(EmailLog.provider_message_id.in_(ids))).all()
    return {(r.provider, r.provider_message_id): r for r in rows if r.provider_message_id is not None}


def _dedupe_key(event: DeliveryEvent) -> str:
    parts = (event.provider, event.message_id, event.event, event.occurred_at.isoformat(), event.detail or "")
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _insert_event(session: Session, email_log_id: int, event: DeliveryEvent) -> bool:
    """Insert-or-ignore on ``dedupe_key``; True if the row is new."""
    values = {
        "email_log_id": email_log_id,
        "event": event.event,
        "occurred_at": event.occurred_at,
        "received_at": utcnow(),
        "dedupe_key": _dedupe_key(event),
        "raw": event.raw,
    }
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    stmt = (
        insert(EmailEvent)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(EmailEvent.id)
    )
    # RETURNING, not rowcount: on PostgreSQL the rowcount came back 1 for a skipped duplicate.
    return session.execute(stmt).scalar_one_or_none() is not None


def _apply_status(row: EmailLog, event: DeliveryEvent) -> None:
    new = EVENT_STATUS.get(event.event)
    previous_at = row.last_event_at
    if previous_at is None or event.occurred_at > previous_at:
        row.last_event_at = event.occurred_at
    if new is None or new == row.status:
        return
    old_rank, new_rank = _RANK.get(row.status, _FINAL_RANK), _RANK.get(new, _FINAL_RANK)
    later = previous_at is None or event.occurred_at >= previous_at
    if new_rank > old_rank or (new_rank == _FINAL_RANK == old_rank and later):
        row.status = new
        if event.detail and new_rank == _FINAL_RANK:
            row.error = f"{event.event}: {event.detail}"[:_ERROR_MAX]


def recent_events(session: Session, email_log_id: int) -> Sequence[EmailEvent]:
    return session.scalars(
        select(EmailEvent).where(EmailEvent.email_log_id == email_log_id).order_by(EmailEvent.occurred_at)
    ).all()
