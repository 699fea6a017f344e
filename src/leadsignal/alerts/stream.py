"""``GET /api/v1/signals/stream``: Server-Sent Events for the live feed.

Each connection polls the outbox for feed events after the client's ``Last-Event-ID`` (so
it works across processes with no broker, on SQLite as on PostgreSQL) and sends only events of
leads the caller may see. Each poll uses its own short session: a stream must never hold a
transaction open. Connections end after ``sse_max_seconds``; EventSource reconnects and resumes
from the last id, so nothing is missed.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse
from sqlalchemy import func, select

from leadsignal.auth.access import access
from leadsignal.auth.deps import Principal, principal_from_token, visible_leads
from leadsignal.compliance import audit
from leadsignal.core.context import AppContext
from leadsignal.core.deps import CtxDep
from leadsignal.core.errors import ApiError
from leadsignal.db import session_scope, utcnow
from leadsignal.events.models import OutboxEvent
from leadsignal.events.service import ALERT_ESCALATED, ALERT_RAISED, HARDSHIP_FLAGGED
from leadsignal.leads.models import Lead

router = APIRouter(prefix="/signals", tags=["signals"])
FEED_EVENTS = (ALERT_RAISED, ALERT_ESCALATED, HARDSHIP_FLAGGED)
_SEE_ALL = {"agent": 200, "manager": 200, "compliance": 200, "admin": 200, "client": 403}


def _authenticate(request: Request, ctx: AppContext, header: str | None, token: str | None) -> Principal:
    """EventSource cannot send headers, so the access token may come as ``access_token``."""
    raw = header[7:].strip() if header and header[:7].lower() == "bearer " else token
    with ctx.sessions() as session:
        if not raw:
            raise HTTPException(401, detail="a bearer access token is required",
                                headers={"WWW-Authenticate": 'Bearer realm="leadsignal"'})  # fmt: skip
        return principal_from_token(request, ctx, session, raw)


def _start_id(ctx: AppContext, last_event_id: str | None) -> int:
    if last_event_id and last_event_id.isdigit():
        return int(last_event_id)
    with ctx.sessions() as session:
        return int(session.scalar(select(func.max(OutboxEvent.id))) or 0)


def _poll(ctx: AppContext, principal: Principal, after: int) -> tuple[list[str], int]:
    """Formatted feed events after ``after`` that the caller may see, and the id to continue from.

    Reads every event type in id order and stops at a hole in the ids younger than the gap grace
    (PostgreSQL may commit a lower id later), so an event is never skipped; then keeps the feed
    events of leads the caller may see.
    """
    grace = dt.timedelta(seconds=max(ctx.settings.outbox_gap_grace_seconds, 2.0))
    with ctx.sessions() as session:
        rows = session.execute(
            select(OutboxEvent.id, OutboxEvent.event_type, OutboxEvent.lead_id, OutboxEvent.payload,
                   OutboxEvent.created_at)
            .where(OutboxEvent.id > after)
            .order_by(OutboxEvent.id)
            .limit(500)
        ).all()  # fmt: skip
        cutoff = utcnow() - grace
        taken, expected = [], after + 1
        for row in rows:
            if row.id != expected and row.created_at > cutoff:
                break
            taken.append(row)
            expected = row.id + 1
        leads = {r.lead_id for r in taken if r.event_type in FEED_EVENTS and r.lead_id is not None}
        visible = (
            set(session.scalars(select(Lead.id).where(Lead.id.in_(leads), visible_leads(principal))))
            if leads
            else set()
        )
        session.rollback()
    delivered = [r for r in taken if r.event_type in FEED_EVENTS and r.lead_id in visible]
    if delivered:  # what was pushed is a read of lead data like any other, in its own short write
        with session_scope(ctx.sessions) as session:
            audit.record(session, principal.actor, "lead.read", entity_type="lead",
                         fields=sorted({key for r in delivered for key in (r.payload or {})}),
                         details={"ids": sorted({r.lead_id for r in delivered}), "via": "stream"})  # fmt: skip
    lines = [f"id: {r.id}\nevent: {r.event_type}\ndata: {json.dumps(r.payload, default=str)}\n\n" for r in delivered]
    return lines, taken[-1].id if taken else after


@router.get(
    "/stream",
    response_class=StreamingResponse,
    responses={200: {"content": {"text/event-stream": {}}, "description": "alert.raised.v1, alert.escalated.v1 ..."}},
    openapi_extra=access(_SEE_ALL),
)
async def signal_stream(
    request: Request,
    ctx: CtxDep,
    authorization: Annotated[str | None, Header()] = None,
    last_event_id: Annotated[str | None, Header(max_length=20)] = None,
    access_token: Annotated[str | None, Query(max_length=4096)] = None,
) -> StreamingResponse:
    principal = await run_in_threadpool(_authenticate, request, ctx, authorization, access_token)
    if principal.kind != "user":
        raise ApiError(403, "forbidden", "the live feed is for people; CRM clients receive webhooks")
    start = await run_in_threadpool(_start_id, ctx, last_event_id)
    settings = ctx.settings

    async def events() -> AsyncIterator[str]:
        after = start
        loop = asyncio.get_running_loop()
        deadline = loop.time() + settings.sse_max_seconds
        yield f"retry: 2000\nid: {after}\n: connected\n\n"
        while loop.time() < deadline:
            if await request.is_disconnected():
                return
            lines, after = await run_in_threadpool(_poll, ctx, principal, after)
            for line in lines:
                yield line
            await asyncio.sleep(settings.sse_poll_seconds)

    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(events(), media_type="text/event-stream", headers=headers)
