"""Opt-out and consumer-rights API for compliance and admin screens.

``/opt-outs`` and ``/leads/{id}/do-not-scrape`` (set, clear), ``/opt-out-requests`` (the public
form's requests), ``/leads/{id}/data-export`` (data access request), ``/signals/{id}/disputes``
and ``/disputes``. Every route declares who may call it (auth/access.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import ColumnElement, literal, select, tuple_
from sqlalchemy.orm import Session

from leadsignal.auth.access import access
from leadsignal.auth.deps import Principal, compliance_route, require_roles
from leadsignal.compliance import audit
from leadsignal.compliance.disputes import SignalDispute, create_dispute
from leadsignal.compliance.export import export_lead
from leadsignal.compliance.optout import OptOutEffect, apply_opt_out, clear_opt_out, list_opt_outs
from leadsignal.compliance.optout_requests import OptOutRequest, person_of
from leadsignal.core.deps import CtxDep, SessionDep
from leadsignal.core.errors import ApiError
from leadsignal.core.pagination import CursorQuery, IdPath, LimitQuery, Page, decode_cursor, encode_cursor
from leadsignal.leads.models import Lead
from leadsignal.signals.routes import visible_signal

router = APIRouter(tags=["compliance"])

Officer = Annotated[Principal, Depends(require_roles("admin", "compliance"))]
Disputer = Annotated[Principal, Depends(require_roles("admin", "manager", "agent", "compliance"))]
_OFFICERS = {"agent": 403, "manager": 403, "compliance": 200, "admin": 200, "client": 403}
Source = Literal["agency", "borrower", "legal", "crm", "compliance"]
Reason = Annotated[str, Field(min_length=1, max_length=255, pattern=r"^[^\x00]*\S[^\x00]*$")]


class OptOutIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Reason
    source: Source = "agency"


class ClearIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: Reason
    source: Source = "agency"


class OptOutState(BaseModel):
    lead_id: int
    lead_name: str
    agency_id_number: str | None
    do_not_scrape: bool
    reason: str | None
    source: str | None
    at: dt.datetime | None


class OptOutEffectOut(BaseModel):
    newly_opted_out: bool
    snapshots_purged: int
    posts_purged: int
    evidence_redacted: int
    alerts_blocked: int
    purge_deferred_by_legal_hold: bool


class OptOutResult(OptOutState):
    effect: OptOutEffectOut


class ClearResult(OptOutState):
    changed: bool


class OptOutRequestOut(BaseModel):
    id: int
    created_at: dt.datetime
    status: str
    attempts: int
    expires_at: dt.datetime
    confirmed_at: dt.datetime | None
    matched_lead_ids: list[int]
    full_name: str
    email: str
    state: str | None
    dob: dt.date | None
    linkedin_url: str | None


class DisputeIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["not_me", "not_true"]
    notes: Annotated[str | None, Field(max_length=2000, pattern=r"^[^\x00]*$")] = None


class DisputeOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    signal_id: int
    lead_id: int
    kind: str
    notes: str | None
    created_by: str
    created_at: dt.datetime
    previous_status: str
    previous_alert_status: str
    matches_reopened: int


def _state(lead: Lead) -> dict[str, Any]:
    return {
        "lead_id": lead.id,
        "lead_name": lead.debtor_name,
        "agency_id_number": lead.agency_id_number,
        "do_not_scrape": lead.do_not_scrape,
        "reason": lead.do_not_scrape_reason,
        "source": lead.do_not_scrape_source,
        "at": lead.do_not_scrape_at,
    }


def _lead(session: Session, lead_id: int) -> Lead:
    lead = session.get(Lead, lead_id)
    if lead is None:
        raise ApiError(404, "not_found", f"lead {lead_id} not found")
    return lead


@router.get("/opt-outs", response_model=Page[OptOutState], openapi_extra=access(_OFFICERS))
def opt_outs(
    session: SessionDep, principal: Officer, limit: LimitQuery = 50, cursor: CursorQuery = None
) -> Page[OptOutState]:
    """Opted-out leads, most recent opt-out first."""
    leads = list_opt_outs(session, limit=limit, after=decode_cursor(cursor, dt.datetime) if cursor else None)
    page = leads[:limit]
    last = page[-1] if page else None
    next_cursor = encode_cursor(last.do_not_scrape_at, last.id) if len(leads) > limit and last else None
    if page:
        audit.record(
            session,
            principal.actor,
            "lead.read",
            entity_type="lead",
            fields=["debtor_name", "do_not_scrape"],
            details={"ids": [lead.id for lead in page], "via": "opt_outs"},
        )
    return Page(items=[OptOutState.model_validate(_state(lead)) for lead in page], next_cursor=next_cursor)


@router.put(
    "/leads/{lead_id}/do-not-scrape",
    response_model=OptOutResult,
    openapi_extra=access(_OFFICERS, json={"reason": "borrower asked by phone", "source": "borrower"}),
)
@compliance_route
def set_opt_out(lead_id: IdPath, body: OptOutIn, session: SessionDep, principal: Officer) -> OptOutResult:
    """Opt the lead out now: no further collection, open alerts blocked, scraped data purged.
    Setting it again keeps the first reason and purges again."""
    lead = _lead(session, lead_id)
    effect: OptOutEffect = apply_opt_out(session, lead, reason=body.reason, source=body.source, actor=principal.actor)
    return OptOutResult.model_validate({**_state(lead), "effect": effect.as_dict()})


@router.delete(
    "/leads/{lead_id}/do-not-scrape",
    response_model=ClearResult,
    openapi_extra=access(_OFFICERS, json={"reason": "opt-out entered for the wrong borrower"}),
)
@compliance_route
def clear(lead_id: IdPath, body: ClearIn, session: SessionDep, principal: Officer) -> ClearResult:
    """Clear an opt-out (audited with the reason). ``changed`` is false if the lead was not opted out."""
    lead = _lead(session, lead_id)
    changed = clear_opt_out(session, lead, reason=body.reason, source=body.source, actor=principal.actor)
    return ClearResult.model_validate({**_state(lead), "changed": changed})


def _created_before(at: dt.datetime, row_id: int, column: Any, id_column: Any) -> ColumnElement[bool]:
    return tuple_(column, id_column) < tuple_(literal(at, column.type), literal(row_id, id_column.type))


@router.get("/opt-out-requests", response_model=Page[OptOutRequestOut], openapi_extra=access(_OFFICERS))
def opt_out_requests(
    ctx: CtxDep,
    session: SessionDep,
    principal: Officer,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
    status: Annotated[Literal["pending", "confirmed", "expired", "locked"] | None, Query()] = None,
    unmatched: Annotated[bool, Query(description="Only confirmed requests that matched no lead.")] = False,
) -> Page[OptOutRequestOut]:
    """Requests from the public form, newest first, with what the person typed (decrypted, audited).
    Confirmed requests that matched no lead need a person to look for the borrower."""
    stmt = select(OptOutRequest)
    if status:
        stmt = stmt.where(OptOutRequest.status == status)
    if cursor:
        at, last_id = decode_cursor(cursor, dt.datetime)
        stmt = stmt.where(_created_before(at, last_id, OptOutRequest.created_at, OptOutRequest.id))
    stmt = stmt.order_by(OptOutRequest.created_at.desc(), OptOutRequest.id.desc())
    items: list[OptOutRequestOut] = []
    last: OptOutRequest | None = None
    more = False
    for row in session.scalars(stmt.execution_options(yield_per=200)):
        if unmatched and (row.status != "confirmed" or row.matched_lead_ids):
            continue
        if len(items) == limit:
            more = True
            break
        person = person_of(row, ctx.cipher)
        items.append(
            OptOutRequestOut(
                id=row.id,
                created_at=row.created_at,
                status=row.status,
                attempts=row.attempts,
                expires_at=row.expires_at,
                confirmed_at=row.confirmed_at,
                matched_lead_ids=list(row.matched_lead_ids or []),
                full_name=person.full_name,
                email=person.email,
                state=person.state,
                dob=person.dob,
                linkedin_url=person.linkedin_url,
            )
        )
        last = row
    if items:
        audit.record(
            session,
            principal.actor,
            "optout_request.read",
            entity_type="optout_request",
            fields=["full_name", "email", "state", "dob", "linkedin_url"],
            details={"ids": [i.id for i in items]},
        )
    next_cursor = encode_cursor(last.created_at, last.id) if more and last else None
    return Page(items=items, next_cursor=next_cursor)


@router.get(
    "/leads/{lead_id}/data-export",
    response_class=Response,
    responses={200: {"content": {"application/json": {}, "text/html": {}}, "description": "The export"}},
    openapi_extra=access(_OFFICERS),
)
def data_export(
    lead_id: IdPath,
    ctx: CtxDep,
    session: SessionDep,
    principal: Officer,
    format: Annotated[Literal["json", "html"], Query()] = "json",
) -> Response:
    """Everything we hold about the lead (data access request), as JSON or a readable HTML document."""
    lead = _lead(session, lead_id)
    media_type, body = export_lead(session, ctx.cipher, lead, fmt=format, actor=principal.actor)
    filename = f"lead-{lead.id}-data.{format}"
    return Response(
        body,
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


@router.post(
    "/signals/{signal_id}/disputes",
    response_model=DisputeOut,
    status_code=201,
    openapi_extra=access(
        agent=201,
        other_agent=404,
        manager=201,
        compliance=201,
        admin=201,
        client=403,
        json={"kind": "not_true", "notes": "borrower says this never happened"},
    ),
)
@compliance_route
def dispute_signal(signal_id: IdPath, body: DisputeIn, session: SessionDep, principal: Disputer) -> DisputeOut:
    """Record a dispute: the signal is suppressed; "not_me" also sends the identity match back to review."""
    signal, lead = visible_signal(session, principal, signal_id)
    dispute = create_dispute(session, signal, lead, kind=body.kind, notes=body.notes, actor=principal.actor)
    return DisputeOut.model_validate(dispute)


@router.get("/disputes", response_model=Page[DisputeOut], openapi_extra=access(_OFFICERS))
def disputes(
    session: SessionDep,
    principal: Officer,
    limit: LimitQuery = 50,
    cursor: CursorQuery = None,
    kind: Annotated[Literal["not_me", "not_true"] | None, Query()] = None,
) -> Page[DisputeOut]:
    """Every dispute, newest first."""
    stmt = select(SignalDispute)
    if kind:
        stmt = stmt.where(SignalDispute.kind == kind)
    if cursor:
        at, last_id = decode_cursor(cursor, dt.datetime)
        stmt = stmt.where(_created_before(at, last_id, SignalDispute.created_at, SignalDispute.id))
    rows = list(
        session.scalars(stmt.order_by(SignalDispute.created_at.desc(), SignalDispute.id.desc()).limit(limit + 1))
    )
    page = rows[:limit]
    if page:
        audit.record(
            session,
            principal.actor,
            "lead.read",
            entity_type="lead",
            fields=["disputes"],
            details={"ids": sorted({d.lead_id for d in page}), "via": "disputes"},
        )
    next_cursor = encode_cursor(page[-1].created_at, page[-1].id) if len(rows) > limit else None
    return Page(items=[DisputeOut.model_validate(d) for d in page], next_cursor=next_cursor)
