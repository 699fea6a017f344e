"""``leadsignal crm webhooks|deadletters|reconcile``, added to the ``crm`` group auth/cli.py defines."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from leadsignal.auth.cli import crm_app
from leadsignal.core.cli_support import app_context, cli_actor, fail
from leadsignal.crm import inbox, webhooks
from leadsignal.db import session_scope

webhooks_app = typer.Typer(help="Outbound webhook endpoints (where signals are pushed).", no_args_is_help=True)
deadletters_app = typer.Typer(help="Webhook deliveries that exhausted their retries.", no_args_is_help=True)
inbox_app = typer.Typer(help="Events received from the CRM (stored once, handled, replayable).", no_args_is_help=True)


@webhooks_app.command("add")
def webhooks_add(
    url: Annotated[str, typer.Argument(help="The receiver's https URL.")],
    events: Annotated[str, typer.Option(help="Comma-separated event types, or '*'.")] = "*",
    name: Annotated[str, typer.Option(help="A label for people.")] = "crm",
    secret: Annotated[str | None, typer.Option(help="Signing secret (default: a new random one).")] = None,
) -> None:
    """Register an endpoint and print its signing secret (shown only now)."""
    ctx = app_context()
    try:
        with session_scope(ctx.sessions) as session:
            endpoint, shown = webhooks.add_endpoint(
                session, ctx.cipher, name=name, url=url, event_types=events.split(","), actor=cli_actor(),
                secret=secret, production=ctx.settings.env == "production",
            )  # fmt: skip
            endpoint_id = endpoint.id
    except ValueError as exc:
        raise fail(str(exc)) from exc
    typer.echo(f"webhook endpoint {endpoint_id} added")
    typer.echo(f"signing secret: {shown}")


@webhooks_app.command("list")
def webhooks_list() -> None:
    """Endpoints with their subscriptions and state."""
    ctx = app_context()
    with session_scope(ctx.sessions) as session:
        rows = webhooks.list_endpoints(session)
        lines = [
            f"{e.id}\t{'active' if e.is_active else 'inactive'}\t{e.name}\t{e.url}\t{','.join(e.event_types)}"
            + (f"\t({e.deactivated_reason})" if e.deactivated_reason else "")
            for e in rows
        ]
    typer.echo("\n".join(lines) if lines else "no webhook endpoints")


@webhooks_app.command("remove")
def webhooks_remove(endpoint_id: Annotated[int, typer.Argument(help="Endpoint id from 'list'.")]) -> None:
    """Deactivate an endpoint; its delivery history stays."""
    ctx = app_context()
    try:
        with session_scope(ctx.sessions) as session:
            webhooks.remove_endpoint(session, endpoint_id, actor=cli_actor())
    except webhooks.WebhookNotFound as exc:
        raise fail(str(exc)) from exc
    typer.echo(f"webhook endpoint {endpoint_id} removed")


@deadletters_app.command("list")
def deadletters_list(limit: Annotated[int, typer.Option(min=1, max=10000)] = 100) -> None:
    """Dead deliveries, oldest first."""
    ctx = app_context()
    with session_scope(ctx.sessions) as session:
        dead = webhooks.list_dead(session, limit=limit)
    if not dead:
        typer.echo("no dead letters")
        return
    for d in dead:
        typer.echo(
            f"{d.delivery_id}\t{d.event_type}\tendpoint {d.endpoint_id} ({d.endpoint_name})\tlead {d.lead_id}\t"
            f"{d.attempts} attempts\t{d.last_error or ''}"
        )


@deadletters_app.command("replay")
def deadletters_replay(
    delivery_id: Annotated[int | None, typer.Argument(help="A dead delivery id.")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Replay every dead delivery.")] = False,
) -> None:
    """Queue dead deliveries again with a fresh retry schedule."""
    if (delivery_id is None) == (not all_):
        raise fail("give one delivery id or --all")
    ctx = app_context()
    try:
        with session_scope(ctx.sessions) as session:
            if all_:
                count = webhooks.replay_all(session, actor=cli_actor())
            else:
                assert delivery_id is not None
                webhooks.replay(session, delivery_id, actor=cli_actor())
                count = 1
    except webhooks.WebhookNotFound as exc:
        raise fail(str(exc)) from exc
    except ValueError as exc:
        raise fail(str(exc)) from exc
    typer.echo(f"{count} deliveries queued again")


@inbox_app.command("list")
def inbox_list(
    unhandled: Annotated[bool, typer.Option("--unhandled", help="Only events not handled yet.")] = False,
    limit: Annotated[int, typer.Option(min=1, max=10000)] = 100,
) -> None:
    """Received CRM events, newest first, with their handling state."""
    ctx = app_context()
    with session_scope(ctx.sessions) as session:
        rows = inbox.recent(session, unhandled_only=unhandled, limit=limit)
        lines = [
            f"{r.id}\t{r.source}:{r.external_id}\t{r.event_type}\t"
            + ("handled" if r.handled_at else f"unhandled after {r.attempts} attempts\t{r.last_error or ''}")
            for r in rows
        ]
    typer.echo("\n".join(lines) if lines else "no inbox events")


@inbox_app.command("replay")
def inbox_replay(inbox_id: Annotated[int, typer.Argument(help="Inbox event id from 'list'.")]) -> None:
    """Handle a stored CRM event again (e.g. after importing the lead it names)."""
    ctx = app_context()
    try:
        with session_scope(ctx.sessions) as session:
            handled = inbox.replay(session, inbox_id, actor=cli_actor())
            status, error = handled.status, handled.row.last_error
    except LookupError as exc:
        raise fail(str(exc)) from exc
    if status != "handled":
        raise fail(f"inbox event {inbox_id} failed again: {error}", code=1)
    typer.echo(f"inbox event {inbox_id} handled")


def reconcile_command(
    since: Annotated[
        dt.datetime | None, typer.Option(help="Only leads changed on either side since (UTC ISO time).")
    ] = None,
    repair: Annotated[bool, typer.Option("--repair", help="Pull CRM-owned fields, re-publish ours.")] = False,
) -> None:
    """Compare every lead with the CRM and report drift per field and owner."""
    from leadsignal.crm.adapters import CrmNotConfigured, adapter_from_settings
    from leadsignal.crm.reconcile import reconcile

    ctx = app_context()
    try:
        adapter = adapter_from_settings(ctx.settings)
    except (CrmNotConfigured, ValueError) as exc:
        raise fail(str(exc)) from exc
    if since is not None and since.tzinfo is None:
        since = since.replace(tzinfo=dt.UTC)
    report = reconcile(ctx, adapter, actor=cli_actor(), since=since, repair=repair)
    for d in report.drifts:
        typer.echo(f"drift\t{d.agency_id_number}\t{d.field}\towner={d.owner}" + ("\trepaired" if d.repaired else ""))
    for agency_id in report.missing_in_crm:
        typer.echo(f"missing-in-crm\t{agency_id}")
    for error in report.errors:
        typer.echo(f"error\t{error}", err=True)
    owners = ", ".join(f"{o}={n}" for o, n in sorted(report.by_owner().items())) or "none"
    typer.echo(
        f"checked {report.checked} leads; drift by owner: {owners}; missing in CRM: {len(report.missing_in_crm)}; "
        f"pulled {report.pulled}; re-published {report.republished}; errors {len(report.errors)}"
    )
    if report.errors:
        raise typer.Exit(1)


crm_app.add_typer(webhooks_app, name="webhooks")
crm_app.add_typer(deadletters_app, name="deadletters")
crm_app.add_typer(inbox_app, name="inbox")
crm_app.command("reconcile")(reconcile_command)
