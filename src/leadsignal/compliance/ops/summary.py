"""The daily admin summary email: the last 24 hours' figures and the compliance checklist.

Sent to every active admin and to ``settings.admin_summary_recipients`` through the configured
email provider. The idempotency key ``admin-summary:{UTC date}:{address}`` makes a second run on
the same day (a restarted process, Celery beat and a manual ``--send``) send nothing twice, and
each recipient is its own transaction, so one refused address does not hold back the others.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Literal

import structlog
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import select

from leadsignal.alerts.email.models import EmailLog
from leadsignal.alerts.email.port import IDEMPOTENCY_HEADER, OutgoingEmail, RetryableEmailError
from leadsignal.alerts.email.providers import build_email_sender
from leadsignal.alerts.email.render import Figure, RenderedEmail, render_admin_summary
from leadsignal.alerts.email.service import send_and_log
from leadsignal.auth.models import User
from leadsignal.compliance.audit import Actor
from leadsignal.compliance.ops.figures import MonitoringSnapshot, snapshot
from leadsignal.core.context import AppContext
from leadsignal.db import session_scope, utcnow

log = structlog.get_logger(__name__)
SUMMARY_ACTOR = Actor("system:admin-summary")
TEMPLATE = "admin_summary"
Outcome = Literal["sent", "already_sent", "failed", "deferred", "invalid_address"]


class RecipientOutcome(BaseModel):
    email: str
    outcome: Outcome
    detail: str | None = None


class SummaryReport(BaseModel):
    generated_at: dt.datetime
    subject: str
    compliance_passed: bool
    counts: dict[str, int] = Field(default_factory=dict)
    recipients: list[RecipientOutcome] = Field(default_factory=list)


class Summary(BaseModel):
    generated_at: dt.datetime
    figures: dict[str, Figure]
    compliance: list[tuple[str, bool, str]]
    compliance_passed: bool


def build_summary(ctx: AppContext, now: dt.datetime | None = None) -> Summary:
    now = now or utcnow()
    with ctx.sessions() as session:
        snap = snapshot(session, ctx.settings, now)
    checks, passed = _compliance(ctx, now)
    return Summary(generated_at=now, figures=summary_figures(snap), compliance=checks, compliance_passed=passed)


def summary_figures(snap: MonitoringSnapshot) -> dict[str, Figure]:
    """The day's figures in the order the email shows them."""
    day = snap.last_24h
    troubled = [f"{s.service} ({s.status})" for s in snap.sources if s.status in ("blocked", "degraded")]
    return {
        "profiles_fetched": day.profiles_fetched,
        "profile_fetch_errors": day.profile_fetch_errors,
        "scrape_requests": day.scrape_attempts,
        "scrape_failures": day.scrape_failures,
        "signals_detected": day.signals_detected,
        "alerts_sent": day.alerts_sent,
        "emails_sent": day.emails_sent,
        "emails_failed": day.emails_failed,
        "errors": day.errors,
        "rate_limit_incidents": day.rate_limit_incidents,
        "rate_limit_back_off_minutes": round(day.rate_limit_seconds / 60, 1),
        "alerts_waiting": snap.queue.alerts_pending,
        "webhooks_waiting": snap.queue.webhooks_pending,
        "workers_healthy": "yes" if snap.workers_healthy else "no",
        "sources_needing_attention": ", ".join(troubled) or "none",
    }


def _compliance(ctx: AppContext, now: dt.datetime) -> tuple[list[tuple[str, bool, str]], bool]:
    from leadsignal.compliance.checks import run_all

    try:
        report = run_all(ctx, now=now)
    except Exception as exc:  # the email still goes out, and says the checklist could not run
        log.exception("admin_summary.checks_failed")
        return [("Compliance checks ran", False, f"the checklist failed to run: {type(exc).__name__}: {exc}")], False
    return [(item.title, item.passed, item.evidence) for item in report.items], report.passed


def recipients(ctx: AppContext) -> list[str]:
    """Every active admin, then the configured extra addresses, each once (lower-cased)."""
    with ctx.sessions() as session:
        admins = session.scalars(
            select(User.email).where(User.role == "admin", User.is_active.is_(True)).order_by(User.id)
        ).all()
    found: dict[str, None] = {}
    for address in [*admins, *ctx.settings.admin_summary_recipients]:
        if address.strip():
            found.setdefault(address.strip().lower(), None)
    return list(found)


def render(ctx: AppContext, summary: Summary) -> RenderedEmail:
    return render_admin_summary(summary.figures, summary.compliance, generated_at=summary.generated_at,
                                dashboard_url=ctx.settings.public_base_url)  # fmt: skip


def idempotency_key(day: dt.date, address: str) -> str:
    return f"admin-summary:{day.isoformat()}:{address}"


def send_admin_summary(ctx: AppContext, now: dt.datetime | None = None) -> SummaryReport:
    now = now or utcnow()
    summary = build_summary(ctx, now)
    rendered = render(ctx, summary)
    report = SummaryReport(generated_at=now, subject=rendered.subject, compliance_passed=summary.compliance_passed)
    for address in recipients(ctx):
        report.recipients.append(_send_one(ctx, address, rendered, now.date()))
    report.counts = dict(Counter(r.outcome for r in report.recipients))
    log.info("admin_summary.run", counts=report.counts, compliance_passed=summary.compliance_passed)
    return report


def _send_one(ctx: AppContext, address: str, rendered: RenderedEmail, day: dt.date) -> RecipientOutcome:
    try:
        message = OutgoingEmail(
            to=address, subject=rendered.subject, html=rendered.html, text=rendered.text, tags=("admin-summary",),
            headers={IDEMPOTENCY_HEADER: idempotency_key(day, address)}, template=TEMPLATE,
            metadata={"day": day.isoformat()},
        )  # fmt: skip
    except ValidationError as exc:
        return RecipientOutcome(email=address, outcome="invalid_address", detail=str(exc.errors()[0]["msg"]))
    try:
        with session_scope(ctx.sessions) as session:
            sender = build_email_sender(ctx.settings, session)
            before = session.scalar(select(EmailLog.status).where(EmailLog.idempotency_key == message.idempotency_key))
            row = send_and_log(session, sender, message, actor=SUMMARY_ACTOR)
    except RetryableEmailError as exc:
        return RecipientOutcome(email=address, outcome="deferred", detail=str(exc)[:300])
    if before not in (None, "queued"):
        return RecipientOutcome(email=address, outcome="already_sent")
    if row.status == "failed":
        return RecipientOutcome(email=address, outcome="failed", detail=row.error)
    return RecipientOutcome(email=address, outcome="sent")
