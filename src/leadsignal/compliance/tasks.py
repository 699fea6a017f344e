"""Scheduled retention and backups: Celery beat entries, and the embedded default's maintenance loop."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import structlog
from celery import Celery
from celery.schedules import crontab
from sqlalchemy import func, select

from leadsignal.compliance.backup import scheduled_backup
from leadsignal.compliance.retention import run_all, system_scope
from leadsignal.compliance.retention_models import RetentionRun
from leadsignal.core.context import AppContext
from leadsignal.db import utcnow

log = structlog.get_logger(__name__)

RETENTION_TASK = "leadsignal.compliance.retention"
BACKUP_TASK = "leadsignal.compliance.backup"
RETENTION_EVERY = dt.timedelta(hours=24)


def retention_due(ctx: AppContext, now: dt.datetime) -> bool:
    if not ctx.settings.retention_enabled:
        return False
    with system_scope(ctx) as session:
        last = session.scalar(select(func.max(RetentionRun.started_at)).where(RetentionRun.dry_run.is_(False)))
    return last is None or now - last >= RETENTION_EVERY


def _retention(ctx: AppContext) -> dict[str, Any]:
    results = run_all(ctx)
    return {r.data_class: {"status": r.status, "archived": r.archived, "purged": r.purged} for r in results}


def register_compliance_tasks(app: Celery, context: Callable[[], AppContext]) -> None:
    settings = context().settings

    @app.task(name=RETENTION_TASK, shared=False)  # type: ignore[untyped-decorator]
    def retention() -> dict[str, Any]:
        ctx = context()
        return _retention(ctx) if ctx.settings.retention_enabled else {}

    @app.task(name=BACKUP_TASK, shared=False)  # type: ignore[untyped-decorator]
    def backup() -> str | None:
        ctx = context()
        manifest = scheduled_backup(ctx.engine, ctx.settings)
        return manifest.file if manifest else None

    schedule: dict[str, Any] = dict(app.conf.beat_schedule or {})
    schedule["compliance-retention"] = {"task": RETENTION_TASK, "schedule": crontab(hour=3, minute=15)}
    if settings.backup_schedule_hours > 0:
        schedule["compliance-backup"] = {"task": BACKUP_TASK, "schedule": settings.backup_schedule_hours * 3600.0}
    app.conf.beat_schedule = schedule


def run_maintenance_loop(
    ctx: AppContext, stop: threading.Event, poll_interval: float = 600.0, initial_delay: float = 60.0
) -> None:
    """Embedded default: every ``poll_interval`` seconds, run retention when a day has passed since the
    last run and back up when the newest backup is older than the schedule. The first round waits
    ``initial_delay`` so start-up (migrations, the first requests) is not slowed by a backup."""
    stop.wait(initial_delay)
    while not stop.is_set():
        try:
            now = utcnow()
            if retention_due(ctx, now):
                log.info("retention.scheduled_run", results=_retention(ctx))
            manifest = scheduled_backup(ctx.engine, ctx.settings, now=now)
            if manifest is not None:
                log.info("backup.scheduled", file=manifest.file)
        except Exception:  # keep the loop alive; the next round retries
            log.exception("maintenance.loop_failed")
        stop.wait(poll_interval)
