"""Admin routes for the CRM integration: webhook endpoints and OAuth clients (the CLI's operations over HTTP).

Secrets (an endpoint's signing secret, a client's secret) appear only in the response that creates
or rotates them, with ``Cache-Control: no-store``; lists never carry them.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Response
from sqlalchemy.orm import Session

from leadsignal.auth import service as accounts
from leadsignal.auth.access import access
from leadsignal.auth.deps import Principal, require_roles
from leadsignal.auth.models import OAuthClient
from leadsignal.core.deps import CtxDep, SessionDep
from leadsignal.core.errors import ApiError
from leadsignal.core.pagination import IdPath
from leadsignal.crm import webhooks
from leadsignal.crm.models import WebhookEndpoint
from leadsignal.crm.schemas import (
    CrmClientCreated,
    CrmClientIn,
    CrmClientOut,
    WebhookEndpointCreated,
    WebhookEndpointIn,
    WebhookEndpointOut,
    WebhookEndpointUpdate,
    WebhookSecretOut,
)

router = APIRouter(prefix="/crm", tags=["crm"])

Admin = Annotated[Principal, Depends(require_roles("admin"))]
_ADMIN_ONLY = {"agent": 403, "manager": 403, "compliance": 403, "client": 403}
_MISSING_ENDPOINT = {"endpoint_id": "999999"}
_NO_STORE = {"Cache-Control": "no-store", "Pragma": "no-cache"}


def _endpoint_out(endpoint: WebhookEndpoint, stats: webhooks.EndpointStats) -> WebhookEndpointOut:
    return WebhookEndpointOut(
        id=endpoint.id, name=endpoint.name, url=endpoint.url, event_types=list(endpoint.event_types),
        is_active=endpoint.is_active, deactivated_reason=endpoint.deactivated_reason, created_at=endpoint.created_at,
        pending=stats.pending, retrying=stats.retrying, dead=stats.dead, delivered=stats.delivered,
        last_delivered_at=stats.last_delivered_at,
    )  # fmt: skip


def _one_endpoint_out(session: Session, endpoint: WebhookEndpoint) -> WebhookEndpointOut:
    return _endpoint_out(endpoint, webhooks.endpoint_stats(session).get(endpoint.id, webhooks.EndpointStats()))


def _webhook_error(exc: Exception) -> ApiError:
    if isinstance(exc, webhooks.WebhookNotFound):
        return ApiError(404, "not_found", str(exc))
    if isinstance(exc, webhooks.WebhookConflict):
        return ApiError(409, "conflict", str(exc))
    return ApiError(422, "validation_error", str(exc))


@router.get("/webhooks", response_model=list[WebhookEndpointOut], openapi_extra=access(_ADMIN_ONLY, admin=200))
def list_webhooks(_: Admin, session: SessionDep) -> list[WebhookEndpointOut]:
    """Every endpoint, active or not, with its delivery counts."""
    stats = webhooks.endpoint_stats(session)
    empty = webhooks.EndpointStats()
    return [_endpoint_out(e, stats.get(e.id, empty)) for e in webhooks.list_endpoints(session)]


@router.post(
    "/webhooks", response_model=WebhookEndpointCreated, status_code=201,
    openapi_extra=access(_ADMIN_ONLY, admin=201, json={"name": "crm {unique}", "event_types": ["signal.created.v1"],
                                                       "url": "https://crm-{unique}.example.com/hooks"}),
)  # fmt: skip
def create_webhook(
    body: WebhookEndpointIn, principal: Admin, session: SessionDep, ctx: CtxDep, response: Response
) -> WebhookEndpointCreated:
    """Register an endpoint; the response carries its signing secret, which is never shown again."""
    try:
        endpoint, secret = webhooks.add_endpoint(
            session, ctx.cipher, name=body.name, url=body.url, event_types=body.event_types, actor=principal.actor,
            production=ctx.settings.env == "production",
        )  # fmt: skip
    except ValueError as exc:
        raise _webhook_error(exc) from exc
    response.headers.update(_NO_STORE)
    return WebhookEndpointCreated(**_endpoint_out(endpoint, webhooks.EndpointStats()).model_dump(), secret=secret)


@router.patch(
    "/webhooks/{endpoint_id}", response_model=WebhookEndpointOut,
    openapi_extra=access(_ADMIN_ONLY, admin=404, json={"is_active": True}, path=_MISSING_ENDPOINT),
)  # fmt: skip
def update_webhook(
    endpoint_id: IdPath, body: WebhookEndpointUpdate, principal: Admin, session: SessionDep, ctx: CtxDep
) -> WebhookEndpointOut:
    """Rename, move, resubscribe, deactivate or reactivate (which clears ``deactivated_reason``)."""
    try:
        endpoint = webhooks.update_endpoint(
            session, endpoint_id, actor=principal.actor, name=body.name, url=body.url, event_types=body.event_types,
            is_active=body.is_active, production=ctx.settings.env == "production",
        )  # fmt: skip
    except (LookupError, ValueError) as exc:
        raise _webhook_error(exc) from exc
    return _one_endpoint_out(session, endpoint)


@router.delete(
    "/webhooks/{endpoint_id}", status_code=204,
    openapi_extra=access(_ADMIN_ONLY, admin=404, path=_MISSING_ENDPOINT),
)  # fmt: skip
def remove_webhook(endpoint_id: IdPath, principal: Admin, session: SessionDep) -> Response:
    """Deactivate, like ``leadsignal crm webhooks remove``: the row and its delivery history stay."""
    try:
        webhooks.remove_endpoint(session, endpoint_id, actor=principal.actor)
    except LookupError as exc:
        raise _webhook_error(exc) from exc
    return Response(status_code=204)


@router.post(
    "/webhooks/{endpoint_id}/rotate-secret", response_model=WebhookSecretOut,
    openapi_extra=access(_ADMIN_ONLY, admin=404, path=_MISSING_ENDPOINT),
)  # fmt: skip
def rotate_webhook_secret(
    endpoint_id: IdPath, principal: Admin, session: SessionDep, ctx: CtxDep, response: Response
) -> WebhookSecretOut:
    """A new signing secret, used from the next delivery attempt; the old one stops at once."""
    try:
        endpoint, secret = webhooks.rotate_secret(session, ctx.cipher, endpoint_id, actor=principal.actor)
    except LookupError as exc:
        raise _webhook_error(exc) from exc
    response.headers.update(_NO_STORE)
    return WebhookSecretOut(id=endpoint.id, secret=secret)


def _client_out(client: OAuthClient, last_token_at: dt.datetime | None = None) -> CrmClientOut:
    return CrmClientOut(
        client_id=client.client_id, name=client.name, scopes=list(client.scopes), is_active=client.is_active,
        created_at=client.created_at, revoked_at=client.revoked_at, last_token_at=last_token_at,
    )  # fmt: skip


@router.get("/clients", response_model=list[CrmClientOut], openapi_extra=access(_ADMIN_ONLY, admin=200))
def list_clients(_: Admin, session: SessionDep) -> list[CrmClientOut]:
    """OAuth clients, revoked ones too; never their secrets."""
    clients = accounts.list_clients(session)
    last = accounts.last_token_times(session, [c.client_id for c in clients])
    return [_client_out(c, last.get(c.client_id)) for c in clients]


@router.post(
    "/clients", response_model=CrmClientCreated, status_code=201,
    openapi_extra=access(_ADMIN_ONLY, admin=201, json={"name": "CRM {unique}", "scopes": ["leads:read"]}),
)  # fmt: skip
def create_client(body: CrmClientIn, principal: Admin, session: SessionDep, response: Response) -> CrmClientCreated:
    """A client for the client-credentials grant; ``client_secret`` is in this response only."""
    try:
        client, secret = accounts.create_client(session, name=body.name, scopes=body.scopes, actor=principal.actor)
    except accounts.AccountError as exc:
        raise ApiError(422, "validation_error", str(exc)) from exc
    response.headers.update(_NO_STORE)
    return CrmClientCreated(**_client_out(client).model_dump(), client_secret=secret)


@router.post(
    "/clients/{client_id}/revoke", response_model=CrmClientOut,
    openapi_extra=access(_ADMIN_ONLY, admin=404, path={"client_id": "lsc_missing"}),
)  # fmt: skip
def revoke_client(
    client_id: Annotated[str, Path(min_length=1, max_length=64)], principal: Admin, session: SessionDep
) -> CrmClientOut:
    """Disable a client (idempotent): its tokens stop working on their next request."""
    try:
        client = accounts.revoke_client(session, client_id, actor=principal.actor)
    except accounts.ClientNotFound as exc:
        raise ApiError(404, "not_found", str(exc)) from exc
    return _client_out(client, accounts.last_token_times(session, [client.client_id]).get(client.client_id))
