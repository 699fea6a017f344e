"""The scrape log: one row per outbound attempt, plus rate-limit incidents.

Writing goes through the ``ScrapeLogSink`` port. The database sink writes each row in its own
short transaction, because the attempts that matter most are the ones made while the caller's
unit of work is failing: a rollback there must not erase the evidence of what we sent.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Sequence
from typing import Any, Literal, Protocol

import structlog
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import JSON, BigInteger, Float, Index, Integer, String, Text, func, select, update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Mapped, Session, mapped_column, sessionmaker

from leadsignal.db import Base, BigIntPK, UTCDateTime, utcnow

log = structlog.get_logger(__name__)

Outcome = Literal[
    "success", "http_error", "timeout", "robots_disallowed", "blocked", "captcha", "rate_limited", "malformed", "error"
]
OUTCOMES: tuple[str, ...] = Outcome.__args__  # type: ignore[attr-defined]
IncidentKind = Literal["429", "503", "blocked", "captcha"]


class ScrapeLogEntry(Base):
    """One attempt. ``lead_id`` has no foreign key: rows are written in their own transaction,
    possibly before the lead's own insert commits, and erasure nulls it (``forget_lead``)."""

    __tablename__ = "scrape_log"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    lead_id: Mapped[int | None] = mapped_column(BigInteger)
    service: Mapped[str] = mapped_column(String(40))
    source_url: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(Text)
    http_status: Mapped[int | None] = mapped_column(Integer)
    latency_ms: Mapped[int | None] = mapped_column(Integer)
    attempt: Mapped[int] = mapped_column(Integer, default=1)
    proxy_id: Mapped[str | None] = mapped_column(String(120))

    __table_args__ = (
        Index("ix_scrape_log_occurred_at", "occurred_at"),
        Index("ix_scrape_log_service_outcome", "service", "outcome"),
        Index("ix_scrape_log_lead_id", "lead_id"),
    )


class RateLimitIncident(Base):
    """A 429 (or 503 with Retry-After), block page or CAPTCHA from a host, and how long we backed
    off. Hits on the same host and kind while a back-off runs extend one incident (``details.hits``),
    so ``started_at``..``ended_at`` is the whole episode and ``duration_seconds`` its length."""

    __tablename__ = "rate_limit_incidents"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    service: Mapped[str] = mapped_column(String(40))
    host: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(20))
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    duration_seconds: Mapped[float | None] = mapped_column(Float)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    __table_args__ = (
        Index("ix_rate_limit_incidents_started_at", "started_at"),
        Index("ix_rate_limit_incidents_host", "host"),
    )


class ScrapeAttempt(BaseModel):
    """What the polite client (or an adapter) reports about one attempt. URLs arrive masked."""

    model_config = ConfigDict(frozen=True)

    service: str
    source_url: str
    outcome: Outcome
    reason: str | None = None
    http_status: int | None = None
    latency_ms: int | None = None
    attempt: int = 1
    proxy_id: str | None = None
    lead_id: int | None = None
    occurred_at: dt.datetime = Field(default_factory=utcnow)


class IncidentReport(BaseModel):
    model_config = ConfigDict(frozen=True)

    service: str
    host: str
    kind: IncidentKind
    started_at: dt.datetime
    backoff_seconds: float
    details: dict[str, Any] = Field(default_factory=dict)

    @property
    def ended_at(self) -> dt.datetime:
        return self.started_at + dt.timedelta(seconds=self.backoff_seconds)


class ScrapeLogSink(Protocol):
    """Where attempts and incidents go. Implementations must not raise into the HTTP path."""

    def record_attempt(self, attempt: ScrapeAttempt) -> None: ...

    def record_incident(self, incident: IncidentReport) -> None: ...


class MemoryScrapeLogSink:
    """Keeps everything in lists; for unit tests and dry runs. Thread-safe."""

    def __init__(self) -> None:
        self.attempts: list[ScrapeAttempt] = []
        self.incidents: list[IncidentReport] = []
        self._lock = threading.Lock()

    def record_attempt(self, attempt: ScrapeAttempt) -> None:
        with self._lock:
            self.attempts.append(attempt)

    def record_incident(self, incident: IncidentReport) -> None:
        with self._lock:
            self.incidents.append(incident)

    def outcomes(self) -> list[str]:
        return [a.outcome for a in self.attempts]


class DbScrapeLogSink:
    """Writes each row in its own short transaction from ``sessions``.

    A failed write (database down, SQLite locked by a caller that holds a write transaction across
    a fetch) is logged and the row kept in a bounded buffer, retried before the next write or by
    ``flush_pending()``: the fetch it describes goes on either way.
    """

    def __init__(self, sessions: sessionmaker[Session], *, max_pending: int = 10_000) -> None:
        self._sessions = sessions
        self._pending: list[Base] = []
        self._max_pending = max_pending
        self._lock = threading.Lock()

    def record_attempt(self, attempt: ScrapeAttempt) -> None:
        self._write(ScrapeLogEntry(**attempt.model_dump()))

    def record_incident(self, incident: IncidentReport) -> None:
        row = RateLimitIncident(
            service=incident.service,
            host=incident.host,
            kind=incident.kind,
            started_at=incident.started_at,
            ended_at=incident.ended_at,
            duration_seconds=incident.backoff_seconds,
            details=incident.details,
        )
        self._write(row)

    @property
    def pending(self) -> int:
        return len(self._pending)

    def flush_pending(self) -> bool:
        """Try to write buffered rows now; True when nothing is left over."""
        self._write(None)
        return not self._pending

    def _write(self, row: Base | None) -> None:
        with self._lock:
            rows = [*self._pending, *([row] if row is not None else [])]
            if not rows:
                return
            try:
                with self._sessions() as session, session.begin():
                    for item in rows:
                        if not (isinstance(item, RateLimitIncident) and _extend_open_incident(session, item)):
                            session.add(item)
            except OperationalError as exc:  # database unreachable or locked: keep the rows for later
                self._pending = rows[-self._max_pending :]
                log.error("scrape_log.write_failed", error=str(exc)[:300], pending=len(self._pending))
                return
            except Exception as exc:  # a bad row must not poison the buffer, nor break the fetch
                self._pending = []
                log.error("scrape_log.rows_dropped", error=str(exc)[:300], dropped=len(rows))
                return
            self._pending = []


def _extend_open_incident(session: Session, row: RateLimitIncident) -> bool:
    """Fold ``row`` into an incident of the same host and kind still running at its start; False
    (and ``hits`` set to 1) when there is none and ``row`` starts a new one."""
    running = session.scalar(
        select(RateLimitIncident)
        .where(
            RateLimitIncident.host == row.host,
            RateLimitIncident.service == row.service,
            RateLimitIncident.kind == row.kind,
            RateLimitIncident.started_at <= row.started_at,
            RateLimitIncident.ended_at >= row.started_at,
        )
        .order_by(RateLimitIncident.started_at.desc())
        .limit(1)
    )
    if running is None or running.ended_at is None or row.ended_at is None:
        row.details = {**(row.details or {}), "hits": 1}
        return False
    running.ended_at = max(running.ended_at, row.ended_at)
    running.duration_seconds = (running.ended_at - running.started_at).total_seconds()
    running.details = {**(running.details or {}), "hits": int((running.details or {}).get("hits", 1)) + 1,
                       "last_http_status": (row.details or {}).get("http_status")}  # fmt: skip
    return True


# -- reading and erasure (services: flush only, the caller commits) ----------------------------


def recent_attempts(session: Session, *, service: str | None = None, limit: int = 100) -> Sequence[ScrapeLogEntry]:
    stmt = select(ScrapeLogEntry).order_by(ScrapeLogEntry.occurred_at.desc(), ScrapeLogEntry.id.desc()).limit(limit)
    if service is not None:
        stmt = stmt.where(ScrapeLogEntry.service == service)
    return session.scalars(stmt).all()


def outcome_counts(session: Session, *, since: dt.datetime, service: str | None = None) -> dict[str, int]:
    """Attempts per outcome since ``since``: the health figure for dashboards and alerts."""
    stmt = (
        select(ScrapeLogEntry.outcome, func.count())
        .where(ScrapeLogEntry.occurred_at >= since)
        .group_by(ScrapeLogEntry.outcome)
    )
    if service is not None:
        stmt = stmt.where(ScrapeLogEntry.service == service)
    return {str(outcome): int(n) for outcome, n in session.execute(stmt).all()}


def incidents_since(session: Session, *, since: dt.datetime) -> Sequence[RateLimitIncident]:
    stmt = select(RateLimitIncident).where(RateLimitIncident.started_at >= since).order_by(RateLimitIncident.id)
    return session.scalars(stmt).all()


def forget_lead(session: Session, lead_id: int) -> int:
    """Erasure: detach a lead from its scrape history (the rows stay as anonymous load figures)."""
    result = session.execute(update(ScrapeLogEntry).where(ScrapeLogEntry.lead_id == lead_id).values(lead_id=None))
    session.flush()
    return int(result.rowcount)  # type: ignore[attr-defined]
