"""The embedded default's background work, in threads of the serving process (no Celery).

Four loops: the ops loop (heartbeats, daily admin summary: compliance/ops/tasks.py), the maintenance
loop (retention and backups: compliance/tasks.py), the CRM webhook dispatcher
(``crm.dispatcher.run_dispatcher``, its own thread, so a slow receiver never delays alerts) and the
alerts loop below, which turns new signals into alerts every second and runs escalation and digests
once a minute.
"""

from __future__ import annotations

import threading
import time

import structlog

from leadsignal.alerts.processor import process_pending
from leadsignal.compliance.ops.tasks import run_ops_loop
from leadsignal.compliance.tasks import run_maintenance_loop
from leadsignal.core.context import AppContext
from leadsignal.crm.dispatcher import start_dispatcher_thread

log = structlog.get_logger(__name__)


def run_alerts_loop(ctx: AppContext, stop: threading.Event, poll_interval: float = 1.0) -> None:
    from leadsignal.alerts.digest import send_due_digests
    from leadsignal.alerts.escalation import escalate_due

    last_minutely = 0.0
    while not stop.is_set():
        counts: dict[str, int] = {}
        try:
            counts = process_pending(ctx)
            if counts:
                log.info("alerts.processed", **counts)
            if time.monotonic() - last_minutely >= 60:
                last_minutely = time.monotonic()
                escalate_due(ctx)
                send_due_digests(ctx)
        except Exception:  # keep the loop alive; the next round retries
            log.exception("alerts.loop_failed")
        if not counts:  # after a round that did work, go again at once so a burst drains
            stop.wait(poll_interval)


def start_background(ctx: AppContext) -> threading.Event:
    """Start the dispatcher and alerts threads; set the returned event to stop both."""
    _, stop_dispatcher = start_dispatcher_thread(ctx, poll_interval=ctx.settings.crm_dispatch_interval_seconds)
    stop = threading.Event()
    threading.Thread(target=run_alerts_loop, args=(ctx, stop), name="alerts", daemon=True).start()
    threading.Thread(target=run_ops_loop, args=(ctx, stop), name="ops", daemon=True).start()
    threading.Thread(target=run_maintenance_loop, args=(ctx, stop), name="maintenance", daemon=True).start()
    threading.Thread(target=_link, args=(stop, stop_dispatcher), daemon=True).start()
    return stop


def _link(stop: threading.Event, other: threading.Event) -> None:
    stop.wait()
    other.set()
