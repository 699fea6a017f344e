"""``leadsignal leads ...`` and ``leadsignal segments ...``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from sqlalchemy import func, select

from leadsignal.core.cli_support import app_context, cli_actor, fail
from leadsignal.db import session_scope
from leadsignal.leads.importer import ImportRefused, import_leads
from leadsignal.leads.models import Lead
from leadsignal.leads.segments import LeadSegment, SegmentRules, list_segments, segment_members

leads_app = typer.Typer(help="Import and inspect the lead book.", no_args_is_help=True)
segments_app = typer.Typer(help="Saved lead segments that decide who is monitored.", no_args_is_help=True)


@leads_app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(help="The agency's CSV export.")],
    report: Annotated[Path | None, typer.Option(help="Write the import report as JSON here.")] = None,
    encoding: Annotated[str, typer.Option(help="Text encoding of the file, e.g. cp1252.")] = "utf-8",
) -> None:
    """Import or update leads from a CSV file. Exit status 2 if the file is refused as a whole."""
    ctx = app_context()
    try:
        result = import_leads(ctx.sessions, ctx.cipher, file, actor=cli_actor(), encoding=encoding)
    except ImportRefused as exc:
        raise fail(str(exc)) from exc
    if report:
        result.write(report)
    typer.echo(
        f"imported {result.imported}, updated {result.updated}, unchanged {result.unchanged}, "
        f"rejected {len(result.rejected)}"
    )
    for row in result.rejected[:20]:
        typer.echo(f"  line {row.line}: " + "; ".join(row.errors), err=True)
    if len(result.rejected) > 20:
        typer.echo(f"  ... and {len(result.rejected) - 20} more (see --report)", err=True)
    if result.ignored_columns:
        typer.echo("ignored columns: " + ", ".join(result.ignored_columns), err=True)


@leads_app.command("count")
def count_command() -> None:
    """How many leads are stored, and how many are opted out of monitoring."""
    ctx = app_context()
    with session_scope(ctx.sessions) as session:
        total = session.scalar(select(func.count(Lead.id))) or 0
        opted_out = session.scalar(select(func.count(Lead.id)).where(Lead.do_not_scrape.is_(True))) or 0
    typer.echo(json.dumps({"leads": total, "do_not_scrape": opted_out}))


@segments_app.command("list")
def segments_list() -> None:
    """Saved segments with their rules."""
    ctx = app_context()
    with session_scope(ctx.sessions) as session:
        for seg in list_segments(session):
            flag = "monitored" if seg.monitored else "not monitored"
            typer.echo(
                f"{seg.name}: {json.dumps(seg.rules)} ({flag}, every {seg.cadence_hours}h, priority {seg.priority})"
            )


@segments_app.command("save")
def segments_save(
    name: Annotated[str, typer.Argument(help="Segment name.")],
    rules: Annotated[str, typer.Option(help='JSON rules, e.g. {"min_age":21,"max_age":30,"min_days_delinquent":90}')],
    description: Annotated[str | None, typer.Option()] = None,
    monitored: Annotated[bool, typer.Option("--monitored/--not-monitored")] = True,
    cadence_hours: Annotated[int, typer.Option(min=1, max=24 * 30)] = 24,
    priority: Annotated[int, typer.Option()] = 100,
) -> None:
    """Create or replace a saved segment."""
    try:
        parsed = SegmentRules.model_validate_json(rules)
    except ValidationError as exc:
        raise fail(f"invalid rules: {exc.errors()[0]['msg']} at {exc.errors()[0]['loc']}") from exc
    ctx = app_context()
    with session_scope(ctx.sessions) as session:
        seg = session.scalar(select(LeadSegment).where(LeadSegment.name == name)) or LeadSegment(name=name)
        seg.rules = parsed.model_dump(exclude_none=True)
        seg.description = description
        seg.monitored = monitored
        seg.cadence_hours = cadence_hours
        seg.priority = priority
        session.add(seg)
    typer.echo(f"saved segment {name}")


@segments_app.command("count")
def segments_count(name: Annotated[str, typer.Argument()]) -> None:
    """How many leads a saved segment holds today."""
    ctx = app_context()
    with session_scope(ctx.sessions) as session:
        seg = session.scalar(select(LeadSegment).where(LeadSegment.name == name))
        if seg is None:
            raise fail(f"no segment named {name!r}")
        total = sum(1 for _ in segment_members(session, seg.parsed_rules, ctx.cipher))
    typer.echo(json.dumps({"segment": name, "leads": total}))
