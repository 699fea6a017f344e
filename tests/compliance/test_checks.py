"""Each compliance check passing, and failing on purpose, judged from stored records."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from leadsignal.cli import app
from leadsignal.compliance import checks, retention
from leadsignal.compliance.retention_models import RetentionRun
from leadsignal.core.cli_support import app_context
from leadsignal.core.context import AppContext
from leadsignal.core.crypto import PiiCipher
from leadsignal.db import session_scope, utcnow
from leadsignal.leads.models import Lead
from leadsignal.matching.models import IdentityMatch
from leadsignal.sources.scrape_log import RateLimitIncident, ScrapeLogEntry
from tests.auth.factories import build_scene, make_signal
from tests.factories import make_lead

GOOD_UA = "leadsignal/1.0 (+https://collections.example.com/bot; privacy@collections.example.com)"
NOW = utcnow()


def item(ctx: AppContext, name: str) -> checks.CheckItem:
    report = checks.run_all(ctx, now=NOW)
    (found,) = [i for i in report.items if i.name == name]
    assert found.evidence
    return found


def configure(ctx: AppContext, **updates: object) -> None:
    ctx.settings = ctx.settings.model_copy(update=updates)
    ctx.__dict__.pop("cipher", None)


def scrape(session: Session, *, url: str = "https://example.org/p", at: dt.datetime = NOW, outcome: str = "success",
           lead_id: int | None = None, service: str = "firecrawl", sent: bool = True) -> None:  # fmt: skip
    timing = {"latency_ms": 20, "http_status": 200} if sent else {}
    session.add(ScrapeLogEntry(occurred_at=at, lead_id=lead_id, service=service, source_url=url, outcome=outcome,
                               attempt=1, **timing))  # fmt: skip
    session.flush()


def test_everything_passes_on_a_well_run_system(ctx: AppContext, cipher: PiiCipher) -> None:
    configure(ctx, user_agent=GOOD_UA)
    with session_scope(ctx.sessions) as session:
        make_lead(session, cipher, tax_id="123-45-6789")
        scrape(session, at=NOW - dt.timedelta(minutes=5))
    retention.run_all(ctx)
    report = checks.run_all(ctx, now=utcnow())
    assert [i.name for i in report.items] == ["rate_limits", "robots_txt", "user_agent", "opt_outs", "pii_encryption",
                                              "tls", "retention", "identity_match"]  # fmt: skip
    assert report.passed, [i for i in report.items if not i.passed]
    assert all(i.title and i.evidence for i in report.items)


def test_rate_limits(ctx: AppContext) -> None:
    assert item(ctx, "rate_limits").passed
    with session_scope(ctx.sessions) as session:
        session.add(RateLimitIncident(service="apify", host="api.apify.com", kind="429",
                                      started_at=NOW - dt.timedelta(hours=2), details={}))  # fmt: skip
    failed = item(ctx, "rate_limits")
    assert not failed.passed
    assert "api.apify.com 429 x1" in failed.evidence


def test_rate_limits_exceeded_in_the_scrape_log(ctx: AppContext) -> None:
    minute = NOW.replace(second=0, microsecond=0) - dt.timedelta(hours=1)
    with session_scope(ctx.sessions) as session:
        for i in range(60):  # google_cse is configured at 1 request per second: 60 in one minute is fine
            scrape(session, service="google_cse", at=minute + dt.timedelta(milliseconds=900 * i))
    assert item(ctx, "rate_limits").passed
    with session_scope(ctx.sessions) as session:
        for i in range(40):
            scrape(session, service="google_cse", at=minute + dt.timedelta(milliseconds=500 * i))
    failed = item(ctx, "rate_limits")
    assert not failed.passed
    assert failed.details["over"]["google_cse"]["peak_per_minute"] == 100
    configure(ctx, http_service_rates={"apify": 0.0})
    assert "invalid rate settings: service apify" in item(ctx, "rate_limits").evidence


def test_robots_txt(ctx: AppContext) -> None:
    refused_at = NOW - dt.timedelta(hours=3)
    with session_scope(ctx.sessions) as session:
        scrape(session, url="https://blog.example/private", at=refused_at, outcome="robots_disallowed", sent=False)
        scrape(session, url="https://blog.example/private", at=refused_at + dt.timedelta(hours=2))  # after the TTL
    passing = item(ctx, "robots_txt")
    assert passing.passed
    assert "1 URLs refused" in passing.evidence
    with session_scope(ctx.sessions) as session:
        scrape(session, url="https://blog.example/private", at=refused_at + dt.timedelta(minutes=10))
    failed = item(ctx, "robots_txt")
    assert not failed.passed
    assert failed.details["violations"][0]["url"] == "https://blog.example/private"


@pytest.mark.parametrize(
    ("user_agent", "passed", "says"),
    [
        (GOOD_UA, True, "identifies the bot"),
        ("leadsignal/0.1 (+https://agency.example/leadsignal-bot; compliance@agency.example)", False, "placeholder"),
        ("Mozilla/5.0 (+https://collections.example.com/bot)", False, "impersonates a browser"),
        ("leadsignal/1.0", False, "contact URL or email"),
        ("   ", False, "empty"),
    ],
)
def test_user_agent(ctx: AppContext, user_agent: str, passed: bool, says: str) -> None:
    configure(ctx, user_agent=user_agent)
    result = item(ctx, "user_agent")
    assert result.passed is passed
    assert says in result.evidence


def _opted_out(session: Session, cipher: PiiCipher, at: dt.datetime) -> Lead:
    lead = make_lead(session, cipher)
    lead.do_not_scrape, lead.do_not_scrape_at, lead.do_not_scrape_reason = True, at, "borrower asked"
    session.flush()
    return lead


def test_opt_outs_fetch_after_opt_out(ctx: AppContext, cipher: PiiCipher) -> None:
    opted_at = NOW - dt.timedelta(days=2)
    with session_scope(ctx.sessions) as session:
        lead = _opted_out(session, cipher, opted_at)
        scrape(session, lead_id=lead.id, at=opted_at - dt.timedelta(hours=1))  # before: fine
        scrape(session, lead_id=lead.id, at=opted_at + dt.timedelta(hours=1), outcome="robots_disallowed", sent=False)
    passing = item(ctx, "opt_outs")
    assert passing.passed
    assert "1 opted-out leads" in passing.evidence
    with session_scope(ctx.sessions) as session:
        scrape(session, lead_id=lead.id, at=opted_at + dt.timedelta(hours=2))
    failed = item(ctx, "opt_outs")
    assert not failed.passed
    assert failed.details["fetches"] == {str(lead.id): 1}


def test_opt_outs_alert_after_opt_out(ctx: AppContext, cipher: PiiCipher) -> None:
    opted_at = NOW - dt.timedelta(days=2)
    with session_scope(ctx.sessions) as session:
        lead = _opted_out(session, cipher, opted_at)
        signal = make_signal(session, lead.id, detected_at=opted_at + dt.timedelta(hours=1))
        signal.alert_status, signal.alerted_at = "alerted", opted_at + dt.timedelta(hours=1)
    failed = item(ctx, "opt_outs")
    assert not failed.passed
    assert failed.details["alerts"] == {str(lead.id): 1}
    with session_scope(ctx.sessions) as session:  # blocked later (a second opt-out): it still reached an agent
        session.get_one(type(signal), signal.id).alert_status = "blocked"
    assert item(ctx, "opt_outs").details["alerts"] == {str(lead.id): 1}


def test_pii_encryption(ctx: AppContext, cipher: PiiCipher) -> None:
    with session_scope(ctx.sessions) as session:
        make_lead(session, cipher, tax_id="123-45-6789")
        plain = make_lead(session, cipher)
    passing = item(ctx, "pii_encryption")
    assert passing.passed
    assert "active key t1" in passing.evidence
    with session_scope(ctx.sessions) as session:
        session.get_one(Lead, plain.id).tax_id_enc = "123-45-6789"  # a clear value where ciphertext belongs
    failed = item(ctx, "pii_encryption")
    assert not failed.passed
    assert failed.details["failures"] == [
        {"lead_id": plain.id, "field": "tax_id", "error": "not a leadsignal ciphertext"}
    ]
    configure(ctx, encryption_keys=None, env="production")
    missing = item(ctx, "pii_encryption")
    assert not missing.passed
    assert "must both be set" in missing.evidence
    configure(ctx, encryption_keys=SecretStr("t1:short"))
    assert "misconfigured" in item(ctx, "pii_encryption").evidence


def test_tls(ctx: AppContext, tmp_path: Path) -> None:
    assert item(ctx, "tls").passed
    configure(ctx, env="production")
    failed = item(ctx, "tls")
    assert not failed.passed
    assert "production without TLS" in failed.evidence
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert.write_text("cert")
    key.write_text("key")
    configure(ctx, tls_certfile=cert, tls_keyfile=key)
    assert item(ctx, "tls").passed
    configure(ctx, tls_certfile=None, tls_terminated_by_proxy=True)
    assert item(ctx, "tls").passed


def test_retention_ran(ctx: AppContext) -> None:
    failed = item(ctx, "retention")
    assert not failed.passed
    assert "snapshots" in failed.details["stale"]
    retention.run_all(ctx, dry_run=True)
    assert not item(ctx, "retention").passed  # a dry run is not a run
    retention.run_all(ctx)
    assert checks.run_all(ctx).items[6].passed
    with session_scope(ctx.sessions) as session:
        for run in session.query(RetentionRun).filter(RetentionRun.data_class == "posts"):
            run.finished_at = utcnow() - dt.timedelta(hours=49)
    assert checks.run_all(ctx).items[6].details["stale"] == ["posts"]
    configure(ctx, retention_enabled=False)
    assert "switched off" in item(ctx, "retention").evidence


def test_no_alert_without_a_confirmed_match(ctx: AppContext, cipher: PiiCipher) -> None:
    alerted_at = NOW - dt.timedelta(hours=1)
    with session_scope(ctx.sessions) as session:
        lead = make_lead(session, cipher)
        signal = make_signal(session, lead.id, detected_at=alerted_at)
        signal.alert_status, signal.alerted_at = "alerted", alerted_at
        session.add(
            IdentityMatch(
                lead_id=lead.id,
                profile_url="https://www.linkedin.com/in/late",
                score=0.99,
                decision="confirmed",
                reasons=[],
                status="confirmed",
                created_at=alerted_at + dt.timedelta(minutes=5),
            )
        )  # confirmed only after the alert
    with session_scope(ctx.sessions) as session:  # hardship flags are routed without a match by design
        hardship = make_signal(session, lead.id, detected_at=alerted_at, signal_type="job_loss")
        hardship.alert_status, hardship.alerted_at = "hardship", alerted_at
    failed = item(ctx, "identity_match")
    assert not failed.passed
    assert failed.details["signal_ids"] == [signal.id]
    with session_scope(ctx.sessions) as session:
        session.add(IdentityMatch(lead_id=lead.id, profile_url="https://www.linkedin.com/in/ok", score=0.7,
                                  decision="review", reasons=[], status="human_confirmed", reviewed_by="user:1",
                                  reviewed_at=alerted_at - dt.timedelta(minutes=1),
                                  created_at=alerted_at - dt.timedelta(days=1)))  # fmt: skip
    passing = item(ctx, "identity_match")
    assert passing.passed
    assert "1 signals alerted" in passing.evidence


def test_the_agency_supplied_profile_and_a_later_reopening_count_as_confirmed(ctx: AppContext, cipher: PiiCipher
                                                                             ) -> None:  # fmt: skip
    alerted_at = utcnow() - dt.timedelta(hours=2)
    agency_url = "https://www.linkedin.com/in/agency-given"
    with session_scope(ctx.sessions) as session:
        by_agency = make_lead(session, cipher, linkedin_url=agency_url)
        reopened = make_lead(session, cipher)
        for lead in (by_agency, reopened):
            signal = make_signal(session, lead.id, detected_at=alerted_at)
            signal.alert_status, signal.alerted_at = "alerted", alerted_at
        # An agent later reported the wrong person: the match went back to review after the alert.
        session.add(IdentityMatch(lead_id=reopened.id, profile_url="https://www.linkedin.com/in/was-ok", score=0.99,
                                  decision="confirmed", reasons=[], status="pending_review", reviewed_by="user:1",
                                  reviewed_at=alerted_at + dt.timedelta(hours=1),
                                  created_at=alerted_at - dt.timedelta(days=1)))  # fmt: skip
    assert item(ctx, "identity_match").passed
    with session_scope(ctx.sessions) as session:  # the agency's URL was rejected before the alert
        session.add(IdentityMatch(lead_id=by_agency.id, profile_url=agency_url, score=1.0, decision="review",
                                  reasons=[], status="human_rejected", reviewed_by="user:1",
                                  reviewed_at=alerted_at - dt.timedelta(minutes=5),
                                  created_at=alerted_at - dt.timedelta(days=2)))  # fmt: skip
    failed = item(ctx, "identity_match")
    assert not failed.passed
    assert len(failed.details["signal_ids"]) == 1


def test_a_check_that_errors_fails_and_the_rest_still_run(ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: object) -> checks.CheckItem:
        raise RuntimeError("boom")

    monkeypatch.setattr(checks, "CHECKS", (broken, checks.check_tls))
    report = checks.run_all(ctx)
    assert not report.passed
    assert report.items[0].evidence == "check failed to run: boom"
    assert report.items[1].passed


def test_checks_api(ctx: AppContext, cipher: PiiCipher) -> None:
    from leadsignal.app import create_app

    with session_scope(ctx.sessions) as session:
        scene = build_scene(session, cipher, ctx.settings)
    with TestClient(create_app(ctx)) as client:
        assert client.get("/api/v1/compliance/checks", headers=scene.headers["agent"]).status_code == 403
        response = client.get("/api/v1/compliance/checks", headers=scene.headers["compliance"])
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"passed", "checked_at", "items"}
    assert body["passed"] is False  # the test settings keep the placeholder user agent, and retention never ran
    assert {"name", "title", "passed", "evidence", "details"} == set(body["items"][0])


def test_cli_check_exits_1_on_failure_and_0_after_fixing(cli_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    failing = runner.invoke(app, ["compliance", "check", "--format", "json"])
    assert failing.exit_code == 1
    report = checks.ComplianceReport.model_validate_json(failing.output)
    assert {i.name for i in report.items if not i.passed} == {"user_agent", "retention"}
    dry = runner.invoke(app, ["retention", "run", "--dry-run", "--class", "posts"])
    assert dry.exit_code == 0, dry.output
    assert "would archive 0" in dry.output
    assert runner.invoke(app, ["retention", "run", "--class", "nope"]).exit_code == 2
    assert runner.invoke(app, ["retention", "run"]).exit_code == 0
    monkeypatch.setenv("LEADSIGNAL_USER_AGENT", GOOD_UA)
    app_context().dispose()
    app_context.cache_clear()
    passing = runner.invoke(app, ["compliance", "check"])
    assert passing.exit_code == 0, passing.output
    assert "[PASS] Retention jobs ran" in passing.output
    assert runner.invoke(app, ["compliance", "check", "--format", "xml"]).exit_code == 2
