"""The audit trail is append-only: the application can add entries, never change or remove them.

Two guards in the application, for every session and engine of the process:

- ``before_flush`` refuses a changed or deleted ``AuditEntry`` before any SQL is sent;
- ``before_cursor_execute`` refuses any UPDATE, DELETE or TRUNCATE statement on ``audit_log``
  (ORM bulk statements and raw SQL alike).

On PostgreSQL a trigger (migration 1200) refuses the same to the database role itself. The one
exception is a purge for retention (``compliance.audit.purge_before``), which lifts the DELETE
guards for its own transaction with ``audit_purge_allowed``; UPDATE is never allowed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from sqlalchemy import Connection, Engine, event, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, UOWTransaction

AUDIT_TABLE = "audit_log"
PURGE_SETTING = "leadsignal.audit_purge"
_PURGE_FLAG = "leadsignal_audit_purge"
_TARGET = re.compile(
    r"^\s*(UPDATE|DELETE\s+FROM|TRUNCATE)\s+(?:TABLE\s+)?(?:ONLY\s+)?(?:\"?\w+\"?\.)?\"?(\w+)\"?", re.IGNORECASE
)


class AuditTamperError(RuntimeError):
    """An attempt to change or delete audit entries outside a sanctioned purge."""


def _is_audit_entry(obj: object) -> bool:
    return getattr(type(obj), "__tablename__", None) == AUDIT_TABLE


@event.listens_for(Session, "before_flush")
def _refuse_orm_changes(session: Session, _: UOWTransaction, __: Any) -> None:
    if any(_is_audit_entry(obj) for obj in session.deleted):
        raise AuditTamperError("the audit log is append-only: audit entries cannot be deleted")
    if any(_is_audit_entry(obj) and session.is_modified(obj) for obj in session.dirty):
        raise AuditTamperError("the audit log is append-only: audit entries cannot be changed")


def refused_statement(statement: str, *, purge: bool) -> str | None:
    """The verb of ``statement`` when it would change ``audit_log`` and is not allowed, else None."""
    if AUDIT_TABLE not in statement.lower():
        return None
    match = _TARGET.match(statement)
    if match is None:
        return None
    verb = match.group(1).split()[0].upper()
    if verb == "TRUNCATE":
        hits = AUDIT_TABLE in re.split(r"[\s,\"]+", statement.lower())
    else:
        hits = match.group(2).lower() == AUDIT_TABLE
    if not hits or (purge and verb != "UPDATE"):
        return None
    return verb


@event.listens_for(Engine, "before_cursor_execute")
def _refuse_sql_changes(conn: Connection, _: Any, statement: str, *__: Any) -> None:
    verb = refused_statement(statement, purge=bool(conn.info.get(_PURGE_FLAG)))
    if verb is not None:
        raise AuditTamperError(f"the audit log is append-only: {verb} on {AUDIT_TABLE} is refused")


@contextmanager
def audit_purge_allowed(conn: Connection) -> Iterator[None]:
    """Allow DELETE/TRUNCATE of audit rows on this connection until the block ends (and, on
    PostgreSQL, at most until the transaction ends). Only retention purges and test clean-up use it."""
    postgres = conn.dialect.name == "postgresql"
    conn.info[_PURGE_FLAG] = True
    try:
        if postgres:
            conn.execute(text("SELECT set_config(:name, 'on', true)"), {"name": PURGE_SETTING})
        yield
    finally:
        conn.info.pop(_PURGE_FLAG, None)
        if postgres and not conn.invalidated and conn.in_transaction():
            with suppress(DBAPIError):  # a failed transaction's rollback drops the setting anyway
                conn.execute(text("SELECT set_config(:name, 'off', true)"), {"name": PURGE_SETTING})
