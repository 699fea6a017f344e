"""Legal holds: while a lead is on hold, retention deletes nothing of it. Setting and releasing is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict
from sqlalchemy import ColumnElement, Select, or_, select
from sqlalchemy.orm import Session

from leadsignal.compliance import audit
from leadsignal.compliance.retention_models import LegalHold
from leadsignal.db import utcnow
from leadsignal.leads.models import Lead


class HoldError(ValueError):
    """A hold request that cannot be carried out (no reason, or no active hold to release)."""


class NoSuchLead(HoldError):
    pass


class HoldView(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    lead_id: int
    reason: str
    set_by: str
    set_at: dt.datetime
    released_at: dt.datetime | None
    released_by: str | None
    release_reason: str | None
    active: bool


def view(row: LegalHold) -> HoldView:
    return HoldView.model_validate({**{c: getattr(row, c) for c in HoldView.model_fields if c != "active"},
                                    "active": row.released_at is None})  # fmt: skip


def active_hold(session: Session, lead_id: int) -> LegalHold | None:
    stmt = select(LegalHold).where(LegalHold.lead_id == lead_id, LegalHold.released_at.is_(None)).order_by(LegalHold.id)
    return session.scalars(stmt).first()


def set_hold(session: Session, lead_id: int, reason: str, *, actor: audit.Actor) -> LegalHold:
    """Put a lead on hold; a lead already on hold keeps its hold and gets the new reason."""
    reason = reason.strip()
    if not reason:
        raise HoldError("a legal hold needs a reason")
    if session.get(Lead, lead_id) is None:
        raise NoSuchLead(f"no lead {lead_id}")
    row = active_hold(session, lead_id)
    if row is None:
        row = LegalHold(lead_id=lead_id, reason=reason, set_by=actor.name, set_at=utcnow())
        session.add(row)
    else:
        row.reason = reason
    session.flush()
    audit.record(session, actor, "legal_hold.set", entity_type="lead", entity_id=lead_id, fields=["legal_hold"],
                 details={"hold_id": row.id, "reason": reason})  # fmt: skip
    return row


def release_hold(session: Session, lead_id: int, reason: str, *, actor: audit.Actor) -> LegalHold:
    reason = reason.strip()
    if not reason:
        raise HoldError("releasing a legal hold needs a reason")
    rows = session.scalars(select(LegalHold).where(LegalHold.lead_id == lead_id, LegalHold.released_at.is_(None))).all()
    if not rows:
        raise NoSuchLead(f"lead {lead_id} has no active legal hold")
    now = utcnow()
    for row in rows:
        row.released_at, row.released_by, row.release_reason = now, actor.name, reason
    session.flush()
    audit.record(session, actor, "legal_hold.released", entity_type="lead", entity_id=lead_id,
                 fields=["legal_hold"], details={"hold_ids": [r.id for r in rows], "reason": reason})  # fmt: skip
    lead = session.get(Lead, lead_id)
    if lead is not None:
        from leadsignal.compliance.optout import purge_after_hold  # optout checks holds: import here, not above

        purge_after_hold(session, lead, actor=actor)
    return rows[0]


def list_holds(session: Session, *, active_only: bool = True, limit: int = 500) -> list[LegalHold]:
    stmt = select(LegalHold).order_by(LegalHold.set_at.desc(), LegalHold.id.desc()).limit(limit)
    if active_only:
        stmt = stmt.where(LegalHold.released_at.is_(None))
    return list(session.scalars(stmt))


def held_leads() -> Select[int]:
    """Ids of leads under an active hold, as a subquery."""
    return select(LegalHold.lead_id).where(LegalHold.released_at.is_(None))


def not_held(lead_column: ColumnElement[Any]) -> ColumnElement[bool]:
    return or_(lead_column.is_(None), lead_column.not_in(held_leads()))
