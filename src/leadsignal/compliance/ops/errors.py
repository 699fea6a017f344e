"""Unexpected errors into ``error_log``, in their own short transaction, so the admin page and
the daily email can show them. Recording must never raise into the code that failed."""

from __future__ import annotations

import datetime as dt
import os
import socket

import structlog
from sqlalchemy import delete
from sqlalchemy.exc import StatementError

from leadsignal.compliance.ops.models import ErrorEvent, WorkerHeartbeat
from leadsignal.core.context import AppContext
from leadsignal.db import session_scope, utcnow

log = structlog.get_logger(__name__)
_MESSAGE_MAX = 1000
HEARTBEAT_PRUNE_AFTER = dt.timedelta(days=1)


def record_error(
    ctx: AppContext, component: str, where: str, exc: BaseException, *, request_id: str | None = None
) -> None:
    try:
        with session_scope(ctx.sessions) as session:
            session.add(
                ErrorEvent(
                    occurred_at=utcnow(),
                    component=component[:40],
                    where=where[:200],
                    error_type=type(exc).__qualname__[:120],
                    message=safe_message(exc),
                    request_id=request_id,
                )
            )
    except Exception:  # the database may be the very thing that failed
        log.warning("error_log.write_failed", component=component, where=where, exc_info=True)


def safe_message(exc: BaseException) -> str:
    """The error's message without SQL parameters or a driver's DETAIL lines (they may hold PII)."""
    if isinstance(exc, StatementError):
        origin = exc.orig if exc.orig is not None else exc
        first = str(origin).strip().splitlines()[0] if str(origin).strip() else ""
        return f"{type(origin).__name__}: {first}"[:_MESSAGE_MAX]
    return str(exc)[:_MESSAGE_MAX] or type(exc).__qualname__


def worker_name(kind: str) -> str:
    return f"{kind}@{socket.gethostname()}:{os.getpid()}"


def beat(ctx: AppContext, kind: str, *, now: dt.datetime | None = None) -> str:
    """Record that this process is alive and working; forget processes silent for a day."""
    now = now or utcnow()
    name = worker_name(kind)
    with session_scope(ctx.sessions) as session:
        row = session.get(WorkerHeartbeat, name)
        if row is None:
            session.add(WorkerHeartbeat(worker=name, kind=kind, beat_at=now, started_at=now))
        else:
            row.beat_at = now
        session.execute(delete(WorkerHeartbeat).where(WorkerHeartbeat.beat_at < now - HEARTBEAT_PRUNE_AFTER))
    return name
