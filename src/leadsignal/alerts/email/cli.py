"""``leadsignal emails list|show``: read what the embedded outbox provider 'sent'."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from leadsignal.alerts.email.outbox import get_outbox, list_outbox
from leadsignal.core.cli_support import app_context, fail
from leadsignal.db import session_scope

emails_app = typer.Typer(help="Read emails stored by the outbox provider.", no_args_is_help=True)


@emails_app.command("list")
def list_command(
    limit: Annotated[int, typer.Option(min=1, max=1000, help="How many, newest first.")] = 20,
    offset: Annotated[int, typer.Option(min=0)] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """Stored emails, newest first."""
    with session_scope(app_context().sessions) as session:
        total, rows = list_outbox(session, limit=limit, offset=offset)
        for row in rows:
            if as_json:
                record = {
                    "id": row.id, "created_at": row.created_at.isoformat(), "recipient": row.recipient,
                    "subject": row.subject, "template": row.template, "message_id": row.message_id,
                }  # fmt: skip
                typer.echo(json.dumps(record, ensure_ascii=False))
            else:
                when = row.created_at.strftime("%Y-%m-%d %H:%M")
                typer.echo(f"{row.id:>6}  {when}  {row.template:<14} {row.recipient:<32} {row.subject}")
        if not as_json:
            typer.echo(f"{len(rows)} of {total} email(s)", err=True)


@emails_app.command("show")
def show_command(
    email_id: Annotated[int, typer.Argument(help="Id from `leadsignal emails list`.")],
    html: Annotated[bool, typer.Option("--html", help="Print the HTML part instead of the text part.")] = False,
) -> None:
    """One stored email: its headers, then the text (or HTML) part."""
    with session_scope(app_context().sessions) as session:
        row = get_outbox(session, email_id)
        if row is None:
            raise fail(f"no email {email_id} in the outbox", code=1)
        if html:
            typer.echo(row.html)
            return
        typer.echo(f"From: {row.sender}")
        typer.echo(f"To: {row.recipient_name + ' ' if row.recipient_name else ''}<{row.recipient}>")
        typer.echo(f"Subject: {row.subject}")
        typer.echo(f"Date: {row.created_at.isoformat()}")
        typer.echo(f"Message-ID: {row.message_id}")
        typer.echo(f"Template: {row.template}")
        if row.tags:
            typer.echo(f"Tags: {', '.join(row.tags)}")
        typer.echo("")
        typer.echo(row.text)
