"""Celery in production: the cycle task plans and fans out one task per batch of leads.

Tasks carry ids, never objects, and load what they need in their own session. Late
acknowledgement plus the per-lead commit in ``process_batch`` make a killed worker safe: the
broker redelivers the batch, and already-processed leads are no longer due or add nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from typing import Any

from celery import Celery

from leadsignal.alerts.processor import process_pending
from leadsignal.alerts.tasks import register_alert_tasks
from leadsignal.compliance.ops.tasks import register_ops_tasks
from leadsignal.compliance.tasks import register_compliance_tasks
from leadsignal.core.context import AppContext
from leadsignal.crm.tasks import register_crm_tasks
from leadsignal.db import utcnow
from leadsignal.jobs.runtime import build_deps, next_sample_cycle, source_name
from leadsignal.monitoring.cycle import finish_run, plan, process_batch, start_run
from leadsignal.settings import Settings

CYCLE_TASK = "leadsignal.monitor.cycle"
BATCH_TASK = "leadsignal.monitor.batch"
ALERTS_TASK = "leadsignal.alerts.process"


def broker_url(settings: Settings) -> str:
    return settings.broker_url or settings.redis_url or "memory://"


def create_celery_app(settings: Settings, context: Callable[[], AppContext]) -> Celery:
    app = Celery("leadsignal", broker=broker_url(settings))
    app.conf.update(
        task_serializer="json",
        accept_content=["json"],
        result_backend=None,
        task_ignore_result=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        timezone="UTC",
        broker_connection_retry_on_startup=True,
        beat_schedule={
            "monitor-cycle": {"task": CYCLE_TASK, "schedule": float(settings.monitor_interval_seconds)},
            # A sweep; each batch also triggers processing as soon as its signals are committed.
            "alerts-process": {"task": ALERTS_TASK, "schedule": 10.0, "options": {"expires": 10}},
        },
    )

    @app.task(name=CYCLE_TASK, shared=False)  # type: ignore[untyped-decorator]
    def monitor_cycle(limit: int | None = None) -> dict[str, Any]:
        ctx = context()
        now = utcnow()
        sample_cycle = next_sample_cycle(ctx)
        run_id = start_run(ctx, source_name(ctx), now=now)
        batches = plan(ctx, now=now, limit=limit, batch_size=ctx.settings.monitor_batch_size)
        planned = Counter(batches_planned=len(batches), leads_due=sum(len(b) for b in batches))
        finish_run(ctx, run_id, planned, status="succeeded" if not batches else None)
        for batch in batches:
            monitor_batch.delay(run_id, [list(item) for item in batch], now.isoformat(), sample_cycle)
        return {"run_id": run_id, "batches": len(batches)}

    @app.task(name=BATCH_TASK, shared=False, autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=5)  # type: ignore[untyped-decorator]
    def monitor_batch(run_id: int, items: list[list[int]], now_iso: str, sample_cycle: int) -> dict[str, int]:
        ctx = context()
        deps = build_deps(ctx, sample_cycle=sample_cycle)
        counts: Counter[str] = process_batch(
            ctx, deps, [(lead_id, cadence) for lead_id, cadence in items], run_id=run_id,
            now=dt.datetime.fromisoformat(now_iso),
        )  # fmt: skip
        finish_run(ctx, run_id, counts + Counter(batches_done=1))
        if counts["signals_created"] or counts["signals_corroborated"]:
            alerts_process.delay()
        return dict(counts)

    @app.task(name=ALERTS_TASK, shared=False)  # type: ignore[untyped-decorator]
    def alerts_process() -> dict[str, int]:
        return dict(process_pending(context()))

    register_crm_tasks(app, context)
    register_alert_tasks(app, context)
    register_ops_tasks(app, context)  # heartbeat, daily admin summary, failed tasks into error_log
    register_compliance_tasks(app, context)
    return app
