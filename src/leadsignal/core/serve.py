"""``leadsignal serve``: uvicorn with TLS 1.3 when certificates are configured."""

from __future__ import annotations

import ssl
from typing import Annotated

import typer

from leadsignal.core.cli_support import app_context, fail
from leadsignal.core.logging import configure_logging, init_sentry


def serve_command(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes (PostgreSQL only).")] = 1,
) -> None:
    """Serve the API and the dashboard."""
    import uvicorn

    from leadsignal.app import create_app

    ctx = app_context()
    settings = ctx.settings
    configure_logging(settings)
    init_sentry(settings, component="api")
    tls: dict[str, object] = {}
    if settings.tls_certfile or settings.tls_keyfile:
        if not (settings.tls_certfile and settings.tls_keyfile):
            raise fail("TLS needs both LEADSIGNAL_TLS_CERTFILE and LEADSIGNAL_TLS_KEYFILE")
        tls = {"ssl_certfile": str(settings.tls_certfile), "ssl_keyfile": str(settings.tls_keyfile)}
    elif settings.env == "production" and host not in ("127.0.0.1", "localhost", "::1"):
        raise fail("production on a public interface needs TLS (or a TLS-terminating proxy on loopback)")
    config = uvicorn.Config(create_app(ctx), host=host, port=port, workers=workers, proxy_headers=True,
                            server_header=False, log_config=None, access_log=False, **tls)  # type: ignore[arg-type]  # fmt: skip
    if tls:
        # uvicorn builds the context; pin the floor to TLS 1.3 as the security model requires.
        config.load()
        assert config.ssl is not None
        config.ssl.minimum_version = ssl.TLSVersion.TLSv1_3
    stop = None
    if not (settings.broker_url or settings.redis_url):
        # Embedded default: no Celery, so this process raises alerts and delivers webhooks itself.
        from leadsignal.jobs.embedded import start_background

        stop = start_background(ctx)
    try:
        uvicorn.Server(config).run()
    finally:
        if stop is not None:
            stop.set()
