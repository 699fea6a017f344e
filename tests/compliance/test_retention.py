"""Retention on seeded data: archives written, verified and readable, rows purged, legal hold respected."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from leadsignal.alerts.email.models import EmailEvent, EmailLog
from leadsignal.compliance import audit, holds, retention
from leadsignal.compliance.disputes import SignalDispute
from leadsignal.compliance.models import AuditEntry
from leadsignal.compliance.retention_models import LegalHold, RetentionRun
from leadsignal.core.context import AppContext
from leadsignal.core.crypto import PiiCipher
from leadsignal.db import session_scope, utcnow
from leadsignal.signals.models import Signal, SignalEvidence
from leadsignal.sources.scrape_log import RateLimitIncident, ScrapeLogEntry
from leadsignal.sources.snapshots import ProfileSnapshot, StoredPost
from tests.auth.factories import Scene, build_scene, make_signal
from tests.factories import make_lead

OLD = dt.timedelta(days=1000)  # past every default retention period except the audit log's
ACTOR = audit.Actor("test")


@dataclass
class Seeded:
    held_lead: int
    free_lead: int
    old_ids: dict[str, set[int]]  # table -> ids of the free lead's expired rows
    kept_ids: dict[str, set[int]]  # table -> ids that must survive


def _snapshot(session: Session, lead_id: int, url: str, at: dt.datetime) -> int:
    digest = hashlib.sha256(f"{url}{at}".encode()).hexdigest()
    row = ProfileSnapshot(profile_url=url, lead_id=lead_id, content_hash=digest, data={"profile_url": url},
                          fetched_at=at, source="sample")  # fmt: skip
    session.add(row)
    session.flush()
    return row.id


def _post(session: Session, lead_id: int, at: dt.datetime) -> int:
    row = StoredPost(post_id=f"p-{lead_id}-{at.timestamp()}", profile_url=None, lead_id=lead_id, text="hello",
                     source="sample", first_seen_at=at)  # fmt: skip
    session.add(row)
    session.flush()
    return row.id


def _scrape(session: Session, lead_id: int | None, at: dt.datetime) -> int:
    row = ScrapeLogEntry(occurred_at=at, lead_id=lead_id, service="apify", source_url="https://x/***",
                         outcome="success", attempt=1, latency_ms=12, http_status=200)  # fmt: skip
    session.add(row)
    session.flush()
    return row.id


def _email(session: Session, signal_ids: list[int], at: dt.datetime) -> tuple[int, int]:
    row = EmailLog(created_at=at, provider="outbox", recipient="agent@agency.example", template="alert",
                   subject="New signal", signal_ids=signal_ids, idempotency_key=f"k-{signal_ids}-{at.timestamp()}",
                   status="sent", attempts=1)  # fmt: skip
    session.add(row)
    session.flush()
    event = EmailEvent(email_log_id=row.id, event="delivered", occurred_at=at, dedupe_key=f"d-{row.id}", raw={})
    session.add(event)
    session.flush()
    return row.id, event.id


def seed(ctx: AppContext, cipher: PiiCipher) -> Seeded:
    now = utcnow()
    old, recent = now - OLD, now - dt.timedelta(days=1)
    old_ids: dict[str, set[int]] = {}
    kept: dict[str, set[int]] = {}

    def add(target: dict[str, set[int]], table: str, *ids: int) -> None:
        target.setdefault(table, set()).update(ids)

    with session_scope(ctx.sessions) as session:
        held = make_lead(session, cipher).id
        free = make_lead(session, cipher).id
        holds.set_hold(session, held, "litigation 2026-114", actor=ACTOR)
        url = f"https://www.linkedin.com/in/free-{free}"
        add(old_ids, "profile_snapshots", _snapshot(session, free, url, old - dt.timedelta(days=1)))
        add(kept, "profile_snapshots", _snapshot(session, free, url, old))  # old but the latest: the diff baseline
        held_url = f"https://www.linkedin.com/in/held-{held}"
        add(kept, "profile_snapshots", _snapshot(session, held, held_url, old),
            _snapshot(session, held, held_url, old + dt.timedelta(days=1)))  # fmt: skip
        add(old_ids, "posts", _post(session, free, old), _post(session, free, old + dt.timedelta(seconds=1)),
            _post(session, free, old + dt.timedelta(seconds=2)))  # fmt: skip
        add(kept, "posts", _post(session, free, recent), _post(session, held, old))
        old_signal = make_signal(session, free, detected_at=old)
        held_signal = make_signal(session, held, detected_at=old)
        add(old_ids, "signals", old_signal.id)
        add(old_ids, "signal_evidence", *(e.id for e in old_signal.evidence))
        dispute = SignalDispute(signal_id=old_signal.id, lead_id=free, kind="not_me", created_by="test",
                                created_at=old, previous_status="new", previous_alert_status="alerted")  # fmt: skip
        session.add(dispute)
        session.flush()
        add(old_ids, "signal_disputes", dispute.id)
        add(kept, "signals", held_signal.id, make_signal(session, free, detected_at=recent).id)
        add(old_ids, "scrape_log", _scrape(session, free, old), _scrape(session, None, old))
        add(kept, "scrape_log", _scrape(session, held, old), _scrape(session, free, recent))
        incident = RateLimitIncident(service="apify", host="api.apify.com", kind="429", started_at=old, details={})
        session.add(incident)
        session.flush()
        add(old_ids, "rate_limit_incidents", incident.id)
        log_id, event_id = _email(session, [old_signal.id], old)
        add(old_ids, "email_log", log_id)
        add(old_ids, "email_events", event_id)
        add(kept, "email_log", _email(session, [held_signal.id], old)[0], _email(session, [old_signal.id], recent)[0])
        for i in range(3):
            session.add(AuditEntry(occurred_at=now - dt.timedelta(days=3000 + i), actor="test", action="lead.viewed",
                                   entity_type="lead", entity_id=str(free), fields=[], details={}))  # fmt: skip
    return Seeded(held, free, old_ids, kept)


def _present(session: Session, table: str, ids: set[int]) -> set[int]:
    t = retention.Base.metadata.tables[table]
    return set(session.scalars(select(t.c.id).where(t.c.id.in_(ids))))


def test_run_archives_verifies_purges_and_respects_the_legal_hold(ctx: AppContext, cipher: PiiCipher) -> None:
    seeded = seed(ctx, cipher)
    results = {r.data_class: r for r in retention.run_all(ctx, actor=ACTOR)}

    assert set(results) == set(retention.DATA_CLASSES)
    assert all(r.status == "succeeded" and r.verified for r in results.values()), results
    archived: dict[str, set[int]] = {}
    for r in results.values():
        assert r.archive_path is not None, r
        path = Path(r.archive_path)
        manifest = json.loads(path.with_name(path.name.replace(".jsonl.gz", ".manifest.json")).read_text())
        assert manifest["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert path.parent == ctx.settings.data_dir / "archive" / r.data_class
        for table, row in retention.read_archive(path):
            archived.setdefault(table, set()).add(row["id"])
        assert sum(manifest["rows"].values()) == sum(1 for _ in retention.read_archive(path))
    with session_scope(ctx.sessions) as session:
        for table, ids in seeded.old_ids.items():
            assert ids <= archived[table], table
            assert _present(session, table, ids) == set(), f"{table} expired rows not purged"
        for table, ids in seeded.kept_ids.items():
            assert _present(session, table, ids) == ids, f"{table} rows that must stay were deleted"
            assert not ids & archived.get(table, set()), table
        assert session.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.occurred_at < utcnow() - dt.timedelta(days=2555))) == 0  # fmt: skip
        runs = session.scalars(select(RetentionRun)).all()
        assert {r.data_class for r in runs if r.status == "succeeded" and not r.dry_run} == set(retention.DATA_CLASSES)
        assert (
            session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "retention.run"))
            == 6
        )
    assert results["signals"].held == 1
    assert results["posts"].archived == 3
    assert results["posts"].purged == 3
    assert results["audit"].archived == 3
    assert results["audit"].purged == 3
    assert archived["signal_evidence"] >= seeded.old_ids["signal_evidence"]


def test_dry_run_counts_and_writes_nothing(ctx: AppContext, cipher: PiiCipher) -> None:
    seeded = seed(ctx, cipher)
    results = {r.data_class: r for r in retention.run_all(ctx, dry_run=True, actor=ACTOR)}
    assert results["posts"].archived == 3
    assert results["posts"].purged == 0
    assert results["posts"].held == 1
    assert results["posts"].details["would_archive"] == {"posts": 3}
    assert all(r.archive_path is None for r in results.values())
    assert not (ctx.settings.data_dir / "archive").exists()
    with session_scope(ctx.sessions) as session:
        for table, ids in seeded.old_ids.items():
            assert _present(session, table, ids) == ids


def test_a_corrupt_archive_deletes_nothing(ctx: AppContext, cipher: PiiCipher, monkeypatch: pytest.MonkeyPatch) -> None:
    seeded = seed(ctx, cipher)
    real_verify = retention.verify_archive

    def corrupt_then_verify(path: Path, manifest: Path, **kw: Any) -> dict[str, int]:
        with gzip.open(path, "ab") as handle:  # one extra line after the manifest was written
            handle.write(b'{"table":"posts","row":{"id":1}}\n')
        return real_verify(path, manifest, **kw)

    monkeypatch.setattr(retention, "verify_archive", corrupt_then_verify)
    result = retention.run_class(ctx, "posts", actor=ACTOR)
    assert result is not None
    assert result.status == "failed"
    assert not result.verified
    assert result.purged == 0
    assert "sha256" in (result.error or "")
    with session_scope(ctx.sessions) as session:
        assert _present(session, "posts", seeded.old_ids["posts"]) == seeded.old_ids["posts"]


def test_a_crash_between_archive_and_purge_loses_nothing(
    ctx: AppContext, cipher: PiiCipher, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeded = seed(ctx, cipher)
    real_purge = retention._purge
    monkeypatch.setattr(retention, "_purge", lambda *a, **k: (_ for _ in ()).throw(OSError("killed")))
    first = retention.run_class(ctx, "posts", actor=ACTOR)
    assert first is not None
    assert first.status == "failed"
    with session_scope(ctx.sessions) as session:  # archived and still present
        assert _present(session, "posts", seeded.old_ids["posts"]) == seeded.old_ids["posts"]
    monkeypatch.setattr(retention, "_purge", real_purge)
    second = retention.run_class(ctx, "posts", actor=ACTOR)
    assert second is not None
    assert second.status == "succeeded"
    assert second.purged == 3
    assert second.archive_path is not None
    assert {row["id"] for _, row in retention.read_archive(Path(second.archive_path))} == seeded.old_ids["posts"]


def test_a_hold_set_after_archiving_still_keeps_the_rows(
    ctx: AppContext, cipher: PiiCipher, monkeypatch: pytest.MonkeyPatch
) -> None:
    seeded = seed(ctx, cipher)
    real_verify = retention.verify_archive

    def hold_during(path: Path, manifest: Path, **kw: Any) -> dict[str, int]:
        with session_scope(ctx.sessions) as session:
            holds.set_hold(session, seeded.free_lead, "subpoena arrived mid-run", actor=ACTOR)
        return real_verify(path, manifest, **kw)

    monkeypatch.setattr(retention, "verify_archive", hold_during)
    result = retention.run_class(ctx, "posts", actor=ACTOR)
    assert result is not None
    assert result.status == "succeeded"
    assert result.archived == 3
    assert result.purged == 0
    with session_scope(ctx.sessions) as session:
        assert _present(session, "posts", seeded.old_ids["posts"]) == seeded.old_ids["posts"]


def test_zero_days_keeps_a_class_forever(ctx: AppContext, cipher: PiiCipher) -> None:
    seed(ctx, cipher)
    ctx.settings = ctx.settings.model_copy(update={"retention_posts_days": 0})
    assert retention.run_class(ctx, "posts", actor=ACTOR) is None
    assert [r.data_class for r in retention.run_all(ctx, classes=("posts", "signals"), actor=ACTOR)] == ["signals"]


def test_signal_evidence_and_encrypted_values_are_archived_as_stored(ctx: AppContext, cipher: PiiCipher) -> None:
    seeded = seed(ctx, cipher)
    with session_scope(ctx.sessions) as session:
        evidence = session.scalars(
            select(SignalEvidence).where(SignalEvidence.id.in_(seeded.old_ids["signal_evidence"]))
        ).all()
        snippets = {e.id: e.snippet for e in evidence}
        signal = session.get(Signal, next(iter(seeded.old_ids["signals"])))
        assert signal is not None
        detected = signal.detected_at
    result = retention.run_class(ctx, "signals", actor=ACTOR)
    assert result is not None
    assert result.archive_path is not None
    rows = list(retention.read_archive(Path(result.archive_path)))
    archived_evidence = {r["id"]: r["snippet"] for t, r in rows if t == "signal_evidence"}
    assert archived_evidence == snippets
    (signal_row,) = [r for t, r in rows if t == "signals"]
    assert dt.datetime.fromisoformat(signal_row["detected_at"]) == detected


# -- legal hold API ----------------------------------------------------------------------------------


@pytest.fixture
def api(ctx: AppContext, cipher: PiiCipher) -> Iterator[tuple[TestClient, Scene]]:
    from leadsignal.app import create_app

    with session_scope(ctx.sessions) as session:
        scene = build_scene(session, cipher, ctx.settings)
    with TestClient(create_app(ctx)) as client:
        yield client, scene


def test_legal_hold_api_sets_releases_and_audits(api: tuple[TestClient, Scene], ctx: AppContext) -> None:
    client, scene = api
    lead_id = scene.lead.id  # type: ignore[attr-defined]
    url = f"/api/v1/leads/{lead_id}/legal-hold"
    officer = scene.headers["compliance"]
    assert client.post(url, json={"reason": "x"}, headers=scene.headers["agent"]).status_code == 403
    assert client.post(url, json={"reason": "   "}, headers=officer).status_code == 422
    assert client.post("/api/v1/leads/999999/legal-hold", json={"reason": "x"}, headers=officer).status_code == 404
    created = client.post(url, json={"reason": "litigation 2026-114"}, headers=officer)
    assert created.status_code == 200, created.text
    body = created.json()
    assert body["lead_id"] == lead_id
    assert body["active"] is True
    assert body["set_by"].startswith("user:")
    again = client.post(url, json={"reason": "litigation 2026-114, amended"}, headers=scene.headers["admin"]).json()
    assert again["id"] == body["id"]
    assert again["reason"] == "litigation 2026-114, amended"
    listed = client.get("/api/v1/compliance/legal-holds", headers=officer).json()
    assert [h["lead_id"] for h in listed] == [lead_id]
    released = client.request("DELETE", url, json={"reason": "matter closed"}, headers=officer)
    assert released.status_code == 200
    assert released.json()["active"] is False
    assert released.json()["release_reason"] == "matter closed"
    assert client.request("DELETE", url, json={"reason": "again"}, headers=officer).status_code == 404
    assert client.get("/api/v1/compliance/legal-holds", headers=officer).json() == []
    assert len(client.get("/api/v1/compliance/legal-holds?active=false", headers=officer).json()) == 1
    with session_scope(ctx.sessions) as session:
        about_lead = (AuditEntry.entity_type == "lead", AuditEntry.entity_id == str(lead_id))
        actions = session.scalars(select(AuditEntry.action).where(*about_lead)).all()
        assert actions.count("legal_hold.set") == 2
        assert actions.count("legal_hold.released") == 1
        assert session.scalar(select(func.count()).select_from(LegalHold)) == 1


def test_retention_runs_api_lists_runs(api: tuple[TestClient, Scene], ctx: AppContext) -> None:
    client, scene = api
    retention.run_all(ctx, classes=("posts",), dry_run=True, actor=ACTOR)
    runs = client.get("/api/v1/compliance/retention-runs?data_class=posts", headers=scene.headers["admin"])
    assert runs.status_code == 200
    (run,) = runs.json()
    assert run["data_class"] == "posts"
    assert run["dry_run"] is True
    assert run["status"] == "succeeded"
    assert client.get("/api/v1/compliance/retention-runs", headers=scene.headers["manager"]).status_code == 403
