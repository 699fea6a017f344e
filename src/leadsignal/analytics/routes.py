"""/api/v1/analytics: the overview (four datasets) and the same data as CSV.

The data version is read first and the read transaction ended before the cache is asked, so no
Redis round trip happens inside a database transaction; a miss computes in a fresh one.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import ValidationError
from sqlalchemy.orm import Session

from leadsignal.analytics.cache import AnalyticsCache, cache_from_url
from leadsignal.analytics.schemas import DATASET_ROWS, Bucket, Dataset, OverviewOut
from leadsignal.analytics.service import DEFAULT_DAYS, MAX_DAYS, Params, cache_key, compute, data_version
from leadsignal.auth.access import access
from leadsignal.auth.deps import SEE_ALL, Principal, require_roles
from leadsignal.auth.models import Team
from leadsignal.auth.rls import apply_rls_context
from leadsignal.compliance import audit
from leadsignal.core.deps import CtxDep, SessionDep
from leadsignal.core.errors import ApiError
from leadsignal.core.pagination import IdQuery
from leadsignal.db import utcnow

router = APIRouter(prefix="/analytics", tags=["analytics"])

Viewer = Annotated[Principal, Depends(require_roles("admin", "manager", "agent", "compliance"))]
_READ = {"agent": 200, "manager": 200, "compliance": 200, "admin": 200, "client": 403}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"-?\d+(\.\d+)?")  # a plain number is never a formula


def overview_params(
    since: Annotated[dt.date | None, Query(description="First day (UTC), default 29 days before until")] = None,
    until: Annotated[dt.date | None, Query(description="Last day (UTC), inclusive; default today")] = None,
    bucket: Bucket = "day",
    team_id: IdQuery = None,
) -> Params:
    until = until or utcnow().date()
    since = since or until - dt.timedelta(days=DEFAULT_DAYS - 1)
    if since > until:
        raise ApiError(422, "validation_error", "since must not be after until")
    if (until - since).days + 1 > MAX_DAYS:
        raise ApiError(422, "validation_error", f"the range may span at most {MAX_DAYS} days")
    return Params(since=since, until=until, bucket=bucket, team_id=team_id)


ParamsDep = Annotated[Params, Depends(overview_params)]


def get_cache(request: Request, ctx: CtxDep) -> AnalyticsCache:
    """One cache per app, built on first use from ``settings.redis_url``."""
    cache: AnalyticsCache | None = getattr(request.app.state, "analytics_cache", None)
    if cache is None:
        cache = cache_from_url(ctx.settings.redis_url)
        request.app.state.analytics_cache = cache
    return cache


CacheDep = Annotated[AnalyticsCache, Depends(get_cache)]


def _check_team(session: Session, principal: Principal, team_id: int | None) -> None:
    if team_id is None:
        return
    if session.get(Team, team_id) is None or (principal.role not in SEE_ALL and team_id not in principal.team_ids):
        raise ApiError(404, "not_found", f"team {team_id} not found")


def _from_cache(raw: str | None) -> OverviewOut | None:
    if raw is None:
        return None
    try:
        return OverviewOut.model_validate({**json.loads(raw), "cached": True})
    except (ValueError, ValidationError):  # written by another version of the app: recompute
        return None


def overview_for(session: Session, principal: Principal, params: Params, cache: AnalyticsCache) -> OverviewOut:
    _check_team(session, principal, params.team_id)
    key = cache_key(principal, params, data_version(session))
    session.commit()  # end the read transaction before talking to the cache
    hit = _from_cache(cache.get(key))
    if hit is not None:
        return hit
    # Row-level security settings last one transaction: set them again for this one.
    apply_rls_context(session, role=principal.role, user_id=principal.id if principal.kind == "user" else None,
                      team_ids=principal.team_ids)  # fmt: skip
    payload: dict[str, Any] = {
        "since": params.since.isoformat(), "until": params.until.isoformat(), "bucket": params.bucket,
        "team_id": params.team_id, "generated_at": utcnow().isoformat(), **compute(session, principal, params),
    }  # fmt: skip
    session.commit()
    cache.set(key, json.dumps(payload, separators=(",", ":")))
    return OverviewOut.model_validate({**payload, "cached": False})


@router.get("/overview", response_model=OverviewOut, openapi_extra=access(_READ))
def overview(session: SessionDep, principal: Viewer, params: ParamsDep, cache: CacheDep) -> OverviewOut:
    """Signals per day or week, conversion by signal type, response times and outcomes (docs/analytics.md)."""
    return overview_for(session, principal, params, cache)


def csv_cell(value: Any) -> str:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; numbers stay numbers."""
    if value is None:
        return ""
    text = str(value)
    if isinstance(value, bool | int | float | Decimal) or NUMBER.fullmatch(text):
        return text
    return "'" + text if text.startswith(FORMULA_START) else text


def to_csv(rows: list[dict[str, Any]], columns: list[str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows([csv_cell(row[c]) for c in columns] for row in rows)
    return out.getvalue()


@router.get(
    "/export.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "The dataset as CSV"}},
    openapi_extra=access(_READ),
)
def export_csv(
    session: SessionDep, principal: Viewer, params: ParamsDep, cache: CacheDep, dataset: Dataset = "signals"
) -> Response:
    """One dataset of the overview as CSV (same filters); audited as ``analytics.exported``."""
    result = overview_for(session, principal, params, cache)
    rows = [row.model_dump(mode="json") for row in getattr(result, dataset)]
    columns = list(DATASET_ROWS[dataset].model_fields)
    audit.record(session, principal.actor, "analytics.exported", entity_type="analytics", entity_id=dataset,
                 details={"since": params.since.isoformat(), "until": params.until.isoformat(),
                          "bucket": params.bucket, "team_id": params.team_id, "rows": len(rows)})  # fmt: skip
    filename = f"analytics-{dataset}-{params.since.isoformat()}-{params.until.isoformat()}.csv"
    return Response(
        to_csv(rows, columns),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
