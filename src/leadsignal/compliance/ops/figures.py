"""The operational figures, computed from the database with a few indexed, windowed queries.

One source for the Prometheus collector (/metrics), the admin monitoring API and the daily admin
email, so the three never disagree. Every query is bounded by a time window on an indexed
column, and the monitoring page polls every 10 s, so nothing here scans a whole table.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Literal

import structlog
from pydantic import BaseModel, Field
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from leadsignal.alerts.email.models import EmailLog
from leadsignal.compliance.ops.models import ErrorEvent, WorkerHeartbeat
from leadsignal.crm.models import WebhookDelivery
from leadsignal.monitoring.models import MonitorRun
from leadsignal.settings import Settings
from leadsignal.signals.models import Signal
from leadsignal.sources.scrape_log import RateLimitIncident, ScrapeLogEntry

log = structlog.get_logger(__name__)

Window = Literal["1h", "24h"]
WINDOWS: dict[Window, dt.timedelta] = {"1h": dt.timedelta(hours=1), "24h": dt.timedelta(hours=24)}
EMAIL_OK = ("sent", "delivered")
EMAIL_FAILED = ("failed", "bounced", "blocked", "spam")
BLOCK_OUTCOMES = ("blocked", "captcha")
ERROR_OUTCOMES = ("error", "timeout", "http_error")
HEARTBEAT_HEALTHY_SECONDS = 120.0  # workers beat every 30 s
RECENT_ERRORS = 20
# Alerts are counted among signals detected at most this long before: keeps the count on the
# detected_at index; a signal alerted more than 30 days after detection is not counted.
ALERT_LOOKBACK = dt.timedelta(days=30)


class WindowFigures(BaseModel):
    window: Window
    since: dt.datetime
    profiles_fetched: int = Field(description="Profiles fetched by monitoring runs started in the window.")
    profile_fetch_errors: int
    profiles_by_source: dict[str, dict[str, int]] = Field(
        description="Run source -> {'fetched': n, 'failed': n}.", default_factory=dict
    )
    scrape_attempts: int = Field(description="Outbound requests in the scrape log.")
    scrape_failures: int = Field(description="Attempts whose outcome was not success.")
    signals_detected: int
    signals_by_type: dict[str, int] = Field(default_factory=dict)
    alerts_sent: int = Field(description="Signals alerted (passed the contact guard) in the window.")
    emails_sent: int
    emails_failed: int
    errors: int = Field(description="Unexpected errors in the API and background tasks (error_log).")
    rate_limit_incidents: int
    rate_limit_seconds: float = Field(description="Total back-off time of those incidents.")


class SourceHealth(BaseModel):
    service: str
    attempts: int
    successes: int
    blocked: int = Field(description="Block pages and CAPTCHAs.")
    rate_limited: int
    parse_failures: int = Field(description="Malformed responses we could not parse.")
    errors: int = Field(description="Time-outs, transport and HTTP errors.")
    block_rate: float = Field(description="(blocked + rate_limited) / attempts, 0 without attempts.")
    incidents: int
    backed_off_until: dt.datetime | None = Field(description="End of the latest back-off when still in force.")
    status: Literal["ok", "degraded", "blocked", "idle"]


class QueueDepth(BaseModel):
    broker: Literal["redis", "other", "none"]
    celery_queue: int | None = Field(description="Tasks waiting in the Celery queue (Redis broker only).")
    alerts_pending: int = Field(description="Signals waiting for the alert guard.")
    webhooks_pending: int = Field(description="CRM webhook deliveries not yet delivered or dead.")
    emails_queued: int = Field(description="Emails whose send is to be retried.")


class WorkerHealth(BaseModel):
    worker: str
    kind: str
    beat_at: dt.datetime
    started_at: dt.datetime
    age_seconds: float
    healthy: bool


class RecentError(BaseModel):
    occurred_at: dt.datetime
    kind: Literal["error", "scrape", "email"]
    source: str = Field(description="Component and route/task, scrape service or email template.")
    message: str
    request_id: str | None = None


class MonitoringSnapshot(BaseModel):
    generated_at: dt.datetime
    last_hour: WindowFigures
    last_24h: WindowFigures
    sources: list[SourceHealth] = Field(description="Per-source health over the last hour.")
    queue: QueueDepth
    workers: list[WorkerHealth]
    workers_healthy: bool = Field(description="At least one worker beat within the last 2 minutes.")
    recent_errors: list[RecentError]


def window_figures(session: Session, window: Window, now: dt.datetime) -> WindowFigures:
    since = now - WINDOWS[window]
    by_source: dict[str, Counter[str]] = defaultdict(Counter)
    runs = session.execute(select(MonitorRun.source, MonitorRun.counts).where(MonitorRun.started_at >= since))
    for source, counts in runs:
        by_source[source]["fetched"] += int((counts or {}).get("profiles_fetched", 0))
        by_source[source]["failed"] += int((counts or {}).get("fetch_errors", 0))
    outcomes = dict(
        session.execute(
            select(ScrapeLogEntry.outcome, func.count()).where(ScrapeLogEntry.occurred_at >= since)
            .group_by(ScrapeLogEntry.outcome)
        ).all()
    )  # fmt: skip
    by_type = dict(
        session.execute(
            select(Signal.signal_type, func.count()).where(Signal.detected_at >= since).group_by(Signal.signal_type)
        ).all()
    )  # fmt: skip
    emails = dict(
        session.execute(
            select(EmailLog.status, func.count()).where(EmailLog.created_at >= since).group_by(EmailLog.status)
        ).all()
    )  # fmt: skip
    incidents, backoff = session.execute(
        select(func.count(), func.coalesce(func.sum(RateLimitIncident.duration_seconds), 0.0))
        .where(RateLimitIncident.started_at >= since)
    ).one()  # fmt: skip
    alerted = (
        select(func.count())
        .select_from(Signal)
        .where(Signal.detected_at >= since - ALERT_LOOKBACK, Signal.alerted_at >= since)
    )
    return WindowFigures(
        window=window,
        since=since,
        profiles_fetched=sum(c["fetched"] for c in by_source.values()),
        profile_fetch_errors=sum(c["failed"] for c in by_source.values()),
        profiles_by_source={s: {"fetched": c["fetched"], "failed": c["failed"]} for s, c in sorted(by_source.items())},
        scrape_attempts=sum(outcomes.values()),
        scrape_failures=sum(n for outcome, n in outcomes.items() if outcome != "success"),
        signals_detected=sum(by_type.values()),
        signals_by_type=dict(sorted(by_type.items())),
        alerts_sent=_count(session, alerted),
        emails_sent=sum(n for status, n in emails.items() if status in EMAIL_OK),
        emails_failed=sum(n for status, n in emails.items() if status in EMAIL_FAILED),
        errors=_count(session, select(func.count()).select_from(ErrorEvent).where(ErrorEvent.occurred_at >= since)),
        rate_limit_incidents=int(incidents),
        rate_limit_seconds=round(float(backoff or 0.0), 1),
    )


def scrape_counts(session: Session, since: dt.datetime) -> dict[tuple[str, str], int]:
    """Attempts per (service, outcome) since ``since``."""
    stmt = (
        select(ScrapeLogEntry.service, ScrapeLogEntry.outcome, func.count())
        .where(ScrapeLogEntry.occurred_at >= since)
        .group_by(ScrapeLogEntry.service, ScrapeLogEntry.outcome)
    )
    return {(service, outcome): int(n) for service, outcome, n in session.execute(stmt)}


def incident_counts(session: Session, since: dt.datetime) -> dict[tuple[str, str], int]:
    """Rate-limit incidents per (service, kind) since ``since``."""
    stmt = (
        select(RateLimitIncident.service, RateLimitIncident.kind, func.count())
        .where(RateLimitIncident.started_at >= since)
        .group_by(RateLimitIncident.service, RateLimitIncident.kind)
    )
    return {(service, kind): int(n) for service, kind, n in session.execute(stmt)}


def source_health(session: Session, now: dt.datetime) -> list[SourceHealth]:
    since = now - WINDOWS["1h"]
    per: dict[str, Counter[str]] = defaultdict(Counter)
    for (service, outcome), n in scrape_counts(session, since).items():
        per[service][outcome] += n
    incidents: Counter[str] = Counter()
    for (service, _), n in incident_counts(session, since).items():
        incidents[service] += n
    until_rows = session.execute(
        select(RateLimitIncident.service, func.max(RateLimitIncident.ended_at))
        .where(RateLimitIncident.ended_at > now).group_by(RateLimitIncident.service)
    )  # fmt: skip
    backed_off = dict(until_rows.all())
    result = []
    for service in sorted(set(per) | set(incidents) | set(backed_off)):
        c = per[service]
        attempts = sum(c.values())
        blocked = sum(c[o] for o in BLOCK_OUTCOMES)
        rate = (blocked + c["rate_limited"]) / attempts if attempts else 0.0
        until = backed_off.get(service)
        status: Literal["ok", "degraded", "blocked", "idle"]
        if until is not None:
            status = "blocked"
        elif not attempts:
            status = "idle"
        elif rate > 0.1 or c["malformed"] or sum(c[o] for o in ERROR_OUTCOMES) / attempts > 0.1:
            status = "degraded"
        else:
            status = "ok"
        health = SourceHealth(
            service=service, attempts=attempts, successes=c["success"], blocked=blocked,
            rate_limited=c["rate_limited"], parse_failures=c["malformed"], errors=sum(c[o] for o in ERROR_OUTCOMES),
            block_rate=round(rate, 4), incidents=incidents[service], backed_off_until=until, status=status,
        )  # fmt: skip
        result.append(health)
    return result


def broker_kind(settings: Settings) -> Literal["redis", "other", "none"]:
    url = settings.broker_url or settings.redis_url
    if not url:
        return "none"
    return "redis" if url.startswith(("redis://", "rediss://", "unix://")) else "other"


def celery_queue_length(settings: Settings, queue: str = "celery") -> int | None:
    """LLEN of the Celery queue on a Redis broker; None for other brokers or when Redis is down."""
    if broker_kind(settings) != "redis":
        return None
    import redis

    url = settings.broker_url or settings.redis_url
    assert url is not None
    try:
        client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        return int(client.llen(queue))
    except redis.RedisError as exc:
        log.warning("metrics.queue_unavailable", error=type(exc).__name__)
        return None


def queue_depth(session: Session, settings: Settings) -> QueueDepth:
    return QueueDepth(
        broker=broker_kind(settings),
        celery_queue=celery_queue_length(settings),
        alerts_pending=_count(
            session, select(func.count()).select_from(Signal).where(Signal.alert_status == "pending")
        ),
        webhooks_pending=_count(
            session, select(func.count()).select_from(WebhookDelivery).where(WebhookDelivery.status == "pending")
        ),
        emails_queued=_count(session, select(func.count()).select_from(EmailLog).where(EmailLog.status == "queued")),
    )


def workers(session: Session, now: dt.datetime) -> list[WorkerHealth]:
    rows = session.scalars(select(WorkerHeartbeat).order_by(WorkerHeartbeat.beat_at.desc())).all()
    result = []
    for row in rows:
        age = max(0.0, (now - row.beat_at).total_seconds())
        result.append(WorkerHealth(worker=row.worker, kind=row.kind, beat_at=row.beat_at, started_at=row.started_at,
                                   age_seconds=round(age, 1), healthy=age <= HEARTBEAT_HEALTHY_SECONDS))  # fmt: skip
    return result


def recent_errors(session: Session, now: dt.datetime, limit: int = RECENT_ERRORS) -> list[RecentError]:
    """The latest errors of the last day: unexpected errors, failed fetches and failed emails."""
    since = now - WINDOWS["24h"]
    found: list[RecentError] = []
    errors = session.scalars(
        select(ErrorEvent).where(ErrorEvent.occurred_at >= since).order_by(ErrorEvent.occurred_at.desc()).limit(limit)
    )
    for e in errors:
        found.append(RecentError(occurred_at=e.occurred_at, kind="error", source=f"{e.component} {e.where}",
                                 message=f"{e.error_type}: {e.message}"[:500], request_id=e.request_id))  # fmt: skip
    scrapes = session.scalars(
        select(ScrapeLogEntry)
        .where(ScrapeLogEntry.occurred_at >= since, ScrapeLogEntry.outcome.in_((*ERROR_OUTCOMES, "malformed")))
        .order_by(ScrapeLogEntry.occurred_at.desc()).limit(limit)
    )  # fmt: skip
    for s in scrapes:
        found.append(RecentError(occurred_at=s.occurred_at, kind="scrape", source=s.service,
                                 message=f"{s.outcome}: {s.reason or s.source_url}"[:500]))  # fmt: skip
    emails = session.scalars(
        select(EmailLog).where(EmailLog.created_at >= since, EmailLog.status.in_(EMAIL_FAILED))
        .order_by(EmailLog.created_at.desc()).limit(limit)
    )  # fmt: skip
    for m in emails:
        found.append(RecentError(occurred_at=m.created_at, kind="email", source=m.template,
                                 message=f"{m.status}: {m.error or 'no detail'}"[:500]))  # fmt: skip
    found.sort(key=lambda e: e.occurred_at, reverse=True)
    return found[:limit]


def snapshot(session: Session, settings: Settings, now: dt.datetime) -> MonitoringSnapshot:
    workers_now = workers(session, now)
    return MonitoringSnapshot(
        generated_at=now,
        last_hour=window_figures(session, "1h", now),
        last_24h=window_figures(session, "24h", now),
        sources=source_health(session, now),
        queue=queue_depth(session, settings),
        workers=workers_now,
        workers_healthy=any(w.healthy for w in workers_now),
        recent_errors=recent_errors(session, now),
    )


def _count(session: Session, stmt: Select[int]) -> int:
    return int(session.scalar(stmt) or 0)
