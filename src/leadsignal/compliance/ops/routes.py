"""/api/v1/admin/monitoring: the live figures for the admin dashboard (polled every 10 s)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from leadsignal.auth.access import access
from leadsignal.auth.deps import Principal, require_roles
from leadsignal.compliance.ops.figures import MonitoringSnapshot, snapshot
from leadsignal.core.deps import CtxDep, SessionDep
from leadsignal.db import utcnow

router = APIRouter(prefix="/admin", tags=["admin"])

Viewer = Annotated[Principal, Depends(require_roles("admin", "compliance"))]


@router.get(
    "/monitoring",
    response_model=MonitoringSnapshot,
    openapi_extra=access(agent=403, manager=403, compliance=200, admin=200, client=403),
)
def monitoring(session: SessionDep, ctx: CtxDep, _: Viewer) -> MonitoringSnapshot:
    """Last hour and last 24 h figures, per-source health, queues, workers and the latest errors.
    Figures only, no lead data, so it is not audited (it is polled every few seconds)."""
    return snapshot(session, ctx.settings, utcnow())
