"""``leadsignal admin summary --print|--send``: the daily admin email on demand."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from leadsignal.core.cli_support import app_context, fail

admin_app = typer.Typer(help="Operations for administrators.", no_args_is_help=True)


@admin_app.command("summary")
def summary_command(
    send: Annotated[bool, typer.Option("--send", help="Send it to every admin now (once per day).")] = False,
    print_: Annotated[bool, typer.Option("--print", help="Print the text version; send nothing.")] = False,
) -> None:
    """Build the last 24 hours' admin summary and print it or send it."""
    from leadsignal.compliance.ops.summary import build_summary, render, send_admin_summary

    if send == print_:
        raise fail("choose exactly one of --send or --print")
    ctx = app_context()
    if print_:
        rendered = render(ctx, build_summary(ctx))
        typer.echo(f"Subject: {rendered.subject}\n\n{rendered.text}")
        return
    report = send_admin_summary(ctx)
    typer.echo(json.dumps(report.model_dump(mode="json"), indent=2))
    if not report.recipients:
        raise fail("no recipients: no active admin and no LEADSIGNAL_ADMIN_SUMMARY_RECIPIENTS", code=1)
    if any(r.outcome in ("failed", "deferred", "invalid_address") for r in report.recipients):
        raise typer.Exit(1)
