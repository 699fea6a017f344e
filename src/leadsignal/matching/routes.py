"""The identity review queue over HTTP: grey-zone matches, side by side with the lead.

Managers review matches of their teams' leads, admins all; compliance reads. A decision is final
against later automatic re-scoring and is audited (``matching.service.review``).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel
from sqlalchemy import select

from leadsignal.auth.access import access
from leadsignal.auth.deps import Principal, require_roles, visible_leads
from leadsignal.compliance import audit
from leadsignal.core.deps import SessionDep
from leadsignal.core.errors import ApiError
from leadsignal.leads.models import Lead
from leadsignal.matching.models import IdentityMatch
from leadsignal.matching.service import review

router = APIRouter(prefix="/identity/reviews", tags=["identity"])
Reader = Annotated[Principal, Depends(require_roles("admin", "manager", "compliance"))]
Reviewer = Annotated[Principal, Depends(require_roles("admin", "manager"))]
_READ = {"agent": 403, "manager": 200, "compliance": 200, "admin": 200, "client": 403}
_DECIDE = {"agent": 403, "manager": 404, "compliance": 403, "admin": 404, "client": 403}


class ReviewItem(BaseModel):
    match_id: int
    lead_id: int
    lead_name: str
    lead_city: str | None
    lead_state: str | None
    profile_url: str
    score: float
    decision: str
    reasons: list[str]
    status: str


REVIEW_FIELDS = ["city", "debtor_name", "identity_match", "state"]


class Decision(BaseModel):
    approve: bool


def _item(match: IdentityMatch, lead: Lead) -> ReviewItem:
    return ReviewItem(
        match_id=match.id, lead_id=lead.id, lead_name=lead.debtor_name, lead_city=lead.city, lead_state=lead.state,
        profile_url=match.profile_url, score=match.score, decision=match.decision,
        reasons=[str(r) for r in match.reasons], status=match.status,
    )  # fmt: skip


@router.get("", response_model=list[ReviewItem], openapi_extra=access(_READ))
def queue(session: SessionDep, principal: Reader, limit: Annotated[int, Query(ge=1, le=200)] = 50) -> list[ReviewItem]:
    """Matches waiting for a person, most likely first, for leads the caller may see."""
    rows = session.execute(
        select(IdentityMatch, Lead)
        .join(Lead, Lead.id == IdentityMatch.lead_id)
        .where(IdentityMatch.status == "pending_review", visible_leads(principal))
        .order_by(IdentityMatch.score.desc(), IdentityMatch.id)
        .limit(limit)
    ).all()
    if rows:
        audit.record(session, principal.actor, "lead.read", entity_type="lead", fields=REVIEW_FIELDS,
                     details={"ids": sorted({lead.id for _, lead in rows}), "via": "identity.reviews"})  # fmt: skip
    return [_item(match, lead) for match, lead in rows]


@router.post("/{match_id}", response_model=ReviewItem,
             openapi_extra=access(_DECIDE, json={"approve": True}, path={"match_id": "999999"}))  # fmt: skip
def decide(match_id: int, body: Decision, session: SessionDep, principal: Reviewer) -> ReviewItem:
    """Confirm (the profile is the borrower) or reject a match waiting for review."""
    row = session.execute(
        select(IdentityMatch, Lead)
        .join(Lead, Lead.id == IdentityMatch.lead_id)
        .where(IdentityMatch.id == match_id, visible_leads(principal))
    ).first()
    if row is None:
        raise ApiError(404, "not_found", f"no identity match {match_id}")
    match, lead = row
    if match.status != "pending_review":
        raise ApiError(409, "conflict", f"identity match {match_id} is not waiting for review ({match.status})")
    review(session, match_id, approve=body.approve, actor=principal.actor)
    return _item(match, lead)
