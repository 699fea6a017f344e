"""Entry point of a dispatcher in a child process (spawned, so it imports everything afresh)."""

from __future__ import annotations

from leadsignal.core.context import AppContext
from leadsignal.crm.dispatcher import dispatch_once
from leadsignal.settings import Settings


def run_dispatch(settings: Settings) -> None:
    ctx = AppContext(settings)
    try:
        dispatch_once(ctx)
    finally:
        ctx.dispose()
