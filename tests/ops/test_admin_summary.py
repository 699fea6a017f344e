"""The daily admin summary email, received by a local SMTP server and read back."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from leadsignal.alerts.email.models import EmailLog
from leadsignal.cli import app as cli_app
from leadsignal.compliance.checks import run_all
from leadsignal.compliance.models import AuditEntry
from leadsignal.compliance.ops import summary as summary_module
from leadsignal.compliance.ops.models import WorkerHeartbeat
from leadsignal.compliance.ops.summary import send_admin_summary
from leadsignal.compliance.ops.tasks import register_ops_tasks, run_ops_loop, summary_due
from leadsignal.core.context import AppContext
from leadsignal.core.crypto import PiiCipher
from leadsignal.db import session_scope, utcnow
from tests.alerts.conftest import SmtpServer
from tests.auth.factories import make_user
from tests.ops.factories import seed_day


def _ctx(app_ctx: AppContext, **settings: object) -> AppContext:
    ctx = AppContext(app_ctx.settings.model_copy(update=settings), _engine=app_ctx.engine)
    ctx.__dict__["sessions"] = app_ctx.sessions
    return ctx


@pytest.fixture
def smtp_ctx(app_ctx: AppContext, smtp_server: SmtpServer) -> AppContext:
    return _ctx(app_ctx, email_provider="smtp", smtp_host=smtp_server.host, smtp_port=smtp_server.port,
                smtp_starttls=False, public_base_url="https://leadsignal.agency.example",
                admin_summary_recipients=["ops@agency.example", "Boss@Agency.example"])  # fmt: skip


def _people(ctx: AppContext) -> None:
    with session_scope(ctx.sessions) as session:
        make_user(session, "admin", email="boss@agency.example")
        make_user(session, "admin", email="second@agency.example")
        gone = make_user(session, "admin", email="former@agency.example")
        gone.is_active = False
        make_user(session, "agent", email="agent@agency.example")


def test_the_daily_email_reaches_every_admin_with_figures_and_compliance(
    smtp_ctx: AppContext, smtp_server: SmtpServer, cipher: PiiCipher
) -> None:
    now = utcnow()
    with session_scope(smtp_ctx.sessions) as session:
        seed_day(session, cipher, now)
    _people(smtp_ctx)

    report = send_admin_summary(smtp_ctx, now)

    assert report.counts == {"sent": 3}
    received = smtp_server.handler.received
    assert sorted(r.rcpt_tos[0] for r in received) == ["boss@agency.example", "ops@agency.example",
                                                       "second@agency.example"]  # fmt: skip
    checks = run_all(smtp_ctx, now=now)
    parsed = received[0].parsed()
    verdict = "all compliance checks pass" if checks.passed else "compliance check"
    subject = " ".join(str(parsed["Subject"]).split())  # a long subject arrives folded
    assert subject == report.subject
    assert subject.startswith(f"leadsignal admin summary - {now:%a %d %b %Y}: ")
    assert verdict in subject
    assert report.compliance_passed is checks.passed
    text_part = parsed.get_body(preferencelist=("plain",))
    html_part = parsed.get_body(preferencelist=("html",))
    assert text_part is not None
    assert html_part is not None
    text = text_part.get_content().replace("\r\n", "\n")
    for line in ("Profiles fetched: 32", "Scrape requests: 17", "Scrape failures: 7", "Signals detected: 3",
                 "Alerts sent: 2", "Emails sent: 3", "Emails failed: 1", "Errors: 1", "Rate limit incidents: 1",
                 "Rate limit back off minutes: 30.00", "Workers healthy: yes",
                 "Sources needing attention: apify (degraded), google_cse (blocked)"):  # fmt: skip
        assert line in text, line
    assert len(checks.items) >= 5
    for item in checks.items:
        assert f"[{'PASS' if item.passed else 'FAIL'}] {' '.join(item.title.split())}" in text, item.title
    html = html_part.get_content()
    assert html.count(">FAIL<") == sum(not i.passed for i in checks.items)
    assert "https://leadsignal.agency.example/admin" in html

    with smtp_ctx.sessions() as session:
        logs = session.scalars(select(EmailLog).where(EmailLog.template == "admin_summary")).all()
        sent = session.scalars(select(AuditEntry).where(AuditEntry.action == "email.sent",
                                                        AuditEntry.actor == "system:admin-summary")).all()  # fmt: skip
    assert {row.status for row in logs} == {"sent"}
    assert len(sent) == 3

    again = send_admin_summary(smtp_ctx, now + dt.timedelta(hours=2))  # same day: nothing twice
    assert again.counts == {"already_sent": 3}
    assert len(smtp_server.handler.received) == 3


def test_a_refused_address_does_not_hold_back_the_others(smtp_ctx: AppContext, smtp_server: SmtpServer) -> None:
    _people(smtp_ctx)
    smtp_server.handler.refuse["second@agency.example"] = "550 5.1.1 No such user"
    report = send_admin_summary(_ctx(smtp_ctx, admin_summary_recipients=["not an address"]))
    outcomes = {r.email: r.outcome for r in report.recipients}
    assert outcomes == {"boss@agency.example": "sent", "second@agency.example": "failed",
                        "not an address": "invalid_address"}  # fmt: skip
    assert [r.rcpt_tos for r in smtp_server.handler.received] == [["boss@agency.example"]]


def test_cli_prints_or_sends(smtp_ctx: AppContext, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch) -> None:
    _people(smtp_ctx)
    monkeypatch.setattr("leadsignal.compliance.ops.cli.app_context", lambda: smtp_ctx)
    runner = CliRunner()
    printed = runner.invoke(cli_app, ["admin", "summary", "--print"])
    assert printed.exit_code == 0, printed.output
    assert printed.output.startswith("Subject: leadsignal admin summary - ")
    assert "COMPLIANCE CHECKLIST" in printed.output
    assert smtp_server.handler.received == []
    both = runner.invoke(cli_app, ["admin", "summary", "--print", "--send"])
    assert both.exit_code == 2
    sent = runner.invoke(cli_app, ["admin", "summary", "--send"])
    assert sent.exit_code == 0, sent.output
    assert '"sent": 3' in sent.output
    assert len(smtp_server.handler.received) == 3


def test_the_embedded_loop_beats_and_sends_once_a_day(smtp_ctx: AppContext, smtp_server: SmtpServer,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    _people(smtp_ctx)
    ctx = _ctx(smtp_ctx, admin_summary_hour_utc=0)  # due at any hour today
    stop = threading.Event()
    runs: list[int] = []
    real = summary_module.send_admin_summary

    def counting(*args: object, **kwargs: object) -> summary_module.SummaryReport:
        report = real(*args, **kwargs)  # type: ignore[arg-type]
        runs.append(len(report.recipients))
        if len(runs) == 1:
            stop.set()
        return report

    monkeypatch.setattr(summary_module, "send_admin_summary", counting)
    run_ops_loop(ctx, stop, interval=0.01)
    assert runs == [3]
    assert len(smtp_server.handler.received) == 3
    with ctx.sessions() as session:
        [beat] = session.scalars(select(WorkerHeartbeat)).all()
    assert beat.kind == "embedded"
    assert beat.worker.startswith("embedded@")
    assert utcnow() - beat.beat_at < dt.timedelta(minutes=1)


def test_summary_is_due_once_after_its_hour() -> None:
    at = dt.datetime(2026, 11, 24, 6, 59, tzinfo=dt.UTC)
    assert not summary_due(at, 7, None)
    assert summary_due(at.replace(hour=7, minute=0), 7, None)
    assert not summary_due(at.replace(hour=9), 7, at.date())
    assert summary_due(at + dt.timedelta(days=1, hours=1), 7, at.date())


def test_celery_gets_the_heartbeat_and_daily_summary_on_its_beat(app_ctx: AppContext) -> None:
    from celery import Celery

    app = Celery("t", broker="memory://")
    register_ops_tasks(app, lambda: _ctx(app_ctx, admin_summary_hour_utc=6))
    schedule = app.conf.beat_schedule
    assert schedule["ops-heartbeat"]["schedule"] == 30.0
    assert schedule["ops-admin-summary"]["schedule"].hour == {6}
    assert schedule["ops-admin-summary"]["schedule"].minute == {0}
    worker = app.tasks["leadsignal.ops.heartbeat"].apply().get()
    assert worker.startswith("celery@")
