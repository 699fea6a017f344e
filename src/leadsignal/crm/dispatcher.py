"""Deliver outbox events to webhook endpoints: fan out, claim, send, record.

Each step commits on its own. A claim pushes ``next_attempt_at`` forward by a lease before the
request goes out, so a dispatcher killed mid-request leaves a delivery that another dispatcher
takes again once the lease expires: at-least-once, never lost; receivers dedupe on
``Idempotency-Key``. For one endpoint, events of one lead go out in outbox order: a delivery
waits while an earlier one for the same lead is still pending or retrying (delivered or dead
releases it).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import httpx
import structlog
from sqlalchemy import exists, select
from sqlalchemy.orm import Session, aliased

from leadsignal.core.context import AppContext
from leadsignal.core.crypto import DecryptionError, PiiCipher
from leadsignal.crm.models import OPEN_STATUSES, WebhookDelivery, WebhookEndpoint
from leadsignal.crm.signing import EVENT_HEADER, IDEMPOTENCY_HEADER, signed_headers
from leadsignal.crm.webhooks import endpoint_secret
from leadsignal.db import session_scope, utcnow
from leadsignal.events.models import OutboxEvent
from leadsignal.events.retry import retry_locked
from leadsignal.events.service import consume
from leadsignal.events.sql import insert_ignore

log = structlog.get_logger(__name__)

CONSUMER = "crm.webhooks"
# Waits after attempt 1, 2, ...: about 24 hours in all, then the delivery is dead.
RETRY_DELAYS: tuple[float, ...] = (10, 30, 120, 600, 1800, 3600, 7200, 14400, 28800, 28800)
_MAX_PARALLEL = 8
SECRET_RETRY = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class RetryPolicy:
    delays: tuple[float, ...] = RETRY_DELAYS
    jitter: float = 0.2  # +-20 %, so endpoints recovering from an outage are not hit in lockstep

    @property
    def max_attempts(self) -> int:
        return len(self.delays) + 1

    def next_delay(self, attempts: int, rng: random.Random) -> dt.timedelta | None:
        """The wait after ``attempts`` failed attempts, or None when the delivery is dead."""
        if attempts >= self.max_attempts:
            return None
        base = self.delays[attempts - 1]
        return dt.timedelta(seconds=base * (1 + rng.uniform(-self.jitter, self.jitter)))


DEFAULT_POLICY = RetryPolicy()


@dataclass(frozen=True)
class Claim:
    delivery_id: int
    attempts: int
    event_id: str
    event_type: str
    url: str
    secret: str
    body: bytes


@dataclass
class SendResult:
    status_code: int | None
    error: str | None

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def event_body(event: OutboxEvent) -> bytes:
    """The exact bytes that are signed and sent."""
    envelope = {
        "id": event.event_id,
        "type": event.event_type,
        "created_at": event.created_at.isoformat(),
        "data": event.payload,
    }
    return json.dumps(envelope, separators=(",", ":"), sort_keys=True, default=str).encode()


def fan_out(
    session: Session, *, now: dt.datetime, limit: int, gap_grace: dt.timedelta, read: Counter[str] | None = None
) -> int:
    """Turn new outbox events into one delivery per subscribed active endpoint.

    ``read`` counts the events consumed, subscribed or not: most outbox events are not for the
    CRM, and a round that only read them still made progress (the loop must not sleep after it).
    """
    events = consume(session, CONSUMER, now=now, limit=limit, gap_grace=gap_grace)
    if read is not None:
        read["events_read"] += len(events)
    if not events:
        return 0
    endpoints = list(session.scalars(select(WebhookEndpoint).where(WebhookEndpoint.is_active.is_(True))))
    created = 0
    for event in events:
        for endpoint in endpoints:
            if endpoint.subscribes_to(event.event_type):
                created += insert_ignore(
                    session,
                    WebhookDelivery.__table__,  # type: ignore[arg-type]
                    {
                        "event_id": event.event_id, "outbox_id": event.id, "endpoint_id": endpoint.id,
                        "lead_id": event.lead_id, "status": "pending", "attempts": 0,
                        "next_attempt_at": now, "created_at": now,
                    },
                )  # fmt: skip
    return created


def claim_due(session: Session, cipher: PiiCipher, *, now: dt.datetime, limit: int, lease: dt.timedelta) -> list[Claim]:
    """Lease the due deliveries that nothing earlier for the same lead and endpoint is waiting on."""
    earlier = aliased(WebhookDelivery)
    blocked = exists().where(
        earlier.endpoint_id == WebhookDelivery.endpoint_id,
        earlier.lead_id == WebhookDelivery.lead_id,
        earlier.outbox_id < WebhookDelivery.outbox_id,
        earlier.status.in_(OPEN_STATUSES),
    )
    query = (
        select(WebhookDelivery)
        .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
        .where(
            WebhookDelivery.status.in_(OPEN_STATUSES),
            WebhookDelivery.next_attempt_at <= now,
            WebhookEndpoint.is_active.is_(True),
            ~blocked,
        )
        .order_by(WebhookDelivery.outbox_id, WebhookDelivery.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True, of=WebhookDelivery)
    deliveries = list(session.scalars(query))
    # One query each for the events and endpoints; the loop below then reads the identity map.
    session.scalars(select(OutboxEvent).where(OutboxEvent.id.in_({d.outbox_id for d in deliveries}))).all()
    session.scalars(select(WebhookEndpoint).where(WebhookEndpoint.id.in_({d.endpoint_id for d in deliveries}))).all()
    claims: list[Claim] = []
    for delivery in deliveries:
        endpoint = session.get(WebhookEndpoint, delivery.endpoint_id)
        event = session.get(OutboxEvent, delivery.outbox_id)
        assert endpoint is not None  # foreign key
        assert event is not None  # foreign key
        try:
            secret = endpoint_secret(endpoint, cipher)
        except DecryptionError:
            # A key removed before re-encryption: hold this endpoint's deliveries, not everyone's.
            delivery.next_attempt_at, delivery.last_error = now + SECRET_RETRY, "endpoint secret cannot be decrypted"
            log.error("crm.webhook.secret_undecryptable", endpoint_id=endpoint.id)
            continue
        delivery.attempts += 1
        delivery.first_attempt_at = delivery.first_attempt_at or now
        delivery.last_attempt_at = now
        delivery.next_attempt_at = now + lease
        claims.append(
            Claim(
                delivery_id=delivery.id, attempts=delivery.attempts, event_id=event.event_id,
                event_type=event.event_type, url=endpoint.url, secret=secret,
                body=event_body(event),
            )
        )  # fmt: skip
    session.flush()
    return claims


def send(client: httpx.Client, claim: Claim) -> SendResult:
    """One attempt. The signature carries the wall-clock time of sending, which receivers check."""
    headers = {
        "Content-Type": "application/json",
        EVENT_HEADER: claim.event_type,
        IDEMPOTENCY_HEADER: claim.event_id,
        **signed_headers(claim.secret, claim.body),
    }
    try:
        response = client.post(claim.url, content=claim.body, headers=headers)
    except httpx.TimeoutException:
        return SendResult(None, "timed out")
    except httpx.HTTPError as exc:
        return SendResult(None, f"{type(exc).__name__}: {str(exc)[:200]}")
    if 200 <= response.status_code < 300:
        return SendResult(response.status_code, None)
    return SendResult(response.status_code, f"HTTP {response.status_code}: {response.text[:200]}")


def record(
    session: Session, claim: Claim, result: SendResult, *, now: dt.datetime, policy: RetryPolicy, rng: random.Random
) -> str:
    """Store the outcome of one attempt; returns the delivery's new status."""
    delivery = session.get(WebhookDelivery, claim.delivery_id)
    if delivery is None or delivery.status not in OPEN_STATUSES:
        return delivery.status if delivery is not None else "gone"
    if delivery.attempts != claim.attempts and not result.delivered:
        return "superseded"  # the lease expired and a newer attempt owns the schedule now
    delivery.last_status_code = result.status_code
    if result.delivered:
        delivery.status, delivery.delivered_at, delivery.last_error = "delivered", now, None
    elif result.status_code == 410:
        delivery.status, delivery.last_error = "dead", "endpoint answered 410 Gone; endpoint deactivated"
        endpoint = session.get(WebhookEndpoint, delivery.endpoint_id)
        if endpoint is not None and endpoint.is_active:
            endpoint.is_active, endpoint.deactivated_reason = False, "answered 410 Gone"
            log.warning("crm.webhook.endpoint_gone", endpoint_id=endpoint.id)
    else:
        delivery.last_error = (result.error or "failed")[:500]
        delay = policy.next_delay(delivery.attempts, rng)
        if delay is None:
            delivery.status = "dead"
            log.warning("crm.webhook.dead", delivery_id=delivery.id, attempts=delivery.attempts)
        else:
            delivery.status, delivery.next_attempt_at = "failed", now + delay
    return delivery.status  # the caller flushes once for the whole batch


@dataclass
class Dispatcher:
    """One dispatcher's configuration; ``dispatch_once`` is the function most callers want."""

    ctx: AppContext
    policy: RetryPolicy = DEFAULT_POLICY
    rng: random.Random = field(default_factory=random.Random)
    events_read: int = 0  # outbox events the last round consumed, for the CRM or not

    def run_once(self, now: dt.datetime | None = None) -> Counter[str]:
        settings = self.ctx.settings
        now = now or utcnow()
        gap_grace = dt.timedelta(seconds=settings.outbox_gap_grace_seconds)
        lease = dt.timedelta(seconds=settings.webhook_timeout_seconds + 60)
        limit = settings.webhook_batch_size

        read: Counter[str] = Counter()

        def fan() -> int:
            read.clear()
            with session_scope(self.ctx.sessions) as session:
                return fan_out(session, now=now, limit=limit, gap_grace=gap_grace, read=read)

        def claim() -> list[Claim]:
            with session_scope(self.ctx.sessions) as session:
                return claim_due(session, self.ctx.cipher, now=now, limit=limit, lease=lease)

        counts: Counter[str] = Counter(fanned_out=retry_locked(fan))
        self.events_read = read["events_read"]
        claims = retry_locked(claim)
        if not claims:
            return counts
        timeout = httpx.Timeout(settings.webhook_timeout_seconds, connect=min(5.0, settings.webhook_timeout_seconds))
        with (
            httpx.Client(
                timeout=timeout, follow_redirects=False, headers={"User-Agent": "leadsignal-webhooks/1"}
            ) as client,
            ThreadPoolExecutor(max_workers=min(_MAX_PARALLEL, len(claims))) as pool,
        ):
            results = list(pool.map(lambda c: send(client, c), claims))

        def store() -> Counter[str]:
            outcome: Counter[str] = Counter()
            with session_scope(self.ctx.sessions) as session:
                ids = [c.delivery_id for c in claims]
                session.scalars(select(WebhookDelivery).where(WebhookDelivery.id.in_(ids))).all()  # one read
                for item, result in zip(claims, results, strict=True):
                    outcome["sent"] += 1
                    outcome[record(session, item, result, now=now, policy=self.policy, rng=self.rng)] += 1
                session.flush()
            return outcome

        counts.update(retry_locked(store))
        return counts


def dispatch_once(
    ctx: AppContext, now: dt.datetime | None = None, *, policy: RetryPolicy = DEFAULT_POLICY
) -> dict[str, int]:
    """Fan out new events, then send every due delivery once. Counts by outcome."""
    return dict(Dispatcher(ctx, policy).run_once(now))


def run_dispatcher(ctx: AppContext, stop_event: threading.Event, poll_interval: float = 1.0) -> None:
    """The embedded default: a loop (run it in a thread) until ``stop_event`` is set.

    After a round that did work it goes again at once, so a burst drains without waiting.
    """
    from leadsignal.crm.inbox import process_pending

    dispatcher = Dispatcher(ctx)
    while not stop_event.is_set():
        busy = False
        try:
            counts = dispatcher.run_once()
            busy = counts.get("sent", 0) > 0 or counts.get("fanned_out", 0) > 0 or dispatcher.events_read > 0
            if counts.get("sent"):
                log.info("crm.dispatch.round", **counts)
            process_pending(ctx)
        except Exception:  # keep the loop alive; the next round retries what failed
            log.exception("crm.dispatch.failed")
        if not busy:
            stop_event.wait(poll_interval)


def start_dispatcher_thread(ctx: AppContext, poll_interval: float = 1.0) -> tuple[threading.Thread, threading.Event]:
    """Start ``run_dispatcher`` in a daemon thread; set the returned event to stop it."""
    stop = threading.Event()
    thread = threading.Thread(
        target=run_dispatcher, args=(ctx, stop, poll_interval), name="crm-dispatcher", daemon=True
    )
    thread.start()
    return thread, stop
