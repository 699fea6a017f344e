"""Store match decisions, answer "which profile is this lead?", and run the human review queue.

Services flush and never commit; the caller owns the transaction.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from leadsignal.compliance import audit
from leadsignal.core.crypto import PiiCipher
from leadsignal.db import utcnow
from leadsignal.leads.models import Lead
from leadsignal.leads.us_states import STATE_CODES
from leadsignal.matching.identity import LeadIdentity, identity_from_lead
from leadsignal.matching.models import HUMAN_STATUSES, STATUS_OF_DECISION, IdentityMatch
from leadsignal.matching.scoring import MatchResult, Thresholds, score_candidate
from leadsignal.sources.records import ProfileRecord, ProfileSearch

CONFIRMED_STATUSES = ("confirmed", "human_confirmed")


class MatchNotFound(LookupError):
    """No identity match has that id."""


def _find(session: Session, lead_id: int, profile_url: str) -> IdentityMatch | None:
    return session.scalars(
        select(IdentityMatch).where(IdentityMatch.lead_id == lead_id, IdentityMatch.profile_url == profile_url)
    ).first()


def record_match(session: Session, lead_id: int, profile: ProfileRecord, result: MatchResult) -> IdentityMatch:
    """Insert or update the score of one (lead, profile) pair; a person's decision is never overwritten."""
    url = profile.profile_url
    if len(url) > 255:
        raise ValueError(f"profile URL longer than 255 characters: {url[:80]}...")
    row = _find(session, lead_id, url)
    previous = row.status if row is not None else None
    if row is None:
        row = IdentityMatch(
            lead_id=lead_id,
            profile_url=url,
            score=result.score,
            decision=result.decision,
            reasons=list(result.reasons),
            status=STATUS_OF_DECISION[result.decision],
        )
        try:
            with session.begin_nested():
                session.add(row)
        except IntegrityError:  # another worker recorded the same pair first
            existing = _find(session, lead_id, url)
            if existing is None:
                raise
            row, previous = existing, existing.status
    if previous is not None:
        row.score, row.decision, row.reasons = result.score, result.decision, list(result.reasons)
        if not _held_by_a_person(row):
            row.status = STATUS_OF_DECISION[result.decision]
    session.flush()
    if row.status != previous:
        audit.record(
            session,
            audit.SYSTEM,
            "identity_match.recorded",
            entity_type="identity_match",
            entity_id=row.id,
            details={"lead_id": lead_id, "status": row.status, "previous": previous, "score": row.score},
        )
    return row


def _held_by_a_person(row: IdentityMatch) -> bool:
    """A person's decision, or a person's report that sent the match back to review."""
    return row.status in HUMAN_STATUSES or (row.status == "pending_review" and row.reviewed_by is not None)


def agency_link_usable(session: Session, lead_id: int, profile_url: str) -> bool:
    """An agency-supplied profile URL counts as confirmed unless someone has since disputed it."""
    row = _find(session, lead_id, profile_url)
    return row is None or row.status in CONFIRMED_STATUSES


def reopen_for_review(
    session: Session, lead: Lead, *, reason: str, actor: audit.Actor, agency_url: str | None = None
) -> int:
    """Send a lead's confirmed profile(s) back to the review queue (e.g. an agent reached the wrong person).

    The reopened rows are held for a person: automatic re-scoring will not confirm them again.
    Returns how many matches were reopened.
    """
    now = utcnow()
    rows = list(
        session.scalars(
            select(IdentityMatch).where(IdentityMatch.lead_id == lead.id, IdentityMatch.status.in_(CONFIRMED_STATUSES))
        )
    )
    if agency_url and _find(session, lead.id, agency_url) is None:
        row = IdentityMatch(lead_id=lead.id, profile_url=agency_url, score=1.0, decision="review",
                            reasons=["profile URL supplied by the agency"], status="confirmed")  # fmt: skip
        session.add(row)
        rows.append(row)
    for row in rows:
        previous = row.status
        row.status = "pending_review"
        row.reviewed_by = actor.name
        row.reviewed_at = now
        row.reasons = [*row.reasons, reason]
        session.flush()
        details = {"lead_id": lead.id, "previous": previous, "reason": reason}
        audit.record(
            session, actor, "identity_match.reopened", entity_type="identity_match", entity_id=row.id,
            fields=["status"], details=details,
        )  # fmt: skip
    return len(rows)


def confirmed_match_for(session: Session, lead_id: int) -> tuple[str, float] | None:
    """(profile URL, match confidence) that may feed alerts: a person's confirmation (confidence 1.0),
    else the single automatic confirmation with its score.

    Two automatically confirmed profiles for one lead mean we cannot tell them apart, so neither counts.
    """
    rows = list(
        session.scalars(
            select(IdentityMatch).where(IdentityMatch.lead_id == lead_id, IdentityMatch.status.in_(CONFIRMED_STATUSES))
        )
    )
    human = [r for r in rows if r.status == "human_confirmed"]
    if human:
        epoch = dt.datetime.min.replace(tzinfo=dt.UTC)
        return max(human, key=lambda r: (r.reviewed_at or epoch, r.id)).profile_url, 1.0
    return (rows[0].profile_url, rows[0].score) if len(rows) == 1 else None


def confirmed_profile_for(session: Session, lead_id: int) -> str | None:
    """The profile URL that may feed alerts for a lead, or None (see ``confirmed_match_for``)."""
    match = confirmed_match_for(session, lead_id)
    return match[0] if match else None


def review_queue(session: Session, limit: int = 50) -> list[IdentityMatch]:
    """Matches waiting for a person, most likely first."""
    return list(
        session.scalars(
            select(IdentityMatch)
            .where(IdentityMatch.status == "pending_review")
            .order_by(IdentityMatch.score.desc(), IdentityMatch.created_at, IdentityMatch.id)
            .limit(limit)
        )
    )


def review(session: Session, match_id: int, *, approve: bool, actor: audit.Actor) -> IdentityMatch:
    """A person confirms or rejects a match; audited, and final against later automatic re-scores."""
    row = session.get(IdentityMatch, match_id)
    if row is None:
        raise MatchNotFound(f"identity match {match_id} does not exist")
    previous = row.status
    row.status = "human_confirmed" if approve else "human_rejected"
    row.reviewed_by = actor.name
    row.reviewed_at = utcnow()
    audit.record(
        session,
        actor,
        "identity_match.approved" if approve else "identity_match.rejected",
        entity_type="identity_match",
        entity_id=row.id,
        fields=["status"],
        details={"lead_id": row.lead_id, "previous": previous, "score": row.score},
    )
    session.flush()
    return row


def search_location(identity: LeadIdentity) -> str | None:
    """'Columbus, Ohio' for a people search, or just the state, or nothing."""
    state = STATE_CODES.get(identity.state) if identity.state else None
    if identity.city and state:
        return f"{identity.city}, {state}"
    return state


def resolve_lead(
    session: Session,
    lead: Lead,
    identity: LeadIdentity | None,
    search: ProfileSearch,
    cipher: PiiCipher | None = None,
    *,
    thresholds: Thresholds | None = None,
    limit: int = 10,
    today: dt.date | None = None,
) -> list[MatchResult]:
    """Search candidates for a lead without a confirmed profile, score and record each.

    Opted-out leads are never searched. When several candidates would be confirmed, none is:
    each goes to review, because we cannot tell which one is the borrower.
    """
    if lead.do_not_scrape or confirmed_profile_for(session, lead.id) is not None:
        return []
    who = identity or identity_from_lead(lead, cipher=cipher, today=today)
    found = search_candidates(search, who, limit=limit)
    return record_candidates(session, lead, who, found, thresholds=thresholds, today=today)


def search_candidates(search: ProfileSearch, who: LeadIdentity, *, limit: int = 10) -> list[ProfileRecord]:
    """The network half of resolution: call it outside any database transaction."""
    return search.search_people(
        first_name=who.first_name, last_name=who.last_name, location=search_location(who), limit=limit
    )


def record_candidates(
    session: Session,
    lead: Lead,
    who: LeadIdentity,
    found: list[ProfileRecord],
    *,
    thresholds: Thresholds | None = None,
    today: dt.date | None = None,
) -> list[MatchResult]:
    """Score and record search candidates for a lead (the database half of ``resolve_lead``)."""
    if lead.do_not_scrape:
        return []
    unique: dict[str, ProfileRecord] = {}
    for profile in found:
        unique.setdefault(profile.profile_url, profile)
    candidates = list(unique.values())
    results = [score_candidate(who, p, thresholds=thresholds, today=today) for p in candidates]
    confirmed = sum(r.decision == "confirmed" for r in results)
    if confirmed > 1:
        results = [
            r.model_copy(
                update={
                    "decision": "review",
                    "reasons": [*r.reasons, f"ambiguous: {confirmed} candidates would be confirmed for this lead"],
                }
            )
            if r.decision == "confirmed"
            else r
            for r in results
        ]
    for profile, result in zip(candidates, results, strict=True):
        record_match(session, lead.id, profile, result)
    return results
