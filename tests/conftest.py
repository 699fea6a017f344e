"""Test database selection and the fixtures every domain shares.

``LEADSIGNAL_TEST_DB=sqlite`` (default) or ``postgres`` picks the backend. For PostgreSQL a
fresh database is created for the run (``LEADSIGNAL_TEST_PG_ADMIN_URL`` names the server) and
dropped afterwards. The schema is always built by the real migrations.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from leadsignal.cli import app as cli_app
from leadsignal.compliance.append_only import audit_purge_allowed
from leadsignal.core import migrate
from leadsignal.core.cli_support import app_context
from leadsignal.core.context import AppContext
from leadsignal.core.crypto import PiiCipher
from leadsignal.db import make_engine, make_sessionmaker
from leadsignal.models import Base
from leadsignal.settings import Settings

TEST_KEYS = "t1:" + "A" * 43
TEST_INDEX_KEY = "B" * 43
BACKEND = os.environ.get("LEADSIGNAL_TEST_DB", "sqlite")
PG_ADMIN_URL = os.environ.get("LEADSIGNAL_TEST_PG_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def pytest_report_header() -> str:
    return f"leadsignal test database: {BACKEND}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if BACKEND == "postgres":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (LEADSIGNAL_TEST_DB=postgres)")
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if BACKEND == "sqlite":
        path = tmp_path_factory.mktemp("db") / "test.db"
        yield f"sqlite:///{path}"
        return
    if BACKEND != "postgres":
        raise pytest.UsageError(f"LEADSIGNAL_TEST_DB must be sqlite or postgres, not {BACKEND!r}")
    name = f"leadsignal_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    eng = make_engine(database_url)
    migrate.upgrade(eng)
    yield eng
    eng.dispose()


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        env="test",
        database_url=database_url,
        data_dir=tmp_path / "data",
        encryption_keys=TEST_KEYS,
        blind_index_key=TEST_INDEX_KEY,
        jwt_secret="test-jwt-secret-0123456789abcdef0123456789",
        brevo_webhook_token="test-brevo-webhook-token",
        crm_inbound_secret="test-crm-inbound-secret",
        sse_max_seconds=1.0,
        holdout_share=0.0,  # the hold-out experiment is off unless a test turns it on (tests/uplift)
    )


@pytest.fixture
def cipher() -> PiiCipher:
    return PiiCipher.from_specs(TEST_KEYS, TEST_INDEX_KEY)


@pytest.fixture
def db(engine: Engine) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test."""
    connection = engine.connect()
    outer = connection.begin()
    session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
    try:
        yield session
    finally:
        session.close()
        outer.rollback()
        connection.close()


def _wipe(engine: Engine) -> None:
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with engine.begin() as conn, audit_purge_allowed(conn):  # the one place tests empty the audit log
        if engine.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                conn.execute(text(f'DELETE FROM "{table}"'))


@pytest.fixture
def app_ctx(settings: Settings, engine: Engine) -> Iterator[AppContext]:
    """A real AppContext whose commits persist; every table is emptied after the test."""
    ctx = AppContext(settings, _engine=engine)
    try:
        yield ctx
    finally:
        _wipe(engine)


@pytest.fixture
def sessions(app_ctx: AppContext):  # type: ignore[no-untyped-def]
    return make_sessionmaker(app_ctx.engine)


@pytest.fixture(scope="session")
def signal_detector(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The bundled default model, trained once per test session in its own throwaway database."""
    from leadsignal.db import session_scope
    from leadsignal.nlp.service import SignalDetector

    root = tmp_path_factory.mktemp("detector")
    settings = Settings(_env_file=None, env="test", data_dir=root, database_url=f"sqlite:///{root / 'nlp.db'}",  # type: ignore[call-arg]
                        encryption_keys=TEST_KEYS, blind_index_key=TEST_INDEX_KEY)  # fmt: skip
    eng = make_engine(settings.sqlalchemy_url)
    migrate.upgrade(eng)
    with session_scope(make_sessionmaker(eng)) as session:
        detector = SignalDetector.load(settings, session)
    eng.dispose()
    return detector


def _cli_environment(monkeypatch: pytest.MonkeyPatch, values: dict[str, str]) -> None:
    keys = {
        "LEADSIGNAL_ENV": "test",
        "LEADSIGNAL_ENCRYPTION_KEYS": TEST_KEYS,
        "LEADSIGNAL_BLIND_INDEX_KEY": TEST_INDEX_KEY,
    }
    for key, value in {**keys, **values}.items():
        monkeypatch.setenv(key, value)
    app_context.cache_clear()


@pytest.fixture
def cli_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The CLI on its own migrated SQLite database, run from a temporary directory (no stray .env)."""
    monkeypatch.chdir(tmp_path)
    _cli_environment(monkeypatch, {"LEADSIGNAL_DATA_DIR": str(tmp_path / "data"),
                                   "LEADSIGNAL_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}"})  # fmt: skip
    assert CliRunner().invoke(cli_app, ["db", "upgrade"]).exit_code == 0
    yield tmp_path
    app_context().dispose()
    app_context.cache_clear()


@pytest.fixture
def cli_ctx(app_ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppContext]:
    """The CLI pointed at the test database through the environment, as an operator would run it."""
    _cli_environment(monkeypatch, {"LEADSIGNAL_DATABASE_URL": app_ctx.settings.sqlalchemy_url,
                                   "LEADSIGNAL_DATA_DIR": str(app_ctx.settings.data_dir)})  # fmt: skip
    try:
        yield app_ctx
    finally:
        app_context().dispose()
        app_context.cache_clear()
