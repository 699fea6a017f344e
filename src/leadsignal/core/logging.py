"""Structured logs: one JSON object per line (or coloured console lines in development).

structlog and the standard library (uvicorn, Celery, SQLAlchemy) go through the same formatter,
so every line carries the same keys. The request being served lives in a context variable
(``RequestInfo``, set by the request middleware); it is a mutable object so a dependency running
in a worker thread (the principal) can add to it and the middleware's final line still sees it.
Audit entries read the same object for "from where" (``compliance.audit.record``).
"""

from __future__ import annotations

import logging
import sys
from contextvars import ContextVar, Token
from dataclasses import dataclass
from typing import IO, Any

import structlog
from structlog.types import EventDict, Processor, WrappedLogger

from leadsignal.settings import Settings

_HANDLER_MARK = "_leadsignal_handler"
_FOREIGN_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "celery", "celery.task", "celery.worker")


@dataclass
class RequestInfo:
    request_id: str
    method: str
    path: str
    client_ip: str | None = None
    principal: str | None = None  # ``user:42`` / ``crm:acme`` once authenticated


_request: ContextVar[RequestInfo | None] = ContextVar("leadsignal_request", default=None)


def current_request() -> RequestInfo | None:
    return _request.get()


def begin_request(info: RequestInfo) -> Token[RequestInfo | None]:
    return _request.set(info)


def end_request(token: Token[RequestInfo | None]) -> None:
    _request.reset(token)


def set_principal(name: str) -> None:
    """Record who is calling on the current request (a no-op outside a request)."""
    info = _request.get()
    if info is not None:
        info.principal = name


def add_request_context(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
    info = _request.get()
    if info is not None:
        event_dict.setdefault("request_id", info.request_id)
        event_dict.setdefault("method", info.method)
        event_dict.setdefault("path", info.path)
        if info.principal:
            event_dict.setdefault("principal", info.principal)
    return event_dict


def _shared_processors() -> list[Processor]:
    return [
        structlog.contextvars.merge_contextvars,
        add_request_context,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.StackInfoRenderer(),
    ]


def configure_logging(settings: Settings, *, stream: IO[str] | None = None) -> logging.Handler:
    """Send structlog and stdlib logging to ``stream`` (stderr) in ``settings.log_format``.

    Idempotent: a second call replaces the handler the first installed and leaves others alone
    (pytest's capture handler, for one). Returns the installed handler."""
    shared = _shared_processors()
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=False,  # loggers follow a later reconfiguration (tests, worker start)
    )
    renderer: Processor
    if settings.log_format == "console":
        renderer = structlog.dev.ConsoleRenderer()
        final: list[Processor] = [structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer]
    else:
        renderer = structlog.processors.JSONRenderer()
        final = [
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            renderer,
        ]
    formatter = structlog.stdlib.ProcessorFormatter(foreign_pre_chain=shared, processors=final)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(formatter)
    setattr(handler, _HANDLER_MARK, True)
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, _HANDLER_MARK, False)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(settings.log_level)
    for name in _FOREIGN_LOGGERS:  # their own handlers would print a second, unstructured line
        foreign = logging.getLogger(name)
        foreign.handlers.clear()
        foreign.propagate = True
    return handler


_sentry_warned = False


def init_sentry(settings: Settings, *, component: str = "api") -> bool:
    """Start Sentry when a DSN is configured and ``sentry-sdk`` is installed (the ``sentry``
    extra). Without the package, warn once and go on: error reporting must not stop the app."""
    global _sentry_warned
    if settings.sentry_dsn is None:
        return False
    try:
        import sentry_sdk  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        if not _sentry_warned:
            _sentry_warned = True
            structlog.get_logger(__name__).warning(
                "sentry.unavailable",
                reason="LEADSIGNAL_SENTRY_DSN is set but sentry-sdk is not installed; "
                "install leadsignal[sentry] to report errors to Sentry",
            )
        return False
    options: dict[str, Any] = {
        "dsn": settings.sentry_dsn.get_secret_value(),
        "environment": settings.env,
        "send_default_pii": False,  # borrowers' data must not leave for a third party
        "traces_sample_rate": 0.0,
        "server_name": component,
    }
    sentry_sdk.init(**options)
    return True
