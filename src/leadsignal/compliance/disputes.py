"""Disputes of a signal: "that is not me" and "that is not true" (FCRA/FDCPA accuracy).

A dispute suppresses the signal at once: status ``disputed`` and alert status ``blocked`` (reason
``disputed``), which keeps it out of alerts, digests, escalations and the default signal feed.
"Not me" also sends the lead's confirmed identity match back to the human review queue, held
there against automatic re-confirmation: that review is the feedback the matcher learns from.
"Not true" records no classifier label on purpose: the borrower disputes the event, not our
reading of the text, so labelling the post "none" would teach the model the wrong thing.
Services flush; the caller owns the transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, Session, mapped_column

from leadsignal.compliance import audit
from leadsignal.compliance.optout import system_rights
from leadsignal.db import Base, BigIntPK, UTCDateTime, utcnow
from leadsignal.leads.models import Lead
from leadsignal.matching.service import reopen_for_review
from leadsignal.signals.models import Signal
from leadsignal.sources.parsing import canonical_or_none

DisputeKind = Literal["not_me", "not_true"]
KINDS: tuple[str, ...] = ("not_me", "not_true")
DISPUTED_REASON = "disputed"


class SignalDispute(Base):
    __tablename__ = "signal_disputes"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    signal_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("signals.id", ondelete="CASCADE"))
    lead_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("leads.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    notes: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    previous_status: Mapped[str] = mapped_column(String(24))
    previous_alert_status: Mapped[str] = mapped_column(String(16))
    matches_reopened: Mapped[int] = mapped_column(Integer, default=0)

    __table_args__ = (
        Index("ix_signal_disputes_created_at", "created_at"),
        Index("ix_signal_disputes_signal_id", "signal_id"),
        Index("ix_signal_disputes_lead_id", "lead_id"),
    )


def suppress(signal: Signal, reason: str) -> bool:
    """Block a signal from every alert path, keeping why; True if it was not blocked for this before."""
    changed = signal.alert_status != "blocked" or reason not in (signal.blocked_reasons or [])
    signal.alert_status = "blocked"
    if reason not in (signal.blocked_reasons or []):
        signal.blocked_reasons = [*(signal.blocked_reasons or []), reason]
    return changed


def create_dispute(
    session: Session,
    signal: Signal,
    lead: Lead,
    *,
    kind: DisputeKind,
    notes: str | None,
    actor: audit.Actor,
) -> SignalDispute:
    """Record a dispute and suppress the signal. A signal may be disputed more than once (each is kept)."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}")
    dispute = SignalDispute(
        signal_id=signal.id,
        lead_id=lead.id,
        kind=kind,
        notes=notes,
        created_by=actor.name,
        created_at=utcnow(),
        previous_status=signal.status,
        previous_alert_status=signal.alert_status,
        matches_reopened=0,
    )
    # Compliance may file a dispute; row-level security lets only workers update signals.
    with system_rights(session):
        signal.status = "disputed"
        suppress(signal, DISPUTED_REASON)
        if kind == "not_me":
            dispute.matches_reopened = reopen_for_review(
                session,
                lead,
                reason=f"signal {signal.id} disputed: not me",
                actor=actor,
                agency_url=canonical_or_none(lead.linkedin_url),
            )
        session.add(dispute)
        session.flush()
    audit.record(
        session,
        actor,
        "signal.disputed",
        entity_type="signal",
        entity_id=signal.id,
        fields=["status", "alert_status"],
        details={
            "lead_id": lead.id,
            "dispute_id": dispute.id,
            "kind": kind,
            "matches_reopened": dispute.matches_reopened,
            "previous_status": dispute.previous_status,
        },
    )
    return dispute
