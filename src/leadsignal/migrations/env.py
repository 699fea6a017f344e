"""Alembic environment: the engine comes from the caller (``leadsignal db upgrade``, tests)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from leadsignal.models import Base

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is None:
    from leadsignal.db import make_engine

    url = context.config.get_main_option("sqlalchemy.url")
    assert url, "sqlalchemy.url or a connection attribute is required"
    with make_engine(url).connect() as conn:
        _run(conn)
else:
    _run(connection)
