"""Tables of the NLP domain: the model registry and the labelled examples that feed retraining."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Index, Integer, String, Text, false, text
from sqlalchemy.orm import Mapped, mapped_column

from leadsignal.db import Base, BigIntPK, UTCDateTime, utcnow


class ModelVersion(Base):
    """One trained classifier artifact. At most one row is active (a partial unique index says so)."""

    __tablename__ = "model_versions"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    version: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    data_hash: Mapped[str] = mapped_column(String(64))
    n_examples: Mapped[int] = mapped_column(Integer)
    metrics: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    artifact: Mapped[str] = mapped_column(String(500))
    is_active: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    activated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    previous_version: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_model_versions_created_at", "created_at"),
        Index(
            "uq_model_versions_one_active",
            "is_active",
            unique=True,
            sqlite_where=text("is_active"),
            postgresql_where=text("is_active"),
        ),
    )


class LabelledExample(Base):
    """A post with a trusted label: agents' confirmations and rejections, or corpus imports."""

    __tablename__ = "labelled_examples"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    text: Mapped[str] = mapped_column(Text)
    label: Mapped[str] = mapped_column(String(32))
    source: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    signal_id: Mapped[int | None] = mapped_column(BigInteger)

    __table_args__ = (
        Index("ix_labelled_examples_created_at", "created_at"),
        Index("ix_labelled_examples_signal_id", "signal_id"),
        Index("ix_labelled_examples_label", "label"),
    )
