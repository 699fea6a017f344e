"""A signal is one real-world event (a new job, a licence...) of one lead; evidence is what showed it.

The same event seen in a post and in a profile change, or scraped twice, is one signal with
several evidence rows. ``evidence_key`` is unique, so re-processing the same post or profile
change never adds anything.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, Date, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from leadsignal.db import Base, BigIntPK, UTCDateTime, utcnow

POSITIVE_TYPES = ("new_job", "promotion", "certification", "license", "award", "business_launch", "education")
HARDSHIP_TYPES = ("job_loss", "open_to_work")
SIGNAL_TYPES = POSITIVE_TYPES + HARDSHIP_TYPES


class Signal(Base):
    __tablename__ = "signals"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("leads.id", ondelete="CASCADE"))
    signal_type: Mapped[str] = mapped_column(String(32))
    category: Mapped[str] = mapped_column(String(16))  # "positive" or "hardship"
    status: Mapped[str] = mapped_column(String(24), default="new")
    confidence: Mapped[float] = mapped_column(Float)
    match_confidence: Mapped[float | None] = mapped_column(Float)
    event_date: Mapped[dt.date | None] = mapped_column(Date)
    detected_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    org: Mapped[str | None] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(200))
    credential: Mapped[str | None] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text)
    sentiment_label: Mapped[str | None] = mapped_column(String(16))
    sentiment_score: Mapped[float | None] = mapped_column(Float)
    model_version: Mapped[str | None] = mapped_column(String(64))
    evidence_count: Mapped[int] = mapped_column(Integer, default=1)
    # Priority at detection time with its explanation; the current priority decays from it.
    priority_score: Mapped[float] = mapped_column(Float, default=0.0)
    priority: Mapped[str] = mapped_column(String(8), default="low")
    score_breakdown: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    stale: Mapped[bool] = mapped_column(Boolean, default=False)
    expires_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    # Alerting: what the contact-permission guard decided, who it went to, and when.
    alert_status: Mapped[str] = mapped_column(String(16), default="pending", server_default="pending")
    blocked_reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    assignee_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    routed_team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"))
    alerted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    alert_latency_ms: Mapped[int | None] = mapped_column(Integer)
    acknowledged_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    escalation_level: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    held_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())  # hold-out control (uplift/)

    evidence: Mapped[list[SignalEvidence]] = relationship(
        back_populates="signal", cascade="all, delete-orphan", order_by="SignalEvidence.observed_at"
    )

    __table_args__ = (
        Index("ix_signals_lead_type", "lead_id", "signal_type"),
        Index("ix_signals_detected_at", "detected_at"),
        Index("ix_signals_priority", "priority", "detected_at"),
        Index("ix_signals_alert", "alert_status", "assignee_user_id"),
    )


class SignalEvidence(Base):
    __tablename__ = "signal_evidence"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    signal_id: Mapped[int] = mapped_column(ForeignKey("signals.id", ondelete="CASCADE"), index=True)
    evidence_key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # "post" or "profile_diff"
    source_url: Mapped[str | None] = mapped_column(String(500))
    snippet: Mapped[str] = mapped_column(Text)
    signal_type: Mapped[str] = mapped_column(String(32))
    confidence: Mapped[float] = mapped_column(Float)
    model_version: Mapped[str | None] = mapped_column(String(64))
    observed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    signal: Mapped[Signal] = relationship(back_populates="evidence")


class SignalTypeWeight(Base):
    """An admin's override of one signal type's scoring weight; see signals/weights.py."""

    __tablename__ = "signal_type_weights"

    signal_type: Mapped[str] = mapped_column(String(40), primary_key=True)
    weight: Mapped[float] = mapped_column(Float)
    updated_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    __table_args__ = (CheckConstraint("weight >= 0 AND weight <= 3", name="weight_range"),)
