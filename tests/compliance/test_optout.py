"""The opt-out effect (service) and the admin opt-out API."""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from leadsignal.alerts.processor import evaluate
from leadsignal.auth.rls import apply_rls_context
from leadsignal.cli import app as cli
from leadsignal.compliance.audit import Actor
from leadsignal.compliance.disputes import create_dispute
from leadsignal.compliance.holds import release_hold, set_hold
from leadsignal.compliance.models import AuditEntry
from leadsignal.compliance.optout import OPT_OUT_REASON, REDACTED_SNIPPET, apply_opt_out, clear_opt_out
from leadsignal.core.context import AppContext
from leadsignal.core.crypto import PiiCipher
from leadsignal.db import session_scope, utcnow
from leadsignal.leads.models import Lead
from leadsignal.matching.models import IdentityMatch
from leadsignal.monitoring.cycle import plan, process_batch, start_run
from leadsignal.nlp.service import SignalDetector
from leadsignal.settings import Settings
from leadsignal.signals.models import Signal, SignalEvidence
from leadsignal.sources.records import PostRecord, ProfileRecord
from leadsignal.sources.scrape_log import ScrapeLogEntry
from leadsignal.sources.snapshots import ProfileSnapshot, StoredPost, store_posts, store_profile
from tests.auth.factories import Scene, build_scene, make_signal
from tests.auth.fixtures import client, scene
from tests.factories import make_lead
from tests.monitoring.conftest import T0, sample_deps, seed_leads

__all__ = ["client", "scene"]
ACTOR = Actor("user:test")
URL = "https://www.linkedin.com/in/jane-doe-optout"


def _scraped_lead(session: Session, cipher: PiiCipher) -> tuple[Lead, Signal, Signal]:
    lead = make_lead(session, cipher, debtor_name="Jane Doe", linkedin_url=URL)
    store_profile(session, lead.id, ProfileRecord(profile_url=URL, source="sample", full_name="Jane Doe"))
    # Stored under the URL before the lead was linked: it goes too.
    store_posts(session, None, [PostRecord(post_id="p-unlinked", author_profile_url=URL, text="hello", source="s")])
    store_posts(session, lead.id, [PostRecord(post_id="p-1", author_profile_url=URL, text="New job!", source="s")])
    other = make_lead(session, cipher, debtor_name="Bob Other")
    store_posts(session, other.id, [PostRecord(post_id="p-other", text="untouched", source="s")])
    pending = make_signal(session, lead.id, snippet="Thrilled to start at Acme")
    alerted = make_signal(session, lead.id)
    alerted.alert_status, alerted.alerted_at = "alerted", utcnow()
    make_signal(session, lead.id).alert_status = "held"  # an uplift control, due for release later
    session.flush()
    return lead, pending, alerted


def _count(session: Session, column: object, *where: object) -> int:
    return session.scalar(select(func.count(column)).where(*where)) or 0  # type: ignore[arg-type]


def test_opt_out_purges_scraped_data_blocks_alerts_and_is_audited(db: Session, cipher: PiiCipher) -> None:
    lead, pending, alerted = _scraped_lead(db, cipher)
    db.add(ScrapeLogEntry(service="sample:profile", source_url=URL, outcome="success", lead_id=lead.id))
    effect = apply_opt_out(db, lead, reason="asked by phone", source="borrower", actor=ACTOR)
    assert effect.newly_opted_out
    assert (effect.snapshots_purged, effect.posts_purged, effect.alerts_blocked) == (1, 2, 3)
    statuses = set(db.scalars(select(Signal.alert_status).where(Signal.lead_id == lead.id)))
    assert statuses == {"blocked"}
    assert (lead.do_not_scrape, lead.do_not_scrape_reason, lead.do_not_scrape_source) == (True, "asked by phone",
                                                                                            "borrower")  # fmt: skip
    assert lead.do_not_scrape_at is not None
    assert _count(db, ProfileSnapshot.id, ProfileSnapshot.profile_url == URL) == 0
    assert _count(db, StoredPost.id, StoredPost.profile_url == URL) == 0
    assert _count(db, StoredPost.id) == 1  # the other lead's post stays
    for signal in (pending, alerted):
        db.refresh(signal)
        assert signal.alert_status == "blocked"
        assert OPT_OUT_REASON in signal.blocked_reasons
    assert alerted.alerted_at is not None  # the history of what was alerted stays
    snippets = set(db.scalars(select(SignalEvidence.snippet).where(SignalEvidence.signal_id == pending.id)))
    assert snippets == {REDACTED_SNIPPET}
    # The scrape log stays linked: it proves no fetch followed the opt-out.
    assert _count(db, ScrapeLogEntry.id, ScrapeLogEntry.lead_id == lead.id) == 1
    actions = set(db.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == str(lead.id))))
    assert {"lead.do_not_scrape.set", "lead.opt_out.applied"} <= actions
    # A pending signal that reaches the alerts processor later stays blocked.
    assert evaluate(db, pending, now=utcnow()) == "blocked"


def test_a_legal_hold_defers_the_purge_until_it_is_released(db: Session, cipher: PiiCipher) -> None:
    lead, _pending, _alerted = _scraped_lead(db, cipher)
    set_hold(db, lead.id, "litigation: preserve everything", actor=ACTOR)
    effect = apply_opt_out(db, lead, reason="asked by e-mail", source="borrower", actor=ACTOR)
    assert effect.purge_deferred_by_legal_hold
    assert (effect.snapshots_purged, effect.posts_purged, effect.alerts_blocked) == (0, 0, 3)
    assert lead.do_not_scrape
    assert _count(db, ProfileSnapshot.id, ProfileSnapshot.profile_url == URL) == 1
    release_hold(db, lead.id, "case closed", actor=ACTOR)
    assert _count(db, ProfileSnapshot.id, ProfileSnapshot.profile_url == URL) == 0
    assert _count(db, StoredPost.id, StoredPost.profile_url == URL) == 0
    actions = set(db.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == str(lead.id))))
    assert "lead.opt_out.purged_after_hold" in actions


def test_opt_out_again_keeps_the_first_reason_and_clearing_needs_one(db: Session, cipher: PiiCipher) -> None:
    lead = make_lead(db, cipher)
    apply_opt_out(db, lead, reason="first", source="agency", actor=ACTOR)
    again = apply_opt_out(db, lead, reason="second", source="legal", actor=ACTOR)
    assert not again.newly_opted_out
    assert lead.do_not_scrape_reason == "first"
    with pytest.raises(ValueError, match="reason"):
        clear_opt_out(db, lead, reason="  ", source="agency", actor=ACTOR)
    with pytest.raises(ValueError, match="source"):
        apply_opt_out(db, lead, reason="x", source="nobody", actor=ACTOR)
    assert clear_opt_out(db, lead, reason="entered for the wrong person", source="agency", actor=ACTOR)
    assert not lead.do_not_scrape
    assert not clear_opt_out(db, lead, reason="again", source="agency", actor=ACTOR)
    cleared = db.scalars(select(AuditEntry).where(AuditEntry.action == "lead.do_not_scrape.cleared")).one()
    assert cleared.details["reason"] == "entered for the wrong person"


def test_rejected_candidates_of_other_people_are_not_purged(db: Session, cipher: PiiCipher) -> None:
    lead = make_lead(db, cipher)
    someone_else = "https://www.linkedin.com/in/someone-else"
    db.add(IdentityMatch(lead_id=lead.id, profile_url=someone_else, score=0.2, decision="rejected", reasons=[],
                         status="rejected"))  # fmt: skip
    store_profile(db, None, ProfileRecord(profile_url=someone_else, source="sample", full_name="Someone Else"))
    apply_opt_out(db, lead, reason="asked", source="borrower", actor=ACTOR)
    assert _count(db, ProfileSnapshot.id, ProfileSnapshot.profile_url == someone_else) == 1


def test_a_queued_batch_skips_the_lead_and_its_data_is_gone(app_ctx: AppContext, signal_detector: SignalDetector
                                                            ) -> None:  # fmt: skip
    ids = seed_leads(app_ctx, 3)
    first = plan(app_ctx, now=T0, limit=None, batch_size=10)
    process_batch(app_ctx, sample_deps(signal_detector, 0), first[0], run_id=start_run(app_ctx, "sample", now=T0),
                  now=T0)  # fmt: skip
    later = T0 + dt.timedelta(days=8)
    [queued] = plan(app_ctx, now=later, limit=None, batch_size=10)
    assert ids[0] in {lead_id for lead_id, _ in queued}
    with session_scope(app_ctx.sessions) as session:
        lead = session.get(Lead, ids[0])
        assert lead is not None
        apply_opt_out(session, lead, reason="borrower request", source="borrower", actor=ACTOR)
    fetched_before = _fetches(app_ctx, ids[0])
    counts = process_batch(app_ctx, sample_deps(signal_detector, 1), queued,
                           run_id=start_run(app_ctx, "sample", now=later), now=later)  # fmt: skip
    assert counts["skipped_opted_out_or_closed"] == 1
    assert counts["profiles_fetched"] == 2
    assert _fetches(app_ctx, ids[0]) == fetched_before
    with app_ctx.sessions() as session:
        assert _count(session, ProfileSnapshot.id, ProfileSnapshot.lead_id == ids[0]) == 0
        assert _count(session, StoredPost.id, StoredPost.lead_id == ids[0]) == 0
        assert _count(session, ProfileSnapshot.id, ProfileSnapshot.lead_id == ids[1]) >= 1
    future = plan(app_ctx, now=later + dt.timedelta(days=30), limit=None, batch_size=10)
    assert ids[0] not in {lead_id for batch in future for lead_id, _ in batch}


def _fetches(ctx: AppContext, lead_id: int) -> int:
    with ctx.sessions() as session:
        return _count(session, ScrapeLogEntry.id, ScrapeLogEntry.lead_id == lead_id)


# -- API ------------------------------------------------------------------------------------------


def test_admin_sets_lists_and_clears_an_opt_out(client: TestClient, scene: Scene) -> None:
    lead_id = scene.lead.id  # type: ignore[attr-defined]
    url = f"/api/v1/leads/{lead_id}/do-not-scrape"
    admin, compliance = scene.headers["admin"], scene.headers["compliance"]
    put = client.put(url, json={"reason": "borrower asked by phone", "source": "borrower"}, headers=compliance)
    assert put.status_code == 200, put.text
    body = put.json()
    assert body["do_not_scrape"] is True
    assert body["source"] == "borrower"
    assert body["effect"]["alerts_blocked"] == 1
    listed = client.get("/api/v1/opt-outs", headers=admin).json()
    assert [i["lead_id"] for i in listed["items"]] == [lead_id]
    assert listed["items"][0]["reason"] == "borrower asked by phone"
    signal = client.get(f"/api/v1/signals/{scene.signal.id}", headers=admin).json()
    assert signal["alert_status"] == "blocked"
    cleared = client.request("DELETE", url, json={"reason": "wrong borrower"}, headers=admin)
    assert cleared.status_code == 200
    assert cleared.json()["changed"] is True
    assert cleared.json()["do_not_scrape"] is False
    again = client.request("DELETE", url, json={"reason": "wrong borrower"}, headers=admin)
    assert again.json()["changed"] is False
    assert client.get("/api/v1/opt-outs", headers=admin).json()["items"] == []


@pytest.mark.parametrize(
    ("method", "body", "status", "needle"),
    [
        ("PUT", {"reason": "", "source": "agency"}, 422, "reason"),
        ("PUT", {"reason": "x", "source": "nobody"}, 422, "source"),
        ("PUT", {"source": "agency"}, 422, "reason"),
        ("DELETE", {}, 422, "reason"),
        ("DELETE", {"reason": "   "}, 422, "reason"),
    ],
)
def test_bad_opt_out_requests_are_refused_clearly(
    client: TestClient, scene: Scene, method: str, body: dict[str, str], status: int, needle: str
) -> None:
    url = f"/api/v1/leads/{scene.lead.id}/do-not-scrape"  # type: ignore[attr-defined]
    response = client.request(method, url, json=body, headers=scene.headers["admin"])
    assert response.status_code == status
    assert needle in response.text


def test_unknown_lead_is_a_404(client: TestClient, scene: Scene) -> None:
    response = client.put("/api/v1/leads/999999/do-not-scrape", json={"reason": "x"}, headers=scene.headers["admin"])
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "lead 999999 not found"


@pytest.mark.postgres_only
def test_compliance_writes_pass_row_level_security_and_restore_the_callers_rights(
    db: Session, cipher: PiiCipher, settings: Settings
) -> None:
    """Under a non-owner role, compliance is read-only by policy; the opt-out and a dispute still apply."""
    scene = build_scene(db, cipher, settings)
    role = f"leadsignal_app_{uuid.uuid4().hex[:10]}"
    db.execute(text(f'CREATE ROLE "{role}" NOLOGIN'))
    db.execute(text(f'GRANT USAGE ON SCHEMA public TO "{role}"'))
    db.execute(text(f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}"'))
    db.execute(text(f'GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO "{role}"'))
    compliance = scene.users["compliance"]
    apply_rls_context(db, role="compliance", user_id=compliance.id, team_ids=[])
    db.execute(text(f'SET LOCAL ROLE "{role}"'))
    lead = db.get(Lead, scene.lead.id)  # type: ignore[attr-defined]
    signal = db.get(Signal, scene.other_signal.id)
    assert lead is not None
    assert signal is not None
    apply_opt_out(db, lead, reason="borrower letter", source="legal", actor=Actor(f"user:{compliance.id}"))
    other = db.get(Lead, signal.lead_id)
    assert other is not None
    create_dispute(db, signal, other, kind="not_true", notes=None, actor=Actor(f"user:{compliance.id}"))
    assert db.scalar(text("SELECT current_setting('leadsignal.role', true)")) == "compliance"
    assert db.execute(text("UPDATE leads SET city = 'x' WHERE id = :id"), {"id": lead.id}).rowcount == 0  # type: ignore[attr-defined]
    db.execute(text("RESET ROLE"))
    stored = db.execute(text("SELECT do_not_scrape FROM leads WHERE id = :id"), {"id": lead.id}).scalar_one()
    status = db.execute(text("SELECT status FROM signals WHERE id = :id"), {"id": signal.id}).scalar_one()
    assert (stored, status) == (True, "disputed")


def test_cli_sets_lists_and_clears(app_ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("leadsignal.compliance.optout_cli.app_context", lambda: app_ctx)
    with session_scope(app_ctx.sessions) as session:
        lead_id = make_lead(session, app_ctx.cipher).id
    runner = CliRunner()
    done = runner.invoke(cli, ["optout", "set", str(lead_id), "--reason", "letter from borrower", "--source", "legal"])
    assert done.exit_code == 0, done.output
    assert json.loads(done.output)["newly_opted_out"] is True
    listed = runner.invoke(cli, ["optout", "list"])
    assert json.loads(listed.output.splitlines()[0])["reason"] == "letter from borrower"
    assert runner.invoke(cli, ["optout", "set", "999999", "--reason", "x"]).exit_code == 2
    assert runner.invoke(cli, ["optout", "set", str(lead_id), "--reason", "x", "--source", "nobody"]).exit_code == 2
    cleared = runner.invoke(cli, ["optout", "clear", str(lead_id), "--reason", "wrong person"])
    assert cleared.exit_code == 0, cleared.output
    again = runner.invoke(cli, ["optout", "clear", str(lead_id), "--reason", "wrong person"])
    assert again.exit_code == 1
    assert "is not opted out" in again.output
