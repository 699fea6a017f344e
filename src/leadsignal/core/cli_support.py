"""What every CLI command shares: the process's AppContext, and the operator as an audit actor."""

from __future__ import annotations

import getpass
import os
from functools import lru_cache

import typer

from leadsignal.compliance.audit import Actor
from leadsignal.core.context import AppContext
from leadsignal.settings import load_settings

EXIT_BAD_INPUT = 2


@lru_cache(maxsize=1)
def app_context() -> AppContext:
    return AppContext(load_settings())


def cli_actor() -> Actor:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    return Actor(f"cli:{user}", origin=f"host:{os.uname().nodename}")


def fail(message: str, code: int = EXIT_BAD_INPUT) -> typer.Exit:
    typer.secho(f"error: {message}", fg=typer.colors.RED, err=True)
    return typer.Exit(code)
