"""Compliance checklist, retention runs and legal holds over HTTP, for compliance officers and admins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field
from sqlalchemy import select

from leadsignal.auth.access import access
from leadsignal.auth.deps import Principal, compliance_route, require_roles
from leadsignal.compliance import holds
from leadsignal.compliance.checks import ComplianceReport, run_all
from leadsignal.compliance.retention import RetentionResult
from leadsignal.compliance.retention_models import RetentionRun
from leadsignal.core.deps import CtxDep, SessionDep
from leadsignal.core.errors import ApiError

router = APIRouter(tags=["compliance"])
Officer = Annotated[Principal, Depends(require_roles("admin", "compliance"))]
_OFFICERS = {"agent": 403, "manager": 403, "compliance": 200, "admin": 200, "client": 403}
_MISSING = {"agent": 403, "manager": 403, "compliance": 404, "admin": 404, "client": 403}


class HoldRequest(BaseModel):
    reason: str = Field(min_length=1, max_length=500, description="Why the lead's data must be kept (matter, case)")


@router.get("/compliance/checks", response_model=ComplianceReport, openapi_extra=access(_OFFICERS))
def compliance_checks(ctx: CtxDep, session: SessionDep, principal: Officer) -> ComplianceReport:
    """Run the automated compliance checklist now; ``passed`` is false when any item fails."""
    # The checks open their own sessions: end the request's transaction first, or on SQLite
    # (BEGIN IMMEDIATE) the two would wait on each other's write lock.
    session.commit()
    return run_all(ctx)


@router.get("/compliance/retention-runs", response_model=list[RetentionResult], openapi_extra=access(_OFFICERS))
def retention_runs(
    session: SessionDep,
    principal: Officer,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    data_class: Annotated[str | None, Query(max_length=32)] = None,
) -> list[RetentionResult]:
    """Recent retention runs, newest first (dry runs included, flagged)."""
    stmt = select(RetentionRun).order_by(RetentionRun.started_at.desc(), RetentionRun.id.desc()).limit(limit)
    if data_class is not None:
        stmt = stmt.where(RetentionRun.data_class == data_class)
    return [RetentionResult.model_validate(r) for r in session.scalars(stmt)]


@router.get("/compliance/legal-holds", response_model=list[holds.HoldView], openapi_extra=access(_OFFICERS))
def legal_holds(
    session: SessionDep,
    principal: Officer,
    active: Annotated[bool, Query(description="Only holds not yet released")] = True,
    limit: Annotated[int, Query(ge=1, le=1000)] = 500,
) -> list[holds.HoldView]:
    """Legal holds, newest first."""
    return [holds.view(h) for h in holds.list_holds(session, active_only=active, limit=limit)]


@router.post("/leads/{lead_id}/legal-hold", response_model=holds.HoldView,
             openapi_extra=access(_OFFICERS, json={"reason": "litigation hold, matter 2026-114"}))  # fmt: skip
@compliance_route
def set_legal_hold(lead_id: int, body: HoldRequest, session: SessionDep, principal: Officer) -> holds.HoldView:
    """Put a lead on legal hold (retention deletes nothing of it); a held lead keeps its hold with the new reason."""
    try:
        row = holds.set_hold(session, lead_id, body.reason, actor=principal.actor)
    except holds.NoSuchLead as exc:
        raise ApiError(404, "not_found", str(exc)) from exc
    except holds.HoldError as exc:
        raise ApiError(422, "validation_error", str(exc)) from exc
    return holds.view(row)


_RELEASE = access(_MISSING, json={"reason": "matter closed"}, path={"lead_id": "999999"})


@router.delete("/leads/{lead_id}/legal-hold", response_model=holds.HoldView, openapi_extra=_RELEASE)
@compliance_route
def release_legal_hold(lead_id: int, body: HoldRequest, session: SessionDep, principal: Officer) -> holds.HoldView:
    """Release a lead's legal hold (404 when it has none); the next retention run may then purge its old data."""
    try:
        row = holds.release_hold(session, lead_id, body.reason, actor=principal.actor)
    except holds.NoSuchLead as exc:
        raise ApiError(404, "not_found", str(exc)) from exc
    except holds.HoldError as exc:
        raise ApiError(422, "validation_error", str(exc)) from exc
    return holds.view(row)
