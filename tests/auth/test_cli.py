"""`leadsignal users|teams|crm clients` against a fresh SQLite database of their own."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from leadsignal.auth import service
from leadsignal.auth.tokens import digest
from leadsignal.cli import app
from leadsignal.core.cli_support import app_context
from leadsignal.db import session_scope

runner = CliRunner()


def test_users_and_teams(cli_env: Path) -> None:
    manager = runner.invoke(app, ["users", "create", "--email", "Boss@Agency.example", "--role", "manager",
                                  "--password-stdin"], input="a-long-password-1\n")  # fmt: skip
    assert manager.exit_code == 0, manager.output
    team = runner.invoke(app, ["teams", "create", "Recovery East", "--manager", "boss@agency.example"])
    assert team.exit_code == 0, team.output
    agent = runner.invoke(app, ["users", "create", "--email", "a@agency.example", "--role", "agent", "--team",
                                "Recovery East", "--password-stdin"], input="another-long-pass\n")  # fmt: skip
    assert agent.exit_code == 0, agent.output
    with session_scope(app_context().sessions) as session:
        user = service.get_user_by_email(session, "A@agency.example")
        assert user is not None
        assert user.role == "agent"
        assert service.team_ids_of(session, user.id)[0] == [service.get_team_by_name(session, "Recovery East").id]  # type: ignore[union-attr]
    bad_role = runner.invoke(app, ["users", "create", "--email", "x@agency.example", "--role", "root",
                                   "--password-stdin"], input="a-long-password-1\n")  # fmt: skip
    assert bad_role.exit_code == 2
    assert "role must be one of" in bad_role.output
    short = runner.invoke(app, ["users", "create", "--email", "y@agency.example", "--role", "agent",
                                "--password-stdin"], input="short\n")  # fmt: skip
    assert short.exit_code == 2
    assert "at least 12 characters" in short.output
    dup = runner.invoke(app, ["users", "create", "--email", "BOSS@agency.example", "--role", "agent",
                              "--password-stdin"], input="a-long-password-1\n")  # fmt: skip
    assert dup.exit_code == 2
    assert "already exists" in dup.output
    missing_team = runner.invoke(app, ["users", "create", "--email", "z@agency.example", "--role", "agent",
                                       "--team", "Nope", "--password-stdin"], input="a-long-password-1\n")  # fmt: skip
    assert missing_team.exit_code == 2
    assert "no team named" in missing_team.output


def test_crm_clients_create_list_revoke(cli_env: Path) -> None:
    created = runner.invoke(
        app, ["crm", "clients", "create", "--name", "Acme CRM", "--scopes", "leads:read,signals:read"]
    )
    assert created.exit_code == 0, created.output
    lines = dict(line.split(":", 1) for line in created.output.splitlines() if line.startswith("client_"))
    client_id, secret = lines["client_id"].strip(), lines["client_secret"].strip()
    with session_scope(app_context().sessions) as session:
        stored = service.list_clients(session)[0]
        assert stored.secret_hash == digest(secret)
        assert secret not in stored.secret_hash
    listed = runner.invoke(app, ["crm", "clients", "list"])
    assert client_id in listed.output
    assert secret not in listed.output
    assert "active" in listed.output
    assert runner.invoke(app, ["crm", "clients", "revoke", client_id]).exit_code == 0
    assert "revoked" in runner.invoke(app, ["crm", "clients", "list"]).output
    bad = runner.invoke(app, ["crm", "clients", "create", "--name", "X", "--scopes", "leads:delete"])
    assert bad.exit_code == 2
    assert "unknown scope" in bad.output
    assert runner.invoke(app, ["crm", "clients", "revoke", "lsc_nope"]).exit_code == 2
