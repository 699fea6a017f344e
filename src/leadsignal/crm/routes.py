"""CRM routes: the signed inbound webhook, outcomes and lead updates for CRM clients, dead letters for admins."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from leadsignal.auth.access import PERSONAS, access
from leadsignal.auth.deps import Principal, require_roles, require_scopes
from leadsignal.compliance.audit import Actor
from leadsignal.core.deps import CtxDep, SessionDep
from leadsignal.core.errors import ApiError
from leadsignal.crm import inbox, webhooks
from leadsignal.crm.outcomes import BadSignalReference, OutcomeConflict, record_outcome
from leadsignal.crm.schemas import (
    DeadLetterOut,
    InboundAck,
    InboundEvent,
    LeadUpdateIn,
    LeadUpdateOut,
    OutcomeIn,
    OutcomeOut,
    ReplayOut,
)
from leadsignal.crm.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, SignatureError, verify
from leadsignal.crm.sync import FieldOwnershipError, LeadNotFound, apply_crm_update, find_lead
from leadsignal.leads.normalize import FieldError

router = APIRouter(prefix="/crm", tags=["crm"])


def _integration(scope: str) -> Callable[[Principal], Principal]:
    """CRM integration routes are for machine clients with the scope (and admins), not for agents:
    an agent's role implies every scope, but agents act through the dashboard, scoped to their leads."""
    scoped = require_scopes(scope)

    # A default, not Annotated: with postponed annotations FastAPI cannot see the local ``scoped``.
    def dependency(principal: Principal = Depends(scoped)) -> Principal:  # noqa: B008
        if principal.role not in ("client", "admin"):
            raise ApiError(403, "forbidden", "CRM integration routes are for OAuth clients")
        return principal

    return dependency


OutcomeWriter = Annotated[Principal, Depends(_integration("outcomes:write"))]
LeadWriter = Annotated[Principal, Depends(_integration("leads:write"))]
Admin = Annotated[Principal, Depends(require_roles("admin"))]


def _not_found(exc: LookupError) -> ApiError:
    return ApiError(404, "not_found", str(exc))


async def raw_body(request: Request) -> bytes:
    """The exact bytes received: the signature covers them, not a re-serialised parse."""
    return await request.body()


RawBody = Annotated[bytes, Depends(raw_body)]


@router.post(
    "/webhooks/inbound",
    response_model=InboundAck,
    responses={202: {"model": InboundAck, "description": "stored, but handling failed; it will be retried"}},
    # The body is read raw (the signature covers the exact bytes), so its schema is declared here.
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": InboundEvent.model_json_schema()}},
        },
        # Authenticated by the HMAC signature, not by users: every caller without one gets 401.
        **access(dict.fromkeys(PERSONAS, 401), json={"id": "{unique}", "type": "lead.updated"}),
    },
)
def inbound_webhook(request: Request, body: RawBody, ctx: CtxDep, session: SessionDep) -> JSONResponse:
    """An event from the CRM, signed like our outbound webhooks with the shared ``crm_inbound_secret``."""
    secret = ctx.settings.crm_inbound_secret
    try:
        verify(
            secret.get_secret_value() if secret else "",
            body,
            timestamp=request.headers.get(TIMESTAMP_HEADER),
            signature=request.headers.get(SIGNATURE_HEADER),
        )
    except SignatureError as exc:
        raise ApiError(401, "bad_signature", str(exc)) from exc
    try:
        event = InboundEvent.model_validate_json(body)
    except ValidationError as exc:
        details = [{"loc": list(e["loc"]), "msg": e["msg"]} for e in exc.errors()]
        raise ApiError(422, "validation_error", "inbound event is invalid", details) from exc
    source = ctx.settings.crm_source_name
    actor = Actor(f"crm:{source}", origin="webhook", request_id=getattr(request.state, "request_id", None))
    handled = inbox.receive_and_process(session, source, event, actor=actor)
    ack = InboundAck(inbox_id=handled.row.id, status=handled.status, result=handled.row.result,
                     error=handled.row.last_error if handled.status == "failed" else None)  # fmt: skip
    return JSONResponse(ack.model_dump(mode="json"), status_code=202 if handled.status == "failed" else 200)


_OUTCOME = {"external_id": "{unique}", "agency_id_number": "{lead_agency_id}", "outcome": "contacted",
            "occurred_at": "2026-11-20T15:00:00Z", "agent_external_id": "agent-7"}  # fmt: skip
_INTEGRATION = {"agent": 403, "manager": 403, "compliance": 403, "admin": 201, "client": 403}


@router.post("/outcomes", response_model=OutcomeOut, openapi_extra=access(_INTEGRATION, json=_OUTCOME))
def post_outcome(data: OutcomeIn, principal: OutcomeWriter, session: SessionDep, ctx: CtxDep) -> JSONResponse:
    """Record an agent outcome; the same ``external_id`` again returns the stored one (200, not 201)."""
    source = principal.client_id or ctx.settings.crm_source_name
    try:
        recorded = record_outcome(session, data, source=source[:40], actor=principal.actor)
    except LeadNotFound as exc:
        raise _not_found(exc) from exc
    except OutcomeConflict as exc:
        raise ApiError(409, "conflict", str(exc)) from exc
    except BadSignalReference as exc:
        raise ApiError(422, "validation_error", str(exc)) from exc
    row = recorded.outcome
    out = OutcomeOut(
        id=row.id, external_id=row.external_id, lead_id=row.lead_id, outcome=row.outcome, occurred_at=row.occurred_at,
        agent_external_id=row.agent_external_id, signal_id=row.signal_id, amount=row.amount, created=recorded.created,
    )  # fmt: skip
    return JSONResponse(out.model_dump(mode="json"), status_code=201 if recorded.created else 200)


@router.patch(
    "/leads/{agency_id_number}",
    response_model=LeadUpdateOut,
    openapi_extra=access(
        {**_INTEGRATION, "admin": 200}, json={"crm_version": 3, "city": "Dayton"},
        path={"agency_id_number": "{lead_agency_id}"},
    ),
)  # fmt: skip
def patch_lead(
    agency_id_number: str, data: LeadUpdateIn, principal: LeadWriter, session: SessionDep, ctx: CtxDep
) -> LeadUpdateOut:
    """Update CRM-owned fields. Fields leadsignal owns are refused; an older ``crm_version`` is reported stale."""
    source = (principal.client_id or ctx.settings.crm_source_name)[:40]
    try:
        lead = find_lead(session, agency_id_number)
        result = apply_crm_update(
            session, lead, data.fields(), crm_version=data.crm_version, source=source, actor=principal.actor
        )
    except LeadNotFound as exc:
        raise _not_found(exc) from exc
    except FieldOwnershipError as exc:
        details = [{"field": f, "owner": o} for f, o in sorted(exc.fields.items())]
        raise ApiError(409, "field_not_owned", str(exc), details) from exc
    except FieldError as exc:
        raise ApiError(422, "validation_error", str(exc)) from exc
    return LeadUpdateOut(
        agency_id_number=agency_id_number, status=result.status, crm_version=result.crm_version,
        stored_version=result.stored_version, changed=result.changed,
    )  # fmt: skip


_ADMIN_ONLY = {"agent": 403, "manager": 403, "compliance": 403, "client": 403}


@router.get("/deadletters", response_model=list[DeadLetterOut], openapi_extra=access(_ADMIN_ONLY, admin=200))
def get_deadletters(_: Admin, session: SessionDep, limit: int = 100) -> list[DeadLetterOut]:
    """Webhook deliveries that exhausted their retries (or hit a 410 endpoint)."""
    if not 1 <= limit <= 1000:
        raise ApiError(422, "validation_error", "limit must be between 1 and 1000")
    return [DeadLetterOut(**vars(d)) for d in webhooks.list_dead(session, limit=limit)]


@router.post(
    "/deadletters/{delivery_id}/replay",
    response_model=ReplayOut,
    openapi_extra=access(_ADMIN_ONLY, admin=404, path={"delivery_id": "999999"}),
)
def replay_deadletter(delivery_id: int, principal: Admin, session: SessionDep) -> ReplayOut:
    try:
        webhooks.replay(session, delivery_id, actor=principal.actor)
    except webhooks.WebhookNotFound as exc:
        raise _not_found(exc) from exc
    except ValueError as exc:
        raise ApiError(409, "conflict", str(exc)) from exc
    return ReplayOut(delivery_id=delivery_id, status="pending")
