"""The embedded provider: a 'sent' message is a row in ``email_outbox``, readable in CLI and API.

It writes in the caller's session on purpose: SQLite has one writer at a time, so a second
connection would wait on the caller's own transaction; and a rolled-back digest then sends nothing,
which is the outbox pattern's promise anyway.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from leadsignal.alerts.email.models import OutboxMessage
from leadsignal.alerts.email.port import OutgoingEmail, SendResult

PROVIDER = "outbox"


class OutboxSender:
    provider = PROVIDER

    def __init__(self, session: Session, *, sender_email: str) -> None:
        self._session = session
        self._sender_email = sender_email
        self._domain = sender_email.rpartition("@")[2] or "leadsignal.invalid"

    def send(self, message: OutgoingEmail) -> SendResult:
        """Store the message; the same ``Idempotency-Key`` again returns the stored one's id."""
        existing = self._session.scalar(
            select(OutboxMessage.message_id).where(OutboxMessage.idempotency_key == message.idempotency_key)
        )
        if existing is not None:
            return SendResult(provider=PROVIDER, message_id=existing)
        row = OutboxMessage(
            message_id=f"<outbox.{uuid.uuid4().hex}@{self._domain}>",
            idempotency_key=message.idempotency_key,
            sender=self._sender_email,
            recipient=str(message.to),
            recipient_name=message.to_name,
            subject=message.subject,
            template=message.template,
            html=message.html,
            text=message.text,
            tags=list(message.tags),
            headers=dict(message.headers),
            meta=dict(message.metadata),
        )
        self._session.add(row)
        self._session.flush()
        return SendResult(provider=PROVIDER, message_id=row.message_id)


def list_outbox(session: Session, *, limit: int = 50, offset: int = 0) -> tuple[int, Sequence[OutboxMessage]]:
    """Newest first, with the total count for paging."""
    total = session.scalar(select(func.count()).select_from(OutboxMessage)) or 0
    rows = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc()).limit(limit).offset(offset)).all()
    return total, rows


def get_outbox(session: Session, message_id: int) -> OutboxMessage | None:
    return session.get(OutboxMessage, message_id)
