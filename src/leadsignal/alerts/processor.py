"""Turn newly stored signals into alerts: guard, route, record, and announce to the live feed.

Runs as a consumer of the outbox (its own cursor) over the internal ``signal.detected.v1``
events, so it sees every signal once, in order; inline in the embedded default and as a Celery
task in production. Only a signal the guard allows becomes ``signal.created.v1`` (the CRM's
webhook) and ``alert.raised.v1`` (the live feed); a blocked one stays inside, with its reasons.
The verdict, the routing and those events commit with the cursor move.

Hold-out experiment (uplift/): a signal the guard allows is first assigned to the experiment; a
control lead's signal is ``held`` (no routing, no event, invisible to agents) until its window
ends, when ``release_due`` - run at the start of every ``process_pending`` - alerts it as usual.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

import structlog
from sqlalchemy import select
from sqlalchemy.orm import Session

from leadsignal.alerts import guard
from leadsignal.alerts.routing import route
from leadsignal.compliance import audit
from leadsignal.core.context import AppContext
from leadsignal.db import session_scope, utcnow
from leadsignal.events.service import ALERT_RAISED, HARDSHIP_FLAGGED, SIGNAL_DETECTED, consume, publish, publish_signal
from leadsignal.leads.models import Lead
from leadsignal.signals.models import Signal
from leadsignal.uplift.assignment import HoldoutConfig, hold_until

CONSUMER = "alerts"
ACTOR = audit.Actor("system:alerts")
log = structlog.get_logger(__name__)
_EXPIRED = "signal expired"  # the guard's reason; a released signal expired while held, not on its own


def process_pending(ctx: AppContext, *, now: dt.datetime | None = None, limit: int = 500) -> Counter[str]:
    """Evaluate every signal event the alerts consumer has not seen yet; returns counts by outcome."""
    now = now or utcnow()
    counts: Counter[str] = Counter()
    holdout = HoldoutConfig.from_settings(ctx.settings)
    with session_scope(ctx.sessions) as session:
        counts.update(release_due(session, now=now, limit=limit))
        grace = dt.timedelta(seconds=ctx.settings.outbox_gap_grace_seconds)
        # Gaps in outbox ids are judged against the real clock: they are about commit timing.
        for event in consume(session, CONSUMER, now=utcnow(), limit=limit, gap_grace=grace):
            if event.event_type != SIGNAL_DETECTED:
                continue
            signal = session.get(Signal, int(event.aggregate_id))
            if signal is None:
                continue
            if signal.alert_status == "pending":
                counts[evaluate(session, signal, now=now, holdout=holdout)] += 1
            elif signal.alert_status == "alerted":  # corroborated after alerting: the CRM gets the update
                publish_signal(session, signal, created=False)
                counts["updated"] += 1
            else:
                counts["already_decided"] += 1
    return counts


def release_due(session: Session, *, now: dt.datetime, limit: int = 500) -> Counter[str]:
    """Held control signals whose window has passed: guard them again and alert them as usual."""
    counts: Counter[str] = Counter()
    held = session.scalars(
        select(Signal).where(Signal.alert_status == "held", Signal.held_until <= now).order_by(Signal.id).limit(limit)
    ).all()
    for signal in held:
        counts[f"released_{evaluate(session, signal, now=now, released=True)}"] += 1
    return counts


def evaluate(
    session: Session, signal: Signal, *, now: dt.datetime, holdout: HoldoutConfig | None = None, released: bool = False
) -> str:
    """Guard, then (for an allowed signal) the hold-out, then route and announce."""
    lead = session.get(Lead, signal.lead_id)
    assert lead is not None
    decision = guard.check(session, signal, lead, now=now)
    if released and decision.route == "blocked" and decision.reasons == [_EXPIRED]:
        decision = guard.GuardDecision("alert")
    if decision.route == "alert" and holdout is not None:
        until = hold_until(session, signal, holdout, now=now)
        if until is not None:
            signal.alert_status, signal.held_until = "held", until
            session.flush()
            audit.record(session, ACTOR, "signal.held", entity_type="signal", entity_id=signal.id,
                         details={"lead_id": lead.id, "held_until": until.isoformat()})  # fmt: skip
            return "held"
    if decision.route == "blocked":
        signal.alert_status = "blocked"
        signal.blocked_reasons = decision.reasons
        audit.record(session, ACTOR, "signal.blocked", entity_type="signal", entity_id=signal.id,
                     details={"lead_id": lead.id, "reasons": decision.reasons})  # fmt: skip
        session.flush()
        return "blocked"
    assignment = route(session, signal, lead)
    signal.assignee_user_id = assignment.user_id
    signal.routed_team_id = assignment.team_id
    signal.alerted_at = now
    # A released control signal waited on purpose: its wait is not alerting latency.
    signal.alert_latency_ms = None if released else max(int((now - signal.detected_at).total_seconds() * 1000), 0)
    kind = "hardship" if decision.route == "hardship" else "alerted"
    signal.alert_status = kind
    signal.blocked_reasons = decision.reasons
    session.flush()
    if kind == "alerted":
        publish_signal(session, signal, created=True)  # to the CRM
    publish(
        session,
        HARDSHIP_FLAGGED if kind == "hardship" else ALERT_RAISED,
        aggregate_type="signal",
        aggregate_id=signal.id,
        lead_id=lead.id,
        payload=feed_payload(signal, lead, routing=assignment.as_dict()),
    )
    audit.record(session, ACTOR, f"signal.{kind}", entity_type="signal", entity_id=signal.id,
                 details={"lead_id": lead.id, "routing": assignment.as_dict(), "released": released})  # fmt: skip
    return kind


def feed_payload(signal: Signal, lead: Lead, *, routing: dict[str, Any]) -> dict[str, Any]:
    """What a feed card needs without another request (no PII beyond the borrower's name)."""
    return {
        "signal_id": signal.id,
        "lead_id": lead.id,
        "lead_name": lead.debtor_name,
        "signal_type": signal.signal_type,
        "category": signal.category,
        "summary": signal.summary,
        "priority": signal.priority,
        "priority_score": signal.priority_score,
        "confidence": signal.confidence,
        "detected_at": signal.detected_at.isoformat(),
        "alerted_at": signal.alerted_at.isoformat() if signal.alerted_at else None,
        "event_date": signal.event_date.isoformat() if signal.event_date else None,
        "assignee_user_id": signal.assignee_user_id,
        "team_id": signal.routed_team_id,
        "routing": routing,
    }
