from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from leadsignal.compliance.audit import Actor
from leadsignal.compliance.models import AuditEntry
from leadsignal.core.crypto import PiiCipher
from leadsignal.leads.service import set_do_not_scrape
from leadsignal.matching.models import IdentityMatch
from leadsignal.matching.scoring import MatchResult
from leadsignal.matching.service import (
    MatchNotFound,
    confirmed_match_for,
    confirmed_profile_for,
    record_match,
    resolve_lead,
    review,
    review_queue,
)
from tests.factories import make_lead
from tests.matching.factories import ListSearch, profile

ALICE = Actor("user:alice", origin="test")
TODAY = dt.date(2026, 11, 23)


def result(decision: str, score: float) -> MatchResult:
    return MatchResult(decision=decision, score=score, reasons=[f"{decision} because"])


def test_record_match_is_an_idempotent_upsert(db: Session, cipher: PiiCipher) -> None:
    lead = make_lead(db, cipher)
    prof = profile()
    first = record_match(db, lead.id, prof, result("review", 0.7))
    again = record_match(db, lead.id, prof, result("review", 0.7))
    assert first.id == again.id
    updated = record_match(db, lead.id, prof, result("confirmed", 0.97))
    assert (updated.id, updated.status, updated.score, updated.reasons) == (
        first.id,
        "confirmed",
        0.97,
        ["confirmed because"],
    )
    rows = db.scalars(select(IdentityMatch).where(IdentityMatch.lead_id == lead.id)).all()
    assert len(rows) == 1
    # Only status changes are audited, not every identical re-score.
    actions = db.scalars(select(AuditEntry.action).where(AuditEntry.entity_type == "identity_match")).all()
    assert actions == ["identity_match.recorded", "identity_match.recorded"]


def test_a_human_decision_is_never_downgraded(db: Session, cipher: PiiCipher) -> None:
    lead = make_lead(db, cipher)
    prof = profile()
    row = record_match(db, lead.id, prof, result("review", 0.8))
    review(db, row.id, approve=False, actor=ALICE)
    record_match(db, lead.id, prof, result("confirmed", 0.99))
    assert row.status == "human_rejected"
    assert row.score == 0.99  # the score is refreshed, the person's decision stays
    assert confirmed_profile_for(db, lead.id) is None


def test_confirmed_profile_prefers_people_and_refuses_ambiguity(db: Session, cipher: PiiCipher) -> None:
    lead = make_lead(db, cipher)
    a, b, c = profile(), profile(), profile()
    assert confirmed_profile_for(db, lead.id) is None
    record_match(db, lead.id, a, result("confirmed", 0.97))
    assert confirmed_match_for(db, lead.id) == (a.profile_url, 0.97)
    record_match(db, lead.id, b, result("confirmed", 0.98))
    assert confirmed_profile_for(db, lead.id) is None  # two automatic confirmations: cannot tell them apart
    row_c = record_match(db, lead.id, c, result("review", 0.6))
    review(db, row_c.id, approve=True, actor=ALICE)
    assert confirmed_match_for(db, lead.id) == (c.profile_url, 1.0)


def test_review_queue_and_review_are_audited(db: Session, cipher: PiiCipher) -> None:
    lead = make_lead(db, cipher)
    low = record_match(db, lead.id, profile(), result("review", 0.55))
    high = record_match(db, lead.id, profile(), result("review", 0.9))
    record_match(db, lead.id, profile(), result("rejected", 0.1))
    queue = review_queue(db, limit=10)
    assert [m.id for m in queue if m.lead_id == lead.id] == [high.id, low.id]
    assert len(review_queue(db, limit=1)) == 1
    done = review(db, high.id, approve=True, actor=ALICE)
    assert (done.status, done.reviewed_by) == ("human_confirmed", "user:alice")
    assert done.reviewed_at is not None
    entry = db.scalars(select(AuditEntry).where(AuditEntry.action == "identity_match.approved")).one()
    assert (entry.actor, entry.entity_id, entry.details["previous"]) == ("user:alice", str(high.id), "pending_review")
    assert high.id not in [m.id for m in review_queue(db, limit=10)]
    with pytest.raises(MatchNotFound, match="identity match 999999 does not exist"):
        review(db, 999999, approve=True, actor=ALICE)


def test_resolve_lead_searches_scores_and_records(db: Session, cipher: PiiCipher) -> None:
    lead = make_lead(db, cipher, debtor_name="Jane Doe", city="Columbus", state="OH", dob=dt.date(2000, 3, 7))
    right = profile()
    elsewhere = profile(location_text="Austin, Texas, United States", city="Austin", state="TX")
    search = ListSearch([right, elsewhere, right])
    results = resolve_lead(db, lead, None, search, cipher, today=TODAY)
    assert [r.decision for r in results] == ["confirmed", "rejected"]
    assert search.queries == [{"first_name": "Jane", "last_name": "Doe", "location": "Columbus, Ohio", "limit": 10}]
    assert confirmed_profile_for(db, lead.id) == right.profile_url
    # Resolved leads are not searched again.
    assert resolve_lead(db, lead, None, search, cipher, today=TODAY) == []
    assert len(search.queries) == 1


def test_resolve_lead_sends_several_confirmations_to_review(db: Session, cipher: PiiCipher) -> None:
    lead = make_lead(db, cipher, debtor_name="Jane Doe", dob=dt.date(2000, 3, 7))
    results = resolve_lead(db, lead, None, ListSearch([profile(), profile()]), cipher, today=TODAY)
    assert [r.decision for r in results] == ["review", "review"]
    assert all("ambiguous: 2 candidates" in r.reasons[-1] for r in results)
    assert confirmed_profile_for(db, lead.id) is None
    assert len(review_queue(db, limit=10)) >= 2


def test_resolve_lead_never_searches_opted_out_leads(db: Session, cipher: PiiCipher) -> None:
    lead = make_lead(db, cipher)
    set_do_not_scrape(db, lead, reason="consumer request", source="test", actor=ALICE)
    search = ListSearch([profile()])
    assert resolve_lead(db, lead, None, search, cipher) == []
    assert search.queries == []


def test_matches_go_with_their_lead(db: Session, cipher: PiiCipher) -> None:
    lead = make_lead(db, cipher)
    record_match(db, lead.id, profile(), result("review", 0.7))
    db.delete(lead)
    db.flush()
    assert db.scalars(select(IdentityMatch).where(IdentityMatch.lead_id == lead.id)).all() == []
