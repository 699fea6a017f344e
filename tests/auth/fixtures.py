"""Fixtures for API tests: the app over one connection whose transaction is rolled back at the end.

Each request's session commits to a SAVEPOINT, so requests see each other's writes while nothing
outlives the test; that avoids emptying every table after each test, which is slow on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from leadsignal.app import create_app
from leadsignal.core.context import AppContext
from leadsignal.core.crypto import PiiCipher
from leadsignal.db import session_scope
from leadsignal.settings import Settings
from tests.auth.factories import Scene, build_scene, fast_hashing


@pytest.fixture
def app_ctx(settings: Settings, engine: Engine) -> Iterator[AppContext]:
    connection = engine.connect()
    outer = connection.begin()
    ctx = AppContext(fast_hashing(settings), _engine=engine)
    ctx.__dict__["sessions"] = sessionmaker(bind=connection, join_transaction_mode="create_savepoint",
                                            expire_on_commit=False)  # fmt: skip
    try:
        yield ctx
    finally:
        outer.rollback()
        connection.close()


@pytest.fixture
def client(app_ctx: AppContext) -> Iterator[TestClient]:
    with TestClient(create_app(app_ctx)) as test_client:
        yield test_client


@pytest.fixture
def scene(app_ctx: AppContext, cipher: PiiCipher) -> Scene:
    with session_scope(app_ctx.sessions) as session:
        return build_scene(session, cipher, app_ctx.settings)
