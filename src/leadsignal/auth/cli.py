"""``leadsignal users``, ``leadsignal teams`` and ``leadsignal crm clients``."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from leadsignal.auth import service
from leadsignal.core.cli_support import app_context, cli_actor, fail
from leadsignal.db import session_scope

users_app = typer.Typer(help="People who use the dashboard and API.", no_args_is_help=True)
teams_app = typer.Typer(help="Teams of agents, each with a manager.", no_args_is_help=True)
crm_app = typer.Typer(help="CRM integration.", no_args_is_help=True)
crm_clients_app = typer.Typer(help="OAuth clients (client credentials) for CRM systems.", no_args_is_help=True)
crm_app.add_typer(crm_clients_app, name="clients")


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    return password


@users_app.command("create")
def users_create(
    email: Annotated[str, typer.Option(help="Login e-mail (stored lowercased).")],
    role: Annotated[str, typer.Option(help="admin, manager, agent or compliance.")],
    team: Annotated[list[str] | None, typer.Option(help="Team name to join (repeatable).")] = None,
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from stdin.")] = False,
) -> None:
    """Create a user; the password is prompted for (or read from stdin)."""
    ctx = app_context()
    password = _password(password_stdin)
    with session_scope(ctx.sessions) as session:
        teams = []
        for name in team or []:
            found = service.get_team_by_name(session, name)
            if found is None:
                raise fail(f"no team named {name!r} (create it with: leadsignal teams create NAME)")
            teams.append(found)
        try:
            user = service.create_user(
                session, ctx.settings, email=email, password=password, role=role, actor=cli_actor()
            )
        except service.AccountError as exc:
            raise fail(str(exc)) from exc
        for found in teams:
            service.add_member(session, found, user, actor=cli_actor())
        typer.echo(f"created user {user.id} {user.email} ({user.role})")


@users_app.command("list")
def users_list() -> None:
    """List users."""
    ctx = app_context()
    with session_scope(ctx.sessions) as session:
        for user in service.list_users(session):
            state = "active" if user.is_active else "disabled"
            typer.echo(f"{user.id}\t{user.email}\t{user.role}\t{state}")


@teams_app.command("create")
def teams_create(
    name: Annotated[str, typer.Argument(help="Unique team name.")],
    manager: Annotated[str | None, typer.Option(help="E-mail of the team's manager.")] = None,
) -> None:
    """Create a team, optionally with its manager."""
    ctx = app_context()
    with session_scope(ctx.sessions) as session:
        manager_id = None
        if manager:
            found = service.get_user_by_email(session, manager)
            if found is None:
                raise fail(f"no user with e-mail {manager}")
            manager_id = found.id
        try:
            team = service.create_team(session, name=name, manager_user_id=manager_id, actor=cli_actor())
        except service.AccountError as exc:
            raise fail(str(exc)) from exc
        typer.echo(f"created team {team.id} {team.name}")


@crm_clients_app.command("create")
def clients_create(
    name: Annotated[str, typer.Option(help="Which CRM this client is for.")],
    scopes: Annotated[str, typer.Option(help=f"Comma-separated, among {', '.join(service.SCOPES)}.")],
) -> None:
    """Create a client; its secret is printed once and stored only as a digest."""
    ctx = app_context()
    try:
        parsed = service.parse_scopes(scopes)
    except service.AccountError as exc:
        raise fail(str(exc)) from exc
    with session_scope(ctx.sessions) as session:
        try:
            client, secret = service.create_client(session, name=name, scopes=parsed, actor=cli_actor())
        except service.AccountError as exc:
            raise fail(str(exc)) from exc
        typer.echo(f"client_id:     {client.client_id}")
        typer.echo(f"client_secret: {secret}")
        typer.echo(f"scopes:        {' '.join(client.scopes)}")
        typer.echo("Store the secret now: it cannot be shown again.")


@crm_clients_app.command("list")
def clients_list() -> None:
    """List clients (never their secrets)."""
    ctx = app_context()
    with session_scope(ctx.sessions) as session:
        for client in service.list_clients(session):
            state = "active" if client.is_active else "revoked"
            typer.echo(f"{client.client_id}\t{client.name}\t{','.join(client.scopes)}\t{state}")


@crm_clients_app.command("revoke")
def clients_revoke(client_id: Annotated[str, typer.Argument(help="The client_id to disable.")]) -> None:
    """Disable a client: its tokens stop working on their next request."""
    ctx = app_context()
    with session_scope(ctx.sessions) as session:
        try:
            service.revoke_client(session, client_id, actor=cli_actor())
        except service.AccountError as exc:
            raise fail(str(exc)) from exc
        typer.echo(f"revoked {client_id}")
