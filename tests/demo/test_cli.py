from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from leadsignal import cli
from leadsignal.core.cli_support import app_context
from leadsignal.core.context import AppContext


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
