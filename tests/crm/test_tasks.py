"""The dispatcher as a Celery task and as the embedded loop."""

from __future__ import annotations

import threading

from celery import Celery

from leadsignal.core.context import AppContext
from leadsignal.crm.dispatcher import start_dispatcher_thread
from leadsignal.crm.tasks import DISPATCH_TASK, register_crm_tasks
from tests.crm import factories as f
from tests.crm.fake_crm import FakeCrm


def test_task_is_registered_with_a_beat_entry_and_delivers(crm_ctx: AppContext, fake_crm: FakeCrm) -> None:
    app = Celery("test", broker="memory://")
    app.conf.beat_schedule = {"other": {"task": "x", "schedule": 60.0}}
    register_crm_tasks(app, lambda: crm_ctx)
    assert app.conf.beat_schedule["crm-dispatch"]["task"] == DISPATCH_TASK
    assert app.conf.beat_schedule["crm-dispatch"]["schedule"] == crm_ctx.settings.crm_dispatch_interval_seconds
    assert "other" in app.conf.beat_schedule
    f.endpoint(crm_ctx, fake_crm.hook_url)
    f.signal_event(crm_ctx, f.lead(crm_ctx)[0])
    counts = app.tasks[DISPATCH_TASK].run()
    assert counts == {"fanned_out": 1, "sent": 1, "delivered": 1, "inbox_handled": 0}


def test_embedded_loop_delivers_and_stops(crm_ctx: AppContext, fake_crm: FakeCrm) -> None:
    f.endpoint(crm_ctx, fake_crm.hook_url)
    _, event_id = f.signal_event(crm_ctx, f.lead(crm_ctx)[0])
    delivered = threading.Event()
    original = fake_crm.handle

    def handle(req):  # type: ignore[no-untyped-def]
        reply = original(req)
        delivered.set()
        return reply

    fake_crm.handle = handle  # type: ignore[method-assign]
    thread, stop = start_dispatcher_thread(crm_ctx, poll_interval=0.05)
    try:
        assert delivered.wait(30)
    finally:
        stop.set()
        thread.join(10)
    assert not thread.is_alive()
    assert list(fake_crm.stored) == [event_id]
