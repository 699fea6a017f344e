"""The migrations build exactly the schema the models declare, and can be undone."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from leadsignal.core import migrate
from leadsignal.db import make_engine
from leadsignal.models import Base


def test_models_and_migrations_agree(engine: Engine) -> None:
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_upgrade_downgrade_upgrade(tmp_path) -> None:  # type: ignore[no-untyped-def]
    eng = make_engine(f"sqlite:///{tmp_path / 'm.db'}")
    migrate.upgrade(eng)
    assert "leads" in inspect(eng).get_table_names()
    migrate.downgrade(eng, "base")
    assert "leads" not in inspect(eng).get_table_names()
    migrate.upgrade(eng)
    assert set(Base.metadata.tables) <= set(inspect(eng).get_table_names())
    eng.dispose()
