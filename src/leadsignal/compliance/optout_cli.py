"""``leadsignal optout set|clear|list`` and ``leadsignal leads export-data`` (consumer rights)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from sqlalchemy.orm import Session

from leadsignal.compliance.export import FORMATS, ExportFormat, export_lead
from leadsignal.compliance.optout import SOURCES, apply_opt_out, clear_opt_out, list_opt_outs
from leadsignal.core.cli_support import app_context, cli_actor, fail
from leadsignal.db import session_scope
from leadsignal.leads.cli import leads_app
from leadsignal.leads.models import Lead

T = TypeVar("T")
optout_app = typer.Typer(help="Borrower opt-outs: stop collection and purge scraped data.", no_args_is_help=True)


def _on_lead(lead_id: int, source: str, change: Callable[[Session, Lead], T]) -> T:
    """Run one opt-out change on a lead in its own transaction; bad input exits with a clear message."""
    if source not in SOURCES:
        raise fail(f"--source must be one of {', '.join(SOURCES)}")
    ctx = app_context()
    with session_scope(ctx.sessions) as session:
        lead = session.get(Lead, lead_id)
        if lead is None:
            raise fail(f"lead {lead_id} not found")
        try:
            return change(session, lead)
        except ValueError as exc:
            raise fail(str(exc)) from exc


@optout_app.command("set")
def set_command(
    lead_id: Annotated[int, typer.Argument(min=1, help="The lead's id.")],
    reason: Annotated[str, typer.Option(help="Why, as the borrower or agency gave it.")],
    source: Annotated[str, typer.Option(help=f"Who asked: {', '.join(SOURCES)}.")] = "agency",
) -> None:
    """Opt a lead out now: no further collection, open alerts blocked, snapshots and posts purged."""
    effect = _on_lead(
        lead_id, source, lambda s, lead: apply_opt_out(s, lead, reason=reason, source=source, actor=cli_actor())
    )
    typer.echo(json.dumps(effect.as_dict()))


@optout_app.command("clear")
def clear_command(
    lead_id: Annotated[int, typer.Argument(min=1, help="The lead's id.")],
    reason: Annotated[str, typer.Option(help="Why the opt-out no longer applies (audited).")],
    source: Annotated[str, typer.Option(help=f"Who decided: {', '.join(SOURCES)}.")] = "agency",
) -> None:
    """Clear a lead's opt-out. Purged data stays purged."""
    changed = _on_lead(
        lead_id, source, lambda s, lead: clear_opt_out(s, lead, reason=reason, source=source, actor=cli_actor())
    )
    if not changed:
        raise fail(f"lead {lead_id} is not opted out", code=1)
    typer.echo(f"lead {lead_id}: opt-out cleared")


@optout_app.command("list")
def list_command(limit: Annotated[int, typer.Option(min=1, max=10_000)] = 100) -> None:
    """Opted-out leads, most recent first, as JSON lines."""
    ctx = app_context()
    with session_scope(ctx.sessions) as session:
        for lead in list_opt_outs(session, limit=limit)[:limit]:
            at = lead.do_not_scrape_at.isoformat() if lead.do_not_scrape_at else None
            typer.echo(
                json.dumps(
                    {
                        "lead_id": lead.id,
                        "agency_id_number": lead.agency_id_number,
                        "reason": lead.do_not_scrape_reason,
                        "source": lead.do_not_scrape_source,
                        "at": at,
                    }
                )
            )


@leads_app.command("export-data")
def export_data_command(
    lead_id: Annotated[int, typer.Argument(min=1, help="The lead's id.")],
    output: Annotated[Path, typer.Option("-o", "--output", help="File to write.")],
    format: Annotated[str, typer.Option("--format", help="json or html.")] = "json",
) -> None:
    """Write everything held about a lead (data access request) to a file; audited."""
    if format not in FORMATS:
        raise fail(f"--format must be one of {', '.join(FORMATS)}")
    ctx = app_context()
    with session_scope(ctx.sessions) as session:
        lead = session.get(Lead, lead_id)
        if lead is None:
            raise fail(f"lead {lead_id} not found")
        chosen: ExportFormat = "html" if format == "html" else "json"
        _media, body = export_lead(session, ctx.cipher, lead, fmt=chosen, actor=cli_actor())
    output.write_text(body, encoding="utf-8")
    typer.echo(f"wrote {output} ({len(body.encode())} bytes)")
