"""/api/v1/signals: the feed (newest first), one signal, acknowledge, and feedback for training."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query
from fastapi.responses import JSONResponse
from sqlalchemy import ColumnElement, literal, select, tuple_
from sqlalchemy.orm import Session, selectinload

from leadsignal.auth.access import access
from leadsignal.auth.deps import Principal, require_roles, require_scopes, visible_leads
from leadsignal.compliance import audit
from leadsignal.core.deps import SessionDep
from leadsignal.core.errors import ApiError
from leadsignal.core.pagination import (
    NO_NUL,
    CursorQuery,
    IdPath,
    IdQuery,
    LimitQuery,
    Page,
    decode_cursor,
    encode_cursor,
)
from leadsignal.crm.outcomes import outcome_out
from leadsignal.crm.schemas import OutcomeOut, SignalOutcomeIn
from leadsignal.db import utcnow
from leadsignal.leads.models import Lead
from leadsignal.nlp.feedback import FeedbackError, record_feedback
from leadsignal.signals import actions
from leadsignal.signals.models import SIGNAL_TYPES, Signal
from leadsignal.signals.schemas import (
    AssignIn,
    EvidenceOut,
    FeedbackIn,
    FeedbackOut,
    SignalDetail,
    SignalFeedItem,
    SignalOut,
)

router = APIRouter(prefix="/signals", tags=["signals"])

SignalReader = Annotated[Principal, Depends(require_scopes("signals:read"))]
SignalWorker = Annotated[Principal, Depends(require_roles("admin", "manager", "agent"))]
_ACT = {"agent": 200, "other_agent": 404, "manager": 200, "compliance": 403, "admin": 200, "client": 403}
IdempotencyKey = Annotated[
    str | None,
    Header(alias="Idempotency-Key", min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.:-]+$",
           description="Makes the request safe to retry: the same key again returns the stored outcome."),
]  # fmt: skip


def signal_before(detected: dt.datetime, signal_id: int) -> ColumnElement[bool]:
    """Keyset condition for (detected_at, id) descending."""
    return tuple_(Signal.detected_at, Signal.id) < tuple_(
        literal(detected, Signal.detected_at.type), literal(signal_id, Signal.id.type)
    )


def _feed_item(signal: Signal, lead: Lead) -> dict[str, Any]:
    """A signal's own fields plus the two of its lead the feed shows."""
    return {**SignalOut.model_validate(signal).model_dump(), "lead_name": lead.debtor_name, "team_id": lead.team_id}


@router.get(
    "",
    response_model=Page[SignalFeedItem],
    openapi_extra=access(agent=200, manager=200, compliance=200, admin=200, client=200),
)
def signal_feed(
    session: SessionDep,
    principal: SignalReader,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
    signal_type: Annotated[str | None, Query(max_length=32, pattern=NO_NUL)] = None,
    category: Annotated[str | None, Query(pattern="^(positive|hardship)$")] = None,
    status: Annotated[str | None, Query(max_length=24, pattern=NO_NUL)] = None,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    lead_id: IdQuery = None,
    team_id: IdQuery = None,
    min_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
) -> Page[SignalFeedItem]:
    """Signals of the leads the caller may see, newest first."""
    if signal_type is not None and signal_type not in SIGNAL_TYPES:
        raise ApiError(422, "validation_error", f"signal_type must be one of {', '.join(SIGNAL_TYPES)}")
    # A hold-out control signal stays unseen until its window ends (uplift/).
    conditions: list[ColumnElement[bool]] = [visible_leads(principal), Signal.alert_status != "held"]
    if signal_type:
        conditions.append(Signal.signal_type == signal_type)
    if category:
        conditions.append(Signal.category == category)
    if status:
        conditions.append(Signal.status == status)
    else:  # a disputed signal leaves the feed; compliance can still ask for status=disputed
        conditions.append(Signal.status != "disputed")
    if since:
        conditions.append(Signal.detected_at >= _aware(since, "since"))
    if until:
        conditions.append(Signal.detected_at < _aware(until, "until"))
    if lead_id is not None:
        conditions.append(Signal.lead_id == lead_id)
    if team_id is not None:
        conditions.append(Lead.team_id == team_id)
    if min_confidence is not None:
        conditions.append(Signal.confidence >= min_confidence)
    if cursor:
        detected, last_id = decode_cursor(cursor, dt.datetime)
        conditions.append(signal_before(detected, last_id))
    rows = session.execute(
        select(Signal, Lead).join(Lead, Lead.id == Signal.lead_id).where(*conditions)
        .order_by(Signal.detected_at.desc(), Signal.id.desc()).limit(limit + 1)
    ).all()  # fmt: skip
    page = rows[:limit]
    next_cursor = encode_cursor(page[-1][0].detected_at, page[-1][0].id) if len(rows) > limit else None
    if page:
        audit.record(session, principal.actor, "lead.read", entity_type="lead", fields=["debtor_name", "signals"],
                     details={"ids": sorted({lead.id for _, lead in page}), "via": "signal_feed"})  # fmt: skip
    return Page(items=[SignalFeedItem.model_validate(_feed_item(s, lead)) for s, lead in page], next_cursor=next_cursor)


def _aware(value: dt.datetime, name: str) -> dt.datetime:
    if value.tzinfo is None:
        raise ApiError(422, "validation_error", f"{name} needs a timezone (e.g. 2026-01-01T00:00:00Z)")
    return value


def visible_signal(session: Session, principal: Principal, signal_id: int) -> tuple[Signal, Lead]:
    row = session.execute(
        select(Signal, Lead).join(Lead, Lead.id == Signal.lead_id)
        .where(Signal.id == signal_id, visible_leads(principal), Signal.alert_status != "held")
        .options(selectinload(Signal.evidence))
    ).first()  # fmt: skip
    if row is None:
        raise ApiError(404, "not_found", f"signal {signal_id} not found")
    return row[0], row[1]


def _detail(session: Session, principal: Principal, signal: Signal, lead: Lead) -> SignalDetail:
    audit.record(session, principal.actor, "lead.read", entity_type="lead", entity_id=lead.id,
                 fields=["debtor_name", "signals"], details={"signal_ids": [signal.id]})  # fmt: skip
    return SignalDetail.model_validate(
        {**_feed_item(signal, lead), "evidence": [EvidenceOut.model_validate(e) for e in signal.evidence]}
    )


@router.get(
    "/{signal_id}",
    response_model=SignalDetail,
    openapi_extra=access(agent=200, other_agent=404, manager=200, compliance=200, admin=200, client=200),
)
def get_signal(signal_id: IdPath, session: SessionDep, principal: SignalReader) -> SignalDetail:
    signal, lead = visible_signal(session, principal, signal_id)
    return _detail(session, principal, signal, lead)


@router.post("/{signal_id}/ack", response_model=SignalDetail, openapi_extra=access(_ACT))
def acknowledge(signal_id: IdPath, session: SessionDep, principal: SignalWorker) -> SignalDetail:
    """Mark a new signal as seen; acknowledging twice changes nothing."""
    signal, lead = visible_signal(session, principal, signal_id)
    if signal.status == "new":
        signal.status = "acknowledged"
        signal.acknowledged_at = utcnow()
        session.flush()
        audit.record(session, principal.actor, "signal.acknowledged", entity_type="signal", entity_id=signal.id)
    return _detail(session, principal, signal, lead)


@router.post(
    "/{signal_id}/feedback",
    response_model=FeedbackOut,
    openapi_extra=access(_ACT, json={"verdict": "confirm"}),
)
def feedback(signal_id: IdPath, body: FeedbackIn, session: SessionDep, principal: SignalWorker) -> FeedbackOut:
    """Confirm or reject a signal; the verdict becomes a training label for the classifier."""
    signal, _lead = visible_signal(session, principal, signal_id)
    signal.status = "confirmed" if body.verdict == "confirm" else "rejected"
    label = signal.signal_type if body.verdict == "confirm" else "none"
    posts = [e for e in signal.evidence if e.kind == "post"]
    recorded = bool(posts) and _record_training_label(session, posts[0].snippet, label, signal.id)
    session.flush()
    audit.record(session, principal.actor, "signal.feedback", entity_type="signal", entity_id=signal.id,
                 details={"verdict": body.verdict, "label": label})  # fmt: skip
    return FeedbackOut(signal_id=signal.id, status=signal.status, label=label, recorded_for_training=recorded)


@router.post(
    "/{signal_id}/assign",
    response_model=SignalDetail,
    openapi_extra=access(_ACT, json={"user_id": "{agent_id}"}),
)
def assign_signal(signal_id: IdPath, body: AssignIn, session: SessionDep, principal: SignalWorker) -> SignalDetail:
    """Give the signal to a member of its team; an agent may take an unassigned signal for themselves."""
    signal, lead = visible_signal(session, principal, signal_id)
    actions.assign(session, principal, signal, lead, body.user_id)
    return _detail(session, principal, signal, lead)


@router.post(
    "/{signal_id}/outcomes",
    response_model=OutcomeOut,
    status_code=201,
    responses={200: {"model": OutcomeOut, "description": "the same Idempotency-Key again: the stored outcome"}},
    openapi_extra=access({**_ACT, "agent": 201, "manager": 201, "admin": 201}, json={"outcome": "contacted"}),
)
def record_signal_outcome(
    signal_id: IdPath, body: SignalOutcomeIn, session: SessionDep, principal: SignalWorker,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:  # fmt: skip
    """Record what came of the signal (contacted, promise to pay, wrong person...) in the outcome ledger.
    A contact moves a new, acknowledged or confirmed signal to "contacted"."""
    signal, lead = visible_signal(session, principal, signal_id)
    recorded = actions.record(session, principal, signal, lead, body, idempotency_key)
    out = outcome_out(recorded.outcome, created=recorded.created)
    return JSONResponse(out.model_dump(mode="json"), status_code=201 if recorded.created else 200)


def _record_training_label(session: Session, text: str, label: str, signal_id: int) -> bool:
    """Store the verdict as a labelled example for the next retraining (False if unusable)."""
    source = "agent_reject" if label == "none" else "agent_confirm"
    try:
        record_feedback(session, text=text, label=label, source=source, signal_id=signal_id)
    except FeedbackError:
        return False
    return True
