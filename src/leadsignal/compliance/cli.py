"""``leadsignal retention ...``, ``leadsignal backup ...`` and ``leadsignal compliance check``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, get_args

import typer

from leadsignal.compliance import holds
from leadsignal.compliance.backup import (
    BackupError,
    backup_root,
    create_backup,
    list_backups,
    prune_backups,
    read_manifest,
    restore_backup,
    verify_backup,
)
from leadsignal.compliance.checks import run_all as run_checks
from leadsignal.compliance.retention import DATA_CLASSES, DataClass, RetentionResult, retention_days
from leadsignal.compliance.retention import run_all as run_retention
from leadsignal.core.cli_support import app_context, cli_actor, fail
from leadsignal.db import session_scope

retention_app = typer.Typer(help="Archive and purge data past its retention period; legal holds.", no_args_is_help=True)
backup_app = typer.Typer(help="Database backups: create, verify, restore.", no_args_is_help=True)
compliance_app = typer.Typer(help="The automated compliance checklist.", no_args_is_help=True)


def _line(r: RetentionResult) -> str:
    verb = "would archive" if r.dry_run else "archived"
    text = f"{r.data_class:<11} {r.status:<9} cutoff {r.cutoff:%Y-%m-%d}  {verb} {r.archived}, purged {r.purged}"
    text += f", held {r.held}"
    if r.archive_path:
        text += f"  -> {r.archive_path}"
    if r.error:
        text += f"  error: {r.error}"
    return text


@retention_app.command("run")
def retention_run(
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Count what would be archived; write nothing.")] = False,
    data_class: Annotated[
        list[str] | None, typer.Option("--class", help=f"Only this class (repeatable): {', '.join(DATA_CLASSES)}.")
    ] = None,
) -> None:
    """Archive rows past their retention period, verify the archive, then purge them (exit 1 on any failure)."""
    ctx = app_context()
    chosen = tuple(data_class or DATA_CLASSES)
    unknown = [c for c in chosen if c not in get_args(DataClass)]
    if unknown:
        raise fail(f"unknown data class {', '.join(unknown)}; choose from {', '.join(DATA_CLASSES)}")
    if not ctx.settings.retention_enabled and not dry_run:
        raise fail("retention is switched off (LEADSIGNAL_RETENTION_ENABLED=false)")
    classes: tuple[DataClass, ...] = tuple(c for c in DATA_CLASSES if c in chosen)
    for c in classes:
        if retention_days(ctx.settings, c) <= 0:
            typer.echo(f"{c:<11} kept forever (LEADSIGNAL_RETENTION_{c.upper()}_DAYS=0)")
    results = run_retention(ctx, classes=classes, dry_run=dry_run, actor=cli_actor())
    for r in results:
        typer.echo(_line(r))
    if any(r.status != "succeeded" for r in results):
        raise typer.Exit(1)


@retention_app.command("hold")
def retention_hold(
    lead_id: Annotated[int, typer.Argument(help="The lead's id.")],
    reason: Annotated[str, typer.Option(help="Why its data must be kept (matter, case number).")],
) -> None:
    """Put a lead on legal hold: retention deletes nothing of it until released."""
    ctx = app_context()
    try:
        with session_scope(ctx.sessions) as session:
            row = holds.set_hold(session, lead_id, reason, actor=cli_actor())
            typer.echo(f"lead {lead_id} on legal hold since {row.set_at:%Y-%m-%d %H:%M} UTC (hold {row.id})")
    except holds.HoldError as exc:
        raise fail(str(exc)) from exc


@retention_app.command("release")
def retention_release(
    lead_id: Annotated[int, typer.Argument(help="The lead's id.")],
    reason: Annotated[str, typer.Option(help="Why the hold ends.")],
) -> None:
    """Release a lead's legal hold."""
    ctx = app_context()
    try:
        with session_scope(ctx.sessions) as session:
            holds.release_hold(session, lead_id, reason, actor=cli_actor())
    except holds.HoldError as exc:
        raise fail(str(exc)) from exc
    typer.echo(f"lead {lead_id}: legal hold released")


@retention_app.command("holds")
def retention_holds(all_holds: Annotated[bool, typer.Option("--all", help="Include released holds.")] = False) -> None:
    """List legal holds, newest first."""
    ctx = app_context()
    with session_scope(ctx.sessions) as session:
        rows = holds.list_holds(session, active_only=not all_holds)
        for h in rows:
            state = "active" if h.released_at is None else f"released {h.released_at:%Y-%m-%d} by {h.released_by}"
            typer.echo(f"lead {h.lead_id:<8} set {h.set_at:%Y-%m-%d} by {h.set_by:<20} {state}  {h.reason}")
    if not rows:
        typer.echo("no legal holds")


@backup_app.command("create")
def backup_create(
    out: Annotated[Path | None, typer.Option("--out", help="Directory; default LEADSIGNAL_BACKUP_DIR.")] = None,
) -> None:
    """Back up the database (SQLite online backup or pg_dump), write a manifest and verify it."""
    ctx = app_context()
    folder = out or backup_root(ctx.settings)
    try:
        manifest = create_backup(ctx.engine, folder)
    except BackupError as exc:
        raise fail(str(exc), code=1) from exc
    if out is None:
        prune_backups(folder, ctx.settings.backup_keep)
    typer.echo(f"{folder / manifest.file}  {manifest.db_kind}  {manifest.size_bytes} bytes  sha256 {manifest.sha256}")


@backup_app.command("verify")
def backup_verify(file: Annotated[Path, typer.Argument(help="A backup file (its .manifest.json beside it).")]) -> None:
    """Check a backup against its manifest and that it is readable."""
    try:
        manifest = verify_backup(file)
    except BackupError as exc:
        raise fail(str(exc), code=1) from exc
    typer.echo(
        f"ok: {manifest.db_kind} backup of {manifest.created_at:%Y-%m-%d %H:%M} UTC, heads {manifest.alembic_heads}"
    )


@backup_app.command("list")
def backup_list(
    folder: Annotated[Path | None, typer.Option("--dir", help="Default LEADSIGNAL_BACKUP_DIR.")] = None,
) -> None:
    """Backups in the backup directory, oldest first."""
    root = folder or backup_root(app_context().settings)
    found = list_backups(root)
    for path in found:
        try:
            m = read_manifest(path)
            typer.echo(f"{path}  {m.db_kind}  {m.created_at:%Y-%m-%d %H:%M} UTC  {m.size_bytes} bytes")
        except (BackupError, ValueError) as exc:
            typer.echo(f"{path}  (manifest unreadable: {exc})")
    if not found:
        typer.echo(f"no backups in {root}")


@backup_app.command("restore")
def backup_restore(
    file: Annotated[Path, typer.Argument(help="A backup file made by `leadsignal backup create`.")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
) -> None:
    """Replace the configured database with a backup. Stop the app and workers first."""
    ctx = app_context()
    if not yes:
        typer.confirm(f"Replace ALL data in the configured {ctx.engine.dialect.name} database with {file.name}?",
                      abort=True)  # fmt: skip
    try:
        manifest = restore_backup(ctx.engine, file)
    except BackupError as exc:
        raise fail(str(exc), code=1) from exc
    taken = f"{manifest.created_at:%Y-%m-%d %H:%M} UTC"
    typer.echo(f"restored {manifest.file} (taken {taken}, heads {manifest.alembic_heads}); "
               "run `leadsignal db upgrade` if the code is newer")  # fmt: skip


@compliance_app.command("check")
def compliance_check(
    output: Annotated[str, typer.Option("--format", help="text or json.")] = "text",
) -> None:
    """Run the compliance checklist; exit 1 when any item fails."""
    if output not in ("text", "json"):
        raise fail("--format must be text or json")
    report = run_checks(app_context())
    if output == "json":
        typer.echo(report.model_dump_json(indent=2))
    else:
        for item in report.items:
            mark = "PASS" if item.passed else "FAIL"
            typer.echo(f"[{mark}] {item.title}\n       {item.evidence}")
        verdict = "all checks passed" if report.passed else "some checks FAILED"
        typer.echo(f"\n{verdict} at {report.checked_at:%Y-%m-%d %H:%M} UTC")
    if not report.passed:
        raise typer.Exit(1)
