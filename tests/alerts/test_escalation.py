"""Escalation of unacknowledged high-priority alerts: manager first, then the admins, once each."""

from __future__ import annotations

import datetime as dt

from celery import Celery
from sqlalchemy import func, select

from leadsignal.alerts.email.models import EmailLog
from leadsignal.alerts.escalation import escalate_due
from leadsignal.alerts.models import SignalEscalation
from leadsignal.alerts.preferences import DigestPrefsUpdate, update_preferences
from leadsignal.alerts.tasks import DIGEST_TASK, ESCALATE_TASK, register_alert_tasks
from leadsignal.compliance.audit import SYSTEM
from leadsignal.compliance.models import AuditEntry
from leadsignal.core.context import AppContext
from leadsignal.core.crypto import PiiCipher
from leadsignal.db import session_scope, utcnow
from leadsignal.events.models import OutboxEvent
from leadsignal.events.service import ALERT_ESCALATED
from leadsignal.signals.models import Signal
from tests.alerts.conftest import SmtpServer
from tests.alerts.test_digest_send import BASE, alerted_signal, outbox_ctx, smtp_ctx
from tests.auth import fixtures as auth_fixtures
from tests.auth.factories import make_team, make_user

# The rolled-back context (requests and jobs share one transaction), shadowing the committing one.
app_ctx = auth_fixtures.app_ctx

ALERTED = dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)
MIN = dt.timedelta(minutes=1)
AFTER = 240 * MIN  # the defaults: escalation_after_minutes and escalation_repeat_minutes


def escalation_emails(ctx: AppContext) -> list[tuple[str, str]]:
    with session_scope(ctx.sessions) as s:
        rows = s.execute(select(EmailLog.recipient, EmailLog.idempotency_key).where(EmailLog.template == "escalation")
                         .order_by(EmailLog.id)).all()  # fmt: skip
        return [(r, k) for r, k in rows]


def escalations(ctx: AppContext, signal_id: int) -> list[SignalEscalation]:
    with session_scope(ctx.sessions) as s:
        return list(s.scalars(select(SignalEscalation).where(SignalEscalation.signal_id == signal_id)
                              .order_by(SignalEscalation.level)))  # fmt: skip


def test_level_one_to_the_manager_then_level_two_to_every_admin(app_ctx: AppContext, cipher: PiiCipher) -> None:
    ctx = outbox_ctx(app_ctx)
    with session_scope(ctx.sessions) as s:
        manager = make_user(s, "manager", email="boss@agency.example")
        team = make_team(s, manager=manager)
        agent = make_user(s, "agent", teams=(team,))
        admins = [
            make_user(s, "admin", email="root1@agency.example"),
            make_user(s, "admin", email="root2@agency.example"),
        ]
        retired = make_user(s, "admin")
        retired.is_active = False
        signal = alerted_signal(s, cipher, assignee=agent, team=team, score=85.0, alerted_at=ALERTED,
                                detected_at=ALERTED - MIN)  # fmt: skip
        alerted_signal(s, cipher, assignee=agent, team=team, priority="medium", score=50.0, alerted_at=ALERTED,
                       name="Medium Only")  # fmt: skip

    assert escalate_due(ctx, ALERTED + AFTER - MIN).steps == []
    first = escalate_due(ctx, ALERTED + AFTER + MIN)
    assert [(st.signal_id, st.level, st.outcome, st.recipients) for st in first.steps] == [
        (signal.id, 1, "escalated", ["boss@agency.example"])
    ]
    assert escalation_emails(ctx) == [("boss@agency.example", f"escalation:{signal.id}:1:{manager.id}")]
    assert escalate_due(ctx, ALERTED + AFTER + 2 * MIN).steps == []  # re-run: nothing new
    assert escalate_due(ctx, ALERTED + 2 * AFTER).steps == []  # level 2 waits for the repeat delay

    second = escalate_due(ctx, ALERTED + 2 * AFTER + 2 * MIN)
    assert [(st.level, st.recipients) for st in second.steps] == [(2, ["root1@agency.example", "root2@agency.example"])]
    assert escalate_due(ctx, ALERTED + 3 * AFTER).steps == []
    assert [r for r, _ in escalation_emails(ctx)] == ["boss@agency.example", "root1@agency.example",
                                                       "root2@agency.example"]  # fmt: skip
    rows = escalations(ctx, signal.id)
    assert [(r.level, r.escalated_to_user_id) for r in rows] == [(1, manager.id), (2, admins[0].id)]
    assert rows[1].details["recipient_ids"] == [a.id for a in admins]
    with session_scope(ctx.sessions) as s:
        stored = s.get(Signal, signal.id)
        assert stored is not None
        assert stored.escalation_level == 2
        events = s.scalars(select(OutboxEvent).where(OutboxEvent.event_type == ALERT_ESCALATED)
                           .order_by(OutboxEvent.id)).all()  # fmt: skip
        assert [(e.aggregate_type, e.aggregate_id, e.payload["escalation"]["level"]) for e in events] == [
            ("signal", str(signal.id), 1),
            ("signal", str(signal.id), 2),
        ]
        assert events[0].payload["escalation"]["to_user_ids"] == [manager.id]
        audits = s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "signal.escalated"))
        assert audits == 2


def test_escalation_email_reaches_smtp_with_the_signal_link(app_ctx: AppContext, cipher: PiiCipher,
                                                            smtp_server: SmtpServer) -> None:  # fmt: skip
    ctx = smtp_ctx(app_ctx, smtp_server)
    with session_scope(ctx.sessions) as s:
        manager = make_user(s, "manager", email="lead@agency.example")
        team = make_team(s, manager=manager)
        agent = make_user(s, "agent", teams=(team,))
        signal = alerted_signal(s, cipher, assignee=agent, score=90.0, alerted_at=ALERTED)  # no routed team
    report = escalate_due(ctx, ALERTED + AFTER)
    assert report.counts == {"escalated": 1}
    (received,) = smtp_server.handler.received
    message = received.parsed()
    assert received.rcpt_tos == ["lead@agency.example"]
    assert message["Subject"] == f"leadsignal escalation: high-priority new job signal #{signal.id}"
    text_part = message.get_body(("plain",))
    assert text_part is not None
    text = text_part.get_content()
    assert f"{BASE}/signals/{signal.id}" in text
    assert "Escalation level 1" in text


def test_no_escalation_once_acknowledged_or_handled(app_ctx: AppContext, cipher: PiiCipher) -> None:
    ctx = outbox_ctx(app_ctx)
    with session_scope(ctx.sessions) as s:
        manager = make_user(s, "manager")
        team = make_team(s, manager=manager)
        agent = make_user(s, "agent", teams=(team,))
        make_user(s, "admin")
        acked = alerted_signal(s, cipher, assignee=agent, team=team, alerted_at=ALERTED, name="Acked Lead")
        handled = alerted_signal(s, cipher, assignee=agent, team=team, alerted_at=ALERTED, name="Handled Lead")
        late_ack = alerted_signal(s, cipher, assignee=agent, team=team, alerted_at=ALERTED, name="Late Ack")
        acked.acknowledged_at = ALERTED + 30 * MIN
        handled.status = "contacted"
        alerted_signal(s, cipher, assignee=agent, team=team, alerted_at=ALERTED, name="Blocked Lead",
                       alert_status="blocked")  # fmt: skip
    first = escalate_due(ctx, ALERTED + AFTER + MIN)
    assert [(st.signal_id, st.level) for st in first.steps] == [(late_ack.id, 1)]
    with session_scope(ctx.sessions) as s:
        row = s.get(Signal, late_ack.id)
        assert row is not None
        row.acknowledged_at = ALERTED + AFTER + 5 * MIN
    assert escalate_due(ctx, ALERTED + 3 * AFTER).steps == []
    assert len(escalation_emails(ctx)) == 1


def test_missing_manager_goes_straight_to_the_admins(app_ctx: AppContext, cipher: PiiCipher) -> None:
    ctx = outbox_ctx(app_ctx)
    with session_scope(ctx.sessions) as s:
        loner = make_user(s, "agent")  # in no team
        admin = make_user(s, "admin", email="chief@agency.example")
        orphan = alerted_signal(s, cipher, assignee=loner, alerted_at=ALERTED)
        leaderless = make_team(s)  # a team without a manager
        member = make_user(s, "agent", teams=(leaderless,))
        second = alerted_signal(s, cipher, assignee=member, team=leaderless, alerted_at=ALERTED, name="Second Lead")
    dry = escalate_due(ctx, ALERTED + AFTER, dry_run=True)
    assert dry.counts == {"dry_run": 4}
    assert escalations(ctx, orphan.id) == []
    assert escalation_emails(ctx) == []

    report = escalate_due(ctx, ALERTED + AFTER)
    steps = {(st.signal_id, st.level): st for st in report.steps}
    assert steps[(orphan.id, 1)].outcome == "skipped_level"
    assert "no manager" in steps[(orphan.id, 1)].reason
    assert steps[(orphan.id, 2)].outcome == "escalated"
    assert steps[(orphan.id, 2)].recipients == ["chief@agency.example"]
    assert "level 1 skipped: no manager" in steps[(orphan.id, 2)].reason
    assert steps[(second.id, 2)].recipients == ["chief@agency.example"]
    rows = escalations(ctx, orphan.id)
    summary = [(r.level, r.escalated_to_user_id, r.details["skipped"]) for r in rows]
    assert summary == [(1, None, True), (2, admin.id, False)]
    assert "level 1 skipped" in rows[1].details["reason"]
    assert sorted(escalation_emails(ctx)) == sorted([
        ("chief@agency.example", f"escalation:{orphan.id}:2:{admin.id}"),
        ("chief@agency.example", f"escalation:{second.id}:2:{admin.id}"),
    ])  # fmt: skip
    assert escalate_due(ctx, ALERTED + 3 * AFTER).steps == []


def test_celery_tasks_run_digests_and_escalation_with_beat_entries(app_ctx: AppContext, cipher: PiiCipher) -> None:
    ctx = outbox_ctx(app_ctx)
    app = Celery("test", broker="memory://")
    app.conf.beat_schedule = {"other": {"task": "x", "schedule": 60.0}}
    register_alert_tasks(app, lambda: ctx)
    beat = app.conf.beat_schedule
    assert (beat["alerts-digests"]["task"], beat["alerts-digests"]["schedule"]) == (DIGEST_TASK, 900)
    assert (beat["alerts-escalate"]["task"], beat["alerts-escalate"]["schedule"]) == (ESCALATE_TASK, 300)
    assert "other" in beat
    now = utcnow()
    with session_scope(ctx.sessions) as s:
        manager = make_user(s, "manager")
        agent = make_user(s, "agent", teams=(make_team(s, manager=manager),))
        # Hour 0 in UTC: due whenever the test runs.
        update_preferences(s, agent, DigestPrefsUpdate(timezone="UTC", local_hour=0), actor=SYSTEM)
        alerted_signal(s, cipher, assignee=agent, detected_at=now - 5 * AFTER / 4, alerted_at=now - 5 * AFTER / 4)
    assert app.tasks[ESCALATE_TASK].run() == {"escalated": 1}
    assert app.tasks[DIGEST_TASK].run().get("sent") == 1
    assert app.tasks[DIGEST_TASK].run().get("sent") is None
