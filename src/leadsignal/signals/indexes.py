"""Extra indexes on the signals table for the API's feed (kept apart from the detection models).

``ix_signals_detected_at`` (btree) serves "newest first" keyset pages; this BRIN index serves
``since``/``until`` ranges over an append-mostly table at a tiny fraction of a btree's size.
Outside PostgreSQL it is an ordinary index.
"""

from __future__ import annotations

from sqlalchemy import Index

from leadsignal.signals.models import Signal

SIGNALS_DETECTED_BRIN = Index("ix_signals_detected_at_brin", Signal.__table__.c.detected_at, postgresql_using="brin")
