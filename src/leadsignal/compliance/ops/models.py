"""Unexpected errors worth an operator's attention, and the last sign of life of each worker."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from leadsignal.db import Base, BigIntPK, UTCDateTime, utcnow


class ErrorEvent(Base):
    """An unhandled error in the API or a background task. Messages hold no request bodies."""

    __tablename__ = "error_log"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    component: Mapped[str] = mapped_column(String(40))  # api, worker, embedded
    where: Mapped[str] = mapped_column(String(200))  # route path or task name
    error_type: Mapped[str] = mapped_column(String(120))
    message: Mapped[str] = mapped_column(Text)
    request_id: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (Index("ix_error_log_occurred_at", "occurred_at"),)


class WorkerHeartbeat(Base):
    """One row per worker process, rewritten every beat; its age says whether work is running."""

    __tablename__ = "worker_heartbeats"

    worker: Mapped[str] = mapped_column(String(200), primary_key=True)  # kind@host:pid
    kind: Mapped[str] = mapped_column(String(20))  # celery or embedded
    beat_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (Index("ix_worker_heartbeats_beat_at", "beat_at"),)
