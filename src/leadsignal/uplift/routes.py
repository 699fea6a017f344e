"""GET /api/v1/reports/uplift and /api/v1/reports/precision: aggregates for managers, admins, compliance.

Both are agency-wide aggregates (counts and rates, no names), so a manager sees every team's.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from leadsignal.auth.access import access
from leadsignal.auth.deps import Principal, require_roles
from leadsignal.compliance import audit
from leadsignal.core.deps import CtxDep, SessionDep
from leadsignal.core.errors import ApiError
from leadsignal.db import utcnow
from leadsignal.uplift.precision import PrecisionReport, precision_report
from leadsignal.uplift.report import UpliftReport, uplift_report

router = APIRouter(prefix="/reports", tags=["reports"])
Reader = Annotated[Principal, Depends(require_roles("manager", "admin", "compliance"))]
SinceQuery = Annotated[
    dt.date | None, Query(description="Only leads assigned (signals detected) on or after this day.")
]
_READ = {"agent": 403, "manager": 200, "compliance": 200, "admin": 200, "client": 403}


def _check(since: dt.date | None, now: dt.datetime) -> None:
    if since is not None and since > now.date():
        raise ApiError(422, "validation_error", "since is in the future")


@router.get("/uplift", response_model=UpliftReport, openapi_extra=access(_READ))
def get_uplift(session: SessionDep, ctx: CtxDep, principal: Reader, since: SinceQuery = None) -> UpliftReport:
    """Treatment versus control conversion per signal type and overall, with intervals and power."""
    now = utcnow()
    _check(since, now)
    report = uplift_report(session, ctx.settings, now=now, since=since)
    audit.record(session, principal.actor, "report.uplift.read", entity_type="report",
                 details={"since": since.isoformat() if since else None})  # fmt: skip
    return report


@router.get("/precision", response_model=PrecisionReport, openapi_extra=access(_READ))
def get_precision(session: SessionDep, principal: Reader, since: SinceQuery = None) -> PrecisionReport:
    """Agents' verdicts: precision by signal type per ISO week of detection."""
    now = utcnow()
    _check(since, now)
    report = precision_report(session, now=now, since=since)
    audit.record(session, principal.actor, "report.precision.read", entity_type="report",
                 details={"since": since.isoformat() if since else None})  # fmt: skip
    return report
