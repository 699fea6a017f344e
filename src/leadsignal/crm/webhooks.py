"""Webhook endpoints (who receives our events) and the dead-letter list (what could not be delivered)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from sqlalchemy import select, update
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
    endpoint = WebhookEndpoint(
        name=name.strip()[:120] or "crm",
        url=validate_url(url, production=production),
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


def remove_endpoint(session: Session, endpoint_id: int, *, actor: audit.Actor) -> WebhookEndpoint:
    """Deactivate (not delete) so the delivery history stays for audit; nothing more is sent."""
    endpoint = session.get(WebhookEndpoint, endpoint_id)
    if endpoint is None:
        raise WebhookNotFound(f"webhook endpoint {endpoint_id} does not exist")
    endpoint.is_active = False
    endpoint.deactivated_reason = f"removed by {actor.name}"
    audit.record(session, actor, "webhook.endpoint.removed", entity_type="webhook_endpoint", entity_id=endpoint.id)
    session.flush()
    return endpoint


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
