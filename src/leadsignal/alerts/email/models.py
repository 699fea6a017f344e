"""Tables of outgoing email: the audit trail of every send, its delivery events, and the outbox.

``email_log`` is one row per message we tried to send, joined to delivery events by the
provider's message id. ``email_outbox`` holds whole messages for the embedded ``outbox`` provider,
so a deployment without a mail provider can still read what would have gone out.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from leadsignal.db import Base, BigIntPK, UTCDateTime, utcnow

EMAIL_STATUSES = (
    "queued", "sent", "failed", "delivered", "bounced", "spam", "unsubscribed", "blocked", "deferred",
)  # fmt: skip


class EmailLog(Base):
    __tablename__ = "email_log"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    provider: Mapped[str] = mapped_column(String(16))
    recipient: Mapped[str] = mapped_column(String(320))
    template: Mapped[str] = mapped_column(String(64))
    subject: Mapped[str] = mapped_column(String(300))
    signal_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    idempotency_key: Mapped[str] = mapped_column(String(128), unique=True)
    provider_message_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    last_event_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    error: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        Index("ix_email_log_created_at", "created_at"),
        Index("ix_email_log_status", "status"),
        Index("ix_email_log_recipient", "recipient"),
    )


class EmailEvent(Base):
    """A delivery event reported by the provider. ``dedupe_key`` makes a replayed webhook a no-op."""

    __tablename__ = "email_events"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    email_log_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("email_log.id", ondelete="CASCADE"), index=True)
    event: Mapped[str] = mapped_column(String(32))
    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    dedupe_key: Mapped[str] = mapped_column(String(64), unique=True)
    raw: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    __table_args__ = (Index("ix_email_events_occurred_at", "occurred_at"),)


class OutboxMessage(Base):
    """A message the ``outbox`` provider 'sent': stored whole, viewable in the CLI and the API."""

    __tablename__ = "email_outbox"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    message_id: Mapped[str] = mapped_column(String(255), unique=True)
    idempotency_key: Mapped[str] = mapped_column(String(128), unique=True)
    sender: Mapped[str] = mapped_column(String(320))
    recipient: Mapped[str] = mapped_column(String(320))
    recipient_name: Mapped[str | None] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(300))
    template: Mapped[str] = mapped_column(String(64))
    html: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    headers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    meta: Mapped[dict[str, Any]] = mapped_column("metadata", JSON, default=dict)

    __table_args__ = (Index("ix_email_outbox_created_at", "created_at"),)
