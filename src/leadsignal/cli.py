"""The ``leadsignal`` command. Each domain contributes a sub-command group."""

from __future__ import annotations

from typing import Annotated

import typer

from leadsignal.alerts.cli import alerts_app, digest_app
from leadsignal.alerts.email.cli import emails_app
from leadsignal.auth.cli import crm_app, teams_app, users_app
from leadsignal.compliance.cli import backup_app, compliance_app, retention_app
from leadsignal.compliance.ops.cli import admin_app
from leadsignal.compliance.optout_cli import optout_app  # also adds `leads export-data`
from leadsignal.core import migrate
from leadsignal.core.cli_support import app_context, fail
from leadsignal.core.crypto import new_key
from leadsignal.core.serve import serve_command
from leadsignal.crm import cli as _crm_cli  # noqa: F401  - adds webhooks, deadletters, inbox, reconcile to crm_app
from leadsignal.demo.cli import demo_app
from leadsignal.leads.cli import leads_app, segments_app
from leadsignal.matching.cli import match_command, review_app
from leadsignal.monitoring.cli import beat_command, monitor_command, worker_command
from leadsignal.nlp.cli import classify_command, model_app
from leadsignal.signals.cli import signals_app
from leadsignal.uplift.cli import report_app, simulate_app

app = typer.Typer(help="leadsignal: positive financial signals for second-chance borrowers.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema migrations.", no_args_is_help=True)
keys_app = typer.Typer(help="Encryption keys for PII at rest.", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade(target: Annotated[str, typer.Argument(help="Revision, default every head.")] = "heads") -> None:
    """Apply migrations to the configured database."""
    ctx = app_context()
    migrate.upgrade(ctx.engine, target)
    typer.echo(f"database at {', '.join(sorted(migrate.current_heads(ctx.engine)))}")


@db_app.command("current")
def db_current() -> None:
    """Show the revisions the database is at."""
    typer.echo(", ".join(sorted(migrate.current_heads(app_context().engine))) or "empty")


@db_app.command("downgrade")
def db_downgrade(target: Annotated[str, typer.Argument(help="Revision to go back to, or 'base'.")]) -> None:
    """Undo migrations down to TARGET."""
    migrate.downgrade(app_context().engine, target)


@keys_app.command("generate")
def keys_generate(kid: Annotated[str, typer.Option(help="Key id (alphanumeric).")] = "k1") -> None:
    """Print a new 256-bit key as LEADSIGNAL_ENCRYPTION_KEYS wants it."""
    if not kid.isalnum():
        raise fail("key id must be alphanumeric")
    typer.echo(f"{kid}:{new_key()}")


@keys_app.command("reencrypt")
def keys_reencrypt(batch_size: Annotated[int, typer.Option(min=1)] = 1000) -> None:
    """Re-encrypt every PII field under the active key (run after adding a new key first)."""
    from leadsignal.leads.rekey import reencrypt_all

    ctx = app_context()
    moved = reencrypt_all(ctx.sessions, ctx.cipher, batch_size=batch_size)
    typer.echo(f"re-encrypted {moved} leads under key {ctx.cipher.active_kid}")


app.add_typer(db_app, name="db")
app.add_typer(keys_app, name="keys")
app.add_typer(users_app, name="users")
app.add_typer(teams_app, name="teams")
app.add_typer(crm_app, name="crm")
app.add_typer(leads_app, name="leads")
app.add_typer(segments_app, name="segments")
app.add_typer(optout_app, name="optout")
app.add_typer(demo_app, name="demo")
app.add_typer(emails_app, name="emails")
app.add_typer(digest_app, name="digest")
app.add_typer(signals_app, name="signals")
app.add_typer(alerts_app, name="alerts")
app.add_typer(model_app, name="model")
app.command("classify")(classify_command)
app.command("match")(match_command)
app.add_typer(review_app, name="identity")
app.add_typer(report_app, name="report")
app.add_typer(simulate_app, name="simulate")
app.add_typer(retention_app, name="retention")
app.add_typer(backup_app, name="backup")
app.add_typer(compliance_app, name="compliance")
app.add_typer(admin_app, name="admin")
app.command("serve")(serve_command)
app.command("monitor")(monitor_command)
app.command("worker")(worker_command)
app.command("beat")(beat_command)


def main() -> None:
    app()
