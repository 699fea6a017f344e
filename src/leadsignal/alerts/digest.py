"""The daily digest: each user's new alerted signals, sent at their local morning hour.

Only signals the guard let through (``alert_status == "alerted"``) are ever read here. A signal
is reported once: a digest skips signals that an earlier digest to the same user already listed
(their ids are on its ``email_log`` row). The idempotency key ``digest:{user}:{local date}`` and
``last_sent_on`` make a re-run on the same day a no-op, and every user is one transaction, so one
failing mailbox does not hold back the others.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from typing import Literal

import structlog
from pydantic import BaseModel, Field
from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from leadsignal.alerts.email.models import EmailLog
from leadsignal.alerts.email.port import IDEMPOTENCY_HEADER, OutgoingEmail, RetryableEmailError
from leadsignal.alerts.email.providers import build_email_sender
from leadsignal.alerts.email.render import DigestItem, render_digest
from leadsignal.alerts.email.service import send_and_log
from leadsignal.alerts.models import DigestPreference
from leadsignal.alerts.preferences import PRIORITY_RANK, EffectivePrefs, effective, ensure_row, get_preferences
from leadsignal.auth.models import Team, User
from leadsignal.core.context import AppContext
from leadsignal.db import session_scope, utcnow
from leadsignal.leads.models import Lead
from leadsignal.signals.models import Signal, SignalEvidence
from leadsignal.signals.score import ScoringPolicy, current_score, level
from leadsignal.signals.weights import scoring_policy

log = structlog.get_logger(__name__)
DIGEST_ROLES = ("agent", "manager", "admin")
_EARLIER_DIGESTS = 7  # enough to cover any signal still inside the look-back window
Outcome = Literal["sent", "empty", "not_due", "already_sent", "disabled", "failed", "deferred", "dry_run"]


class DigestOutcome(BaseModel):
    user_id: int
    email: str
    outcome: Outcome
    local_date: dt.date
    items: int = 0
    subject: str | None = None
    detail: str | None = None


class DigestReport(BaseModel):
    now: dt.datetime
    dry_run: bool
    counts: dict[str, int] = Field(default_factory=dict)
    users: list[DigestOutcome] = Field(default_factory=list)  # everyone except those not yet due


def policy_from(ctx: AppContext) -> ScoringPolicy:
    """The scoring policy in force now, with admins' weight overrides (read each run, no restart)."""
    with session_scope(ctx.sessions) as session:
        return scoring_policy(session, ctx.settings)


def idempotency_key(user_id: int, local_date: dt.date) -> str:
    return f"digest:{user_id}:{local_date.isoformat()}"


def send_due_digests(
    ctx: AppContext,
    now: dt.datetime | None = None,
    *,
    user_email: str | None = None,
    dry_run: bool = False,
    policy: ScoringPolicy | None = None,
) -> DigestReport:
    """Send today's digest to every user whose local hour has come and who has not had it.
    With ``user_email`` only that user is considered, and their hour is ignored."""
    now = now or utcnow()
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    policy = policy or policy_from(ctx)
    report = DigestReport(now=now, dry_run=dry_run)
    counts: Counter[str] = Counter()
    force = user_email is not None
    for user_id, email, prefs in _recipients(ctx, user_email):
        outcome = _quick_outcome(user_id, email, prefs, now, force=force)
        if outcome is None:  # due: its own transaction, which checks again under it
            with session_scope(ctx.sessions) as session:
                outcome = _one_user(ctx, session, user_id, now, policy, dry_run=dry_run, force=force)
                if dry_run:
                    session.rollback()
        counts[outcome.outcome] += 1
        if outcome.outcome != "not_due":
            report.users.append(outcome)
    report.counts = dict(counts)
    log.info("digest.run", dry_run=dry_run, counts=report.counts)
    return report


def _recipients(ctx: AppContext, user_email: str | None) -> list[tuple[int, str, EffectivePrefs]]:
    """Every candidate with the preferences in force, read in one query: most are not due."""
    with session_scope(ctx.sessions) as session:
        query = (
            select(User.id, User.email, DigestPreference)
            .outerjoin(DigestPreference, DigestPreference.user_id == User.id)
            .where(User.is_active.is_(True))
            .order_by(User.id)
        )
        if user_email is None:
            query = query.where(User.role.in_(DIGEST_ROLES))
        else:
            query = query.where(User.email == user_email.strip().lower())
        found = [(uid, email, effective(uid, row)) for uid, email, row in session.execute(query).all()]
        if user_email is not None and not found:
            raise LookupError(f"no active user with email {user_email!r}")
        return found


def _quick_outcome(user_id: int, email: str, prefs: EffectivePrefs, now: dt.datetime, *,
                   force: bool) -> DigestOutcome | None:  # fmt: skip
    """The outcome when the user is not due (disabled, already sent, before their hour); None if due."""
    local = now.astimezone(prefs.zone)
    result = DigestOutcome(user_id=user_id, email=email, outcome="not_due", local_date=local.date())
    if not prefs.enabled:
        return result.model_copy(update={"outcome": "disabled"})
    if prefs.last_sent_on is not None and prefs.last_sent_on >= local.date():
        return result.model_copy(update={"outcome": "already_sent"})
    if local.hour < prefs.local_hour and not force:
        return result
    return None


def _one_user(ctx: AppContext, session: Session, user_id: int, now: dt.datetime, policy: ScoringPolicy, *,
              dry_run: bool, force: bool) -> DigestOutcome:  # fmt: skip
    user = session.get(User, user_id)
    assert user is not None
    prefs = get_preferences(session, user_id)
    local = now.astimezone(prefs.zone)
    quick = _quick_outcome(user_id, user.email, prefs, now, force=force)
    if quick is not None:
        return quick
    result = DigestOutcome(user_id=user_id, email=user.email, outcome="not_due", local_date=local.date())
    items = digest_items(session, user, prefs, now, policy)
    if not items:
        if not dry_run:
            ensure_row(session, user_id).last_sent_on = local.date()
        return result.model_copy(update={"outcome": "empty"})
    settings = ctx.settings
    rendered = render_digest(user.email, prefs.timezone, items, dashboard_url=settings.public_base_url,
                             generated_at=now, max_items=settings.digest_max_items)  # fmt: skip
    result = result.model_copy(update={"items": len(items), "subject": rendered.subject})
    if dry_run:
        return result.model_copy(update={"outcome": "dry_run"})
    message = OutgoingEmail(
        to=user.email, subject=rendered.subject, html=rendered.html, text=rendered.text, tags=("digest",),
        headers={IDEMPOTENCY_HEADER: idempotency_key(user_id, local.date())}, template="digest",
        metadata={"user_id": user_id, "local_date": local.date().isoformat()},
    )  # fmt: skip
    try:
        row = send_and_log(session, build_email_sender(settings, session), message,
                           signal_ids=[i.signal_id for i in items])  # fmt: skip
    except RetryableEmailError as exc:
        # The attempt is committed; last_sent_on stays, so the next run retries with the same key.
        return result.model_copy(update={"outcome": "deferred", "detail": str(exc)[:300]})
    ensure_row(session, user_id).last_sent_on = local.date()
    if row.status == "failed":
        return result.model_copy(update={"outcome": "failed", "detail": row.error})
    return result.model_copy(update={"outcome": "sent"})


def _scope(session: Session, user: User) -> ColumnElement[bool]:
    """Agents: signals assigned to them. Managers: also their teams' unassigned signals."""
    mine = Signal.assignee_user_id == user.id
    managed = list(session.scalars(select(Team.id).where(Team.manager_user_id == user.id)))
    if user.role in ("manager", "admin") and managed:
        return or_(mine, Signal.assignee_user_id.is_(None) & Signal.routed_team_id.in_(managed))
    return mine


def _already_reported(session: Session, user_id: int) -> set[int]:
    rows = session.scalars(
        select(EmailLog.signal_ids)
        .where(EmailLog.idempotency_key.like(f"digest:{user_id}:%"), EmailLog.status.not_in(("queued", "failed")))
        .order_by(EmailLog.id.desc())
        .limit(_EARLIER_DIGESTS)
    )
    return {int(i) for ids in rows for i in ids}


def window_start(prefs: EffectivePrefs, now: dt.datetime) -> dt.datetime:
    """From the start of the previous digest's local day (signals it listed are skipped by id),
    or the last 24 hours for a user who never had one."""
    if prefs.last_sent_on is None:
        return now - dt.timedelta(hours=24)
    start = dt.datetime.combine(prefs.last_sent_on, dt.time(0), tzinfo=prefs.zone)
    return min(start.astimezone(dt.UTC), now - dt.timedelta(hours=24))


def digest_items(session: Session, user: User, prefs: EffectivePrefs, now: dt.datetime,
                 policy: ScoringPolicy) -> list[DigestItem]:  # fmt: skip
    """The user's alerted signals in the window, filtered by type and CURRENT (decayed) priority."""
    since = window_start(prefs, now)
    rows = session.execute(
        select(Signal, Lead.debtor_name)
        .join(Lead, Lead.id == Signal.lead_id)
        .where(
            Signal.alert_status == "alerted",
            Signal.category == "positive",
            Signal.signal_type.in_(prefs.signal_types),
            Signal.alerted_at > since,
            Signal.alerted_at <= now,
            _scope(session, user),
        )
        .order_by(Signal.id)
    ).all()
    seen = _already_reported(session, user.id)
    floor = PRIORITY_RANK[prefs.min_priority]
    chosen: list[tuple[Signal, str, float]] = []
    for signal, name in rows:
        if signal.id in seen:
            continue
        score = current_score(signal, now, policy)
        if score <= 0 or PRIORITY_RANK[level(score, policy)] < floor:
            continue
        chosen.append((signal, name, score))
    evidence = _latest_evidence(session, [s.id for s, _, _ in chosen])
    assignees = _emails(session, {s.assignee_user_id for s, _, _ in chosen if s.assignee_user_id})
    items = []
    for signal, name, score in chosen:
        ev = evidence.get(signal.id)
        items.append(
            DigestItem(
                signal_id=signal.id, lead_id=signal.lead_id, lead_name=name or f"Lead {signal.lead_id}",
                signal_type=signal.signal_type, summary=signal.summary or signal.signal_type,
                priority=level(score, policy),
                score=min(score, 100.0), confidence=signal.confidence, detected_at=signal.detected_at,
                event_date=signal.event_date, evidence_url=ev.source_url if ev else None,
                evidence_snippet=ev.snippet if ev else None,
                assignee=assignees.get(signal.assignee_user_id) if signal.assignee_user_id else "Unassigned",
            )
        )  # fmt: skip
    return items


def _latest_evidence(session: Session, signal_ids: Sequence[int]) -> dict[int, SignalEvidence]:
    if not signal_ids:
        return {}
    rows = session.scalars(
        select(SignalEvidence).where(SignalEvidence.signal_id.in_(signal_ids)).order_by(SignalEvidence.observed_at)
    )
    return {ev.signal_id: ev for ev in rows}  # the newest wins


def _emails(session: Session, user_ids: set[int | None]) -> dict[int | None, str]:
    ids = [i for i in user_ids if i is not None]
    if not ids:
        return {}
    return dict(session.execute(select(User.id, User.email).where(User.id.in_(ids))).all())
