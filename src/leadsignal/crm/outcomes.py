"""Store what agents did in the CRM (contacts, promises, payments), once per CRM id."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from leadsignal.compliance import audit
from leadsignal.crm.models import Outcome
from leadsignal.crm.schemas import OutcomeFields, OutcomeIn, OutcomeOut
from leadsignal.crm.sync import find_lead
from leadsignal.db import utcnow
from leadsignal.events.service import OUTCOME_RECORDED, publish
from leadsignal.events.sql import insert_ignore
from leadsignal.leads.models import Lead
from leadsignal.matching.service import reopen_for_review
from leadsignal.signals.models import Signal
from leadsignal.sources.parsing import canonical_or_none

_COMPARED = ("lead_id", "outcome", "occurred_at", "agent_external_id", "signal_id", "amount")


class OutcomeConflict(ValueError):
    """The external id was already used for a different outcome."""


class BadSignalReference(ValueError):
    """The outcome names a signal that does not exist or belongs to another lead."""


@dataclass
class Recorded:
    outcome: Outcome
    created: bool


def record_outcome(session: Session, data: OutcomeIn, *, source: str, actor: audit.Actor) -> Recorded:
    """Record an outcome the CRM reported for the lead with ``data.agency_id_number``."""
    return record_lead_outcome(session, find_lead(session, data.agency_id_number), data, source=source, actor=actor)


def record_lead_outcome(
    session: Session,
    lead: Lead,
    data: OutcomeFields,
    *,
    source: str,
    actor: audit.Actor,
    audit_details: dict[str, Any] | None = None,
) -> Recorded:
    """Insert the outcome unless its external id exists; the same report twice is stored once.
    ``audit_details`` are added to the ``outcome.recorded`` audit row (never notes: they may hold PII)."""
    if data.signal_id is not None:
        signal = session.get(Signal, data.signal_id)
        if signal is None or signal.lead_id != lead.id:
            lead_name = lead.agency_id_number or lead.id
            raise BadSignalReference(f"signal {data.signal_id} is not a signal of lead {lead_name}")
    values = {
        "external_id": data.external_id, "lead_id": lead.id, "signal_id": data.signal_id, "outcome": data.outcome,
        "amount": data.amount, "occurred_at": data.occurred_at, "agent_external_id": data.agent_external_id,
        "notes": data.notes, "source": source, "created_at": utcnow(),
    }  # fmt: skip
    created = insert_ignore(session, Outcome.__table__, values)  # type: ignore[arg-type]
    row = session.scalar(select(Outcome).where(Outcome.external_id == data.external_id))
    assert row is not None
    if not created:
        differing = [k for k in _COMPARED if getattr(row, k) != values[k]]
        if differing:
            raise OutcomeConflict(
                f"outcome {data.external_id!r} was already recorded with different {', '.join(differing)}"
            )
        return Recorded(row, False)
    audit.record(
        session, actor, "outcome.recorded", entity_type="lead", entity_id=lead.id,
        details={"outcome": data.outcome, "outcome_id": row.id, "external_id": data.external_id,
                 "signal_id": data.signal_id, **(audit_details or {})},
    )  # fmt: skip
    publish(
        session, OUTCOME_RECORDED, aggregate_type="outcome", aggregate_id=row.id, lead_id=lead.id,
        payload={
            "outcome_id": row.id, "external_id": row.external_id, "lead_id": lead.id,
            "agency_id_number": lead.agency_id_number, "outcome": row.outcome,
            "amount": None if row.amount is None else str(row.amount), "occurred_at": data.occurred_at.isoformat(),
            "agent_external_id": row.agent_external_id, "signal_id": row.signal_id,
        },
    )  # fmt: skip
    if data.outcome == "wrong_person":
        flag_wrong_person(session, lead, outcome_id=row.id, actor=actor)
    return Recorded(row, True)


def outcome_out(row: Outcome, *, created: bool) -> OutcomeOut:
    return OutcomeOut(
        id=row.id, external_id=row.external_id, lead_id=row.lead_id, outcome=row.outcome, occurred_at=row.occurred_at,
        agent_external_id=row.agent_external_id, signal_id=row.signal_id, amount=row.amount, created=created,
    )  # fmt: skip


def flag_wrong_person(session: Session, lead: Lead, *, outcome_id: int, actor: audit.Actor) -> None:
    """An agent reached the person and it was not our borrower: the identity match goes back to review,
    held for a person, so no further signal of that profile reaches an agent until someone decides."""
    reopened = reopen_for_review(
        session,
        lead,
        reason=f"agent reported wrong person (outcome {outcome_id})",
        actor=actor,
        agency_url=canonical_or_none(lead.linkedin_url),
    )
    audit.record(
        session, actor, "identity_match.wrong_person_reported", entity_type="lead", entity_id=lead.id,
        details={"outcome_id": outcome_id, "matches_reopened": reopened},
    )  # fmt: skip
