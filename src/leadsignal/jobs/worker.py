"""The Celery application a worker or beat process loads: ``celery -A leadsignal.jobs.worker worker``."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from celery.signals import setup_logging

from leadsignal.core.context import AppContext
from leadsignal.core.logging import configure_logging, init_sentry
from leadsignal.jobs.celery_app import create_celery_app
from leadsignal.settings import load_settings


@lru_cache(maxsize=1)
def _context() -> AppContext:
    return AppContext(load_settings())


app = create_celery_app(_context().settings, _context)


@setup_logging.connect  # type: ignore[untyped-decorator]
def _logging(**_: Any) -> None:
    """Celery's own logging set-up is skipped: its lines go through our JSON formatter."""
    configure_logging(_context().settings)
    init_sentry(_context().settings, component="worker")
