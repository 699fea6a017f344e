"""``leadsignal classify`` and ``leadsignal model train|evaluate|list|promote|rollback``."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Annotated, Any

import typer
from sqlalchemy import inspect

from leadsignal.core import migrate
from leadsignal.core.cli_support import app_context, fail
from leadsignal.core.context import AppContext
from leadsignal.db import session_scope
from leadsignal.nlp import registry
from leadsignal.nlp.corpus import CorpusError, Example, held_out_examples, parse_annotated
from leadsignal.nlp.evaluation import evaluate
from leadsignal.nlp.service import SignalDetector
from leadsignal.nlp.training import ensure_active, train_version

model_app = typer.Typer(help="Train, evaluate and version the signal classifier.", no_args_is_help=True)
BATCH = 256


def _ensure_schema(ctx: AppContext) -> None:
    """A fresh machine classifies with no manual step: create the schema if it has never been created."""
    if not inspect(ctx.engine).has_table("model_versions"):
        migrate.upgrade(ctx.engine)


def _load_detector(ctx: AppContext) -> SignalDetector:
    _ensure_schema(ctx)
    try:
        with session_scope(ctx.sessions) as session:
            return SignalDetector.load(ctx.settings, session)
    except registry.RegistryError as exc:
        raise fail(str(exc)) from exc


def _parse_line(line: str) -> tuple[Any, str | None, str | None]:
    """(id, text, error) for one JSON Lines input line."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return None, None, f"invalid JSON: {exc.msg} at column {exc.colno}"
    if not isinstance(obj, dict):
        return None, None, "each line must be a JSON object with 'id' and 'text'"
    ident = obj.get("id")
    if isinstance(ident, (dict, list)):
        return None, None, "'id' must be a string, number or null"
    text = obj.get("text")
    if not isinstance(text, str):
        return ident, None, "'text' is missing or not a string"
    return ident, text, None


def classify_lines(detector: SignalDetector, lines: Iterable[str]) -> Iterator[dict[str, Any]]:
    """One output object per non-blank input line, in input order; bad lines become error objects."""
    batch: list[tuple[Any, str | None, str | None]] = []

    def drain() -> Iterator[dict[str, Any]]:
        texts = [text for _, text, err in batch if err is None and text is not None]
        detections = iter(detector.detect_many(texts))
        for ident, text, err in batch:
            if err is not None or text is None:
                yield {"id": ident, "error": err}
                continue
            d = next(detections)
            yield {
                "id": ident,
                "signal_type": d.signal_type,
                "confidence": round(d.confidence, 4),
                "org": d.org,
                "title": d.title,
                "credential": d.credential,
                "sentiment": {"label": d.sentiment_label, "score": round(d.sentiment_score, 4)},
            }
        batch.clear()

    for line in lines:
        if not line.strip():
            continue
        batch.append(_parse_line(line))
        if len(batch) >= BATCH:
            yield from drain()
    yield from drain()


def classify_command(
    input: Annotated[Path | None, typer.Option("--input", help="JSON Lines file; standard input if omitted.")] = None,
    output: Annotated[
        Path | None, typer.Option("--output", help="Write JSON Lines here; standard output if omitted.")
    ] = None,
) -> None:
    """Classify posts: one {"id", "text"} JSON object per input line, one result per output line, in order."""
    if input is not None and not input.is_file():
        raise fail(f"input file {input} does not exist")
    detector = _load_detector(app_context())
    source: IO[str] = input.open(encoding="utf-8") if input else sys.stdin
    sink: IO[str] = output.open("w", encoding="utf-8") if output else sys.stdout
    try:
        for result in classify_lines(detector, source):
            sink.write(json.dumps(result, ensure_ascii=False) + "\n")
        sink.flush()
    finally:
        if input:
            source.close()
        if output:
            sink.close()


@model_app.command("train")
def train_command(
    activate: Annotated[bool, typer.Option("--activate/--no-activate", help="Make the new version active.")] = False,
    feedback: Annotated[bool, typer.Option("--feedback/--no-feedback", help="Include labelled examples.")] = True,
    version: Annotated[str | None, typer.Option(help="Version name; default <timestamp>-<data hash>.")] = None,
) -> None:
    """Train a new model version from the bundled corpus plus feedback, and register it."""
    ctx = app_context()
    _ensure_schema(ctx)
    try:
        with session_scope(ctx.sessions) as session:
            row = train_version(ctx.settings, session, include_feedback=feedback, activate=activate, version=version)
            m = row.metrics
            typer.echo(
                f"trained {row.version} on {row.n_examples} examples ({row.details.get('train_seconds')} s); "
                f"held-out accuracy {m['accuracy']:.3f}, macro-F1 {m['macro_f1']:.3f}"
                + ("; active" if row.is_active else "; not active (leadsignal model promote " + row.version + ")")
            )
    except registry.RegistryError as exc:
        raise fail(str(exc)) from exc


def _examples_from(test_file: Path | None) -> list[Example]:
    if test_file is None:
        return held_out_examples()
    if not test_file.is_file():
        raise fail(f"test file {test_file} does not exist")
    try:
        return parse_annotated(test_file.read_text(encoding="utf-8"), origin=test_file.name)
    except CorpusError as exc:
        raise fail(str(exc)) from exc


@model_app.command("evaluate")
def evaluate_command(
    version: Annotated[str | None, typer.Option(help="Version to evaluate; default the active one.")] = None,
    output: Annotated[Path | None, typer.Option("--output", help="Write the report as JSON here.")] = None,
    test_file: Annotated[Path | None, typer.Option(help="Posts in the '@@ label' format; default held-out.")] = None,
) -> None:
    """Per-class precision, recall, F1 and the confusion matrix on the held-out test posts."""
    ctx = app_context()
    _ensure_schema(ctx)
    examples = _examples_from(test_file)
    try:
        with session_scope(ctx.sessions) as session:
            row = registry.get_version(session, version) if version else ensure_active(ctx.settings, session)
            if row is None:
                raise fail(f"no model version {version!r}")
            model = registry.load_artifact(ctx.settings, row)
            name = row.version
    except registry.RegistryError as exc:
        raise fail(str(exc)) from exc
    report = evaluate(model, examples)
    typer.echo(f"model {name} on {report.examples} posts")
    typer.echo(report.table())
    if output:
        output.write_text(json.dumps({"version": name, **report.model_dump()}, indent=2))


@model_app.command("list")
def list_command() -> None:
    """Registered versions, oldest first; the active one is starred."""
    ctx = app_context()
    _ensure_schema(ctx)
    with session_scope(ctx.sessions) as session:
        rows = registry.list_versions(session)
        if not rows:
            typer.echo("no models registered (the first classify trains the bundled default)")
        for r in rows:
            m = r.metrics or {}
            typer.echo(
                f"{'*' if r.is_active else ' '} {r.version}  created {r.created_at:%Y-%m-%d %H:%M}  "
                f"examples {r.n_examples}  data {r.data_hash[:12]}  "
                f"accuracy {m.get('accuracy', 0):.3f}  macro-F1 {m.get('macro_f1', 0):.3f}"
            )


@model_app.command("promote")
def promote_command(version: Annotated[str, typer.Argument(help="The version to make active.")]) -> None:
    """Make VERSION the active model."""
    ctx = app_context()
    _ensure_schema(ctx)
    try:
        with session_scope(ctx.sessions) as session:
            row = registry.promote(session, version)
            if not registry.artifact_path(ctx.settings, row).exists():
                raise registry.ArtifactMissing(f"model {version} has no artifact on this machine; not promoted")
            typer.echo(f"active model: {row.version} (was {row.previous_version or 'none'})")
    except registry.RegistryError as exc:
        raise fail(str(exc)) from exc


@model_app.command("rollback")
def rollback_command() -> None:
    """Re-activate the version the active one replaced."""
    ctx = app_context()
    _ensure_schema(ctx)
    try:
        with session_scope(ctx.sessions) as session:
            row = registry.rollback(session)
            typer.echo(f"active model: {row.version}")
    except registry.RegistryError as exc:
        raise fail(str(exc)) from exc
