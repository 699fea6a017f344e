"""Insert-or-ignore on a unique key, portable between SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert_ignore(session: Session, table: Table, values: dict[str, Any]) -> bool:
    """Insert one row unless it clashes with a unique constraint; True when a row was inserted.

    Conflicts are resolved by the database, so two workers racing on the same natural key
    both succeed and exactly one row exists afterwards.
    """
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        stmt: Any = postgresql.insert(table).values(**values).on_conflict_do_nothing()
    elif dialect == "sqlite":
        stmt = sqlite.insert(table).values(**values).on_conflict_do_nothing()
    else:  # pragma: no cover - only the two supported backends
        raise RuntimeError(f"insert_ignore does not support {dialect}")
    # RETURNING, not rowcount: through a Session, psycopg reports -1 for a single-row insert.
    return session.execute(stmt.returning(*table.primary_key.columns)).first() is not None
