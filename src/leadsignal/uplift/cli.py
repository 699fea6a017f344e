"""``leadsignal report uplift|precision`` and ``leadsignal simulate uplift``."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from leadsignal.compliance import audit
from leadsignal.core import migrate
from leadsignal.core.cli_support import app_context, cli_actor, fail
from leadsignal.core.context import AppContext
from leadsignal.db import session_scope, utcnow
from leadsignal.settings import Settings
from leadsignal.uplift.precision import precision_report
from leadsignal.uplift.render import precision_csv, uplift_csv, uplift_html
from leadsignal.uplift.report import UpliftReport, uplift_report
from leadsignal.uplift.simulator import OutcomeModel, simulate_ledger, simulate_pipeline

report_app = typer.Typer(help="Reports: uplift of the hold-out experiment, agents' precision.", no_args_is_help=True)
simulate_app = typer.Typer(help="Synthetic books with a known truth, to check the reports.", no_args_is_help=True)


class Format(StrEnum):
    json = "json"
    csv = "csv"
    html = "html"


SinceOption = Annotated[
    dt.datetime | None, typer.Option("--since", formats=["%Y-%m-%d"], help="Only from this day (YYYY-MM-DD).")
]


def _since(value: dt.datetime | None) -> dt.date | None:
    if value is None:
        return None
    if value.date() > utcnow().date():
        raise fail("--since is in the future")
    return value.date()


def _emit(report: UpliftReport, fmt: Format) -> None:
    if fmt is Format.csv:
        typer.echo(uplift_csv(report), nl=False)
    elif fmt is Format.html:
        typer.echo(uplift_html(report), nl=False)
    else:
        typer.echo(report.model_dump_json(indent=2))


@report_app.command("uplift")
def uplift_command(
    since: SinceOption = None,
    fmt: Annotated[Format, typer.Option("--format", help="json, csv or html (self-contained).")] = Format.json,
) -> None:
    """Treatment versus control conversion, per signal type and overall."""
    day = _since(since)
    ctx = app_context()
    with session_scope(ctx.sessions) as session:
        report = uplift_report(session, ctx.settings, now=utcnow(), since=day)
        audit.record(session, cli_actor(), "report.uplift.read", entity_type="report",
                     details={"since": day.isoformat() if day else None})  # fmt: skip
    _emit(report, fmt)


@report_app.command("precision")
def precision_command(
    since: SinceOption = None,
    fmt: Annotated[Format, typer.Option("--format", help="json or csv.")] = Format.json,
) -> None:
    """Precision by signal type per ISO week, as agents judged it."""
    if fmt is Format.html:
        raise fail("the precision report comes as json or csv")
    day = _since(since)
    ctx = app_context()
    with session_scope(ctx.sessions) as session:
        report = precision_report(session, now=utcnow(), since=day)
        audit.record(session, cli_actor(), "report.precision.read", entity_type="report",
                     details={"since": day.isoformat() if day else None})  # fmt: skip
    typer.echo(precision_csv(report) if fmt is Format.csv else report.model_dump_json(indent=2), nl=False)


def _type_effects(values: list[str]) -> dict[str, float]:
    effects: dict[str, float] = {}
    for item in values:
        name, sep, number = item.partition("=")
        try:
            effects[name.strip()] = float(number)
        except ValueError:
            raise fail(f"--type-effect wants TYPE=NUMBER, got {item!r}") from None
        if not sep or not name.strip():
            raise fail(f"--type-effect wants TYPE=NUMBER, got {item!r}")
    return effects


@simulate_app.command("uplift")
def simulate_uplift_command(
    leads: Annotated[int, typer.Option(min=10, max=200_000, help="Leads in the synthetic book.")] = 500,
    effect: Annotated[float, typer.Option(min=-0.9, max=5.0, help="True relative uplift, e.g. 0.3.")] = 0.3,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 1,
    share: Annotated[float, typer.Option(min=0.01, max=0.5, help="Control share.")] = 0.5,
    cycles: Annotated[int, typer.Option(min=1, max=20, help="Monitoring cycles (a simulated week each).")] = 3,
    type_effect: Annotated[list[str] | None, typer.Option("--type-effect", help="TYPE=EFFECT, repeatable.")] = None,
    fast: Annotated[bool, typer.Option("--fast", help="Generated ledger only: no import, scraping or DB.")] = False,
    fmt: Annotated[Format, typer.Option("--format", help="json, csv or html.")] = Format.json,
) -> None:
    """Run the system on a synthetic book with a known uplift and print the report (in a throwaway DB)."""
    model = OutcomeModel(effect=effect, effects=_type_effects(type_effect or []))
    if fast:
        _emit(simulate_ledger(leads=leads, seed=seed, model=model, share=share), fmt)
        return
    with tempfile.TemporaryDirectory(prefix="leadsignal-sim-") as tmp:
        settings = Settings(
            _env_file=None,
            env="development", data_dir=Path(tmp), database_url=f"sqlite:///{Path(tmp) / 'simulation.db'}",
            holdout_experiment=f"sim-{seed}", holdout_share=share, holdout_salt=f"simulation-{seed}",
        )  # fmt: skip
        ctx = AppContext(settings)
        try:
            migrate.upgrade(ctx.engine)
            run = simulate_pipeline(ctx, leads=leads, seed=seed, model=model, cycles=cycles)
        finally:
            ctx.dispose()
    typer.echo(json.dumps(dict(sorted(run.counts.items()))), err=True)
    _emit(run.report, fmt)
