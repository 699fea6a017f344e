"""Record and read the audit trail. Only field names go in, never the values of PII."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table
from sqlalchemy.orm import Session

from leadsignal.compliance.models import AuditEntry
from leadsignal.db import bulk_insert, utcnow


@dataclass(frozen=True)
class Actor:
    """Who is acting: ``user:42``, ``crm:acme``, ``cli:alice`` or ``system:monitor``."""

    name: str
    origin: str | None = None
    request_id: str | None = None


SYSTEM = Actor("system")


def record(
    session: Session,
    actor: Actor,
    action: str,
    *,
    entity_type: str,
    entity_id: str | int | None = None,
    fields: Iterable[str] = (),
    details: dict[str, Any] | None = None,
) -> None:
    session.add(
        AuditEntry(
            occurred_at=utcnow(),
            actor=actor.name,
            action=action,
            entity_type=entity_type,
            entity_id=None if entity_id is None else str(entity_id),
            fields=sorted(fields),
            details=details or {},
            origin=actor.origin,
            request_id=actor.request_id,
        )
    )


def record_many(session: Session, actor: Actor, rows: Sequence[dict[str, Any]]) -> None:
    """Bulk form for imports: each row has action, entity_type, entity_id and optional fields."""
    if not rows:
        return
    now = utcnow()
    entries = [
        {
            "occurred_at": now,
            "actor": actor.name,
            "action": row["action"],
            "entity_type": row["entity_type"],
            "entity_id": str(row["entity_id"]),
            "fields": sorted(row.get("fields", ())),
            "details": row.get("details", {}),
            "origin": actor.origin,
            "request_id": actor.request_id,
        }
        for row in rows
    ]
    bulk_insert(session, cast(Table, AuditEntry.__table__), entries)
