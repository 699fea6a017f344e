"""``leadsignal monitor``, ``leadsignal worker`` and ``leadsignal beat``."""

from __future__ import annotations

import json
import time
from typing import Annotated

import typer

from leadsignal.core.cli_support import app_context, fail


def monitor_command(
    once: Annotated[bool, typer.Option("--once", help="Run one cycle and exit.")] = False,
    limit: Annotated[int | None, typer.Option(min=1, help="At most this many leads per cycle.")] = None,
    interval: Annotated[
        int | None, typer.Option(min=10, help="Seconds between cycles (default from settings).")
    ] = None,
) -> None:
    """Monitor due leads in this process (the embedded default's in-process runner)."""
    from leadsignal.alerts.processor import process_pending
    from leadsignal.jobs.runtime import build_deps, next_sample_cycle
    from leadsignal.monitoring.cycle import run_cycle

    ctx = app_context()
    pause = interval or ctx.settings.monitor_interval_seconds
    while True:
        deps = build_deps(ctx, sample_cycle=next_sample_cycle(ctx))
        report = run_cycle(ctx, deps, limit=limit, batch_size=ctx.settings.monitor_batch_size)
        alerts = process_pending(ctx)
        typer.echo(json.dumps({"source": deps.source.name, **report.as_dict(), "alerts": dict(alerts)}))
        if once:
            return
        time.sleep(pause)


def worker_command(
    concurrency: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 2,
    queues: Annotated[str, typer.Option(help="Comma-separated queues.")] = "celery",
) -> None:
    """Run a Celery worker (production; needs LEADSIGNAL_BROKER_URL or LEADSIGNAL_REDIS_URL)."""
    ctx = app_context()
    if not (ctx.settings.broker_url or ctx.settings.redis_url):
        raise fail("no broker configured: set LEADSIGNAL_BROKER_URL (redis:// or amqp://)")
    from leadsignal.jobs.worker import app

    app.worker_main(["worker", f"--concurrency={concurrency}", f"--queues={queues}", "--loglevel=INFO"])


def beat_command() -> None:
    """Run Celery beat, which starts a monitoring cycle every monitor_interval_seconds."""
    ctx = app_context()
    if not (ctx.settings.broker_url or ctx.settings.redis_url):
        raise fail("no broker configured: set LEADSIGNAL_BROKER_URL (redis:// or amqp://)")
    from leadsignal.jobs.worker import app

    app.start(["beat", "--loglevel=INFO"])
