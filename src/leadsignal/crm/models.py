"""Tables the CRM domain owns: webhook endpoints and deliveries, the inbox, outcomes, contact flags."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from leadsignal.db import Base, BigIntPK, UTCDateTime, utcnow
from leadsignal.events.service import INTERNAL_EVENT_TYPES

DELIVERY_STATUSES = ("pending", "failed", "delivered", "dead")
# A delivery in one of these still has to happen; a later event for the same lead waits behind it.
OPEN_STATUSES = ("pending", "failed")
OUTCOMES = (
    "contacted",
    "right_party_contact",
    "promise_to_pay",
    "payment_plan_enrolled",
    "payment_received",
    "refused",
    "wrong_person",
)
CONTACT_FLAGS = ("do_not_contact", "cease_and_desist", "bankruptcy", "attorney_represented", "disputed")


class WebhookEndpoint(Base):
    __tablename__ = "webhook_endpoints"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(120))
    url: Mapped[str] = mapped_column(String(500))
    secret_enc: Mapped[str] = mapped_column(Text)
    event_types: Mapped[list[str]] = mapped_column(JSON, default=list)  # ["*"] subscribes to everything
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    deactivated_reason: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    def subscribes_to(self, event_type: str) -> bool:
        if event_type in INTERNAL_EVENT_TYPES:
            return False
        return "*" in self.event_types or event_type in self.event_types

    def __repr__(self) -> str:  # the URL may carry a token in its query string
        return f"<WebhookEndpoint id={self.id} name={self.name!r} active={self.is_active}>"


class WebhookDelivery(Base):
    __tablename__ = "webhook_deliveries"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(36))
    outbox_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("outbox_events.id", ondelete="CASCADE"))
    endpoint_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("webhook_endpoints.id", ondelete="CASCADE"))
    lead_id: Mapped[int | None] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    last_status_code: Mapped[int | None] = mapped_column(Integer)
    last_error: Mapped[str | None] = mapped_column(String(500))
    first_attempt_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    last_attempt_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    delivered_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (
        UniqueConstraint("event_id", "endpoint_id"),
        Index("ix_webhook_deliveries_status_next", "status", "next_attempt_at"),
        Index("ix_webhook_deliveries_order", "endpoint_id", "lead_id", "outbox_id"),
        Index("ix_webhook_deliveries_created_at", "created_at"),
    )


class InboxEvent(Base):
    __tablename__ = "inbox_events"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(40))
    external_id: Mapped[str] = mapped_column(String(120))
    event_type: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    handled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    last_error: Mapped[str | None] = mapped_column(String(500))

    __table_args__ = (
        UniqueConstraint("source", "external_id"),
        Index("ix_inbox_events_received_at", "received_at"),
        Index("ix_inbox_events_handled_at", "handled_at"),
    )


class Outcome(Base):
    __tablename__ = "outcomes"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    external_id: Mapped[str] = mapped_column(String(120), unique=True)
    lead_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("leads.id", ondelete="CASCADE"), index=True)
    signal_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("signals.id", ondelete="SET NULL"))
    outcome: Mapped[str] = mapped_column(String(32))
    amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    agent_external_id: Mapped[str] = mapped_column(String(120))
    notes: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (
        Index("ix_outcomes_occurred_at", "occurred_at"),
        Index("ix_outcomes_signal_id", "signal_id"),
    )


class LeadContactFlags(Base):
    """Compliance flags the CRM owns, and the CRM version of the lead's CRM-owned fields."""

    __tablename__ = "lead_contact_flags"

    lead_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("leads.id", ondelete="CASCADE"), primary_key=True)
    do_not_contact: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    cease_and_desist: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    bankruptcy: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    attorney_represented: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    disputed: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    source: Mapped[str] = mapped_column(String(40))
    crm_version: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow, index=True)
