"""``leadsignal demo ...``: the embedded default end to end, on synthetic data."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from sqlalchemy import func, select

from leadsignal.core import migrate
from leadsignal.core.cli_support import app_context, cli_actor, fail
from leadsignal.db import session_scope
from leadsignal.demo.accounts import ensure_demo_accounts
from leadsignal.demo.history import HistoryRefused, run_history
from leadsignal.demo.leadbook import write_sample_csv
from leadsignal.leads.importer import import_leads
from leadsignal.leads.models import Lead
from leadsignal.leads.segments import ensure_default_segments, list_segments, segment_members
from leadsignal.signals.models import Signal
from leadsignal.sources.snapshots import ProfileSnapshot

demo_app = typer.Typer(help="Synthetic sample data and the embedded end-to-end run.", no_args_is_help=True)


@demo_app.command("seed")
def seed(
    leads: Annotated[int, typer.Option(min=1, max=1_000_000, help="How many synthetic leads.")] = 500,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same book).")] = 42,
) -> None:
    """Create (or refresh) a synthetic lead book through the normal CSV import."""
    ctx = app_context()
    migrate.upgrade(ctx.engine)
    path = write_sample_csv(ctx.settings.data_dir / "sample-leads.csv", leads, seed=seed)
    report = import_leads(ctx.sessions, ctx.cipher, path, actor=cli_actor())
    with session_scope(ctx.sessions) as session:
        ensure_default_segments(session)
        credentials = ensure_demo_accounts(session, ctx.settings, actor=cli_actor())
    typer.echo(f"demo sign-in accounts (one per role): {credentials}")
    typer.echo(
        f"sample lead book {path}: imported {report.imported}, updated {report.updated}, "
        f"unchanged {report.unchanged}, rejected {len(report.rejected)}"
    )


def summary() -> dict[str, object]:
    ctx = app_context()
    with session_scope(ctx.sessions) as session:
        total = session.scalar(select(func.count(Lead.id))) or 0
        segments = {
            seg.name: sum(1 for _ in segment_members(session, seg.parsed_rules, ctx.cipher))
            for seg in list_segments(session)
        }
        by_type = dict(
            session.execute(select(Signal.signal_type, func.count(Signal.id)).group_by(Signal.signal_type))
            .tuples()
            .all()
        )
        snapshots = session.scalar(select(func.count(ProfileSnapshot.id))) or 0
    return {
        "database": ctx.engine.url.render_as_string(hide_password=True),
        "leads": total,
        "segments": segments,
        "profiles_stored": snapshots,
        "signals_by_type": by_type,
    }


@demo_app.command("summary")
def summary_command() -> None:
    """Print what is stored: leads, segment sizes, profiles and signals."""
    typer.echo(json.dumps(summary(), indent=2))


@demo_app.command("history")
def history(
    weeks: Annotated[int, typer.Option(min=1, max=52, help="Weekly sample cycles to run in the past.")] = 8,
) -> None:
    """Run past weekly monitoring cycles on the sample source (only before any monitoring ran)."""
    ctx = app_context()
    migrate.upgrade(ctx.engine)
    try:
        counts = run_history(ctx, weeks=weeks)
    except HistoryRefused as exc:
        raise fail(str(exc)) from exc
    typer.echo(json.dumps({"history": dict(counts)}))


@demo_app.command("outcomes")
def outcomes() -> None:
    """Record made-up outcomes (source "demo") for the synthetic book's alerted and held leads."""
    from leadsignal.demo.outcomes import record_demo_outcomes

    ctx = app_context()
    migrate.upgrade(ctx.engine)
    typer.echo(json.dumps({"demo_outcomes": dict(record_demo_outcomes(ctx))}))


@demo_app.command("run")
def run(
    leads: Annotated[int, typer.Option(min=1, max=100_000)] = 500,
    serve: Annotated[bool, typer.Option("--serve/--no-serve", help="Serve the dashboard afterwards.")] = True,
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    history_weeks: Annotated[int, typer.Option(min=1, max=52, help="Past weekly cycles on a fresh database.")] = 8,
) -> None:
    """Migrate, seed the sample book, add past weeks of monitoring (first run only), run one monitoring
    cycle, record made-up outcomes, print a summary, serve the dashboard."""
    from leadsignal.core.serve import serve_command
    from leadsignal.demo.outcomes import record_demo_outcomes
    from leadsignal.monitoring.cli import monitor_command

    seed(leads=leads, seed=42)
    ctx = app_context()
    try:
        typer.echo(json.dumps({"history": dict(run_history(ctx, weeks=history_weeks))}))
    except HistoryRefused as exc:
        typer.echo(f"history skipped: {exc}")
    monitor_command(once=True, limit=None, interval=None)
    typer.echo(json.dumps({"demo_outcomes": dict(record_demo_outcomes(ctx))}))
    summary_command()
    if serve:
        typer.echo(f"dashboard and API on http://127.0.0.1:{port} (Ctrl-C to stop)")
        serve_command(host="127.0.0.1", port=port, workers=1)
