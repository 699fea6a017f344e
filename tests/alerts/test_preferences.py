"""Digest preferences: defaults, validation, the API with its permissions, and the CLI."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy import func, select
from typer.testing import CliRunner

from leadsignal.alerts.models import DigestPreference
from leadsignal.alerts.preferences import DigestPrefsUpdate, get_preferences, update_preferences
from leadsignal.auth.models import User
from leadsignal.cli import app
from leadsignal.compliance.audit import SYSTEM
from leadsignal.compliance.models import AuditEntry
from leadsignal.core.cli_support import app_context
from leadsignal.core.context import AppContext
from leadsignal.db import session_scope
from leadsignal.signals.models import POSITIVE_TYPES
from tests.auth import fixtures as auth_fixtures
from tests.auth.factories import bearer, make_team, make_user

# The rolled-back context (requests and jobs share one transaction), shadowing the committing one.
app_ctx = auth_fixtures.app_ctx
client = auth_fixtures.client

runner = CliRunner()


def test_defaults_for_a_user_without_a_row(app_ctx: AppContext) -> None:
    with session_scope(app_ctx.sessions) as s:
        user = make_user(s, "agent")
        prefs = get_preferences(s, user.id)
    assert (prefs.enabled, prefs.signal_types, prefs.all_types) == (True, POSITIVE_TYPES, True)
    assert (prefs.min_priority, prefs.local_hour, prefs.timezone, prefs.last_sent_on) == (
        "low", 7, "America/New_York", None
    )  # fmt: skip


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"timezone": "Mars/Olympus"}, "unknown time zone 'Mars/Olympus'"),
        ({"timezone": "EST5EDT/../x"}, "unknown time zone"),
        ({"local_hour": 24}, "less than or equal to 23"),
        ({"local_hour": -1}, "greater than or equal to 0"),
        ({"signal_types": ["new_job", "lottery_win"]}, "unknown signal type(s) lottery_win"),
        ({"signal_types": ["job_loss"]}, "hardship signals, which are never collection alerts"),
        ({"signal_types": []}, "choose at least one signal type"),
        ({"min_priority": "urgent"}, "'low', 'medium' or 'high'"),
        ({"colour": "blue"}, "Extra inputs are not permitted"),
    ],
)
def test_validation_names_the_problem(values: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        DigestPrefsUpdate.model_validate(values)


def test_update_changes_only_given_fields_and_is_audited(app_ctx: AppContext) -> None:
    with session_scope(app_ctx.sessions) as s:
        user = make_user(s, "agent")
        prefs = update_preferences(s, user, DigestPrefsUpdate(signal_types=["promotion", "new_job"], local_hour=6),
                                   actor=SYSTEM)  # fmt: skip
        assert prefs.signal_types == ("new_job", "promotion")
        assert not prefs.all_types
        assert (prefs.local_hour, prefs.timezone, prefs.min_priority) == (6, "America/New_York", "low")
        again = update_preferences(s, user, DigestPrefsUpdate(signal_types=None, enabled=False), actor=SYSTEM)
        assert again.all_types
        assert not again.enabled
        assert again.local_hour == 6
        with pytest.raises(ValueError, match="local_hour cannot be null"):
            update_preferences(s, user, DigestPrefsUpdate(local_hour=None), actor=SYSTEM)
        entries = s.scalars(select(AuditEntry).where(AuditEntry.action == "digest_preferences.updated")
                            .order_by(AuditEntry.id)).all()  # fmt: skip
        assert [e.entity_id for e in entries] == [str(user.id), str(user.id)]
        assert entries[0].details["changes"]["local_hour"] == [7, 6]
        assert entries[1].details["changes"]["enabled"] == [True, False]


def test_api_own_and_managed_users(app_ctx: AppContext, client: TestClient) -> None:
    with session_scope(app_ctx.sessions) as s:
        manager = make_user(s, "manager")
        team = make_team(s, manager=manager)
        member = make_user(s, "agent", teams=(team,))
        outsider = make_user(s, "agent")
        admin = make_user(s, "admin")
        compliance = make_user(s, "compliance")
    settings = app_ctx.settings
    as_member, as_manager, as_admin = (bearer(settings, u) for u in (member, manager, admin))

    got = client.get("/api/v1/me/digest", headers=as_member)
    assert got.status_code == 200
    assert got.json()["timezone"] == "America/New_York"
    put = client.put("/api/v1/me/digest", headers=as_member, json={"timezone": "America/Chicago", "local_hour": 9})
    assert put.status_code == 200, put.text
    assert (put.json()["timezone"], put.json()["local_hour"], put.json()["min_priority"]) == (
        "America/Chicago",
        9,
        "low",
    )
    assert client.get("/api/v1/me/digest", headers=as_member).json()["local_hour"] == 9
    bad = client.put("/api/v1/me/digest", headers=as_member, json={"timezone": "Nowhere/Land"})
    assert bad.status_code == 422
    assert "unknown time zone" in bad.text
    nulled = client.put("/api/v1/me/digest", headers=as_member, json={"min_priority": None})
    assert nulled.status_code == 422
    assert "min_priority cannot be null" in nulled.text

    managed = client.put(f"/api/v1/users/{member.id}/digest", headers=as_manager, json={"min_priority": "high"})
    assert managed.status_code == 200
    assert managed.json()["min_priority"] == "high"
    foreign = client.put(f"/api/v1/users/{outsider.id}/digest", headers=as_manager, json={"min_priority": "high"})
    assert foreign.status_code == 403
    assert client.put(f"/api/v1/users/{outsider.id}/digest", headers=as_admin, json={"enabled": False}).json()[
        "enabled"
    ] is False  # fmt: skip
    assert client.put("/api/v1/users/999999/digest", headers=as_admin, json={"enabled": False}).status_code == 404
    assert client.put(f"/api/v1/users/{manager.id}/digest", headers=bearer(settings, member),
                      json={"enabled": False}).status_code == 403  # fmt: skip
    assert client.get("/api/v1/me/digest", headers=bearer(settings, compliance)).status_code == 200
    assert client.put("/api/v1/me/digest", headers=bearer(settings, compliance), json={}).status_code == 403
    # Reading someone's preferences: same rules as changing them, and nothing is stored.
    assert client.get(f"/api/v1/users/{member.id}/digest", headers=as_manager).json()["min_priority"] == "high"
    assert client.get(f"/api/v1/users/{outsider.id}/digest", headers=as_manager).status_code == 403
    assert client.get("/api/v1/users/999999/digest", headers=as_admin).status_code == 404
    fresh = client.get(f"/api/v1/users/{compliance.id}/digest", headers=as_admin)
    assert fresh.status_code == 200
    assert client.get(f"/api/v1/users/{compliance.id}/digest", headers=as_admin).json() == fresh.json()
    with session_scope(app_ctx.sessions) as s:
        assert s.get(DigestPreference, compliance.id) is None


def test_cli_prefs_send_and_escalate(cli_env: Path) -> None:
    with session_scope(app_context().sessions) as s:
        make_user(s, "agent", email="cli.agent@agency.example")
    shown = runner.invoke(app, ["digest", "prefs", "--user", "cli.agent@agency.example"])
    assert shown.exit_code == 0, shown.output
    assert '"timezone": "America/New_York"' in shown.output
    with session_scope(app_context().sessions) as s:
        assert s.scalar(select(func.count()).select_from(DigestPreference)) == 0  # showing writes nothing
    changed = runner.invoke(app, ["digest", "prefs", "--user", "CLI.Agent@agency.example", "--types",
                                  "new_job,license", "--min-priority", "medium", "--hour", "6", "--tz",
                                  "Europe/Paris", "--disable"])  # fmt: skip
    assert changed.exit_code == 0, changed.output
    with session_scope(app_context().sessions) as s:
        user = s.scalar(select(User).where(User.email == "cli.agent@agency.example"))
        assert user is not None
        prefs = get_preferences(s, user.id)
    assert (prefs.signal_types, prefs.min_priority, prefs.local_hour, prefs.timezone, prefs.enabled) == (
        ("new_job", "license"), "medium", 6, "Europe/Paris", False
    )  # fmt: skip
    bad = runner.invoke(app, ["digest", "prefs", "--user", "cli.agent@agency.example", "--tz", "Nowhere/Land"])
    assert bad.exit_code == 2
    assert "unknown time zone 'Nowhere/Land'" in bad.output
    missing = runner.invoke(app, ["digest", "prefs", "--user", "ghost@agency.example"])
    assert missing.exit_code == 1
    assert "no user with email" in missing.output

    dry = runner.invoke(app, ["digest", "send", "--dry-run", "--user", "cli.agent@agency.example"])
    assert dry.exit_code == 0, dry.output
    assert "disabled" in dry.output
    assert "dry run: disabled=1" in dry.output
    assert runner.invoke(app, ["digest", "send", "--user", "ghost@agency.example"]).exit_code == 1
    escalate = runner.invoke(app, ["alerts", "escalate", "--dry-run"])
    assert escalate.exit_code == 0
    assert "dry run: nothing due" in escalate.output
