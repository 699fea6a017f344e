from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from leadsignal.core.crypto import PiiCipher
from leadsignal.signals.merge import merge_candidate, summarise
from leadsignal.signals.models import Signal, SignalEvidence
from tests.factories import make_lead
from tests.signals.factories import candidate

NOW = dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC)


def test_post_and_profile_change_of_one_event_become_one_signal(db: Session, cipher: PiiCipher) -> None:
    lead = make_lead(db, cipher)
    first = merge_candidate(db, candidate(lead.id, confidence=0.8), now=NOW)
    second = merge_candidate(
        db,
        candidate(lead.id, kind="profile_diff", evidence_key="diff:1:new_position_new_employer:Data Analyst",
                  org="Contoso Health Inc.", confidence=0.9, event_date=dt.date(2026, 11, 1)),
        now=NOW + dt.timedelta(hours=5),
    )  # fmt: skip
    assert first.created
    assert not second.created
    assert second.signal_id == first.signal_id
    signal = db.get(Signal, first.signal_id)
    assert signal is not None
    assert signal.evidence_count == 2
    assert signal.confidence == pytest.approx(1 - 0.2 * 0.1)
    assert signal.event_date == dt.date(2026, 11, 1)
    assert signal.summary == "New job: Data Analyst at Contoso Health"


def test_same_evidence_twice_is_a_duplicate(db: Session, cipher: PiiCipher) -> None:
    lead = make_lead(db, cipher)
    c = candidate(lead.id)
    merge_candidate(db, c, now=NOW)
    again = merge_candidate(db, c, now=NOW)
    assert again.duplicate
    assert db.scalar(select(func.count(SignalEvidence.id))) == 1


def test_different_employers_are_different_signals(db: Session, cipher: PiiCipher) -> None:
    lead = make_lead(db, cipher)
    a = merge_candidate(db, candidate(lead.id, org="Contoso Health"), now=NOW)
    b = merge_candidate(db, candidate(lead.id, org="Northwind Logistics"), now=NOW)
    assert a.signal_id != b.signal_id


def test_events_outside_the_window_are_new_signals(db: Session, cipher: PiiCipher) -> None:
    lead = make_lead(db, cipher)
    a = merge_candidate(db, candidate(lead.id), now=NOW)
    b = merge_candidate(db, candidate(lead.id), now=NOW + dt.timedelta(days=200))
    assert a.signal_id != b.signal_id


def test_unknown_subject_joins_known_one(db: Session, cipher: PiiCipher) -> None:
    lead = make_lead(db, cipher)
    a = merge_candidate(db, candidate(lead.id, signal_type="license", org=None, title=None, credential="RN"), now=NOW)
    b = merge_candidate(db, candidate(lead.id, signal_type="license", org=None, title=None, credential=None), now=NOW)
    assert a.signal_id == b.signal_id


def test_hardship_category_and_unknown_type(db: Session, cipher: PiiCipher) -> None:
    lead = make_lead(db, cipher)
    out = merge_candidate(db, candidate(lead.id, signal_type="job_loss", kind="profile_diff"), now=NOW)
    assert db.get(Signal, out.signal_id).category == "hardship"  # type: ignore[union-attr]
    with pytest.raises(ValueError, match="unknown signal type"):
        merge_candidate(db, candidate(lead.id, signal_type="lottery_win"), now=NOW)


def test_summaries() -> None:
    assert summarise("license", org=None, title=None, credential="Registered Nurse") == "Licence: Registered Nurse"
    assert summarise("award", org=None, title=None, credential=None) == "Award"
