"""Outbound webhooks against a fake CRM that verifies signatures and dedupes on Idempotency-Key."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import select

from leadsignal.compliance.audit import SYSTEM
from leadsignal.core.context import AppContext
from leadsignal.core.crypto import PiiCipher
from leadsignal.crm import webhooks
from leadsignal.crm.dispatcher import DEFAULT_POLICY, dispatch_once
from leadsignal.crm.models import WebhookDelivery, WebhookEndpoint
from leadsignal.crm.signing import sign
from leadsignal.db import session_scope, utcnow
from leadsignal.events.service import LEAD_ENRICHED, SIGNAL_CREATED, publish_lead_enriched
from tests.crm import factories as f
from tests.crm.conftest import WEBHOOK_SECRET
from tests.crm.fake_crm import FakeCrm
from tests.fakes.base import Reply

S = dt.timedelta(seconds=1)


def _deliveries(ctx: AppContext) -> list[WebhookDelivery]:
    with session_scope(ctx.sessions) as session:
        return list(session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.outbox_id)))


def test_signal_is_delivered_signed_with_its_payload(crm_ctx: AppContext, fake_crm: FakeCrm) -> None:
    f.endpoint(crm_ctx, fake_crm.hook_url)
    lead_id, agency_id = f.lead(crm_ctx)
    signal_id, event_id = f.signal_event(crm_ctx, lead_id)

    counts = dispatch_once(crm_ctx)

    assert counts == {"fanned_out": 1, "sent": 1, "delivered": 1}
    [req] = fake_crm.hook_requests()
    assert req.headers["idempotency-key"] == event_id
    assert req.headers["x-leadsignal-event"] == SIGNAL_CREATED
    timestamp = int(req.headers["x-leadsignal-timestamp"])
    assert req.headers["x-leadsignal-signature"] == sign(WEBHOOK_SECRET, timestamp, req.body)
    envelope = json.loads(req.body)
    assert envelope["id"] == event_id
    assert envelope["type"] == SIGNAL_CREATED
    assert envelope["data"]["signal_id"] == signal_id
    assert envelope["data"]["agency_id_number"] == agency_id
    assert envelope["data"]["evidence"][0]["snippet"].startswith("Thrilled")
    assert fake_crm.stored.keys() == {event_id}
    [delivery] = _deliveries(crm_ctx)
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 1, 200)
    # Nothing more to do: a second round sends nothing.
    assert dispatch_once(crm_ctx) == {"fanned_out": 0}
    assert len(fake_crm.hook_requests()) == 1


def test_endpoint_gets_only_subscribed_types(crm_ctx: AppContext, fake_crm: FakeCrm) -> None:
    f.endpoint(crm_ctx, fake_crm.hook_url, events=(LEAD_ENRICHED,))
    lead_id, _ = f.lead(crm_ctx)
    f.signal_event(crm_ctx, lead_id)
    with session_scope(crm_ctx.sessions) as session:
        lead = f.stored_lead(session, lead_id)
        enriched_id = publish_lead_enriched(session, lead)
    dispatch_once(crm_ctx)
    assert [r.headers["idempotency-key"] for r in fake_crm.hook_requests()] == [enriched_id]


def test_a_wrong_secret_is_rejected_by_the_receiver_and_retried(crm_ctx: AppContext, fake_crm: FakeCrm) -> None:
    f.endpoint(crm_ctx, fake_crm.hook_url, secret="a-different-secret-0123456789")
    lead_id, _ = f.lead(crm_ctx)
    f.signal_event(crm_ctx, lead_id)
    assert dispatch_once(crm_ctx)["failed"] == 1
    assert fake_crm.rejected == ["signature does not match"]
    [delivery] = _deliveries(crm_ctx)
    assert delivery.last_status_code == 401


def test_500_is_retried_with_backoff_then_delivered(crm_ctx: AppContext, fake_crm: FakeCrm) -> None:
    f.endpoint(crm_ctx, fake_crm.hook_url)
    lead_id, _ = f.lead(crm_ctx)
    _, event_id = f.signal_event(crm_ctx, lead_id)
    fake_crm.script("/hooks", Reply(500, {"error": "boom"}))
    t0 = utcnow()

    assert dispatch_once(crm_ctx, t0)["failed"] == 1
    [delivery] = _deliveries(crm_ctx)
    assert delivery.last_error is not None
    assert delivery.last_error.startswith("HTTP 500")
    wait = (delivery.next_attempt_at - t0).total_seconds()
    assert 8 <= wait <= 12  # 10 s +-20 % jitter
    assert dispatch_once(crm_ctx, t0 + 7 * S) == {"fanned_out": 0}  # not due yet
    assert dispatch_once(crm_ctx, t0 + 13 * S)["delivered"] == 1
    assert [r.headers["idempotency-key"] for r in fake_crm.hook_requests()] == [event_id, event_id]
    assert list(fake_crm.stored) == [event_id]


def test_timeout_is_retried(crm_ctx: AppContext, fake_crm: FakeCrm) -> None:
    f.endpoint(crm_ctx, fake_crm.hook_url)
    lead_id, _ = f.lead(crm_ctx)
    f.signal_event(crm_ctx, lead_id)
    fake_crm.script("/hooks", Reply(200, {"late": True}, delay=1.5))  # client time-out is 0.5 s
    t0 = utcnow()
    assert dispatch_once(crm_ctx, t0)["failed"] == 1
    [delivery] = _deliveries(crm_ctx)
    assert delivery.last_error == "timed out"
    assert delivery.last_status_code is None
    assert dispatch_once(crm_ctx, t0 + 13 * S)["delivered"] == 1


def test_dead_after_max_attempts_then_replayed(crm_ctx: AppContext, fake_crm: FakeCrm) -> None:
    f.endpoint(crm_ctx, fake_crm.hook_url)
    lead_id, _ = f.lead(crm_ctx)
    _, event_id = f.signal_event(crm_ctx, lead_id)
    fake_crm.script("/hooks", *[Reply(503, "down") for _ in range(DEFAULT_POLICY.max_attempts)])
    now = utcnow()
    statuses = []
    for _ in range(DEFAULT_POLICY.max_attempts):
        counts = dispatch_once(crm_ctx, now)
        statuses.append("dead" if counts.get("dead") else "failed" if counts.get("failed") else "none")
        now += dt.timedelta(hours=10)  # longer than the longest wait
    assert statuses == ["failed"] * (DEFAULT_POLICY.max_attempts - 1) + ["dead"]
    [delivery] = _deliveries(crm_ctx)
    assert delivery.first_attempt_at is not None
    assert delivery.attempts == DEFAULT_POLICY.max_attempts
    assert sum(DEFAULT_POLICY.delays) / 3600 > 23  # retried for about a day
    with session_scope(crm_ctx.sessions) as session:
        [dead] = webhooks.list_dead(session)
        assert (dead.event_id, dead.event_type, dead.attempts) == (event_id, SIGNAL_CREATED, 11)
    assert dispatch_once(crm_ctx, now) == {"fanned_out": 0}  # dead stays dead

    with session_scope(crm_ctx.sessions) as session:
        webhooks.replay(session, dead.delivery_id, actor=SYSTEM, now=now)
    assert dispatch_once(crm_ctx, now)["delivered"] == 1
    assert list(fake_crm.stored) == [event_id]
    with session_scope(crm_ctx.sessions) as session:
        assert webhooks.list_dead(session) == []


def test_410_deactivates_the_endpoint(crm_ctx: AppContext, fake_crm: FakeCrm) -> None:
    endpoint_id = f.endpoint(crm_ctx, fake_crm.hook_url)
    lead_id, _ = f.lead(crm_ctx)
    f.signal_event(crm_ctx, lead_id)
    f.signal_event(crm_ctx, lead_id, signal_type="license", credential="RN licence", org=None)
    fake_crm.script("/hooks", Reply(410, "gone"))
    assert dispatch_once(crm_ctx)["dead"] == 1
    with session_scope(crm_ctx.sessions) as session:
        endpoint = session.get(WebhookEndpoint, endpoint_id)
        assert endpoint is not None
        assert not endpoint.is_active
        assert endpoint.deactivated_reason == "answered 410 Gone"
    assert dispatch_once(crm_ctx) == {"fanned_out": 0}  # the second event waits; nothing is sent
    assert len(fake_crm.hook_requests()) == 1


def test_a_failing_event_blocks_later_events_of_the_same_lead_only(crm_ctx: AppContext, fake_crm: FakeCrm) -> None:
    f.endpoint(crm_ctx, fake_crm.hook_url)
    lead_a, _ = f.lead(crm_ctx)
    lead_b, _ = f.lead(crm_ctx)
    _, a1 = f.signal_event(crm_ctx, lead_a)
    _, a2 = f.signal_event(crm_ctx, lead_a, signal_type="license", credential="RN licence", org=None)
    _, b1 = f.signal_event(crm_ctx, lead_b)
    fake_crm.failures[a1] = [Reply(500, "first try fails")]
    t0 = utcnow()

    counts = dispatch_once(crm_ctx, t0)
    assert counts == {"fanned_out": 3, "sent": 2, "failed": 1, "delivered": 1}
    assert {r.headers["idempotency-key"] for r in fake_crm.hook_requests()} == {a1, b1}  # sent in parallel
    assert dispatch_once(crm_ctx, t0 + 5 * S) == {"fanned_out": 0}  # a2 waits behind a1
    assert dispatch_once(crm_ctx, t0 + 13 * S)["delivered"] == 1  # a1 only
    assert dispatch_once(crm_ctx, t0 + 14 * S)["delivered"] == 1  # now a2
    keys = [r.headers["idempotency-key"] for r in fake_crm.hook_requests()]
    assert keys[2:] == [a1, a2]
    assert [k for k in fake_crm.stored if k in (a1, a2)] == [a1, a2]


def test_a_dead_event_releases_the_next_one(crm_ctx: AppContext, fake_crm: FakeCrm) -> None:
    f.endpoint(crm_ctx, fake_crm.hook_url)
    lead_id, _ = f.lead(crm_ctx)
    _, first = f.signal_event(crm_ctx, lead_id)
    _, second = f.signal_event(crm_ctx, lead_id, signal_type="license", credential="RN licence", org=None)
    fake_crm.script("/hooks", *[Reply(500, "x") for _ in range(DEFAULT_POLICY.max_attempts)])
    now = utcnow()
    for _ in range(DEFAULT_POLICY.max_attempts):
        dispatch_once(crm_ctx, now)
        now += dt.timedelta(hours=10)
    assert {r.headers["idempotency-key"] for r in fake_crm.hook_requests()} == {first}
    assert dispatch_once(crm_ctx, now)["delivered"] == 1
    assert list(fake_crm.stored) == [second]


def test_endpoint_added_later_gets_only_new_events(crm_ctx: AppContext, fake_crm: FakeCrm) -> None:
    lead_id, _ = f.lead(crm_ctx)
    f.signal_event(crm_ctx, lead_id)
    assert dispatch_once(crm_ctx) == {"fanned_out": 0}
    f.endpoint(crm_ctx, fake_crm.hook_url)
    _, later = f.signal_event(crm_ctx, lead_id, signal_type="license", credential="RN licence", org=None)
    dispatch_once(crm_ctx)
    assert list(fake_crm.stored) == [later]


def test_an_undecryptable_secret_holds_only_its_endpoint(crm_ctx: AppContext, fake_crm: FakeCrm) -> None:
    broken = f.endpoint(crm_ctx, fake_crm.hook_url + "?broken=1")
    f.endpoint(crm_ctx, fake_crm.hook_url)
    other_key = PiiCipher.from_specs("o1:" + "C" * 43, "D" * 43)
    with session_scope(crm_ctx.sessions) as session:
        row = session.get(WebhookEndpoint, broken)
        assert row is not None
        row.secret_enc = other_key.encrypt("secret-under-a-removed-key", context="webhook_secret")
    _, event_id = f.signal_event(crm_ctx, f.lead(crm_ctx)[0])
    t0 = utcnow()
    assert dispatch_once(crm_ctx, t0) == {"fanned_out": 2, "sent": 1, "delivered": 1}
    assert [r.query for r in fake_crm.hook_requests()] == [{}]
    held = next(d for d in _deliveries(crm_ctx) if d.endpoint_id == broken)
    assert (held.status, held.attempts, held.last_error) == ("pending", 0, "endpoint secret cannot be decrypted")
    assert held.next_attempt_at > t0
    assert list(fake_crm.stored) == [event_id]
