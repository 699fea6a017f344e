"""One known day of operations, so every figure the ops endpoints compute has an exact expected value."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from leadsignal.alerts.email.models import EmailLog
from leadsignal.compliance.ops.models import ErrorEvent, WorkerHeartbeat
from leadsignal.core.crypto import PiiCipher
from leadsignal.monitoring.models import MonitorRun
from leadsignal.signals.models import Signal
from leadsignal.sources.scrape_log import RateLimitIncident, ScrapeLogEntry
from tests.auth.factories import make_signal
from tests.factories import make_lead


def seed_day(session: Session, cipher: PiiCipher, now: dt.datetime) -> None:
    """Last hour: apify 8 ok + 1 block + 1 malformed; google_cse 2 ok + 2 rate-limited and a 429
    back-off still running; 12 profiles fetched (1 failed); 2 new-job signals (1 alerted); 1 error.
    Earlier today: 3 apify time-outs, 20 profiles, 1 alerted promotion. Emails: 3 sent, 1 failed, 1 queued."""

    def minutes(n: float) -> dt.datetime:
        return now - dt.timedelta(minutes=n)

    rows: list[tuple[str, str, int]] = [("apify", "success", 8), ("apify", "blocked", 1), ("apify", "malformed", 1),
                                        ("google_cse", "success", 2), ("google_cse", "rate_limited", 2)]  # fmt: skip
    for service, outcome, n in rows:
        for _ in range(n):
            session.add(ScrapeLogEntry(occurred_at=minutes(5), service=service, outcome=outcome, attempt=1,
                                       source_url=f"https://{service}.example/x",
                                       reason=f"{outcome} reason"))  # fmt: skip
    for _ in range(3):
        session.add(ScrapeLogEntry(occurred_at=minutes(300), service="apify", outcome="timeout", attempt=1,
                                   source_url="https://apify.example/x", reason="ReadTimeout: 30s"))  # fmt: skip
    session.add(ScrapeLogEntry(occurred_at=now - dt.timedelta(days=2), service="apify", outcome="error", attempt=1,
                               source_url="https://apify.example/old"))  # fmt: skip
    session.add(RateLimitIncident(service="google_cse", host="www.googleapis.com", kind="429", started_at=minutes(10),
                                  ended_at=minutes(10) + dt.timedelta(seconds=1800), duration_seconds=1800.0,
                                  details={"http_status": 429}))  # fmt: skip
    session.add(MonitorRun(started_at=minutes(30), status="succeeded", source="apify",
                           counts={"profiles_fetched": 12, "fetch_errors": 1}))  # fmt: skip
    session.add(MonitorRun(started_at=minutes(180), status="succeeded", source="sample",
                           counts={"profiles_fetched": 20}))  # fmt: skip
    lead = make_lead(session, cipher, debtor_name="Ops Lead")
    for when, kind, alerted in ((minutes(10), "new_job", True), (minutes(12), "new_job", False),
                                (minutes(300), "promotion", True)):  # fmt: skip
        signal = make_signal(session, lead.id, detected_at=when, signal_type=kind)
        if alerted:
            signal.alert_status, signal.alerted_at = "alerted", when + dt.timedelta(seconds=3)
    for i, status in enumerate(("sent", "sent", "delivered", "failed", "queued")):
        session.add(EmailLog(created_at=minutes(20), provider="smtp", recipient=f"agent{i}@agency.example",
                             template="digest", subject="s", signal_ids=[], idempotency_key=f"ops-seed-{i}-{now}",
                             status=status, attempts=1,
                             error="550 no such user" if status == "failed" else None))  # fmt: skip
    session.add(ErrorEvent(occurred_at=minutes(20), component="api", where="GET /api/v1/leads",
                           error_type="RuntimeError", message="boom", request_id="req-err-1"))  # fmt: skip
    session.add(WorkerHeartbeat(worker="celery@h1:11", kind="celery", beat_at=now - dt.timedelta(seconds=10),
                                started_at=minutes(600)))  # fmt: skip
    session.add(WorkerHeartbeat(worker="celery@h2:22", kind="celery", beat_at=minutes(10), started_at=minutes(600)))
    session.flush()


def quiet_scene_signals(session: Session, signal_ids: list[int], now: dt.datetime) -> None:
    """Move the API scene's own signals out of the windows, so only the seeded day counts."""
    for signal_id in signal_ids:
        signal = session.get(Signal, signal_id)
        assert signal is not None
        signal.detected_at, signal.alert_status = now - dt.timedelta(days=3), "blocked"
    session.flush()
