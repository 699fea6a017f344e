"""The CRM dispatcher as a Celery task, scheduled every few seconds by beat.

Overlapping runs are safe: the cursor row serialises fan-out and claimed deliveries are leased
(``FOR UPDATE SKIP LOCKED`` on PostgreSQL), so two workers never send the same attempt.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from celery import Celery

from leadsignal.core.context import AppContext
from leadsignal.crm.dispatcher import dispatch_once
from leadsignal.crm.inbox import process_pending

DISPATCH_TASK = "leadsignal.crm.dispatch"


def register_crm_tasks(app: Celery, context: Callable[[], AppContext]) -> None:
    """Add ``leadsignal.crm.dispatch`` and its beat entry to the Celery app."""

    @app.task(name=DISPATCH_TASK, ignore_result=True, shared=False)  # type: ignore[untyped-decorator]
    def crm_dispatch() -> dict[str, Any]:
        ctx = context()
        counts = dispatch_once(ctx)
        counts["inbox_handled"] = process_pending(ctx)
        return counts

    interval = context().settings.crm_dispatch_interval_seconds  # settings only; the engine stays lazy
    schedule = dict(app.conf.beat_schedule or {})
    # A missed tick is worthless once the next one is due, so it expires instead of piling up.
    schedule["crm-dispatch"] = {
        "task": DISPATCH_TASK,
        "schedule": interval,
        "options": {"expires": max(interval * 5, 10)},
    }
    app.conf.beat_schedule = schedule
