"""The outbox: events commit with the change, carry the full signal, and each consumer reads by its own cursor."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from leadsignal.core.crypto import PiiCipher
from leadsignal.db import utcnow
from leadsignal.events.models import OutboxCursor, OutboxEvent
from leadsignal.events.service import (
    LEAD_ENRICHED,
    SIGNAL_CREATED,
    SIGNAL_UPDATED,
    consume,
    cursor_position,
    get_event,
    publish,
    publish_lead_enriched,
    publish_signal,
)
from leadsignal.signals.merge import merge_candidate
from leadsignal.signals.models import Signal
from tests.crm.factories import signal_candidate
from tests.factories import make_lead


def _count(db: Session) -> int:
    return int(db.scalar(select(func.count()).select_from(OutboxEvent)) or 0)


def test_publish_rolls_back_with_the_callers_change(db: Session, cipher: PiiCipher) -> None:
    lead = make_lead(db, cipher)
    before = _count(db)
    change = db.begin_nested()
    publish(db, LEAD_ENRICHED, aggregate_type="lead", aggregate_id=lead.id, lead_id=lead.id, payload={})
    assert _count(db) == before + 1
    change.rollback()  # the change failed: its event goes with it
    assert _count(db) == before


def test_unknown_event_type_is_refused(db: Session) -> None:
    with pytest.raises(ValueError, match=r"unknown event type 'signal\.created'"):
        publish(db, "signal.created", aggregate_type="signal", aggregate_id=1, lead_id=None, payload={})


def test_publish_signal_carries_the_signal_and_its_evidence(db: Session, cipher: PiiCipher) -> None:
    lead = make_lead(db, cipher)
    first = merge_candidate(db, signal_candidate(lead.id))
    signal = db.get(Signal, first.signal_id)
    assert signal is not None
    created_id = publish_signal(db, signal, created=first.created)
    second = merge_candidate(db, signal_candidate(lead.id, kind="profile_diff", snippet="New position"))
    assert second.signal_id == signal.id
    updated_id = publish_signal(db, signal, created=second.created)

    created, updated = get_event(db, created_id), get_event(db, updated_id)
    assert created is not None
    assert updated is not None
    assert (created.event_type, updated.event_type) == (SIGNAL_CREATED, SIGNAL_UPDATED)
    data = updated.payload
    assert data["signal_id"] == signal.id
    assert data["lead_id"] == lead.id
    assert data["agency_id_number"] == lead.agency_id_number
    assert data["type"] == "new_job"
    assert data["category"] == "positive"
    assert data["org"] == "Mercy Health"
    assert data["event_date"] == "2026-11-01"
    assert data["summary"] == "New job: Registered Nurse at Mercy Health"
    assert [e["snippet"] for e in data["evidence"]] == ["Thrilled to start as a nurse at Mercy Health!", "New position"]
    assert data["evidence"][0]["source_url"].startswith("https://www.linkedin.com/posts/")
    assert data["evidence_count"] == 2
    assert created.payload["evidence_count"] == 1
    assert updated.aggregate_type == "signal"
    assert updated.aggregate_id == str(signal.id)


def test_lead_enriched_payload(db: Session, cipher: PiiCipher) -> None:
    lead = make_lead(db, cipher, company_domain="mercy.com")
    event = get_event(db, publish_lead_enriched(db, lead))
    assert event is not None
    assert event.payload["companyDomain"] == "mercy.com"
    assert event.payload["agency_id_number"] == lead.agency_id_number


def _event(db: Session, event_id: int, created_at: dt.datetime) -> None:
    uid = f"00000000-0000-0000-0000-{event_id:012d}"
    db.add(OutboxEvent(id=event_id, event_id=uid, event_type=LEAD_ENRICHED, aggregate_type="lead",
                       aggregate_id="1", lead_id=None, payload={}, created_at=created_at))  # fmt: skip
    db.flush()


def test_consumers_read_independently(db: Session) -> None:
    now = utcnow()
    db.add_all([OutboxCursor(consumer="a", last_id=1000), OutboxCursor(consumer="b", last_id=1000)])
    for i in (1001, 1002, 1003):
        _event(db, i, now)
    assert [e.id for e in consume(db, "a", now=now, limit=2)] == [1001, 1002]
    assert [e.id for e in consume(db, "a", now=now)] == [1003]
    assert consume(db, "a", now=now) == []
    assert [e.id for e in consume(db, "b", now=now)] == [1001, 1002, 1003]
    assert cursor_position(db, "a") == cursor_position(db, "b") == 1003


def test_consume_waits_at_a_hole_until_it_is_old(db: Session) -> None:
    """A lower id may still be uncommitted in another transaction: do not skip it too soon."""
    now = utcnow()
    db.add(OutboxCursor(consumer="gap", last_id=2000))
    _event(db, 2001, now)
    _event(db, 2003, now)  # 2002 is missing: in flight elsewhere, or rolled back
    grace = dt.timedelta(seconds=10)
    assert [e.id for e in consume(db, "gap", now=now, gap_grace=grace)] == [2001]
    assert consume(db, "gap", now=now + dt.timedelta(seconds=5), gap_grace=grace) == []
    _event(db, 2002, now)  # the late commit arrives and is not lost
    assert [e.id for e in consume(db, "gap", now=now + dt.timedelta(seconds=5), gap_grace=grace)] == [2002, 2003]


def test_consume_skips_a_hole_after_the_grace(db: Session) -> None:
    now = utcnow()
    db.add(OutboxCursor(consumer="gap2", last_id=3000))
    _event(db, 3002, now)
    grace = dt.timedelta(seconds=10)
    assert consume(db, "gap2", now=now, gap_grace=grace) == []
    assert [e.id for e in consume(db, "gap2", now=now + dt.timedelta(seconds=11), gap_grace=grace)] == [3002]
