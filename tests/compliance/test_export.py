"""Consumer data export: everything held about a lead, as JSON and HTML, audited."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from leadsignal.cli import app as cli
from leadsignal.compliance.models import AuditEntry
from leadsignal.core import cli_support
from leadsignal.core.context import AppContext
from leadsignal.crm.models import Outcome
from leadsignal.db import session_scope, utcnow
from leadsignal.sources.records import PostRecord, ProfileRecord
from leadsignal.sources.snapshots import store_posts, store_profile
from tests.auth.factories import Scene
from tests.auth.fixtures import app_ctx, client, scene

__all__ = ["app_ctx", "client", "scene"]
URL = "https://www.linkedin.com/in/jane-doe-export"


@pytest.fixture
def held(app_ctx: AppContext, scene: Scene) -> int:
    """The scene's lead with a snapshot, a post, an outcome and an email besides its signal."""
    lead_id: int = scene.lead.id  # type: ignore[attr-defined]
    with session_scope(app_ctx.sessions) as session:
        store_profile(session, lead_id, ProfileRecord(profile_url=URL, source="sample", full_name="Jane Doe",
                                                      headline="Nurse <b>RN</b>"))  # fmt: skip
        store_posts(session, lead_id, [PostRecord(post_id="x-1", author_profile_url=URL, text="Passed my boards!",
                                                  source="sample")])  # fmt: skip
        session.add(Outcome(external_id="o-1", lead_id=lead_id, signal_id=scene.signal.id, outcome="contacted",
                            occurred_at=utcnow(), agent_external_id="a-1", source="crm"))  # fmt: skip
    return lead_id


def test_json_export_holds_every_kind_of_data_and_is_audited(client: TestClient, scene: Scene, held: int,
                                                             app_ctx: AppContext) -> None:  # fmt: skip
    response = client.get(f"/api/v1/leads/{held}/data-export?format=json", headers=scene.headers["compliance"])
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert f'filename="lead-{held}-data.json"' in response.headers["content-disposition"]
    data = response.json()
    assert data["lead"]["tax_id"] == "123456789"  # decrypted for the person it is about
    assert data["lead"]["dob"]
    assert not any(key.endswith(("_hash", "_enc")) for key in data["lead"])
    assert data["profile_snapshots"][0]["data"]["headline"] == "Nurse <b>RN</b>"
    assert data["posts"][0]["text"] == "Passed my boards!"
    assert data["signals"][0]["evidence"][0]["snippet"]
    assert data["outcomes"][0]["outcome"] == "contacted"
    assert {"identity_matches", "disputes", "contact_flags", "emails", "scrape_log", "audit_log"} <= data.keys()
    with app_ctx.sessions() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "lead.exported")).one()
    assert entry.entity_id == str(held)
    assert entry.details["format"] == "json"
    assert entry.details["counts"]["posts"] == 1
    assert "tax_id" in entry.fields


def test_html_export_is_readable_self_contained_and_escaped(client: TestClient, scene: Scene, held: int) -> None:
    response = client.get(f"/api/v1/leads/{held}/data-export?format=html", headers=scene.headers["admin"])
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert "<h1>Data held about you</h1>" in html
    assert "Passed my boards!" in html
    assert "Nurse &lt;b&gt;RN&lt;/b&gt;" in html
    assert "<script" not in html
    assert "http://" not in html.split("</style>")[0]


@pytest.mark.parametrize("persona", ["agent", "manager", "client"])
def test_only_compliance_and_admin_may_export(client: TestClient, scene: Scene, held: int, persona: str) -> None:
    response = client.get(f"/api/v1/leads/{held}/data-export", headers=scene.headers[persona])
    assert response.status_code == 403


def test_bad_format_and_unknown_lead_are_refused(client: TestClient, scene: Scene) -> None:
    admin = scene.headers["admin"]
    assert client.get(f"/api/v1/leads/{scene.lead.id}/data-export?format=pdf", headers=admin).status_code == 422  # type: ignore[attr-defined]
    missing = client.get("/api/v1/leads/999999/data-export", headers=admin)
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "not_found")


def test_cli_writes_the_export_to_a_file(app_ctx: AppContext, held: int, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:  # fmt: skip
    monkeypatch.setattr(cli_support, "app_context", lambda: app_ctx)
    monkeypatch.setattr("leadsignal.compliance.optout_cli.app_context", lambda: app_ctx)
    out = tmp_path / "export.json"
    result = CliRunner().invoke(cli, ["leads", "export-data", str(held), "--format", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text())["lead"]["agency_id_number"]
    bad = CliRunner().invoke(cli, ["leads", "export-data", str(held), "--format", "pdf", "-o", str(out)])
    assert bad.exit_code == 2
    assert "--format must be one of json, html" in bad.output
