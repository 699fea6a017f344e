"""Parse Brevo's transactional webhook payloads (one event object, or an array when batched).

Times: ``ts_epoch`` is documented as milliseconds but shown as seconds in Brevo's own example, so a
value too large to be seconds is read as milliseconds; then ``ts_event``/``ts`` (UTC seconds); then
``date``, which is Paris local time.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from leadsignal.alerts.email.port import DeliveryEvent

KNOWN_EVENTS = frozenset(
    {
        "request", "delivered", "hard_bounce", "soft_bounce", "blocked", "spam", "invalid_email", "deferred",
        "click", "opened", "unique_opened", "proxy_open", "unique_proxy_open", "unsubscribed", "error",
    }
)  # fmt: skip
_PARIS = ZoneInfo("Europe/Paris")
_MS_THRESHOLD = 100_000_000_000  # seconds since 1970 reach this only in the year 5138


class BrevoPayloadError(ValueError):
    """The body is not a Brevo event or list of events; the message says which item and why."""


def parse_events(body: Any, *, received_at: dt.datetime) -> tuple[list[DeliveryEvent], list[str]]:
    """The events we know, and the names of those we skipped (a newer Brevo may add event types;
    rejecting them would only make Brevo retry the whole batch forever)."""
    items = body if isinstance(body, list) else [body]
    if not items:
        raise BrevoPayloadError("empty event array")
    events: list[DeliveryEvent] = []
    skipped: list[str] = []
    for index, item in enumerate(items):
        parsed = _parse_one(item, index, received_at)
        if isinstance(parsed, DeliveryEvent):
            events.append(parsed)
        else:
            skipped.append(parsed)
    return events, skipped


def _parse_one(item: Any, index: int, received_at: dt.datetime) -> DeliveryEvent | str:
    where = f"event[{index}]"
    if not isinstance(item, dict):
        raise BrevoPayloadError(f"{where} is not a JSON object")
    event = item.get("event")
    if not isinstance(event, str) or not event:
        raise BrevoPayloadError(f"{where} has no 'event' name")
    if event not in KNOWN_EVENTS:
        return event[:32]
    message_id = item.get("message-id")
    if not isinstance(message_id, str) or not message_id.strip():
        raise BrevoPayloadError(f"{where} has no 'message-id'")
    if len(message_id.strip()) > 255:
        raise BrevoPayloadError(f"{where} has a 'message-id' longer than 255 characters")
    detail = item.get("reason") if event != "click" else item.get("link")
    return DeliveryEvent(
        provider="brevo",
        message_id=message_id.strip(),
        event=event,
        occurred_at=_occurred_at(item) or received_at,
        detail=str(detail)[:500] if detail is not None else None,
        raw=item,
    )


def _occurred_at(item: dict[str, Any]) -> dt.datetime | None:
    for key in ("ts_epoch", "ts_event", "ts"):
        value = item.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
            seconds = value / 1000 if value >= _MS_THRESHOLD else value
            return dt.datetime.fromtimestamp(seconds, dt.UTC)
    date = item.get("date")
    if isinstance(date, str):
        try:
            local = dt.datetime.strptime(date.strip(), "%Y-%m-%d %H:%M:%S")
        except ValueError:
            return None
        return local.replace(tzinfo=_PARIS).astimezone(dt.UTC)
    return None
