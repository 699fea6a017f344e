"""``leadsignal digest prefs|send`` and ``leadsignal alerts escalate``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer
from pydantic import ValidationError
from sqlalchemy import select

from leadsignal.alerts.digest import send_due_digests
from leadsignal.alerts.escalation import escalate_due
from leadsignal.alerts.preferences import DigestPrefsUpdate, get_preferences, update_preferences
from leadsignal.auth.models import User
from leadsignal.core.cli_support import app_context, cli_actor, fail
from leadsignal.db import session_scope

digest_app = typer.Typer(help="Daily digest emails: preferences and sending.", no_args_is_help=True)
alerts_app = typer.Typer(help="Alert follow-up: escalation of unacknowledged alerts.", no_args_is_help=True)


@digest_app.command("prefs")
def prefs_command(
    user: Annotated[str, typer.Option("--user", help="The user's email.")],
    types: Annotated[str | None, typer.Option("--types", help="Comma-separated signal types, or 'all'.")] = None,
    min_priority: Annotated[str | None, typer.Option("--min-priority", help="low, medium or high.")] = None,
    hour: Annotated[int | None, typer.Option("--hour", help="Local hour to send (0-23).")] = None,
    tz: Annotated[str | None, typer.Option("--tz", help="IANA time zone, e.g. America/Chicago.")] = None,
    enabled: Annotated[bool | None, typer.Option("--enable/--disable", help="Turn digests on or off.")] = None,
) -> None:
    """Show or change a user's digest preferences (no option: just show them)."""
    raw: dict[str, object] = {}
    if types is not None:
        raw["signal_types"] = (
            None if types.strip().lower() == "all" else [t.strip() for t in types.split(",") if t.strip()]
        )
    for name, value in (("min_priority", min_priority), ("local_hour", hour), ("timezone", tz), ("enabled", enabled)):
        if value is not None:
            raw[name] = value
    try:
        change = DigestPrefsUpdate.model_validate(raw)
    except ValidationError as exc:
        raise fail("; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())) from exc
    with session_scope(app_context().sessions) as session:
        account = session.scalar(select(User).where(User.email == user.strip().lower()))
        if account is None:
            raise fail(f"no user with email {user!r}", code=1)
        if change.model_fields_set:
            prefs = update_preferences(session, account, change, actor=cli_actor())
        else:
            prefs = get_preferences(session, account.id)
        typer.echo(prefs.out().model_dump_json(indent=2))


@digest_app.command("send")
def send_command(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Render and count; send and record nothing.")] = False,
    user: Annotated[str | None, typer.Option("--user", help="Only this user, ignoring their hour.")] = None,
) -> None:
    """Send the digests that are due now."""
    try:
        report = send_due_digests(app_context(), dt.datetime.now(dt.UTC), user_email=user, dry_run=dry_run)
    except LookupError as exc:
        raise fail(str(exc), code=1) from exc
    for entry in report.users:
        subject = f"  {entry.subject}" if entry.subject else ""
        typer.echo(f"{entry.outcome:<12} {entry.email:<32} {entry.items:>3} item(s){subject}")
    summary = ", ".join(f"{k}={v}" for k, v in sorted(report.counts.items())) or "no users"
    typer.echo(f"{'dry run: ' if dry_run else ''}{summary}", err=True)


@alerts_app.command("escalate")
def escalate_command(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what is due; change and send nothing.")] = False,
) -> None:
    """Escalate high-priority alerts not acknowledged in time."""
    report = escalate_due(app_context(), dt.datetime.now(dt.UTC), dry_run=dry_run)
    for step in report.steps:
        to = ", ".join(step.recipients) or "nobody"
        typer.echo(f"signal {step.signal_id} level {step.level} {step.outcome}: {to} ({step.reason})")
    summary = ", ".join(f"{k}={v}" for k, v in sorted(report.counts.items())) or "nothing due"
    typer.echo(f"{'dry run: ' if dry_run else ''}{summary}", err=True)
