"""The monitoring cycle as Celery tasks on a real worker, over real Redis and RabbitMQ brokers."""

from __future__ import annotations

import os
import time
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from sqlalchemy import select

from leadsignal.core.context import AppContext
from leadsignal.jobs.celery_app import CYCLE_TASK, create_celery_app
from leadsignal.jobs.runtime import use_detector
from leadsignal.monitoring.models import MonitorRun, MonitorState
from leadsignal.nlp.service import SignalDetector
from tests.monitoring.conftest import seed_leads

BROKERS = {
    "redis": "redis://127.0.0.1:6379/14",
    "rabbitmq": "amqp://guest:guest@127.0.0.1:5672//",
}


def _broker_up(url: str) -> bool:
    from kombu import Connection

    try:
        with Connection(url, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1)
        return True
    except Exception:
        return False


@pytest.mark.parametrize("broker", sorted(BROKERS))
def test_cycle_fans_out_batches_to_a_worker(app_ctx: AppContext, signal_detector: SignalDetector, broker: str) -> None:
    url = BROKERS[broker]
    if not _broker_up(url):
        if os.environ.get("CI"):  # CI promises both brokers: a missing one is a failure there
            pytest.fail(f"{broker} is not running at {url}")
        pytest.skip(f"{broker} is not running at {url}")
    settings = app_ctx.settings.model_copy(
        update={"broker_url": url, "monitor_batch_size": 4, "profile_source": "sample"}
    )
    ctx = AppContext(settings, _engine=app_ctx.engine)
    use_detector(ctx, signal_detector)
    ids = seed_leads(ctx, 10)
    app = create_celery_app(settings, lambda: ctx)
    app.conf.task_default_queue = f"leadsignal-test-{uuid.uuid4().hex[:8]}"
    with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False, shutdown_timeout=30):
        app.send_task(CYCLE_TASK, queue=app.conf.task_default_queue)
        deadline = time.monotonic() + 90
        run = None
        while time.monotonic() < deadline:
            with ctx.sessions() as s:
                run = s.scalars(select(MonitorRun)).first()
                if run is not None and run.status == "succeeded":
                    break
            time.sleep(0.5)
    assert run is not None
    assert run.status == "succeeded"
    assert run.counts["batches_planned"] == 3
    assert run.counts["batches_done"] == 3
    assert run.counts["profiles_fetched"] == 10
    with ctx.sessions() as s:
        assert sorted(s.scalars(select(MonitorState.lead_id))) == sorted(ids)
