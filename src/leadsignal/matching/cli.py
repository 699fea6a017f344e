"""``leadsignal match`` (score JSON Lines) and ``leadsignal identity queue|review``."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, TextIO

import typer

from leadsignal.core.cli_support import app_context, cli_actor, fail
from leadsignal.db import session_scope
from leadsignal.matching.batch import match_lines
from leadsignal.matching.scoring import Thresholds
from leadsignal.matching.service import MatchNotFound, review, review_queue

review_app = typer.Typer(help="Review identity matches the scorer was not sure about.", no_args_is_help=True)


def match_command(
    input_file: Annotated[
        Path | None, typer.Option("--input", help="JSON Lines of {id, lead, candidate}; stdin if omitted.")
    ] = None,
    output_file: Annotated[
        Path | None, typer.Option("--output", help="Where to write results; stdout if omitted.")
    ] = None,
) -> None:
    """Score lead/candidate pairs: one {id, decision, score, reasons} (or {id, error}) per input line."""
    settings = app_context().settings
    thresholds = Thresholds.from_settings(settings)
    try:
        source: TextIO = input_file.open(encoding="utf-8") if input_file else sys.stdin
    except OSError as exc:
        raise fail(f"cannot read {input_file}: {exc.strerror}") from exc
    try:
        sink: TextIO = output_file.open("w", encoding="utf-8") if output_file else sys.stdout
    except OSError as exc:
        raise fail(f"cannot write {output_file}: {exc.strerror}") from exc
    try:
        for result in match_lines(source, source=settings.apify_profile_actor, thresholds=thresholds):
            sink.write(json.dumps(result, ensure_ascii=False) + "\n")
    except UnicodeDecodeError as exc:
        raise fail(f"input is not UTF-8 text: {exc}") from exc
    finally:
        if input_file:
            source.close()
        if output_file:
            sink.close()
        else:
            sink.flush()


@review_app.command("queue")
def queue_command(
    limit: Annotated[int, typer.Option(min=1, max=1000, help="How many to show.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """Matches waiting for a person, most likely first."""
    ctx = app_context()
    with session_scope(ctx.sessions) as session:
        rows = review_queue(session, limit)
        for row in rows:
            if as_json:
                item = {"match_id": row.id, "lead_id": row.lead_id, "profile_url": row.profile_url}
                typer.echo(json.dumps({**item, "score": row.score, "reasons": row.reasons}))
            else:
                typer.echo(f"{row.id}\tlead {row.lead_id}\t{row.score:.3f}\t{row.profile_url}")
                for reason in row.reasons:
                    typer.echo(f"\t- {reason}")
    if not rows and not as_json:
        typer.echo("nothing to review")


@review_app.command("review")
def review_command(
    match_id: Annotated[int, typer.Argument(help="The match id shown by 'identity queue'.")],
    approve: Annotated[bool, typer.Option("--approve/--reject", help="Is this profile the borrower?")],
) -> None:
    """Confirm or reject one match; final against later automatic re-scores, and audited."""
    ctx = app_context()
    try:
        with session_scope(ctx.sessions) as session:
            row = review(session, match_id, approve=approve, actor=cli_actor())
            status = row.status
    except MatchNotFound as exc:
        raise fail(str(exc)) from exc
    typer.echo(f"match {match_id}: {status}")
