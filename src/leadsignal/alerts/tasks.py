"""Digests and escalation as Celery tasks, each scheduled by beat.

Both are safe to overlap or repeat: digests are keyed per user and local day, escalation steps
per signal and level, so a late or doubled tick sends nothing twice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from celery import Celery

from leadsignal.alerts.digest import send_due_digests
from leadsignal.alerts.escalation import escalate_due
from leadsignal.core.context import AppContext
from leadsignal.db import utcnow

DIGEST_TASK = "leadsignal.alerts.digests"
ESCALATE_TASK = "leadsignal.alerts.escalate"
DIGEST_EVERY_SECONDS = 15 * 60
ESCALATE_EVERY_SECONDS = 5 * 60


def register_alert_tasks(app: Celery, context: Callable[[], AppContext]) -> None:
    """Add the digest and escalation tasks and their beat entries to the Celery app."""

    @app.task(name=DIGEST_TASK, ignore_result=True, shared=False)  # type: ignore[untyped-decorator]
    def alerts_digests() -> dict[str, Any]:
        return send_due_digests(context(), utcnow()).counts

    @app.task(name=ESCALATE_TASK, ignore_result=True, shared=False)  # type: ignore[untyped-decorator]
    def alerts_escalate() -> dict[str, Any]:
        return escalate_due(context(), utcnow()).counts

    schedule = dict(app.conf.beat_schedule or {})
    # A missed tick is worthless once the next is due; the next run catches up on its own.
    schedule["alerts-digests"] = {
        "task": DIGEST_TASK,
        "schedule": DIGEST_EVERY_SECONDS,
        "options": {"expires": DIGEST_EVERY_SECONDS},
    }
    schedule["alerts-escalate"] = {
        "task": ESCALATE_TASK,
        "schedule": ESCALATE_EVERY_SECONDS,
        "options": {"expires": ESCALATE_EVERY_SECONDS},
    }
    app.conf.beat_schedule = schedule
