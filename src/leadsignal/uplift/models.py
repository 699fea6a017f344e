"""One row per lead and experiment: the group it was randomised into, and what triggered it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Float, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from leadsignal.db import Base, BigIntPK, UTCDateTime, utcnow

GROUPS = ("treatment", "control")


class ExperimentAssignment(Base):
    """The lead is the unit of randomisation: it keeps its group for every later signal."""

    __tablename__ = "experiment_assignments"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    experiment: Mapped[str] = mapped_column(String(64))
    lead_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("leads.id", ondelete="CASCADE"))
    group: Mapped[str] = mapped_column(String(16))
    share: Mapped[float] = mapped_column(Float)  # the control share in force for the triggering signal's type
    bucket: Mapped[float] = mapped_column(Float)  # HMAC value in [0, 1); control when below share
    signal_id: Mapped[int | None] = mapped_column(BigInteger, ForeignKey("signals.id", ondelete="SET NULL"))
    signal_type: Mapped[str] = mapped_column(String(32))
    assigned_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    held_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())  # control only

    __table_args__ = (
        UniqueConstraint("experiment", "lead_id"),
        Index("ix_experiment_assignments_assigned", "experiment", "assigned_at"),
    )
