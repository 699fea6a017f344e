"""Operations work as Celery tasks and in the embedded default's background thread.

Celery: a heartbeat every 30 s (run by a worker, so it proves beat and a worker are alive), the
admin summary once a day at ``admin_summary_hour_utc``, and every failed task in ``error_log``.
Embedded: ``run_ops_loop`` does the same from a thread of the serving process.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from typing import Any

import structlog
from celery import Celery
from celery.schedules import crontab
from celery.signals import task_failure

from leadsignal.compliance.ops.errors import beat, record_error
from leadsignal.core.context import AppContext
from leadsignal.db import utcnow

log = structlog.get_logger(__name__)
HEARTBEAT_TASK = "leadsignal.ops.heartbeat"
SUMMARY_TASK = "leadsignal.ops.admin_summary"
HEARTBEAT_SECONDS = 30.0


def register_ops_tasks(app: Celery, context: Callable[[], AppContext]) -> None:
    @app.task(name=HEARTBEAT_TASK, ignore_result=True, shared=False)  # type: ignore[untyped-decorator]
    def ops_heartbeat() -> str:
        return beat(context(), "celery")

    @app.task(name=SUMMARY_TASK, ignore_result=True, shared=False)  # type: ignore[untyped-decorator]
    def ops_admin_summary() -> dict[str, int]:
        from leadsignal.compliance.ops.summary import send_admin_summary

        return send_admin_summary(context()).counts

    def on_failure(sender: Any = None, exception: BaseException | None = None, **_: Any) -> None:
        if exception is not None:
            record_error(context(), "worker", str(getattr(sender, "name", sender)), exception)

    task_failure.connect(on_failure, weak=False)
    schedule = dict(app.conf.beat_schedule or {})
    schedule["ops-heartbeat"] = {"task": HEARTBEAT_TASK, "schedule": HEARTBEAT_SECONDS,
                                 "options": {"expires": HEARTBEAT_SECONDS}}  # fmt: skip
    hour = context().settings.admin_summary_hour_utc
    schedule["ops-admin-summary"] = {"task": SUMMARY_TASK, "schedule": crontab(hour=hour, minute=0)}
    app.conf.beat_schedule = schedule


def summary_due(now: dt.datetime, hour: int, last_day: dt.date | None) -> bool:
    return now.hour >= hour and last_day != now.date()


def run_ops_loop(ctx: AppContext, stop: threading.Event, interval: float = HEARTBEAT_SECONDS) -> None:
    """Embedded default: beat, and send the admin summary once a day (idempotent across restarts)."""
    from leadsignal.compliance.ops.summary import send_admin_summary

    last_day: dt.date | None = None
    while not stop.is_set():
        try:
            beat(ctx, "embedded")
            now = utcnow()
            if summary_due(now, ctx.settings.admin_summary_hour_utc, last_day):
                report = send_admin_summary(ctx, now)
                if not report.counts.get("deferred"):  # a deferred send is tried again next round
                    last_day = now.date()
        except Exception as exc:  # keep the loop alive; the next round retries
            log.exception("ops.loop_failed")
            record_error(ctx, "embedded", "ops loop", exc)
        stop.wait(interval)
