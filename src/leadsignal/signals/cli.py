"""``leadsignal signals weights``: show or override the scoring weight per signal type."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from leadsignal.core.cli_support import app_context, cli_actor, fail
from leadsignal.db import session_scope
from leadsignal.signals import weights

signals_app = typer.Typer(help="Signals: scoring weights per signal type.", no_args_is_help=True)


def parse_change(text: str) -> tuple[str, float | None]:
    """``type=weight``, or ``type=default`` to remove an override."""
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise fail(f"--set wants type=weight (or type=default), got {text!r}")
    if value.strip().lower() == "default":
        return name.strip(), None
    try:
        return name.strip(), float(value)
    except ValueError:
        raise fail(f"weight for {name.strip()!r} is not a number: {value!r}") from None


@signals_app.command("weights")
def weights_command(
    changes: Annotated[
        list[str] | None,
        typer.Option("--set", help="type=weight (0 to 3), or type=default to remove an override. Repeatable."),
    ] = None,
) -> None:
    """Show the weights in force (defaults, overrides, effective); with --set, change overrides first."""
    ctx = app_context()
    parsed = dict(parse_change(c) for c in changes or [])
    with session_scope(ctx.sessions) as session:
        if parsed:
            try:
                weights.set_weights(session, parsed, actor=cli_actor(), user_id=None)
            except weights.WeightError as exc:
                raise fail(str(exc)) from exc
        found = weights.current(session, ctx.settings)
    out = {"weights": found.effective, "defaults": found.defaults, "overrides": found.overrides}
    typer.echo(json.dumps(out, indent=2, sort_keys=True))
