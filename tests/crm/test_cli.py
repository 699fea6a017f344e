"""``leadsignal crm webhooks|deadletters|reconcile`` end to end against the test database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from leadsignal import cli
from leadsignal.compliance.audit import Actor
from leadsignal.core.cli_support import app_context
from leadsignal.core.context import AppContext
from leadsignal.crm.dispatcher import dispatch_once
from leadsignal.crm.inbox import receive_and_process
from leadsignal.crm.schemas import InboundEvent
from leadsignal.db import session_scope
from tests.conftest import TEST_INDEX_KEY, TEST_KEYS
from tests.crm import factories as f
from tests.crm.fake_crm import FakeCrm
from tests.fakes.base import Reply

runner = CliRunner()


@pytest.fixture
def cli_ctx(committed_ctx: AppContext, monkeypatch: pytest.MonkeyPatch, fake_crm: FakeCrm) -> Iterator[AppContext]:
    """The CLI builds its own context from the environment, pointed at the test database."""
    env = {
        "LEADSIGNAL_ENV": "test",
        "LEADSIGNAL_DATABASE_URL": committed_ctx.settings.sqlalchemy_url,
        "LEADSIGNAL_DATA_DIR": str(committed_ctx.settings.data_dir),
        "LEADSIGNAL_ENCRYPTION_KEYS": TEST_KEYS,
        "LEADSIGNAL_BLIND_INDEX_KEY": TEST_INDEX_KEY,
        "LEADSIGNAL_CRM_BASE_URL": fake_crm.url,
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    app_context.cache_clear()
    try:
        yield committed_ctx
    finally:
        app_context().dispose()
        app_context.cache_clear()


def test_webhooks_add_list_remove(cli_ctx: AppContext, fake_crm: FakeCrm) -> None:
    added = runner.invoke(cli.app, ["crm", "webhooks", "add", fake_crm.hook_url, "--events",
                                    "signal.created.v1,signal.updated.v1", "--name", "acme"])  # fmt: skip
    assert added.exit_code == 0, added.output
    assert added.output.startswith("webhook endpoint ")
    secret = added.output.split("signing secret: ")[1].strip()
    assert len(secret) >= 32
    listed = runner.invoke(cli.app, ["crm", "webhooks", "list"])
    assert "active\tacme" in listed.output
    assert "signal.created.v1,signal.updated.v1" in listed.output
    endpoint_id = listed.output.split("\t")[0]
    assert runner.invoke(cli.app, ["crm", "webhooks", "remove", endpoint_id]).exit_code == 0
    assert "inactive\tacme" in runner.invoke(cli.app, ["crm", "webhooks", "list"]).output
    assert runner.invoke(cli.app, ["crm", "webhooks", "remove", "424242"]).exit_code == 2


def test_webhooks_add_refuses_bad_input(cli_ctx: AppContext) -> None:
    bad_url = runner.invoke(cli.app, ["crm", "webhooks", "add", "not-a-url"])
    assert bad_url.exit_code == 2
    assert "absolute http(s) URL" in bad_url.output
    bad_type = runner.invoke(cli.app, ["crm", "webhooks", "add", "https://crm.example/h", "--events", "signal.made"])
    assert bad_type.exit_code == 2
    assert "unknown event types signal.made" in bad_type.output


def test_deadletters_list_and_replay(cli_ctx: AppContext, fake_crm: FakeCrm) -> None:
    assert runner.invoke(cli.app, ["crm", "deadletters", "list"]).output.strip() == "no dead letters"
    f.endpoint(cli_ctx, fake_crm.hook_url)
    lead_id, _ = f.lead(cli_ctx)
    f.signal_event(cli_ctx, lead_id)
    f.signal_event(cli_ctx, f.lead(cli_ctx)[0])
    fake_crm.script("/hooks", Reply(410, "gone"))
    dispatch_once(cli_ctx)
    listed = runner.invoke(cli.app, ["crm", "deadletters", "list"])
    assert "signal.created.v1" in listed.output
    assert "endpoint answered 410 Gone" in listed.output
    delivery_id = listed.output.split("\t")[0]
    assert runner.invoke(cli.app, ["crm", "deadletters", "replay"]).exit_code == 2  # neither id nor --all
    replayed = runner.invoke(cli.app, ["crm", "deadletters", "replay", delivery_id])
    assert replayed.output.strip() == "1 deliveries queued again"
    again = runner.invoke(cli.app, ["crm", "deadletters", "replay", delivery_id])
    assert again.exit_code == 2
    assert "only dead deliveries can be replayed" in again.output
    assert (
        runner.invoke(cli.app, ["crm", "deadletters", "replay", "--all"]).output.strip() == "0 deliveries queued again"
    )


def test_reconcile_reports_and_repairs(cli_ctx: AppContext, fake_crm: FakeCrm) -> None:
    _, agency_id = f.lead(cli_ctx)
    fake_crm.leads[agency_id] = {"agency_id_number": agency_id, "version": 2, "email": "crm@example.org"}
    report = runner.invoke(cli.app, ["crm", "reconcile"])
    assert report.exit_code == 0, report.output
    assert f"drift\t{agency_id}\temail\towner=crm\n" in report.output
    assert "checked 1 leads; drift by owner: crm=1" in report.output
    repaired = runner.invoke(cli.app, ["crm", "reconcile", "--repair"])
    assert f"drift\t{agency_id}\temail\towner=crm\trepaired" in repaired.output
    assert "pulled 1" in repaired.output
    assert "drift by owner: none" in runner.invoke(cli.app, ["crm", "reconcile"]).output


def test_inbox_list_and_replay(cli_ctx: AppContext) -> None:
    event = InboundEvent(id="evt-1", type="lead.updated", data={"agency_id_number": "LATER-1", "crm_version": 2,
                                                                "email": "late@example.org"})  # fmt: skip
    with session_scope(cli_ctx.sessions) as session:
        inbox_id = receive_and_process(session, "crm", event, actor=Actor("crm:test")).row.id
    listed = runner.invoke(cli.app, ["crm", "inbox", "list", "--unhandled"])
    assert f"{inbox_id}\tcrm:evt-1\tlead.updated\tunhandled after 1 attempts" in listed.output
    failed = runner.invoke(cli.app, ["crm", "inbox", "replay", str(inbox_id)])
    assert failed.exit_code == 1
    assert "no lead with agency_id_number 'LATER-1'" in failed.output
    f.lead(cli_ctx, agency_id_number="LATER-1")
    assert runner.invoke(cli.app, ["crm", "inbox", "replay", str(inbox_id)]).exit_code == 0
    assert runner.invoke(cli.app, ["crm", "inbox", "list", "--unhandled"]).output.strip() == "no inbox events"
    assert runner.invoke(cli.app, ["crm", "inbox", "replay", "999999"]).exit_code == 2
