"""The daily digest end to end: signals in the database, a real SMTP server receiving the mail."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from leadsignal.alerts.digest import idempotency_key, send_due_digests
from leadsignal.alerts.email.models import EmailLog
from leadsignal.alerts.models import DigestPreference
from leadsignal.alerts.preferences import DigestPrefsUpdate, update_preferences
from leadsignal.auth.models import Team, User
from leadsignal.compliance.audit import SYSTEM
from leadsignal.core.context import AppContext
from leadsignal.core.crypto import PiiCipher
from leadsignal.db import session_scope
from leadsignal.signals.models import HARDSHIP_TYPES, Signal, SignalEvidence
from tests.alerts.conftest import SmtpServer
from tests.auth import fixtures as auth_fixtures
from tests.auth.factories import make_team, make_user
from tests.factories import make_lead

# The rolled-back context (requests and jobs share one transaction), shadowing the committing one.
app_ctx = auth_fixtures.app_ctx

NOW = dt.datetime(2026, 11, 24, 13, 0, tzinfo=dt.UTC)  # 08:00 in New York, 05:00 in Los Angeles
BASE = "https://leadsignal.agency.example"


def alerted_signal(session: Session, cipher: PiiCipher, *, assignee: User | None = None, team: Team | None = None,
                   name: str = "Maria Gonzalez", signal_type: str = "new_job", priority: str = "high",
                   score: float = 80.0, detected_at: dt.datetime | None = None, alerted_at: dt.datetime | None = None,
                   alert_status: str = "alerted", summary: str | None = None, **extra: Any) -> Signal:  # fmt: skip
    """A signal as the guard and routing leave it: scored, alerted and assigned."""
    lead = make_lead(session, cipher, debtor_name=name)
    detected = detected_at or NOW - dt.timedelta(hours=2)
    signal = Signal(
        lead_id=lead.id, signal_type=signal_type, category="hardship" if signal_type in HARDSHIP_TYPES else "positive",
        status="new", confidence=0.9, match_confidence=1.0, detected_at=detected, org="Acme",
        summary=summary or f"{signal_type} at Acme for {name}", priority_score=score, priority=priority,
        score_breakdown={"score": score}, expires_at=detected + dt.timedelta(days=30), alert_status=alert_status,
        assignee_user_id=assignee.id if assignee else None, routed_team_id=team.id if team else None,
        alerted_at=alerted_at or detected + dt.timedelta(minutes=1), **extra,
    )  # fmt: skip
    signal.evidence.append(SignalEvidence(
        evidence_key=f"post:{lead.id}:{signal_type}", kind="post", source_url=f"https://www.linkedin.com/posts/{lead.id}",
        snippet=f"Thrilled to share news ({name})", signal_type=signal_type, confidence=0.9, observed_at=detected,
    ))  # fmt: skip
    session.add(signal)
    session.flush()
    return signal


def smtp_ctx(ctx: AppContext, server: SmtpServer) -> AppContext:
    settings = ctx.settings.model_copy(update={
        "email_provider": "smtp", "smtp_host": server.host, "smtp_port": server.port, "smtp_starttls": False,
        "public_base_url": BASE,
    })  # fmt: skip
    out = AppContext(settings, _engine=ctx.engine)
    out.__dict__["sessions"] = ctx.sessions
    return out


def outbox_ctx(ctx: AppContext) -> AppContext:
    out = AppContext(ctx.settings.model_copy(update={"public_base_url": BASE}), _engine=ctx.engine)
    out.__dict__["sessions"] = ctx.sessions
    return out


def digest_logs(ctx: AppContext) -> list[EmailLog]:
    with session_scope(ctx.sessions) as session:
        return list(session.scalars(select(EmailLog).where(EmailLog.template == "digest").order_by(EmailLog.id)))


def test_digest_reaches_smtp_grouped_by_priority_with_links(app_ctx: AppContext, cipher: PiiCipher,
                                                            smtp_server: SmtpServer) -> None:  # fmt: skip
    ctx = smtp_ctx(app_ctx, smtp_server)
    with session_scope(ctx.sessions) as s:
        agent, other = make_user(s, "agent", email="dana@agency.example"), make_user(s, "agent")
        low = alerted_signal(s, cipher, assignee=agent, name="Lee Chen", signal_type="certification",
                             priority="low", score=20.0)  # fmt: skip
        high = alerted_signal(s, cipher, assignee=agent, name="Ana Silva", score=90.0)
        medium = alerted_signal(s, cipher, assignee=agent, name="James Oneil", signal_type="promotion",
                                priority="medium", score=50.0)  # fmt: skip
        alerted_signal(s, cipher, assignee=agent, name="Blocked Person", alert_status="blocked")
        alerted_signal(s, cipher, assignee=agent, name="Hardship Person", signal_type="job_loss",
                       alert_status="hardship", score=0.0, priority="low")  # fmt: skip
        alerted_signal(s, cipher, assignee=agent, name="Pending Person", alert_status="pending")
        alerted_signal(s, cipher, assignee=other, name="Someone Else")
        ids = (high.id, medium.id, low.id)
    report = send_due_digests(ctx, NOW)
    assert report.counts == {"sent": 2}
    mine = [m for m in smtp_server.handler.received if m.rcpt_tos == ["dana@agency.example"]]
    assert len(mine) == 1
    message = mine[0].parsed()
    assert message["Subject"] == "leadsignal digest: 3 new signals (1 high) - Tue 24 Nov 2026"
    text_part = message.get_body(("plain",))
    html_part = message.get_body(("html",))
    assert text_part is not None
    assert html_part is not None
    text, html = text_part.get_content(), html_part.get_content()
    positions = [text.index(n) for n in ("Ana Silva", "James Oneil", "Lee Chen")]
    assert positions == sorted(positions)  # high, then medium, then low
    assert (
        text.index("== HIGH PRIORITY (1) ==")
        < text.index("== MEDIUM PRIORITY (1) ==")
        < text.index("== LOW PRIORITY (1) ==")
    )
    assert html.index("High priority") < html.index("Medium priority") < html.index("Low priority")
    for signal_id in ids:
        assert f"{BASE}/signals/{signal_id}" in text
        assert f'href="{BASE}/signals/{signal_id}"' in html
    for hidden in ("Blocked Person", "Hardship Person", "Pending Person", "Someone Else"):
        assert hidden not in text
        assert hidden not in html
    logs = digest_logs(ctx)
    dana_log = next(row for row in logs if row.recipient == "dana@agency.example")
    assert sorted(dana_log.signal_ids) == sorted(ids)
    assert (
        dana_log.idempotency_key == idempotency_key(agent.id, dt.date(2026, 11, 24)) == f"digest:{agent.id}:2026-11-24"
    )


def test_preferences_filter_by_type_and_decayed_priority(app_ctx: AppContext, cipher: PiiCipher) -> None:
    ctx = outbox_ctx(app_ctx)
    with session_scope(ctx.sessions) as s:
        agent = make_user(s, "agent")
        update_preferences(s, agent, DigestPrefsUpdate(signal_types=["new_job", "promotion"], min_priority="medium"),
                           actor=SYSTEM)  # fmt: skip
        recent = NOW - dt.timedelta(hours=1)
        # Stored high, three days old: decays to about 52, medium now; kept and shown as medium.
        decayed_medium = alerted_signal(s, cipher, assignee=agent, score=70.0, name="Decayed Medium",
                                        detected_at=NOW - dt.timedelta(days=3), alerted_at=recent)  # fmt: skip
        fresh_high = alerted_signal(s, cipher, assignee=agent, signal_type="promotion", score=75.0, name="Fresh High")
        # Stored medium (40) five days ago: about 24 now, low; below the user's minimum.
        alerted_signal(s, cipher, assignee=agent, score=40.0, priority="medium", name="Decayed Low",
                       detected_at=NOW - dt.timedelta(days=5), alerted_at=recent)  # fmt: skip
        alerted_signal(s, cipher, assignee=agent, signal_type="certification", score=95.0, name="Wrong Type")
        alerted_signal(s, cipher, assignee=agent, score=90.0, name="Expired Signal",
                       detected_at=NOW - dt.timedelta(days=31), alerted_at=recent)  # fmt: skip
        alerted_signal(s, cipher, assignee=agent, score=90.0, name="Alerted Too Long Ago",
                       detected_at=NOW - dt.timedelta(hours=30))  # fmt: skip
    report = send_due_digests(ctx, NOW)
    assert report.counts == {"sent": 1}
    (entry,) = report.users
    assert entry.items == 2
    assert entry.subject is not None
    assert "2 new signals (1 high)" in entry.subject
    (row,) = digest_logs(ctx)
    assert sorted(row.signal_ids) == sorted([decayed_medium.id, fresh_high.id])


def test_local_hour_across_time_zones_and_no_double_send(app_ctx: AppContext, cipher: PiiCipher,
                                                         smtp_server: SmtpServer) -> None:  # fmt: skip
    ctx = smtp_ctx(app_ctx, smtp_server)
    with session_scope(ctx.sessions) as s:
        east = make_user(s, "agent", email="east@agency.example")  # defaults: 07:00 America/New_York
        west = make_user(s, "agent", email="west@agency.example")
        update_preferences(s, west, DigestPrefsUpdate(timezone="America/Los_Angeles", local_hour=7), actor=SYSTEM)
        first = alerted_signal(s, cipher, assignee=east, name="East One", detected_at=NOW - dt.timedelta(hours=3))
        alerted_signal(s, cipher, assignee=west, name="West One", detected_at=NOW - dt.timedelta(hours=3))

    morning_east = dt.datetime(2026, 11, 24, 12, 30, tzinfo=dt.UTC)  # 07:30 New York, 04:30 Los Angeles
    report = send_due_digests(ctx, morning_east)
    assert report.counts == {"sent": 1, "not_due": 1}
    assert [m.rcpt_tos for m in smtp_server.handler.received] == [["east@agency.example"]]

    again = send_due_digests(ctx, morning_east + dt.timedelta(minutes=15))
    assert again.counts == {"already_sent": 1, "not_due": 1}
    assert len(smtp_server.handler.received) == 1

    with session_scope(ctx.sessions) as s:
        later = alerted_signal(s, cipher, assignee=s.get(User, east.id), name="East Two",
                               detected_at=dt.datetime(2026, 11, 24, 14, 0, tzinfo=dt.UTC))  # fmt: skip
    morning_west = dt.datetime(2026, 11, 24, 15, 5, tzinfo=dt.UTC)  # 07:05 Los Angeles
    report = send_due_digests(ctx, morning_west)
    assert report.counts == {"already_sent": 1, "sent": 1}
    assert [m.rcpt_tos for m in smtp_server.handler.received][-1] == ["west@agency.example"]

    # Next morning in New York: only what came after yesterday's digest, never the same signal twice.
    send_due_digests(ctx, morning_east + dt.timedelta(days=1))
    east_logs = [row for row in digest_logs(ctx) if row.recipient == "east@agency.example"]
    assert [row.signal_ids for row in east_logs] == [[first.id], [later.id]]
    assert east_logs[1].idempotency_key == f"digest:{east.id}:2026-11-25"


def test_retry_after_lost_bookkeeping_does_not_send_twice(app_ctx: AppContext, cipher: PiiCipher,
                                                          smtp_server: SmtpServer) -> None:  # fmt: skip
    ctx = smtp_ctx(app_ctx, smtp_server)
    with session_scope(ctx.sessions) as s:
        agent = make_user(s, "agent")
        alerted_signal(s, cipher, assignee=agent)
    send_due_digests(ctx, NOW)
    with session_scope(ctx.sessions) as s:
        row = s.get(DigestPreference, agent.id)
        assert row is not None
        assert row.last_sent_on == dt.date(2026, 11, 24)
        row.last_sent_on = None  # as if the run died before recording the day
    send_due_digests(ctx, NOW + dt.timedelta(minutes=15))
    assert len(smtp_server.handler.received) == 1
    assert len(digest_logs(ctx)) == 1


def test_dry_run_renders_but_sends_and_records_nothing(app_ctx: AppContext, cipher: PiiCipher,
                                                       smtp_server: SmtpServer) -> None:  # fmt: skip
    ctx = smtp_ctx(app_ctx, smtp_server)
    with session_scope(ctx.sessions) as s:
        agent = make_user(s, "agent", email="dry@agency.example")
        alerted_signal(s, cipher, assignee=agent)
        alerted_signal(s, cipher, assignee=agent, priority="medium", score=45.0, name="Second Lead")
    report = send_due_digests(ctx, NOW, dry_run=True)
    assert report.counts == {"dry_run": 1}
    assert report.users[0].items == 2
    assert report.users[0].subject == "leadsignal digest: 2 new signals (1 high) - Tue 24 Nov 2026"
    assert smtp_server.handler.received == []
    assert digest_logs(ctx) == []
    with session_scope(ctx.sessions) as s:
        assert s.get(DigestPreference, agent.id) is None


def test_manager_gets_unassigned_team_signals_and_empty_users_get_nothing(app_ctx: AppContext,
                                                                          cipher: PiiCipher) -> None:  # fmt: skip
    ctx = outbox_ctx(app_ctx)
    with session_scope(ctx.sessions) as s:
        manager = make_user(s, "manager")
        team, other_team = make_team(s, manager=manager), make_team(s)
        agent = make_user(s, "agent", teams=(team,))
        idle = make_user(s, "agent", teams=(team,))
        unassigned = alerted_signal(s, cipher, team=team, name="Team Unassigned")
        assigned = alerted_signal(s, cipher, team=team, assignee=agent, name="Team Assigned")
        alerted_signal(s, cipher, team=other_team, name="Other Team")
    report = send_due_digests(ctx, NOW)
    by_user = {entry.user_id: entry for entry in report.users}
    assert by_user[manager.id].outcome == "sent"
    assert by_user[manager.id].items == 1
    assert by_user[agent.id].outcome == "sent"
    assert by_user[agent.id].items == 1
    assert by_user[idle.id].outcome == "empty"
    assert by_user[idle.id].subject is None
    logs = {row.recipient: row.signal_ids for row in digest_logs(ctx)}
    assert logs == {manager.email: [unassigned.id], agent.email: [assigned.id]}
    with session_scope(ctx.sessions) as s:
        idle_prefs = s.get(DigestPreference, idle.id)
        assert idle_prefs is not None
        assert idle_prefs.last_sent_on == dt.date(2026, 11, 24)


def test_manual_run_for_one_user_ignores_the_hour(app_ctx: AppContext, cipher: PiiCipher) -> None:
    ctx = outbox_ctx(app_ctx)
    with session_scope(ctx.sessions) as s:
        agent = make_user(s, "agent", email="early@agency.example")
        make_user(s, "agent")
        alerted_signal(s, cipher, assignee=agent, detected_at=NOW - dt.timedelta(hours=9))
    early = NOW - dt.timedelta(hours=8)  # 00:00 in New York
    assert send_due_digests(ctx, early).counts == {"not_due": 2}
    report = send_due_digests(ctx, early, user_email="Early@Agency.example")
    assert report.counts == {"sent": 1}
    with pytest.raises(LookupError, match="no active user"):
        send_due_digests(ctx, early, user_email="nobody@agency.example")
    with pytest.raises(ValueError, match="timezone-aware"):
        send_due_digests(ctx, early.replace(tzinfo=None))
