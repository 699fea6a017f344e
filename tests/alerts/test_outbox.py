"""The embedded outbox provider: stored whole, idempotent, readable in the CLI and (admins only) the API."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from leadsignal import cli
from leadsignal.alerts.email.models import OutboxMessage
from leadsignal.alerts.email.outbox import OutboxSender
from leadsignal.alerts.email.providers import build_email_sender
from leadsignal.alerts.email.service import send_and_log
from leadsignal.app import create_app
from leadsignal.auth.service import ROLE_SCOPES, create_user
from leadsignal.auth.tokens import issue_access_token
from leadsignal.compliance.audit import SYSTEM
from leadsignal.core.context import AppContext
from leadsignal.core.deps import get_session
from leadsignal.db import session_scope, utcnow
from leadsignal.settings import Settings
from tests.alerts.factories import make_email


def test_outbox_stores_the_whole_message_once_per_key(db: Session, settings: Settings) -> None:
    sender = build_email_sender(settings, db)
    assert isinstance(sender, OutboxSender)
    message = make_email(tags=("digest", "collector:7"), metadata={"collector_id": 7, "signals": 2})

    first = sender.send(message)
    second = sender.send(message)

    assert first == second
    assert first.provider == "outbox"
    assert first.message_id.startswith("<outbox.")
    assert first.message_id.endswith("@agency.example>")
    row = db.scalar(select(OutboxMessage).where(OutboxMessage.message_id == first.message_id))
    assert row is not None
    assert (row.recipient, row.recipient_name, row.subject) == (
        "dana.ortiz@agency.example",
        "Dana Ortiz",
        message.subject,
    )
    assert (row.html, row.text, row.template) == (message.html, message.text, "digest")
    assert row.tags == ["digest", "collector:7"]
    assert row.headers == {"Idempotency-Key": message.idempotency_key}
    assert row.meta == {"collector_id": 7, "signals": 2}
    assert db.scalar(select(func.count()).select_from(OutboxMessage)) == 1


def _store_three(session: Session, sender_email: str) -> list[int]:
    sender = OutboxSender(session, sender_email=sender_email)
    for n in range(3):
        html = f"<p>Digest number {n} for <b>Dana</b></p>"
        send_and_log(session, sender, make_email(subject=f"Digest {n}", html=html, text=f"Digest number {n}"))
    return list(session.scalars(select(OutboxMessage.id).order_by(OutboxMessage.id)))


@pytest.fixture
def stored(db: Session, settings: Settings) -> list[int]:
    return _store_three(db, settings.email_from)


def _token(db: Session, settings: Settings, role: str) -> dict[str, str]:
    password = "correct horse battery staple 9"
    user = create_user(db, settings, email=f"{role}@agency.example", password=password, role=role, actor=SYSTEM)
    token, _ = issue_access_token(settings, kind="user", subject=str(user.id), role=role,
                                  scopes=list(ROLE_SCOPES[role]), now=utcnow())  # fmt: skip
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def client(db: Session, settings: Settings, engine: Engine) -> Iterator[TestClient]:
    """The real app; its request session is the test's rolled-back one, so nothing needs wiping."""
    app = create_app(AppContext(settings, _engine=engine))
    app.dependency_overrides[get_session] = lambda: db
    with TestClient(app) as test_client:
        yield test_client


def test_api_lists_and_shows_for_compliance(
    client: TestClient, db: Session, settings: Settings, stored: list[int]
) -> None:
    headers = _token(db, settings, "compliance")
    page = client.get("/api/v1/emails", params={"limit": 2}, headers=headers)
    assert page.status_code == 200, page.text
    body = page.json()
    assert (body["total"], body["limit"], body["offset"]) == (3, 2, 0)
    assert [item["subject"] for item in body["items"]] == ["Digest 2", "Digest 1"]

    shown = client.get(f"/api/v1/emails/{stored[0]}", headers=headers)
    assert shown.status_code == 200
    assert shown.headers["content-type"].startswith("text/html")
    assert shown.text == "<p>Digest number 0 for <b>Dana</b></p>"
    assert "default-src 'none'" in shown.headers["content-security-policy"]
    assert shown.headers["cache-control"] == "no-store"

    missing = client.get("/api/v1/emails/999999", headers=headers)
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"


def test_api_refuses_other_roles_and_anonymous(
    client: TestClient, db: Session, settings: Settings, stored: list[int]
) -> None:
    assert client.get("/api/v1/emails").status_code == 401
    agent = _token(db, settings, "agent")
    refused = client.get(f"/api/v1/emails/{stored[0]}", headers=agent)
    assert refused.status_code == 403
    assert client.get("/api/v1/emails", headers=_token(db, settings, "admin")).status_code == 200


def test_cli_list_and_show(app_ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    with session_scope(app_ctx.sessions) as session:
        stored = _store_three(session, app_ctx.settings.email_from)
    monkeypatch.setattr("leadsignal.alerts.email.cli.app_context", lambda: app_ctx)
    runner = CliRunner()

    listed = runner.invoke(cli.app, ["emails", "list"])
    assert listed.exit_code == 0, listed.output
    lines = [line for line in listed.stdout.splitlines() if line.strip()]
    assert [line.split()[0] for line in lines] == [str(i) for i in reversed(stored)]
    assert "Digest 2" in lines[0]

    shown = runner.invoke(cli.app, ["emails", "show", str(stored[1])])
    assert shown.exit_code == 0, shown.output
    assert "Subject: Digest 1" in shown.stdout
    assert "To: Dana Ortiz <dana.ortiz@agency.example>" in shown.stdout
    assert shown.stdout.rstrip().endswith("Digest number 1")

    html = runner.invoke(cli.app, ["emails", "show", str(stored[1]), "--html"])
    assert html.stdout.strip() == "<p>Digest number 1 for <b>Dana</b></p>"

    missing = runner.invoke(cli.app, ["emails", "show", "999999"])
    assert missing.exit_code == 1
    assert "no email 999999 in the outbox" in missing.output
