"""The Celery application a worker or beat process loads: ``celery -A leadsignal.jobs.worker worker``."""

from __future__ import annotations

from functools import lru_cache

from leadsignal.core.context import AppContext
from leadsignal.jobs.celery_app import create_celery_app
from leadsignal.settings import load_settings


@lru_cache(maxsize=1)
def _context() -> AppContext:
    return AppContext(load_settings())


app = create_celery_app(_context().settings, _context)
