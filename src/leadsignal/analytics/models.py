"""The one index analytics adds: ``max(signals.updated_at)`` is part of every request's cache key
(service.data_version), and without an index PostgreSQL would scan the whole table for it."""

from __future__ import annotations

from sqlalchemy import Index

from leadsignal.signals.models import Signal

SIGNALS_UPDATED_AT = Index("ix_signals_updated_at", Signal.__table__.c.updated_at)
