"""The scrape log in the real database: own transaction, incidents, reading and erasure."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from leadsignal.core.context import AppContext
from leadsignal.db import make_sessionmaker, session_scope, utcnow
from leadsignal.integrations.http import BlockedByHost
from leadsignal.sources.scrape_log import (
    DbScrapeLogSink,
    IncidentReport,
    RateLimitIncident,
    ScrapeAttempt,
    ScrapeLogEntry,
    forget_lead,
    incidents_since,
    outcome_counts,
    recent_attempts,
)
from tests.fakes.base import Reply
from tests.fakes.web import CAPTCHA_PAGE, FakeWebsite
from tests.integrations.factories import make_client


@pytest.mark.postgres_only  # SQLite transactions take the write lock at BEGIN: no fetch runs inside one
def test_attempts_survive_the_callers_rollback(app_ctx: AppContext, fake_site: FakeWebsite) -> None:
    sessions = make_sessionmaker(app_ctx.engine)
    client, _, _ = make_client(sink=None)
    client.sink = DbScrapeLogSink(sessions)
    fake_site.script("/ping", Reply(500))

    def unit_of_work() -> None:
        with session_scope(sessions) as session:
            session.execute(select(func.count()).select_from(ScrapeLogEntry))
            client.request("GET", fake_site.url + "/ping", service="web", lead_id=42)
            raise RuntimeError("the caller's unit of work fails after the fetch")

    with pytest.raises(RuntimeError):
        unit_of_work()
    with sessions() as session:
        rows = session.scalars(select(ScrapeLogEntry).order_by(ScrapeLogEntry.id)).all()
        assert [(r.outcome, r.http_status, r.attempt, r.lead_id) for r in rows] == [
            ("http_error", 500, 1, 42),
            ("success", 200, 2, 42),
        ]
        assert rows[0].occurred_at.tzinfo is not None


def test_captcha_incident_is_stored(app_ctx: AppContext, fake_site: FakeWebsite) -> None:
    sessions = make_sessionmaker(app_ctx.engine)
    client, _, _ = make_client(block_backoff=600.0)
    client.sink = DbScrapeLogSink(sessions)
    fake_site.pages["/p"] = Reply(403, CAPTCHA_PAGE)
    with pytest.raises(BlockedByHost):
        client.get_page(fake_site.url + "/p", service="web")
    with sessions() as session:
        [incident] = incidents_since(session, since=utcnow() - dt.timedelta(days=1))
        assert incident.kind == "captcha"
        assert incident.host == f"127.0.0.1:{fake_site.port}"
        assert incident.duration_seconds == 600.0
        assert incident.ended_at is not None
        assert incident.ended_at > incident.started_at
        assert outcome_counts(session, since=utcnow() - dt.timedelta(days=1)) == {"success": 1, "captcha": 1}


def test_reading_and_erasure(db: Session) -> None:
    now = utcnow()
    for i, outcome in enumerate(["success", "timeout", "success"]):
        db.add(ScrapeLogEntry(occurred_at=now, service="apify", source_url=f"u{i}", outcome=outcome, lead_id=5))
    db.add(ScrapeLogEntry(occurred_at=now, service="web", source_url="w", outcome="blocked", lead_id=6))
    db.flush()
    assert outcome_counts(db, since=now - dt.timedelta(seconds=1), service="apify") == {"success": 2, "timeout": 1}
    assert [r.source_url for r in recent_attempts(db, service="apify", limit=2)] == ["u2", "u1"]
    assert forget_lead(db, 5) == 3
    assert db.scalar(select(func.count()).where(ScrapeLogEntry.lead_id.is_(None))) == 3


def test_an_unreachable_database_buffers_rows_and_never_raises(app_ctx: AppContext) -> None:
    broken: sessionmaker[Session] = sessionmaker(bind=create_engine("sqlite:////nonexistent-dir/x.db"))
    sink = DbScrapeLogSink(broken)
    sink.record_attempt(ScrapeAttempt(service="web", source_url="http://x/", outcome="success"))
    sink.record_incident(IncidentReport(service="web", host="x", kind="429", started_at=utcnow(), backoff_seconds=1.0))
    assert sink.pending == 2
    broken.configure(bind=app_ctx.engine)  # the database is back
    assert sink.flush_pending()
    with app_ctx.sessions() as session:
        assert session.scalar(select(func.count()).select_from(ScrapeLogEntry)) == 1
        assert session.scalar(select(func.count()).select_from(RateLimitIncident)) == 1
