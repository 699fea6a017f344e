"""Record and read the audit trail. Only field names go in, never the values of PII.

"From where" fills itself: inside an API request an entry takes the client address and request
id from the logging context (core/logging.py) when the actor does not carry them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import Table, delete, func, select
from sqlalchemy.orm import Session

from leadsignal.compliance.append_only import audit_purge_allowed
from leadsignal.compliance.models import AuditEntry
from leadsignal.core.logging import current_request
from leadsignal.db import bulk_insert, utcnow


@dataclass(frozen=True)
class Actor:
    """Who is acting: ``user:42``, ``crm:acme``, ``cli:alice`` or ``system:monitor``."""

    name: str
    origin: str | None = None
    request_id: str | None = None


SYSTEM = Actor("system")


def _where(actor: Actor) -> tuple[str | None, str | None]:
    """The actor's origin and request id, completed from the request being served."""
    origin, request_id = actor.origin, actor.request_id
    info = current_request()
    if info is not None:
        if origin is None and info.client_ip:
            origin = f"ip:{info.client_ip}"
        request_id = request_id or info.request_id
    return origin, request_id


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
    origin, request_id = _where(actor)
    session.add(
        AuditEntry(
            occurred_at=utcnow(),
            actor=actor.name,
            action=action,
            entity_type=entity_type,
            entity_id=None if entity_id is None else str(entity_id),
            fields=sorted(fields),
            details=details or {},
            origin=origin,
            request_id=request_id,
        )
    )


def record_many(session: Session, actor: Actor, rows: Sequence[dict[str, Any]]) -> None:
    """Bulk form for imports: each row has action, entity_type, entity_id and optional fields."""
    if not rows:
        return
    now = utcnow()
    origin, request_id = _where(actor)
    entries = [
        {
            "occurred_at": now,
            "actor": actor.name,
            "action": row["action"],
            "entity_type": row["entity_type"],
            "entity_id": str(row["entity_id"]),
            "fields": sorted(row.get("fields", ())),
            "details": row.get("details", {}),
            "origin": origin,
            "request_id": request_id,
        }
        for row in rows
    ]
    bulk_insert(session, cast(Table, AuditEntry.__table__), entries)


def purge_before(session: Session, cutoff: dt.datetime, reason: str, actor: Actor = SYSTEM) -> int:
    """Delete audit entries older than ``cutoff``: the one sanctioned way (retention).

    An ``audit.purged`` entry saying who, why and how many is written first, in the same
    transaction, then the append-only guards are lifted for this transaction alone
    (``leadsignal.audit_purge`` on PostgreSQL, see migration 1200). Flushes; the caller commits."""
    if cutoff.tzinfo is None:
        raise ValueError("cutoff must be timezone-aware")
    if cutoff > utcnow():
        raise ValueError("cutoff is in the future: that would purge entries being written now")
    if not reason.strip():
        raise ValueError("a reason is required to purge audit entries")
    older = AuditEntry.occurred_at < cutoff
    count = int(session.scalar(select(func.count()).select_from(AuditEntry).where(older)) or 0)
    record(session, actor, "audit.purged", entity_type="audit_log",
           details={"cutoff": cutoff.isoformat(), "reason": reason.strip()[:500], "rows": count})  # fmt: skip
    session.flush()
    if count:
        with audit_purge_allowed(session.connection()):
            session.execute(delete(AuditEntry).where(older), execution_options={"synchronize_session": False})
    return count
