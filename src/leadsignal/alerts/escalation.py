"""Escalate high-priority alerts nobody acknowledged: first to the manager, then to the admins.

Level 1 is due ``escalation_after_minutes`` after the alert, level 2 ``escalation_repeat_minutes``
after level 1. Each level is one ``signal_escalations`` row (unique per signal and level), so a
re-run or a second worker never repeats a step. A level with nobody to tell (no manager) is
recorded as skipped and the next level is taken at once, with the reason in its details.
Each signal is one transaction: a retryable email failure rolls its step back for the next run.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any, Literal

import structlog
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from leadsignal.alerts.email.port import IDEMPOTENCY_HEADER, OutgoingEmail, RetryableEmailError
from leadsignal.alerts.email.providers import build_email_sender
from leadsignal.alerts.email.render import DigestItem, render_alert_email
from leadsignal.alerts.email.service import send_and_log
from leadsignal.alerts.models import SignalEscalation
from leadsignal.alerts.preferences import get_preferences
from leadsignal.alerts.processor import feed_payload
from leadsignal.auth.models import Team, TeamMember, User
from leadsignal.compliance import audit
from leadsignal.core.context import AppContext
from leadsignal.db import session_scope, utcnow
from leadsignal.events.service import ALERT_ESCALATED, publish
from leadsignal.events.sql import insert_ignore
from leadsignal.leads.models import Lead
from leadsignal.signals.models import Signal, SignalEvidence

ACTOR = audit.Actor("system:escalation")
MAX_LEVEL = 2
log = structlog.get_logger(__name__)
Outcome = Literal["escalated", "skipped_level", "deferred", "dry_run", "not_due"]


class EscalationStep(BaseModel):
    signal_id: int
    level: int
    outcome: Outcome
    recipients: list[str] = Field(default_factory=list)
    reason: str


class EscalationReport(BaseModel):
    now: dt.datetime
    dry_run: bool
    counts: dict[str, int] = Field(default_factory=dict)
    steps: list[EscalationStep] = Field(default_factory=list)


def email_key(signal_id: int, level: int, user_id: int) -> str:
    # One message per recipient (level 2 goes to every admin), and email_log keys are unique.
    return f"escalation:{signal_id}:{level}:{user_id}"


def escalate_due(ctx: AppContext, now: dt.datetime | None = None, *, dry_run: bool = False) -> EscalationReport:
    """Take every due escalation step of every unacknowledged high-priority alert."""
    now = now or utcnow()
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    after = dt.timedelta(minutes=ctx.settings.escalation_after_minutes)
    report = EscalationReport(now=now, dry_run=dry_run)
    with session_scope(ctx.sessions) as session:
        candidates = list(session.scalars(
            select(Signal.id)
            .where(Signal.alert_status == "alerted", Signal.priority == "high", Signal.acknowledged_at.is_(None),
                   Signal.status == "new", Signal.escalation_level < MAX_LEVEL, Signal.alerted_at <= now - after)
            .order_by(Signal.alerted_at, Signal.id)
        ))  # fmt: skip
    for signal_id in candidates:
        try:
            with session_scope(ctx.sessions) as session:
                steps = _escalate_signal(ctx, session, signal_id, now, dry_run=dry_run)
                if dry_run:
                    session.rollback()
        except RetryableEmailError as exc:
            steps = [EscalationStep(signal_id=signal_id, level=0, outcome="deferred", reason=str(exc)[:300])]
        report.steps.extend(s for s in steps if s.outcome != "not_due")
    report.counts = dict(Counter(s.outcome for s in report.steps))
    log.info("escalation.run", dry_run=dry_run, counts=report.counts)
    return report


def _escalate_signal(ctx: AppContext, session: Session, signal_id: int, now: dt.datetime, *,
                     dry_run: bool) -> list[EscalationStep]:  # fmt: skip
    signal = session.scalar(select(Signal).where(Signal.id == signal_id).with_for_update())
    if signal is None or signal.acknowledged_at is not None or signal.status != "new" or signal.alerted_at is None:
        return []
    steps: list[EscalationStep] = []
    carried: str | None = None  # why the previous level was skipped
    while signal.escalation_level < MAX_LEVEL:
        level = signal.escalation_level + 1
        if now < _due_at(ctx, session, signal, level):
            break
        recipients, reason = _recipients(session, signal, level)
        if carried:
            reason = f"{reason} ({carried})"
        if not recipients and level < MAX_LEVEL:
            step = _record(session, signal, level, [], reason, now, skipped=True, dry_run=dry_run)
            steps.append(step)
            if step.outcome == "not_due":
                break
            carried = f"level {level} skipped: {reason}"
            continue
        step = _record(session, signal, level, recipients, reason, now, skipped=not recipients, dry_run=dry_run)
        steps.append(step)
        if recipients and step.outcome == "escalated":
            _notify(ctx, session, signal, level, recipients, reason, now)
        break  # the next level waits for its own delay
    return steps


def _due_at(ctx: AppContext, session: Session, signal: Signal, level: int) -> dt.datetime:
    assert signal.alerted_at is not None
    after = dt.timedelta(minutes=ctx.settings.escalation_after_minutes)
    repeat = dt.timedelta(minutes=ctx.settings.escalation_repeat_minutes)
    if level == 1:
        return signal.alerted_at + after
    previous = session.scalar(
        select(SignalEscalation).where(SignalEscalation.signal_id == signal.id, SignalEscalation.level == level - 1)
    )
    if previous is None:
        return signal.alerted_at + after + repeat
    if previous.details.get("skipped"):
        return previous.escalated_at  # nobody was told at the previous level: go on at once
    return previous.escalated_at + repeat


def _recipients(session: Session, signal: Signal, level: int) -> tuple[list[User], str]:
    if level >= MAX_LEVEL:
        admins = list(session.scalars(
            select(User).where(User.role == "admin", User.is_active.is_(True)).order_by(User.id)
        ))  # fmt: skip
        return admins, "still not acknowledged: up the chain to the admins" if admins else "no active admin"
    team_ids: list[int] = []
    if signal.routed_team_id is not None:
        team_ids.append(signal.routed_team_id)
    if signal.assignee_user_id is not None:
        team_ids += list(session.scalars(
            select(TeamMember.team_id).where(TeamMember.user_id == signal.assignee_user_id).order_by(TeamMember.team_id)
        ))  # fmt: skip
    for team_id in dict.fromkeys(team_ids):
        team = session.get(Team, team_id)
        if team is None or team.manager_user_id is None or team.manager_user_id == signal.assignee_user_id:
            continue
        manager = session.get(User, team.manager_user_id)
        if manager is not None and manager.is_active:
            return [manager], f"not acknowledged in time: to the manager of team {team.name!r}"
    if not team_ids:
        return [], "no manager: the signal has no team and its assignee is in none"
    return [], "no manager: no active manager (other than the assignee) for the signal's teams"


def _record(session: Session, signal: Signal, level: int, recipients: list[User], reason: str, now: dt.datetime, *,
            skipped: bool, dry_run: bool) -> EscalationStep:  # fmt: skip
    outcome: Outcome = "dry_run" if dry_run else ("skipped_level" if skipped else "escalated")
    step = EscalationStep(signal_id=signal.id, level=level, outcome=outcome, recipients=[u.email for u in recipients],
                          reason=reason)  # fmt: skip
    details: dict[str, Any] = {"reason": reason, "recipient_ids": [u.id for u in recipients], "skipped": skipped}
    inserted = insert_ignore(session, SignalEscalation.__table__, {  # type: ignore[arg-type]
        "signal_id": signal.id, "level": level, "escalated_to_user_id": recipients[0].id if recipients else None,
        "escalated_at": now, "channels": ["email", "feed"] if recipients else [], "details": details,
    })  # fmt: skip
    signal.escalation_level = level
    session.flush()
    if not inserted:  # another worker took this step first
        return step.model_copy(update={"outcome": "not_due"})
    audit.record(session, ACTOR, "signal.escalated", entity_type="signal", entity_id=signal.id,
                 details={"level": level, **details})  # fmt: skip
    return step


def _notify(ctx: AppContext, session: Session, signal: Signal, level: int, recipients: list[User], reason: str,
            now: dt.datetime) -> None:  # fmt: skip
    lead = session.get(Lead, signal.lead_id)
    assert lead is not None
    item = _item(session, signal, lead)
    sender = build_email_sender(ctx.settings, session)
    for user in recipients:
        tz = get_preferences(session, user.id).timezone
        rendered = render_alert_email(user.email, tz, item, dashboard_url=ctx.settings.public_base_url,
                                      generated_at=now, reason=f"Escalation level {level}: {reason}",
                                      kind="escalation")  # fmt: skip
        message = OutgoingEmail(
            to=user.email, subject=rendered.subject, html=rendered.html, text=rendered.text, tags=("escalation",),
            headers={IDEMPOTENCY_HEADER: email_key(signal.id, level, user.id)}, template="escalation",
            metadata={"signal_id": signal.id, "level": level},
        )  # fmt: skip
        send_and_log(session, sender, message, signal_ids=[signal.id], actor=ACTOR)
    payload = feed_payload(signal, lead, routing={"team_id": signal.routed_team_id, "user_id": signal.assignee_user_id})
    payload["escalation"] = {"level": level, "to_user_ids": [u.id for u in recipients], "reason": reason,
                             "escalated_at": now.isoformat()}  # fmt: skip
    publish(session, ALERT_ESCALATED, aggregate_type="signal", aggregate_id=signal.id, lead_id=lead.id,
            payload=payload)  # fmt: skip


def _item(session: Session, signal: Signal, lead: Lead) -> DigestItem:
    evidence = session.scalars(
        select(SignalEvidence).where(SignalEvidence.signal_id == signal.id).order_by(SignalEvidence.observed_at.desc())
    ).first()
    assignee = session.get(User, signal.assignee_user_id) if signal.assignee_user_id else None
    return DigestItem(
        signal_id=signal.id, lead_id=lead.id, lead_name=lead.debtor_name or f"Lead {lead.id}",
        signal_type=signal.signal_type, summary=signal.summary or signal.signal_type,
        priority=signal.priority,
        score=min(signal.priority_score, 100.0), confidence=signal.confidence, detected_at=signal.detected_at,
        event_date=signal.event_date, evidence_url=evidence.source_url if evidence else None,
        evidence_snippet=evidence.snippet if evidence else None, assignee=assignee.email if assignee else "Unassigned",
    )  # fmt: skip
