"""Inbound CRM events: stored once per (source, external id), then handled and marked handled.

Storing and handling are separate steps. The row is stored even when handling fails (unknown
lead, bad field), so the event can be retried or replayed later; a redelivery of the same event
by the CRM finds the row and is answered as a duplicate without running anything twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

import structlog
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from leadsignal.compliance import audit
from leadsignal.core.context import AppContext
from leadsignal.crm.models import InboxEvent
from leadsignal.crm.outcomes import BadSignalReference, OutcomeConflict, record_outcome
from leadsignal.crm.schemas import InboundEvent, LeadUpdateIn, OutcomeIn
from leadsignal.crm.sync import FieldOwnershipError, LeadNotFound, apply_crm_update, find_lead
from leadsignal.db import session_scope, utcnow
from leadsignal.events.retry import retry_locked
from leadsignal.events.sql import insert_ignore
from leadsignal.leads.normalize import FieldError

log = structlog.get_logger(__name__)
MAX_AUTOMATIC_ATTEMPTS = 5
INBOX_RETRY_BASE = dt.timedelta(minutes=5)
# Failures that depend on data we may receive later (the lead's import) or that a person fixes.
HANDLING_ERRORS = (ValidationError, FieldError, FieldOwnershipError, LeadNotFound, OutcomeConflict, BadSignalReference)


@dataclass
class Handled:
    row: InboxEvent
    status: Literal["handled", "duplicate", "failed"]


def receive(session: Session, source: str, event: InboundEvent) -> tuple[InboxEvent, bool]:
    """Store the event unless (source, id) exists; True when it is new."""
    created = insert_ignore(
        session,
        InboxEvent.__table__,  # type: ignore[arg-type]
        {"source": source, "external_id": event.id, "event_type": event.type, "payload": event.data,
         "received_at": utcnow(), "attempts": 0},
    )  # fmt: skip
    row = session.scalar(select(InboxEvent).where(InboxEvent.source == source, InboxEvent.external_id == event.id))
    assert row is not None
    return row, created


def handle(session: Session, row: InboxEvent, *, actor: audit.Actor) -> dict[str, Any]:
    """Run the event's effect; every effect is itself idempotent, so a replay is safe."""
    if row.event_type == "outcome.recorded":
        recorded = record_outcome(session, OutcomeIn.model_validate(row.payload), source=row.source, actor=actor)
        return {"outcome_id": recorded.outcome.id, "created": recorded.created}
    if row.event_type == "lead.updated":
        data = dict(row.payload)
        agency_id = data.pop("agency_id_number", None)
        if not isinstance(agency_id, str) or not agency_id:
            raise FieldError("agency_id_number: required")
        update = LeadUpdateIn.model_validate(data)
        lead = find_lead(session, agency_id)
        result = apply_crm_update(
            session, lead, update.fields(), crm_version=update.crm_version, source=row.source, actor=actor
        )
        return {"status": result.status, "changed": result.changed, "stored_version": result.stored_version}
    raise FieldError(f"type: unsupported inbound event type {row.event_type!r}")


def process(session: Session, row: InboxEvent, *, actor: audit.Actor) -> Handled:
    """Handle ``row`` inside a savepoint: on a handling error its effects roll back, the row stays."""
    row.attempts += 1
    try:
        with session.begin_nested():
            result = handle(session, row, actor=actor)
    except HANDLING_ERRORS as exc:
        row.last_error = str(exc)[:500]
        session.flush()
        log.warning("crm.inbox.failed", inbox_id=row.id, event_type=row.event_type, error=row.last_error)
        return Handled(row, "failed")
    row.handled_at, row.result, row.last_error = utcnow(), result, None
    session.flush()
    return Handled(row, "handled")


def receive_and_process(session: Session, source: str, event: InboundEvent, *, actor: audit.Actor) -> Handled:
    row, created = receive(session, source, event)
    if not created:
        return Handled(row, "duplicate")
    return process(session, row, actor=actor)


def recent(session: Session, *, unhandled_only: bool = False, limit: int = 100) -> list[InboxEvent]:
    query = select(InboxEvent).order_by(InboxEvent.id.desc()).limit(limit)
    if unhandled_only:
        query = query.where(InboxEvent.handled_at.is_(None))
    return list(session.scalars(query))


def replay(session: Session, inbox_id: int, *, actor: audit.Actor) -> Handled:
    """Handle a stored event again (after fixing what made it fail)."""
    row = session.get(InboxEvent, inbox_id)
    if row is None:
        raise LookupError(f"inbox event {inbox_id} does not exist")
    audit.record(session, actor, "crm.inbox.replayed", entity_type="inbox_event", entity_id=row.id)
    return process(session, row, actor=actor)


def process_pending(ctx: AppContext, *, limit: int = 100, now: dt.datetime | None = None) -> int:
    """Retry unhandled events a few times (e.g. an outcome that arrived before the lead's import)."""
    now = now or utcnow()
    with session_scope(ctx.sessions) as session:
        rows = session.execute(
            select(InboxEvent.id, InboxEvent.received_at, InboxEvent.attempts)
            .where(InboxEvent.handled_at.is_(None), InboxEvent.attempts < MAX_AUTOMATIC_ATTEMPTS)
            .order_by(InboxEvent.id)
            .limit(limit)
        ).all()
    # Retries spread out from arrival: 5 min, 20 min, 80 min, 320 min after the event came in.
    ids = [i for i, received, attempts in rows if received + INBOX_RETRY_BASE * 4 ** max(attempts - 1, 0) <= now]
    handled = 0

    def retry_one(inbox_id: int) -> bool:
        with session_scope(ctx.sessions) as session:
            row = session.get(InboxEvent, inbox_id)
            if row is None or row.handled_at is not None:
                return False
            actor = audit.Actor(f"crm:{row.source}", origin="inbox")
            return process(session, row, actor=actor).status == "handled"

    for inbox_id in ids:
        handled += retry_locked(lambda: retry_one(inbox_id))  # noqa: B023 - called at once
    return handled
