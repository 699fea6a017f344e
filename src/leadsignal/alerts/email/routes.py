"""HTTP: Brevo's delivery webhook, and the read-only outbox viewer.

Brevo signs nothing (no HMAC), so the webhook is guarded by a shared secret, sent either as a
bearer token (Brevo's webhook ``auth``) or as ``?token=`` in the URL we register with Brevo.
"""

from __future__ import annotations

import hmac
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Header, Query
from fastapi.responses import HTMLResponse

from leadsignal.alerts.email.outbox import get_outbox, list_outbox
from leadsignal.alerts.email.schemas import EventsAccepted, OutboxPage, OutboxSummary
from leadsignal.alerts.email.service import record_delivery_events
from leadsignal.auth.access import PERSONAS, access
from leadsignal.auth.deps import require_roles
from leadsignal.core.deps import CtxDep, SessionDep
from leadsignal.core.errors import ApiError
from leadsignal.db import utcnow
from leadsignal.integrations.brevo.events import BrevoPayloadError, parse_events

webhook_router = APIRouter(prefix="/email", tags=["email"])
# The outbox holds what collectors were told about consumers: admins and compliance only.
outbox_router = APIRouter(
    prefix="/emails", tags=["email"], dependencies=[Depends(require_roles("admin", "compliance"))]
)

# The stored HTML is our own escaped template, but it still names consumers and quotes web text:
# forbid scripts, frames and any outside fetch when a browser opens it. (A second CSP header adds
# to the app-wide one from core.middleware; browsers enforce both.)
_VIEW_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    "Cache-Control": "no-store",
}


def _check_token(expected: str | None, authorization: str | None, token: str | None) -> None:
    if not expected:
        raise ApiError(503, "webhook_not_configured", "set LEADSIGNAL_BREVO_WEBHOOK_TOKEN to accept Brevo events")
    given = token
    if authorization and authorization[:7].lower() == "bearer ":
        given = authorization[7:].strip()
    if not given or not hmac.compare_digest(given.encode(), expected.encode()):
        raise ApiError(401, "unauthenticated", "missing or wrong webhook token")


@webhook_router.post(
    "/brevo/events",
    response_model=EventsAccepted,
    # Brevo authenticates with its webhook token, not as a user: every caller without it gets 401.
    openapi_extra=access(dict.fromkeys(PERSONAS, 401), json={"event": "delivered", "message-id": "<x@y>"}),
)
def brevo_events(
    ctx: CtxDep,
    session: SessionDep,
    payload: Annotated[Any, Body()],
    authorization: Annotated[str | None, Header()] = None,
    token: Annotated[str | None, Query(max_length=200)] = None,
) -> EventsAccepted:
    """One event object, or an array when the webhook is batched. Replays are counted, not stored."""
    secret = ctx.settings.brevo_webhook_token
    _check_token(secret.get_secret_value() if secret else None, authorization, token)
    try:
        events, skipped = parse_events(payload, received_at=utcnow())
    except BrevoPayloadError as exc:
        raise ApiError(400, "bad_request", str(exc)) from exc
    outcome = record_delivery_events(session, events, skipped=len(skipped))
    return EventsAccepted(
        recorded=outcome.recorded, duplicates=outcome.duplicates, unmatched=outcome.unmatched, skipped=outcome.skipped
    )


_READERS = {"agent": 403, "manager": 403, "compliance": 200, "admin": 200, "client": 403}


@outbox_router.get("", response_model=OutboxPage, openapi_extra=access(_READERS))
def outbox_list(
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> OutboxPage:
    """Messages the embedded ``outbox`` provider stored, newest first."""
    total, rows = list_outbox(session, limit=limit, offset=offset)
    return OutboxPage(total=total, limit=limit, offset=offset, items=[OutboxSummary.model_validate(r) for r in rows])


@outbox_router.get(
    "/{email_id}",
    response_class=HTMLResponse,
    openapi_extra=access(_READERS, compliance=404, admin=404, path={"email_id": "999999"}),
)
def outbox_show(email_id: int, session: SessionDep) -> HTMLResponse:
    """The message's HTML, as the recipient would see it."""
    row = get_outbox(session, email_id)
    if row is None:
        raise ApiError(404, "not_found", f"no email {email_id} in the outbox")
    return HTMLResponse(row.html, headers=_VIEW_HEADERS)
