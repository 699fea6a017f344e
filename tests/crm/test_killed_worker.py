"""A dispatcher killed after the receiver got the request but before it recorded the result:
the delivery is not lost, a fresh dispatcher sends it again, the receiver stores it once."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import signal

from sqlalchemy import select

from leadsignal.core.context import AppContext
from leadsignal.crm.dispatcher import dispatch_once
from leadsignal.crm.models import WebhookDelivery
from leadsignal.db import session_scope, utcnow
from tests.crm import factories as f
from tests.crm.fake_crm import FakeCrm
from tests.crm.worker_proc import run_dispatch


def _delivery(ctx: AppContext) -> WebhookDelivery:
    with session_scope(ctx.sessions) as session:
        [row] = session.scalars(select(WebhookDelivery)).all()
        return row


def test_sigkilled_dispatcher_loses_nothing(committed_ctx: AppContext, fake_crm: FakeCrm) -> None:
    f.endpoint(committed_ctx, fake_crm.hook_url)
    lead_id, _ = f.lead(committed_ctx)
    _, event_id = f.signal_event(committed_ctx, lead_id)
    fake_crm.hold = True

    child = multiprocessing.get_context("spawn").Process(target=run_dispatch, args=(committed_ctx.settings,))
    child.start()
    try:
        assert fake_crm.holding.wait(60), "the child dispatcher never reached the receiver"
        assert child.pid is not None
        os.kill(child.pid, signal.SIGKILL)
        child.join(10)
    finally:
        fake_crm.release.set()
        if child.is_alive():  # pragma: no cover - only if the kill failed
            child.kill()
    assert child.exitcode == -signal.SIGKILL

    # The attempt was claimed (leased) but its result never recorded.
    killed = _delivery(committed_ctx)
    assert (killed.status, killed.attempts, killed.delivered_at) == ("pending", 1, None)
    now = utcnow()
    assert killed.next_attempt_at > now  # still leased to the dead worker
    assert dispatch_once(committed_ctx, now) == {"fanned_out": 0}

    after_lease = killed.next_attempt_at + dt.timedelta(seconds=1)
    assert dispatch_once(committed_ctx, after_lease) == {"fanned_out": 0, "sent": 1, "delivered": 1}
    done = _delivery(committed_ctx)
    assert (done.status, done.attempts) == ("delivered", 2)
    # At-least-once: the receiver saw the key twice and stored the event once.
    assert fake_crm.received_keys == [event_id, event_id]
    assert list(fake_crm.stored) == [event_id]
