"""What turns a stored signal into an alert: routing rules, escalations and digest preferences.

The alert state of a signal itself lives on the signal (``alert_status``, ``assignee_user_id``,
``alerted_at``...) because every feed and digest query filters on it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from leadsignal.db import Base, BigIntPK, UTCDateTime, utcnow

ALERT_STATUSES = ("pending", "alerted", "blocked", "hardship", "expired", "held")
PRIORITIES = ("low", "medium", "high")


class RoutingRule(Base):
    """First matching rule (by position) assigns a signal whose lead has no owner yet."""

    __tablename__ = "routing_rules"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=100)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    conditions: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)


class RoundRobinCursor(Base):
    __tablename__ = "round_robin_cursors"

    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True)
    last_user_id: Mapped[int | None] = mapped_column(Integer)


class SignalEscalation(Base):
    __tablename__ = "signal_escalations"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    signal_id: Mapped[int] = mapped_column(ForeignKey("signals.id", ondelete="CASCADE"))
    level: Mapped[int] = mapped_column(Integer)
    escalated_to_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    escalated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    channels: Mapped[list[str]] = mapped_column(JSON, default=list)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    __table_args__ = (Index("ix_signal_escalations_signal", "signal_id", "level", unique=True),)


class DigestPreference(Base):
    """Per-user digest settings; a user without a row gets the defaults."""

    __tablename__ = "digest_preferences"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    signal_types: Mapped[list[str] | None] = mapped_column(JSON)  # None: every positive type
    min_priority: Mapped[str] = mapped_column(String(8), default="low")
    local_hour: Mapped[int] = mapped_column(Integer, default=7)
    timezone: Mapped[str] = mapped_column(String(64), default="America/New_York")
    last_sent_on: Mapped[dt.date | None] = mapped_column(Date)
