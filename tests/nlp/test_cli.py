"""The classify JSON Lines contract and the model commands, end to end through Typer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from leadsignal.cli import app
from leadsignal.core.context import AppContext
from leadsignal.db import session_scope
from leadsignal.nlp import registry
from leadsignal.nlp.classifier import SignalModel
from leadsignal.nlp.cli import classify_lines
from leadsignal.nlp.service import SignalDetector
from tests.nlp.factories import register_model

runner = CliRunner()
POSTS = [
    {"id": 1, "text": "Excited to announce I've joined Bank of America as a Branch Manager."},
    {"id": "b", "text": "We're hiring two nurses at our Denver clinic! Apply below."},
    {"id": 3, "text": "I passed the NCLEX!!! Officially a Registered Nurse"},
]


def _lines() -> list[str]:
    return [
        json.dumps(POSTS[0]),
        "{not json",
        json.dumps(POSTS[1]),
        json.dumps({"id": 7, "body": "no text field"}),
        "",
        json.dumps([1, 2]),
        json.dumps({"id": {"nested": 1}, "text": "x"}),
        json.dumps(POSTS[2]),
    ]


def test_classify_lines_keeps_order_and_reports_bad_lines(detector: SignalDetector) -> None:
    out = list(classify_lines(detector, _lines()))
    assert [o["id"] for o in out] == [1, None, "b", 7, None, None, 3]
    assert [o.get("signal_type") for o in out] == ["new_job", None, "none", None, None, None, "license"]
    assert out[1]["error"].startswith("invalid JSON")
    assert out[3]["error"] == "'text' is missing or not a string"
    assert "JSON object" in out[4]["error"]
    assert "'id' must be" in out[5]["error"]
    first = out[0]
    assert set(first) == {"id", "signal_type", "confidence", "org", "title", "credential", "sentiment"}
    assert (first["org"], first["title"]) == ("Bank of America", "Branch Manager")
    assert 0.0 <= first["confidence"] <= 1.0
    assert first["sentiment"]["label"] in {"positive", "neutral", "negative"}


def test_classify_lines_batches_preserve_order(detector: SignalDetector) -> None:
    lines = [json.dumps({"id": i, "text": POSTS[i % 3]["text"]}) for i in range(600)]
    lines[300] = "garbage"
    out = list(classify_lines(detector, lines))
    assert [o["id"] for o in out] == [*range(300), None, *range(301, 600)]


@pytest.fixture
def cli_ctx(app_ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> AppContext:
    monkeypatch.setattr("leadsignal.nlp.cli.app_context", lambda: app_ctx)
    return app_ctx


def test_classify_command_files_and_stdin(cli_ctx: AppContext, bundled_model: SignalModel, tmp_path: Path) -> None:
    with session_scope(cli_ctx.sessions) as s:
        register_model(s, cli_ctx.settings, bundled_model, "v-test", activate=True)
    src, dst = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text("\n".join(_lines()) + "\n")
    result = runner.invoke(app, ["classify", "--input", str(src), "--output", str(dst)])
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in dst.read_text().splitlines()]
    assert [o["id"] for o in out] == [1, None, "b", 7, None, None, 3]

    result = runner.invoke(app, ["classify"], input=json.dumps(POSTS[2]) + "\n")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["signal_type"] == "license"

    result = runner.invoke(app, ["classify", "--input", str(tmp_path / "missing.jsonl")])
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_model_commands(cli_ctx: AppContext, bundled_model: SignalModel, tmp_path: Path) -> None:
    result = runner.invoke(app, ["model", "list"])
    assert result.exit_code == 0
    assert "no models registered" in result.output

    result = runner.invoke(app, ["model", "train", "--version", "trained-1", "--activate"])
    assert result.exit_code == 0, result.output
    assert "trained trained-1" in result.output
    assert "; active" in result.output
    with session_scope(cli_ctx.sessions) as s:
        register_model(s, cli_ctx.settings, bundled_model, "v-other")

    result = runner.invoke(app, ["model", "promote", "v-other"])
    assert result.exit_code == 0
    assert "active model: v-other (was trained-1)" in result.output
    listing = runner.invoke(app, ["model", "list"]).output
    assert "* v-other" in listing
    assert "  trained-1" in listing

    report_path = tmp_path / "eval.json"
    result = runner.invoke(app, ["model", "evaluate", "--version", "trained-1", "--output", str(report_path)])
    assert result.exit_code == 0, result.output
    assert "macro-F1" in result.output
    assert "confusion" in result.output
    report = json.loads(report_path.read_text())
    assert report["version"] == "trained-1"
    assert report["examples"] >= 300
    assert set(report["per_class"]["promotion"]) == {"precision", "recall", "f1", "support"}
    assert len(report["confusion"]) == 8

    result = runner.invoke(app, ["model", "rollback"])
    assert result.exit_code == 0
    assert "active model: trained-1" in result.output
    result = runner.invoke(app, ["model", "rollback"])
    assert result.exit_code == 2
    assert "nothing to roll back" in result.output
    result = runner.invoke(app, ["model", "promote", "nope"])
    assert result.exit_code == 2
    assert "no model version" in result.output
    with session_scope(cli_ctx.sessions) as s:
        assert registry.active_version(s).version == "trained-1"  # type: ignore[union-attr]


def test_evaluate_refuses_a_malformed_test_file(cli_ctx: AppContext, tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("@@ not_a_label\ntext\n")
    result = runner.invoke(app, ["model", "evaluate", "--test-file", str(bad)])
    assert result.exit_code == 2
    assert "unknown label" in result.output
