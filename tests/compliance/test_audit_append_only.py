"""The audit log cannot be altered through the application, nor on PostgreSQL by the database role;
the one sanctioned purge is itself audited."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, delete, func, select, text, update
from sqlalchemy.orm import Session

from leadsignal.compliance import audit
from leadsignal.compliance.append_only import AuditTamperError, refused_statement
from leadsignal.compliance.audit import Actor, purge_before
from leadsignal.compliance.models import AuditEntry
from leadsignal.core.logging import RequestInfo, begin_request, end_request
from leadsignal.db import utcnow

ACTOR = Actor("user:7", origin="ip:203.0.113.7")


def _entry(db: Session, *, days_ago: float = 0, action: str = "lead.read") -> AuditEntry:
    row = AuditEntry(occurred_at=utcnow() - dt.timedelta(days=days_ago), actor="user:7", action=action,
                     entity_type="lead", entity_id="1", fields=["email"], details={})  # fmt: skip
    db.add(row)
    db.flush()
    return row


def test_orm_changes_to_an_entry_are_refused(db: Session) -> None:
    row = _entry(db)
    row.action = "lead.nothing_to_see"
    with pytest.raises(AuditTamperError, match="cannot be changed"):
        db.flush()
    db.rollback()
    row = _entry(db)
    db.delete(row)
    with pytest.raises(AuditTamperError, match="cannot be deleted"):
        db.flush()


@pytest.mark.parametrize(
    "statement",
    [
        lambda: update(AuditEntry).values(actor="someone else"),
        lambda: delete(AuditEntry),
        lambda: text("UPDATE audit_log SET actor = 'x'"),
        lambda: text('DELETE FROM "audit_log" WHERE id > 0'),
        lambda: text("delete from public.audit_log"),
    ],
    ids=["orm-update", "orm-delete", "sql-update", "sql-delete-quoted", "sql-delete-schema"],
)
def test_bulk_and_raw_sql_changes_are_refused(db: Session, statement) -> None:  # type: ignore[no-untyped-def]
    if "public." in str(statement()) and db.get_bind().dialect.name != "postgresql":
        pytest.skip("schema-qualified names are PostgreSQL's")
    _entry(db)
    with pytest.raises(AuditTamperError, match="append-only"):
        db.execute(statement())


def test_the_guard_reads_statements_precisely() -> None:
    assert refused_statement("UPDATE audit_log SET x=1", purge=True) == "UPDATE"  # never, even purging
    assert refused_statement("DELETE FROM audit_log WHERE id=1", purge=False) == "DELETE"
    assert refused_statement("DELETE FROM audit_log WHERE id=1", purge=True) is None
    assert refused_statement('TRUNCATE "leads", "audit_log" CASCADE', purge=False) == "TRUNCATE"
    assert refused_statement("INSERT INTO audit_log (actor) VALUES ('a')", purge=False) is None
    assert refused_statement("UPDATE leads SET note='see audit_log'", purge=False) is None
    assert refused_statement("DELETE FROM audit_log_archive", purge=False) is None


def test_entries_take_where_from_the_request_being_served(db: Session) -> None:
    token = begin_request(RequestInfo("req-42", "GET", "/api/v1/leads/1", "198.51.100.9"))
    try:
        audit.record(db, Actor("user:1"), "lead.read", entity_type="lead", entity_id=1, fields=["email"])
        audit.record_many(db, Actor("crm:acme"), [{"action": "lead.imported", "entity_type": "lead", "entity_id": 2}])
        audit.record(db, ACTOR, "lead.read", entity_type="lead", entity_id=3)  # the actor's own origin wins
    finally:
        end_request(token)
    audit.record(db, Actor("system"), "lead.read", entity_type="lead", entity_id=4)  # no request: nothing made up
    db.flush()
    mine = AuditEntry.entity_id.in_(["1", "2", "3", "4"])
    rows = db.execute(select(AuditEntry.entity_id, AuditEntry.origin, AuditEntry.request_id)
                      .where(mine).order_by(AuditEntry.entity_id)).all()  # fmt: skip
    assert [tuple(r) for r in rows] == [
        ("1", "ip:198.51.100.9", "req-42"),
        ("2", "ip:198.51.100.9", "req-42"),
        ("3", "ip:203.0.113.7", "req-42"),
        ("4", None, None),
    ]


def test_purge_removes_only_older_entries_and_audits_itself(db: Session) -> None:
    old = [_entry(db, days_ago=400).id, _entry(db, days_ago=390).id]
    recent = _entry(db, days_ago=10).id
    cutoff = utcnow() - dt.timedelta(days=365)

    purged = purge_before(db, cutoff, "retention: audit log kept 365 days", Actor("system:retention"))

    assert purged == 2
    remaining = set(db.scalars(select(AuditEntry.id)))
    assert recent in remaining
    assert not remaining & set(old)
    [entry] = db.scalars(select(AuditEntry).where(AuditEntry.action == "audit.purged")).all()
    assert entry.actor == "system:retention"
    assert entry.details == {"cutoff": cutoff.isoformat(), "reason": "retention: audit log kept 365 days", "rows": 2}
    with pytest.raises(AuditTamperError):  # the guard is back once the purge is done
        db.execute(delete(AuditEntry))


def test_purge_refuses_bad_requests(db: Session) -> None:
    with pytest.raises(ValueError, match=r"timezone-aware"):
        purge_before(db, dt.datetime(2020, 1, 1), "x")
    with pytest.raises(ValueError, match="future"):
        purge_before(db, utcnow() + dt.timedelta(minutes=5), "x")
    with pytest.raises(ValueError, match="reason"):
        purge_before(db, utcnow() - dt.timedelta(days=1), "   ")


# -- PostgreSQL: the database role itself cannot alter the log ------------------------------------


@pytest.fixture
def app_role(engine: Engine) -> Iterator[str]:
    """A login-less, non-superuser role with every privilege on audit_log, as an application role has."""
    name = f"ls_app_{uuid.uuid4().hex[:8]}"
    with engine.begin() as conn:
        conn.execute(text(f'CREATE ROLE "{name}" NOSUPERUSER NOINHERIT'))
        conn.execute(text(f'GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON audit_log TO "{name}"'))
    try:
        yield name
    finally:
        with engine.begin() as conn:
            conn.execute(text(f'REVOKE ALL ON audit_log FROM "{name}"'))
            conn.execute(text(f'DROP ROLE "{name}"'))


@pytest.mark.postgres_only
@pytest.mark.parametrize(
    "statement",
    ["UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log", "TRUNCATE audit_log"],
)
def test_the_database_role_cannot_alter_rows(engine: Engine, app_role: str, statement: str) -> None:
    import psycopg

    raw = engine.raw_connection()  # plain DBAPI: no application guard in the way, only the database
    try:
        cursor = raw.cursor()
        cursor.execute("INSERT INTO audit_log (occurred_at, actor, action, entity_type, fields, details) "
                       "VALUES (now(), 'user:1', 'lead.read', 'lead', '[]', '{}')")  # fmt: skip
        cursor.execute(f'SET LOCAL ROLE "{app_role}"')
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
            cursor.execute(statement)
    finally:
        raw.rollback()
        raw.close()


@pytest.mark.postgres_only
def test_the_trigger_lets_only_a_declared_purge_delete(engine: Engine) -> None:
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("INSERT INTO audit_log (occurred_at, actor, action, entity_type, fields, details) "
                       "VALUES (now() - interval '2 years', 'user:1', 'lead.read', 'lead', '[]', '{}')")  # fmt: skip
        cursor.execute("INSERT INTO audit_log (occurred_at, actor, action, entity_type, fields, details) "
                       "VALUES (now(), 'user:1', 'lead.read', 'lead', '[]', '{}')")  # fmt: skip
        cursor.execute("SELECT set_config('leadsignal.audit_purge', 'on', true)")
        cursor.execute("DELETE FROM audit_log WHERE occurred_at < now() - interval '1 year'")
        assert cursor.rowcount >= 1
        import psycopg

        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            cursor.execute("UPDATE audit_log SET actor = 'x'")  # a purge never allows an update
    finally:
        raw.rollback()
        raw.close()


def test_purge_works_on_both_databases_through_the_session(db: Session) -> None:
    _entry(db, days_ago=800)
    before = db.scalar(select(func.count()).select_from(AuditEntry))
    assert purge_before(db, utcnow() - dt.timedelta(days=700), "retention") == 1
    assert db.scalar(select(func.count()).select_from(AuditEntry)) == before  # one gone, one purge entry added
