"""email log, email events and outbox

Revision ID: 0800
Revises: 0001
Create Date: 2026-11-24 00:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import leadsignal.db

revision: str = "0800"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "email_log",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("created_at", leadsignal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("provider", sa.String(length=16), nullable=False),
        sa.Column("recipient", sa.String(length=320), nullable=False),
        sa.Column("template", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("signal_ids", sa.JSON(), nullable=False),
        sa.Column("idempotency_key", sa.String(length=128), nullable=False),
        sa.Column("provider_message_id", sa.String(length=255), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_event_at", leadsignal.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_email_log")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_email_log_idempotency_key")),
        sa.UniqueConstraint("provider_message_id", name=op.f("uq_email_log_provider_message_id")),
    )
    with op.batch_alter_table("email_log", schema=None) as batch_op:
        batch_op.create_index("ix_email_log_created_at", ["created_at"], unique=False)
        batch_op.create_index("ix_email_log_status", ["status"], unique=False)
        batch_op.create_index("ix_email_log_recipient", ["recipient"], unique=False)

    op.create_table(
        "email_events",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("email_log_id", sa.BigInteger(), nullable=False),
        sa.Column("event", sa.String(length=32), nullable=False),
        sa.Column("occurred_at", leadsignal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("received_at", leadsignal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("dedupe_key", sa.String(length=64), nullable=False),
        sa.Column("raw", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["email_log_id"], ["email_log.id"], name=op.f("fk_email_events_email_log_id_email_log"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_email_events")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_email_events_dedupe_key")),
    )
    with op.batch_alter_table("email_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_email_events_email_log_id"), ["email_log_id"], unique=False)
        batch_op.create_index("ix_email_events_occurred_at", ["occurred_at"], unique=False)

    op.create_table(
        "email_outbox",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("created_at", leadsignal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("message_id", sa.String(length=255), nullable=False),
        sa.Column("idempotency_key", sa.String(length=128), nullable=False),
        sa.Column("sender", sa.String(length=320), nullable=False),
        sa.Column("recipient", sa.String(length=320), nullable=False),
        sa.Column("recipient_name", sa.String(length=200), nullable=True),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("template", sa.String(length=64), nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("tags", sa.JSON(), nullable=False),
        sa.Column("headers", sa.JSON(), nullable=False),
        sa.Column("metadata", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_email_outbox")),
        sa.UniqueConstraint("message_id", name=op.f("uq_email_outbox_message_id")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_email_outbox_idempotency_key")),
    )
    with op.batch_alter_table("email_outbox", schema=None) as batch_op:
        batch_op.create_index("ix_email_outbox_created_at", ["created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("email_outbox", schema=None) as batch_op:
        batch_op.drop_index("ix_email_outbox_created_at")
    op.drop_table("email_outbox")
    with op.batch_alter_table("email_events", schema=None) as batch_op:
        batch_op.drop_index("ix_email_events_occurred_at")
        batch_op.drop_index(batch_op.f("ix_email_events_email_log_id"))
    op.drop_table("email_events")
    with op.batch_alter_table("email_log", schema=None) as batch_op:
        batch_op.drop_index("ix_email_log_recipient")
        batch_op.drop_index("ix_email_log_status")
        batch_op.drop_index("ix_email_log_created_at")
    op.drop_table("email_log")
