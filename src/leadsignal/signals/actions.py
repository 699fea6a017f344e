"""What an agent does with a signal in the dashboard: take or hand it to someone, record what happened.

Outcomes go through the CRM outcome ledger (crm/outcomes.py), so a dashboard outcome is stored,
audited, published and acted on (wrong person reopens identity review) exactly like a CRM one.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from leadsignal.auth.deps import Principal
from leadsignal.auth.models import Team, TeamMember, User
from leadsignal.compliance import audit
from leadsignal.core.errors import ApiError
from leadsignal.crm.models import Outcome
from leadsignal.crm.outcomes import OutcomeConflict, Recorded, record_lead_outcome
from leadsignal.crm.schemas import OutcomeFields, SignalOutcomeIn
from leadsignal.db import utcnow
from leadsignal.leads.models import Lead
from leadsignal.signals.models import Signal

DASHBOARD_SOURCE = "dashboard"
# Outcomes that mean someone worked the signal: it leaves the "to do" statuses.
CONTACT_OUTCOMES = frozenset(
    {"contacted", "right_party_contact", "promise_to_pay", "payment_plan_enrolled", "payment_received"}
)
OPEN_STATUSES = frozenset({"new", "acknowledged", "confirmed"})


def signal_team_id(signal: Signal, lead: Lead) -> int | None:
    """The team a signal belongs to: where routing sent it, else its lead's team."""
    return signal.routed_team_id if signal.routed_team_id is not None else lead.team_id


def assign(session: Session, principal: Principal, signal: Signal, lead: Lead, user_id: int) -> None:
    """Give the signal to ``user_id``. Managers assign within teams they manage, admins anywhere, each to an
    eligible member of the signal's team; an agent only takes an unassigned signal (or theirs) for themselves."""
    team_id = signal_team_id(signal, lead)
    if principal.role == "agent":
        if user_id != principal.id:
            raise ApiError(403, "forbidden", "agents may assign signals only to themselves")
        if signal.assignee_user_id not in (None, principal.id):
            raise ApiError(403, "forbidden", f"signal {signal.id} is already assigned to another user")
    elif principal.role == "manager" and team_id not in principal.managed_team_ids:
        raise ApiError(403, "forbidden", "managers assign signals only of teams they manage")
    _check_eligible(session, user_id, team_id, lead)
    previous = signal.assignee_user_id
    if previous == user_id:
        return
    signal.assignee_user_id = user_id
    session.flush()
    audit.record(
        session, principal.actor, "signal.assigned", entity_type="signal", entity_id=signal.id,
        fields=["assignee_user_id"], details={"from": previous, "to": user_id, "team_id": team_id},
    )  # fmt: skip


def _check_eligible(session: Session, user_id: int, team_id: int | None, lead: Lead) -> None:
    """An active agent or manager of the signal's team (member or its manager), or the lead's own assignee."""
    user = session.get(User, user_id)
    if user is None or not user.is_active or user.role not in ("agent", "manager"):
        raise ApiError(422, "invalid_assignee", f"user {user_id} is not an active agent or manager")
    if user_id == lead.assignee_user_id:
        return
    if team_id is None:
        raise ApiError(422, "invalid_assignee", "the signal has no team (neither routed nor its lead's); "
                       "assign the lead to a team first")  # fmt: skip
    team = session.get(Team, team_id)
    if session.get(TeamMember, (user_id, team_id)) is None and (team is None or team.manager_user_id != user_id):
        raise ApiError(422, "invalid_assignee", f"user {user_id} is not a member of the signal's team {team_id}")


def record(
    session: Session, principal: Principal, signal: Signal, lead: Lead, body: SignalOutcomeIn, key: str | None
) -> Recorded:
    """Store the outcome in the ledger once per idempotency key; on first record, a contact moves the
    signal to "contacted". The same key again with the same content returns the stored outcome."""
    external_id = f"dashboard:{key or uuid.uuid4()}"
    occurred_at = body.occurred_at
    if occurred_at is None:  # a repeat without a time means the time of the first request
        stored = session.scalar(select(Outcome.occurred_at).where(Outcome.external_id == external_id))
        occurred_at = stored or utcnow()
    data = OutcomeFields(external_id=external_id, outcome=body.outcome, occurred_at=occurred_at,
                         agent_external_id=f"user:{principal.id}", signal_id=signal.id, amount=body.amount,
                         notes=body.notes)  # fmt: skip
    try:
        recorded = record_lead_outcome(session, lead, data, source=DASHBOARD_SOURCE, actor=principal.actor,
                                       audit_details={"via": "dashboard", "user_email": principal.name})  # fmt: skip
    except OutcomeConflict as exc:
        raise ApiError(409, "conflict", f"Idempotency-Key {key!r} was already used: {exc}") from exc
    if recorded.created and body.outcome in CONTACT_OUTCOMES and signal.status in OPEN_STATUSES:
        previous = signal.status
        signal.status = "contacted"
        signal.acknowledged_at = signal.acknowledged_at or utcnow()
        session.flush()
        audit.record(
            session, principal.actor, "signal.contacted", entity_type="signal", entity_id=signal.id,
            details={"from": previous, "outcome": body.outcome, "outcome_id": recorded.outcome.id},
        )  # fmt: skip
    return recorded
