"""Publish events into the outbox and let each consumer read them by its own cursor.

``publish`` only flushes: the event commits or rolls back with the caller's change, so there is
never a delivered event for a change that did not happen, nor a change whose event is lost.
Delivery is at-least-once; receivers dedupe on the event id.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from leadsignal.db import utcnow
from leadsignal.events.models import OutboxCursor, OutboxEvent
from leadsignal.events.sql import insert_ignore
from leadsignal.leads.models import Lead
from leadsignal.signals.models import Signal, SignalEvidence

SIGNAL_CREATED = "signal.created.v1"
SIGNAL_UPDATED = "signal.updated.v1"
LEAD_ENRICHED = "lead.enriched.v1"
OUTCOME_RECORDED = "outcome.recorded.v1"
# Internal: written by the monitoring cycle for the alerts processor. Never leaves the system,
# because a signal reaches the CRM (signal.created.v1) only after the contact-permission guard.
SIGNAL_DETECTED = "signal.detected.v1"
INTERNAL_EVENT_TYPES = (SIGNAL_DETECTED,)
ALERT_RAISED = "alert.raised.v1"
ALERT_ESCALATED = "alert.escalated.v1"
HARDSHIP_FLAGGED = "hardship.flagged.v1"
EVENT_TYPES = (
    SIGNAL_CREATED, SIGNAL_UPDATED, LEAD_ENRICHED, OUTCOME_RECORDED, ALERT_RAISED, ALERT_ESCALATED, HARDSHIP_FLAGGED,
    SIGNAL_DETECTED,
)  # fmt: skip


def publish(
    session: Session,
    event_type: str,
    *,
    aggregate_type: str,
    aggregate_id: str | int,
    lead_id: int | None,
    payload: dict[str, Any],
) -> str:
    """Write one event in the caller's transaction and return its event id (a UUID)."""
    if event_type not in EVENT_TYPES:
        raise ValueError(f"unknown event type {event_type!r}; known: {', '.join(EVENT_TYPES)}")
    event_id = str(uuid.uuid4())
    session.add(
        OutboxEvent(
            event_id=event_id,
            event_type=event_type,
            aggregate_type=aggregate_type,
            aggregate_id=str(aggregate_id),
            lead_id=lead_id,
            payload=payload,
            created_at=utcnow(),
        )
    )
    session.flush()
    return event_id


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def signal_payload(session: Session, signal: Signal) -> dict[str, Any]:
    """What a receiver needs to put the signal on the lead's record without calling us back."""
    lead = session.get(Lead, signal.lead_id)
    evidence = session.scalars(
        select(SignalEvidence)
        .where(SignalEvidence.signal_id == signal.id)
        .order_by(SignalEvidence.observed_at, SignalEvidence.id)
    ).all()
    return {
        "signal_id": signal.id,
        "lead_id": signal.lead_id,
        "agency_id_number": lead.agency_id_number if lead is not None else None,
        "type": signal.signal_type,
        "category": signal.category,
        "status": signal.status,
        "confidence": signal.confidence,
        "match_confidence": signal.match_confidence,
        "event_date": _iso(signal.event_date),
        "org": signal.org,
        "title": signal.title,
        "credential": signal.credential,
        "summary": signal.summary,
        "detected_at": _iso(signal.detected_at),
        "updated_at": _iso(signal.updated_at),
        "evidence_count": len(evidence),
        "evidence": [
            {"kind": e.kind, "source_url": e.source_url, "snippet": e.snippet, "observed_at": _iso(e.observed_at)}
            for e in evidence
        ],
    }


def publish_signal(session: Session, signal: Signal, *, created: bool) -> str:
    """One line for the merge step: ``signal.created.v1`` for a new signal, else ``signal.updated.v1``."""
    session.flush()
    return publish(
        session,
        SIGNAL_CREATED if created else SIGNAL_UPDATED,
        aggregate_type="signal",
        aggregate_id=signal.id,
        lead_id=signal.lead_id,
        payload=signal_payload(session, signal),
    )


def publish_signal_detected(session: Session, signal: Signal, *, created: bool) -> str:
    """Tell the alerts processor a signal was stored or corroborated (internal, never a webhook)."""
    return publish(
        session,
        SIGNAL_DETECTED,
        aggregate_type="signal",
        aggregate_id=signal.id,
        lead_id=signal.lead_id,
        payload={"signal_id": signal.id, "created": created},
    )


def publish_lead_enriched(session: Session, lead: Lead) -> str:
    """The enrichment fields leadsignal owns, for the CRM to mirror."""
    return publish(
        session,
        LEAD_ENRICHED,
        aggregate_type="lead",
        aggregate_id=lead.id,
        lead_id=lead.id,
        payload={
            "lead_id": lead.id,
            "agency_id_number": lead.agency_id_number,
            "companyDomain": lead.company_domain,
            "companyAbout": lead.company_about,
            "linkedin_url": lead.linkedin_url,
        },
    )


def _lock_cursor(session: Session, consumer: str) -> OutboxCursor:
    insert_ignore(session, OutboxCursor.__table__, {"consumer": consumer, "last_id": 0, "updated_at": utcnow()})  # type: ignore[arg-type]
    cursor = session.scalar(select(OutboxCursor).where(OutboxCursor.consumer == consumer).with_for_update())
    assert cursor is not None
    return cursor


def consume(
    session: Session,
    consumer: str,
    *,
    now: dt.datetime,
    limit: int = 500,
    gap_grace: dt.timedelta = dt.timedelta(seconds=10),
) -> list[OutboxEvent]:
    """Take the next events for ``consumer`` and move its cursor past them, in the caller's transaction.

    The cursor row is locked, so concurrent consumers of the same name take turns. On PostgreSQL
    ids come from a sequence and a transaction that began earlier may commit a lower id later:
    reading stops at a hole in the ids until the event after it is older than ``gap_grace``
    (a rolled-back insert leaves a hole forever), so a late commit is not skipped.
    """
    cursor = _lock_cursor(session, consumer)
    rows = session.scalars(
        select(OutboxEvent).where(OutboxEvent.id > cursor.last_id).order_by(OutboxEvent.id).limit(limit)
    ).all()
    taken: list[OutboxEvent] = []
    expected = cursor.last_id + 1
    for row in rows:
        if row.id != expected and row.created_at > now - gap_grace:
            break
        taken.append(row)
        expected = row.id + 1
    if taken:
        cursor.last_id = taken[-1].id
        cursor.updated_at = now
        session.flush()
    return taken


def cursor_position(session: Session, consumer: str) -> int:
    value = session.scalar(select(OutboxCursor.last_id).where(OutboxCursor.consumer == consumer))
    return int(value or 0)


def get_event(session: Session, event_id: str) -> OutboxEvent | None:
    return session.scalar(select(OutboxEvent).where(OutboxEvent.event_id == event_id))
