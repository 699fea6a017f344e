"""GET /api/v1/audit and /api/v1/audit/export.csv: filtered, paginated, and audited themselves."""

from __future__ import annotations

import csv
import datetime as dt
import io

from fastapi.testclient import TestClient
from sqlalchemy import select

from leadsignal.compliance.models import AuditEntry
from leadsignal.core.context import AppContext
from leadsignal.db import session_scope, utcnow
from tests.auth.factories import Scene
from tests.auth.fixtures import app_ctx, client, scene

__all__ = ["app_ctx", "client", "scene"]  # fixtures

T0 = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)


def _seed(ctx: AppContext) -> None:
    with session_scope(ctx.sessions) as session:
        for i in range(7):
            session.add(AuditEntry(occurred_at=T0 + dt.timedelta(hours=i), actor=f"user:{100 + i % 2}",
                                   action="lead.read" if i % 3 else "lead.reveal", entity_type="lead",
                                   entity_id=str(500 + i), fields=["tax_id"] if i % 3 == 0 else ["debtor_name"],
                                   details={"n": i}, origin="ip:192.0.2.9", request_id=f"seed-{i}"))  # fmt: skip
        session.add(AuditEntry(occurred_at=T0, actor="user:100", action="lead.read", entity_type="lead",
                               entity_id="=HYPERLINK(\"http://evil\")", fields=[], details={}))  # fmt: skip


def _audits(ctx: AppContext, action: str) -> list[AuditEntry]:
    with ctx.sessions() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def test_search_filters_paginates_and_is_audited(client: TestClient, scene: Scene, app_ctx: AppContext) -> None:
    _seed(app_ctx)
    headers = scene.headers["compliance"]
    params = {"actor": "user:100", "since": "2026-11-01T00:00:00Z", "until": "2026-11-02T00:00:00Z", "limit": 2}
    seen: list[dict[str, object]] = []
    cursor = None
    for _ in range(5):
        response = client.get("/api/v1/audit", params={**params, **({"cursor": cursor} if cursor else {})},
                              headers=headers)  # fmt: skip
        assert response.status_code == 200, response.text
        body = response.json()
        seen += body["items"]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    # newest first; at the same instant the later entry (higher id) first
    assert [i["entity_id"] for i in seen] == ["506", "504", "502", '=HYPERLINK("http://evil")', "500"]
    first = seen[0]
    assert first == {"id": first["id"], "occurred_at": "2026-11-01T18:00:00Z", "actor": "user:100",
                     "action": "lead.reveal", "entity_type": "lead", "entity_id": "506", "fields": ["tax_id"],
                     "details": {"n": 6}, "origin": "ip:192.0.2.9", "request_id": "seed-6"}  # fmt: skip

    reveals = client.get("/api/v1/audit", params={"action": "lead.rev*"}, headers=scene.headers["admin"]).json()
    assert {i["entity_id"] for i in reveals["items"]} == {"500", "503", "506"}
    one = client.get("/api/v1/audit", params={"entity_type": "lead", "entity_id": "503"}, headers=headers).json()
    assert [i["request_id"] for i in one["items"]] == ["seed-3"]

    searched = _audits(app_ctx, "audit.searched")
    assert len(searched) == 5  # three pages, then two more searches
    assert searched[0].actor == f"user:{scene.users['compliance'].id}"
    assert searched[0].details["filters"] == {"actor": "user:100", "since": "2026-11-01T00:00:00Z",
                                              "until": "2026-11-02T00:00:00Z"}  # fmt: skip
    assert searched[0].origin == "ip:testclient"
    assert searched[0].request_id


def test_bad_searches_get_specific_errors(client: TestClient, scene: Scene) -> None:
    headers = scene.headers["admin"]
    cases = {
        "since=2026-11-01T00:00:00": "naive_datetime",
        "since=2026-11-02T00:00:00Z&until=2026-11-01T00:00:00Z": "empty_range",
        "cursor=not-a-cursor": "invalid_cursor",
        "limit=0": "validation_error",
    }
    for query, code in cases.items():
        response = client.get(f"/api/v1/audit?{query}", headers=headers)
        assert response.status_code in (400, 422), (query, response.text)
        assert response.json()["error"]["code"] == code, query


def test_csv_export_is_complete_safe_and_audited(client: TestClient, scene: Scene, app_ctx: AppContext) -> None:
    _seed(app_ctx)
    response = client.get("/api/v1/audit/export.csv", params={"until": "2026-11-02T00:00:00Z"},
                          headers=scene.headers["compliance"])  # fmt: skip
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"].startswith('attachment; filename="audit-')
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 8
    assert [r["request_id"] for r in rows[:2]] in (["seed-0", ""], ["", "seed-0"])  # oldest first, same instant
    assert rows[-1]["entity_id"] == "506"
    assert rows[-1]["details"] == '{"n": 6}'
    evil = next(r for r in rows if "HYPERLINK" in r["entity_id"])
    assert evil["entity_id"].startswith("'=")  # a spreadsheet shows it, does not run it
    [exported] = _audits(app_ctx, "audit.exported")
    assert exported.details == {"filters": {"until": "2026-11-02T00:00:00Z"}, "rows": 8, "format": "csv"}
    assert exported.actor == f"user:{scene.users['compliance'].id}"
    assert utcnow() - exported.occurred_at < dt.timedelta(minutes=1)
