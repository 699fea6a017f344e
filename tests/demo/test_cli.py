from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from leadsignal import cli
from leadsignal.core.cli_support import app_context
from leadsignal.core.context import AppContext
from tests.conftest import TEST_INDEX_KEY, TEST_KEYS


@pytest.fixture
def cli_ctx(app_ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppContext]:
    for key, value in {"LEADSIGNAL_ENV": "test", "LEADSIGNAL_DATABASE_URL": app_ctx.settings.sqlalchemy_url,
                       "LEADSIGNAL_DATA_DIR": str(app_ctx.settings.data_dir), "LEADSIGNAL_ENCRYPTION_KEYS": TEST_KEYS,
                       "LEADSIGNAL_BLIND_INDEX_KEY": TEST_INDEX_KEY}.items():  # fmt: skip
        monkeypatch.setenv(key, value)
    app_context.cache_clear()
    try:
        yield app_ctx
    finally:
        app_context().dispose()
        app_context.cache_clear()


def test_outcomes_command_reports_what_it_recorded(cli_ctx: AppContext) -> None:
    result = CliRunner().invoke(cli.app, ["demo", "outcomes"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"demo_outcomes": {}}


def test_history_needs_the_sample_source(cli_ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LEADSIGNAL_PROFILE_SOURCE", "apify")
    app_context.cache_clear()
    result = CliRunner().invoke(cli.app, ["demo", "history", "--weeks", "2"])
    assert result.exit_code == 2
    assert "needs the bundled sample source" in result.output
