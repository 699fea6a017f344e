"""/api/v1/audit: search the audit trail and export it as CSV (compliance and admin only).

Each search and each export is itself audited, with the filters used, so reading the trail
leaves a trace in it too.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy import ColumnElement, func, select, tuple_

from leadsignal.auth.access import access
from leadsignal.auth.deps import Principal, require_roles
from leadsignal.compliance import audit
from leadsignal.compliance.models import AuditEntry
from leadsignal.core.deps import SessionDep
from leadsignal.core.errors import ApiError
from leadsignal.core.pagination import NO_NUL, CursorQuery, LimitQuery, Page, decode_cursor, encode_cursor

router = APIRouter(prefix="/audit", tags=["audit"])

Auditor = Annotated[Principal, Depends(require_roles("compliance", "admin"))]
_ACCESS = access(agent=403, manager=403, compliance=200, admin=200, client=403)
EXPORT_MAX_ROWS = 100_000
CSV_COLUMNS = ("id", "occurred_at", "actor", "action", "entity_type", "entity_id", "fields", "details", "origin",
               "request_id")  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class AuditItem(BaseModel):
    id: int
    occurred_at: dt.datetime
    actor: str = Field(description="user:42, crm:acme, cli:alice, system...")
    action: str
    entity_type: str
    entity_id: str | None
    fields: list[str] = Field(description="Names of the fields read or written, never their values.")
    details: dict[str, Any]
    origin: str | None = Field(description="Where from: ip:203.0.113.7 (API) or host:name (CLI).")
    request_id: str | None


class AuditFilters(BaseModel):
    actor: str | None = None
    action: str | None = None
    entity_type: str | None = None
    entity_id: str | None = None
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    request_id: str | None = None


def _filters(
    actor: Annotated[
        str | None, Query(max_length=120, pattern=NO_NUL, description="Exact actor, e.g. user:42.")
    ] = None,
    action: Annotated[
        str | None,
        Query(max_length=80, pattern=NO_NUL, description="Exact action, or a prefix ending in '*' (lead.*)."),
    ] = None,
    entity_type: Annotated[str | None, Query(max_length=40, pattern=NO_NUL)] = None,
    entity_id: Annotated[str | None, Query(max_length=64, pattern=NO_NUL)] = None,
    since: Annotated[dt.datetime | None, Query(description="Inclusive, with a time zone.")] = None,
    until: Annotated[dt.datetime | None, Query(description="Exclusive, with a time zone.")] = None,
    request_id: Annotated[str | None, Query(max_length=64, pattern=NO_NUL)] = None,
) -> AuditFilters:
    for name, value in (("since", since), ("until", until)):
        if value is not None and value.tzinfo is None:
            raise ApiError(400, "naive_datetime", f"{name} needs a time zone, e.g. 2026-11-24T00:00:00Z")
    if since is not None and until is not None and since >= until:
        raise ApiError(400, "empty_range", "since must be before until")
    return AuditFilters(actor=actor, action=action, entity_type=entity_type, entity_id=entity_id, since=since,
                        until=until, request_id=request_id)  # fmt: skip


Filters = Annotated[AuditFilters, Depends(_filters)]


def _conditions(f: AuditFilters) -> list[ColumnElement[bool]]:
    found: list[ColumnElement[bool]] = []
    if f.actor:
        found.append(AuditEntry.actor == f.actor)
    if f.action:
        if f.action.endswith("*"):
            prefix = f.action[:-1].replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            found.append(AuditEntry.action.like(f"{prefix}%", escape="\\"))
        else:
            found.append(AuditEntry.action == f.action)
    if f.entity_type:
        found.append(AuditEntry.entity_type == f.entity_type)
    if f.entity_id:
        found.append(AuditEntry.entity_id == f.entity_id)
    if f.since:
        found.append(AuditEntry.occurred_at >= f.since)
    if f.until:
        found.append(AuditEntry.occurred_at < f.until)
    if f.request_id:
        found.append(AuditEntry.request_id == f.request_id)
    return found


def _item(row: AuditEntry) -> AuditItem:
    return AuditItem(id=row.id, occurred_at=row.occurred_at, actor=row.actor, action=row.action,
                     entity_type=row.entity_type, entity_id=row.entity_id, fields=list(row.fields or []),
                     details=dict(row.details or {}), origin=row.origin, request_id=row.request_id)  # fmt: skip


@router.get("", response_model=Page[AuditItem], openapi_extra=_ACCESS)
def search_audit(
    session: SessionDep, principal: Auditor, filters: Filters, limit: LimitQuery = 50, cursor: CursorQuery = None
) -> Page[AuditItem]:
    """Audit entries, newest first, filtered; the search itself is recorded as ``audit.searched``."""
    conditions = _conditions(filters)
    if cursor:
        at, last_id = decode_cursor(cursor, dt.datetime)
        conditions.append(tuple_(AuditEntry.occurred_at, AuditEntry.id) < tuple_(at, last_id))
    stmt = select(AuditEntry).where(*conditions).order_by(AuditEntry.occurred_at.desc(), AuditEntry.id.desc())
    rows = session.scalars(stmt.limit(limit + 1)).all()
    page = list(rows[:limit])
    next_cursor = encode_cursor(page[-1].occurred_at, page[-1].id) if len(rows) > limit else None
    items = [_item(r) for r in page]  # read before the search's own entry is added
    audit.record(session, principal.actor, "audit.searched", entity_type="audit_log",
                 details={"filters": filters.model_dump(mode="json", exclude_none=True), "returned": len(items),
                          "page": bool(cursor)})  # fmt: skip
    return Page[AuditItem](items=items, next_cursor=next_cursor)


@router.get(
    "/export.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "The matching entries, oldest first, as CSV."}},
    openapi_extra=_ACCESS,
)
def export_audit(session: SessionDep, principal: Auditor, filters: Filters) -> Response:
    """Every matching entry (at most 100,000: narrow the filters beyond that), recorded as ``audit.exported``."""
    conditions = _conditions(filters)
    total = int(session.scalar(select(func.count()).select_from(AuditEntry).where(*conditions)) or 0)
    if total > EXPORT_MAX_ROWS:
        raise ApiError(422, "export_too_large", f"{total} entries match; narrow the filters to at most "
                       f"{EXPORT_MAX_ROWS} (since/until, action, actor)", {"matching": total})  # fmt: skip
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    stmt = select(AuditEntry).where(*conditions).order_by(AuditEntry.occurred_at, AuditEntry.id)
    for row in session.scalars(stmt.execution_options(yield_per=1000)):
        writer.writerow([_cell(v) for v in (row.id, row.occurred_at.isoformat(), row.actor, row.action,
                         row.entity_type, row.entity_id, " ".join(row.fields or []),
                         json.dumps(row.details or {}, sort_keys=True), row.origin, row.request_id)])  # fmt: skip
    audit.record(session, principal.actor, "audit.exported", entity_type="audit_log",
                 details={"filters": filters.model_dump(mode="json", exclude_none=True), "rows": total,
                          "format": "csv"})  # fmt: skip
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return Response(buffer.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="audit-{stamp}.csv"'})  # fmt: skip


def _cell(value: object) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text
