"""audit log append-only trigger, error log and worker heartbeats

Revision ID: 1200
Revises: 0001
Create Date: 2026-11-24 12:00:00

On PostgreSQL a trigger refuses UPDATE, DELETE and TRUNCATE of ``audit_log`` for every role,
the application's included. DELETE and TRUNCATE pass only inside a transaction that set
``leadsignal.audit_purge`` to ``on`` (``SET LOCAL``), which ``compliance.audit.purge_before``
does after writing an ``audit.purged`` entry. UPDATE never passes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import leadsignal.db

revision: str = "1200"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None  # 0001 (audit_log) is the down revision already

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_TS = leadsignal.db.UTCDateTime(timezone=True)

_FUNCTION = """
CREATE OR REPLACE FUNCTION leadsignal_audit_log_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'TRUNCATE')
       AND coalesce(current_setting('leadsignal.audit_purge', true), '') = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'audit entries are purged only by compliance.audit.purge_before';
END;
$$
"""


# A BEFORE row trigger must return OLD to let the purge's DELETE go ahead (NULL would skip the row).


def upgrade() -> None:
    op.create_table(
        "error_log",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("occurred_at", _TS, nullable=False),
        sa.Column("component", sa.String(length=40), nullable=False),
        sa.Column("where", sa.String(length=200), nullable=False),
        sa.Column("error_type", sa.String(length=120), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("request_id", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_error_log")),
    )
    with op.batch_alter_table("error_log", schema=None) as batch_op:
        batch_op.create_index("ix_error_log_occurred_at", ["occurred_at"], unique=False)
    op.create_table(
        "worker_heartbeats",
        sa.Column("worker", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("beat_at", _TS, nullable=False),
        sa.Column("started_at", _TS, nullable=False),
        sa.PrimaryKeyConstraint("worker", name=op.f("pk_worker_heartbeats")),
    )
    with op.batch_alter_table("worker_heartbeats", schema=None) as batch_op:
        batch_op.create_index("ix_worker_heartbeats_beat_at", ["beat_at"], unique=False)

    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(_FUNCTION)
    op.execute(
        "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION leadsignal_audit_log_append_only()"
    )
    op.execute(
        "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
        "FOR EACH STATEMENT EXECUTE FUNCTION leadsignal_audit_log_append_only()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log")
        op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS leadsignal_audit_log_append_only()")
    with op.batch_alter_table("worker_heartbeats", schema=None) as batch_op:
        batch_op.drop_index("ix_worker_heartbeats_beat_at")
    op.drop_table("worker_heartbeats")
    with op.batch_alter_table("error_log", schema=None) as batch_op:
        batch_op.drop_index("ix_error_log_occurred_at")
    op.drop_table("error_log")
