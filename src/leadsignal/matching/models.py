"""The identity_matches table: every candidate profile scored for a lead, and what a person decided."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, Float, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from leadsignal.db import Base, BigIntPK, UTCDateTime, utcnow

# Statuses a person sets; an automatic re-score never overwrites them.
HUMAN_STATUSES = ("human_confirmed", "human_rejected")
STATUSES = ("confirmed", "pending_review", "rejected", *HUMAN_STATUSES)
STATUS_OF_DECISION = {"confirmed": "confirmed", "review": "pending_review", "rejected": "rejected"}


class IdentityMatch(Base):
    __tablename__ = "identity_matches"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    lead_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("leads.id", ondelete="CASCADE"))
    profile_url: Mapped[str] = mapped_column(String(255))
    score: Mapped[float] = mapped_column(Float)
    decision: Mapped[str] = mapped_column(String(16))
    reasons: Mapped[list[Any]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20))
    reviewed_by: Mapped[str | None] = mapped_column(String(120))
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    __table_args__ = (
        UniqueConstraint("lead_id", "profile_url"),
        Index("ix_identity_matches_status_score", "status", "score"),
    )

    def __repr__(self) -> str:
        return f"<IdentityMatch id={self.id} lead_id={self.lead_id} status={self.status}>"
