"""An AppContext whose units of work commit SAVEPOINTs of one connection rolled back after the test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from leadsignal.core.context import AppContext
from leadsignal.settings import Settings
from tests.auth.factories import fast_hashing


@pytest.fixture
def ctx(settings: Settings, engine: Engine) -> Iterator[AppContext]:
    """An AppContext over one connection rolled back at the end; each unit of work commits a SAVEPOINT."""
    connection = engine.connect()
    outer = connection.begin()
    context = AppContext(fast_hashing(settings.model_copy(update={"retention_batch_size": 2})), _engine=engine)
    context.__dict__["sessions"] = sessionmaker(bind=connection, join_transaction_mode="create_savepoint",
                                                expire_on_commit=False)  # fmt: skip
    try:
        yield context
    finally:
        outer.rollback()
        connection.close()
