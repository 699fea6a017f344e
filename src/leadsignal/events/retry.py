"""Retry a whole unit of work when SQLite refuses a write with "database is locked".

In WAL mode a deferred transaction that read before another connection committed cannot
upgrade to a write, and SQLite answers at once instead of waiting (the busy timeout does not
apply). Re-running the whole transaction is safe because it rolled back. PostgreSQL never
raises this, so the wrapper is a no-op there.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import OperationalError

T = TypeVar("T")


def retry_locked(work: Callable[[], T], *, attempts: int = 8, base_delay: float = 0.02) -> T:
    for attempt in range(attempts):
        try:
            return work()
        except OperationalError as exc:
            if "database is locked" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(base_delay * 2**attempt * (0.5 + random.random()))
    raise AssertionError("unreachable")
