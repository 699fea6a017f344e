"""Webhook endpoints (who receives our events) and the dead-letter list (what could not be delivered)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from leadsignal.compliance import audit
from leadsignal.core.crypto import PiiCipher
from leadsignal.crm.models import WebhookDelivery, WebhookEndpoint
from leadsignal.db import utcnow
from leadsignal.events.models import OutboxEvent
from leadsignal.events.service import EVENT_TYPES, INTERNAL_EVENT_TYPES

SECRET_CONTEXT = "webhook_secret"  # noqa: S105 - the AEAD context label, not a secret
_LOOPBACK = ("127.0.0.1", "localhost", "::1")


class WebhookNotFound(LookupError):
    """No webhook endpoint or delivery has that id."""


class WebhookConflict(ValueError):
    """The change would clash with another endpoint (the same URL registered twice)."""


def validate_url(url: str, *, production: bool) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"webhook URL must be an absolute http(s) URL, got {url[:80]!r}")
    if production and parts.scheme != "https" and parts.hostname not in _LOOPBACK:
        raise ValueError("webhook URLs must use https in production (signals carry personal data)")
    if len(url) > 500:
        raise ValueError("webhook URL is longer than 500 characters")
    return url.strip()


def validate_event_types(event_types: Sequence[str]) -> list[str]:
    chosen = sorted({t.strip() for t in event_types if t.strip()})
    if not chosen:
        raise ValueError("subscribe to at least one event type (or '*')")
    public = [t for t in EVENT_TYPES if t not in INTERNAL_EVENT_TYPES]
    unknown = [t for t in chosen if t != "*" and t not in public]
    if unknown:
        raise ValueError(f"unknown event types {', '.join(unknown)}; known: {', '.join(public)}")
    return ["*"] if "*" in chosen else chosen


def add_endpoint(
    session: Session,
    cipher: PiiCipher,
    *,
    name: str,
    url: str,
    event_types: Sequence[str],
    actor: audit.Actor,
    secret: str | None = None,
    production: bool = False,
) -> tuple[WebhookEndpoint, str]:
    """Register an endpoint; returns it with its signing secret (shown once, stored encrypted)."""
    if secret is not None and len(secret) < 16:
        raise ValueError("a webhook secret must be at least 16 characters")
    secret = secret or secrets.token_urlsafe(32)
    checked_url = validate_url(url, production=production)
    _refuse_duplicate_url(session, checked_url)
    endpoint = WebhookEndpoint(
        name=name.strip()[:120] or "crm",
        url=checked_url,
        secret_enc=cipher.encrypt(secret, context=SECRET_CONTEXT),
        event_types=validate_event_types(event_types),
        is_active=True,
    )
    session.add(endpoint)
    session.flush()
    audit.record(
        session, actor, "webhook.endpoint.added", entity_type="webhook_endpoint", entity_id=endpoint.id,
        details={"name": endpoint.name, "event_types": endpoint.event_types},
    )  # fmt: skip
    return endpoint, secret


def list_endpoints(session: Session) -> list[WebhookEndpoint]:
    return list(session.scalars(select(WebhookEndpoint).order_by(WebhookEndpoint.id)))


def _refuse_duplicate_url(session: Session, url: str, *, except_id: int | None = None) -> None:
    """Two active endpoints with one URL would receive every event twice."""
    query = select(WebhookEndpoint.id).where(WebhookEndpoint.url == url, WebhookEndpoint.is_active.is_(True))
    if except_id is not None:
        query = query.where(WebhookEndpoint.id != except_id)
    other = session.scalar(query.limit(1))
    if other is not None:
        raise WebhookConflict(f"active webhook endpoint {other} already has this URL")


def get_endpoint(session: Session, endpoint_id: int) -> WebhookEndpoint:
    endpoint = session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None:
        raise WebhookNotFound(f"webhook endpoint {endpoint_id} does not exist")
    return endpoint


def remove_endpoint(session: Session, endpoint_id: int, *, actor: audit.Actor) -> WebhookEndpoint:
    """Deactivate (not delete) so the delivery history stays for audit; nothing more is sent."""
    endpoint = get_endpoint(session, endpoint_id)
    endpoint.is_active = False
    endpoint.deactivated_reason = f"removed by {actor.name}"[:255]
    audit.record(session, actor, "webhook.endpoint.removed", entity_type="webhook_endpoint", entity_id=endpoint.id)
    session.flush()
    return endpoint


def update_endpoint(
    session: Session,
    endpoint_id: int,
    *,
    actor: audit.Actor,
    name: str | None = None,
    url: str | None = None,
    event_types: Sequence[str] | None = None,
    is_active: bool | None = None,
    production: bool = False,
) -> WebhookEndpoint:
    """Change what is given. Reactivating clears ``deactivated_reason`` (e.g. a 410 Gone); deactivating
    records who did it. Only events published while active are delivered."""
    endpoint = get_endpoint(session, endpoint_id)
    changed: dict[str, object] = {}
    if name is not None and name.strip()[:120] != endpoint.name:
        if not name.strip():
            raise ValueError("a webhook endpoint needs a name")
        changed["name"] = name.strip()[:120]
    if url is not None:
        checked = validate_url(url, production=production)
        if checked != endpoint.url:
            changed["url"] = checked
    if event_types is not None:
        chosen = validate_event_types(event_types)
        if chosen != endpoint.event_types:
            changed["event_types"] = chosen
    if is_active is not None and is_active != endpoint.is_active:
        changed["is_active"] = is_active
    # Checked when an active endpoint gets a URL (moved or reactivated), not on every rename.
    if changed.get("is_active", endpoint.is_active) and ("url" in changed or "is_active" in changed):
        _refuse_duplicate_url(session, str(changed.get("url", endpoint.url)), except_id=endpoint.id)
    for field, value in changed.items():
        setattr(endpoint, field, value)
    if "is_active" in changed:
        endpoint.deactivated_reason = None if endpoint.is_active else f"deactivated by {actor.name}"[:255]
    if changed:
        audit.record(
            session, actor, "webhook.endpoint.updated", entity_type="webhook_endpoint", entity_id=endpoint.id,
            fields=sorted(changed), details={"is_active": endpoint.is_active, "event_types": endpoint.event_types},
        )  # fmt: skip
    session.flush()
    return endpoint


def rotate_secret(
    session: Session, cipher: PiiCipher, endpoint_id: int, *, actor: audit.Actor
) -> tuple[WebhookEndpoint, str]:
    """A new signing secret, effective for the next delivery attempt; returned once, stored encrypted."""
    endpoint = get_endpoint(session, endpoint_id)
    secret = secrets.token_urlsafe(32)
    endpoint.secret_enc = cipher.encrypt(secret, context=SECRET_CONTEXT)
    audit.record(session, actor, "webhook.endpoint.secret_rotated", entity_type="webhook_endpoint",
                 entity_id=endpoint.id)  # fmt: skip
    session.flush()
    return endpoint, secret


@dataclass(frozen=True)
class EndpointStats:
    pending: int = 0  # waiting for a first or a retry attempt (statuses pending and failed)
    retrying: int = 0  # of those, how many failed at least once
    dead: int = 0
    delivered: int = 0
    last_delivered_at: dt.datetime | None = None


def endpoint_stats(session: Session) -> dict[int, EndpointStats]:
    """Delivery counts per endpoint id, from one grouped query."""
    rows = session.execute(
        select(
            WebhookDelivery.endpoint_id,
            WebhookDelivery.status,
            func.count(),
            func.max(WebhookDelivery.delivered_at),
        ).group_by(WebhookDelivery.endpoint_id, WebhookDelivery.status)
    ).all()
    counts: dict[int, dict[str, int]] = {}
    last: dict[int, dt.datetime | None] = {}
    for endpoint_id, status, count, delivered_at in rows:
        counts.setdefault(endpoint_id, {})[status] = int(count)
        if status == "delivered":
            last[endpoint_id] = delivered_at
    return {
        endpoint_id: EndpointStats(
            pending=c.get("pending", 0) + c.get("failed", 0),
            retrying=c.get("failed", 0),
            dead=c.get("dead", 0),
            delivered=c.get("delivered", 0),
            last_delivered_at=last.get(endpoint_id),
        )
        for endpoint_id, c in counts.items()
    }


def endpoint_secret(endpoint: WebhookEndpoint, cipher: PiiCipher) -> str:
    return cipher.decrypt(endpoint.secret_enc, context=SECRET_CONTEXT)


@dataclass(frozen=True)
class DeadLetter:
    delivery_id: int
    event_id: str
    event_type: str
    endpoint_id: int
    endpoint_name: str
    lead_id: int | None
    attempts: int
    last_status_code: int | None
    last_error: str | None
    first_attempt_at: dt.datetime | None
    last_attempt_at: dt.datetime | None


def list_dead(session: Session, *, limit: int = 100) -> list[DeadLetter]:
    rows = session.execute(
        select(WebhookDelivery, OutboxEvent.event_type, WebhookEndpoint.name)
        .join(OutboxEvent, OutboxEvent.id == WebhookDelivery.outbox_id)
        .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
        .where(WebhookDelivery.status == "dead")
        .order_by(WebhookDelivery.id)
        .limit(limit)
    ).all()
    return [
        DeadLetter(
            delivery_id=d.id,
            event_id=d.event_id,
            event_type=event_type,
            endpoint_id=d.endpoint_id,
            endpoint_name=name,
            lead_id=d.lead_id,
            attempts=d.attempts,
            last_status_code=d.last_status_code,
            last_error=d.last_error,
            first_attempt_at=d.first_attempt_at,
            last_attempt_at=d.last_attempt_at,
        )
        for d, event_type, name in rows
    ]


def replay(session: Session, delivery_id: int, *, actor: audit.Actor, now: dt.datetime | None = None) -> None:
    """Put one dead delivery back in the queue with a fresh retry schedule."""
    delivery = session.get(WebhookDelivery, delivery_id)
    if delivery is None:
        raise WebhookNotFound(f"webhook delivery {delivery_id} does not exist")
    if delivery.status != "dead":
        raise ValueError(f"delivery {delivery_id} is {delivery.status}, only dead deliveries can be replayed")
    delivery.status, delivery.attempts, delivery.next_attempt_at = "pending", 0, now or utcnow()
    audit.record(
        session, actor, "webhook.delivery.replayed", entity_type="webhook_delivery", entity_id=delivery.id,
        details={"event_id": delivery.event_id, "endpoint_id": delivery.endpoint_id},
    )  # fmt: skip
    session.flush()


def replay_all(session: Session, *, actor: audit.Actor, now: dt.datetime | None = None) -> int:
    result = session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.status == "dead")
        .values(status="pending", attempts=0, next_attempt_at=now or utcnow())
    )
    count = int(getattr(result, "rowcount", 0))
    audit.record(session, actor, "webhook.delivery.replayed_all", entity_type="webhook_delivery",
                 details={"count": count})  # fmt: skip
    session.flush()
    return count
