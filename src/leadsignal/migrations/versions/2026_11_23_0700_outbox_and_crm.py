"""transactional outbox, CRM webhooks, inbox, outcomes and contact flags

Revision ID: 0700
Revises: 0001
Create Date: 2026-11-24 00:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import leadsignal.db

revision: str = "0700"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = "0500"

PK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = leadsignal.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "outbox_events",
        sa.Column("id", PK, autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("event_type", sa.String(length=64), nullable=False),
        sa.Column("aggregate_type", sa.String(length=40), nullable=False),
        sa.Column("aggregate_id", sa.String(length=64), nullable=False),
        sa.Column("lead_id", sa.BigInteger(), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_events")),
        sa.UniqueConstraint("event_id", name=op.f("uq_outbox_events_event_id")),
    )
    op.create_index("ix_outbox_events_created_at", "outbox_events", ["created_at"])
    op.create_index("ix_outbox_events_lead_id", "outbox_events", ["lead_id"])
    op.create_table(
        "outbox_cursors",
        sa.Column("consumer", sa.String(length=64), nullable=False),
        sa.Column("last_id", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("consumer", name=op.f("pk_outbox_cursors")),
    )
    op.create_table(
        "webhook_endpoints",
        sa.Column("id", PK, autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("secret_enc", sa.Text(), nullable=False),
        sa.Column("event_types", sa.JSON(), nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default="1", nullable=False),
        sa.Column("deactivated_reason", sa.String(length=255), nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_endpoints")),
    )
    op.create_table(
        "webhook_deliveries",
        sa.Column("id", PK, autoincrement=True, nullable=False),
        sa.Column("event_id", sa.String(length=36), nullable=False),
        sa.Column("outbox_id", sa.BigInteger(), nullable=False),
        sa.Column("endpoint_id", sa.BigInteger(), nullable=False),
        sa.Column("lead_id", sa.BigInteger(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", TS, nullable=False),
        sa.Column("last_status_code", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("first_attempt_at", TS, nullable=True),
        sa.Column("last_attempt_at", TS, nullable=True),
        sa.Column("delivered_at", TS, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["outbox_id"],
            ["outbox_events.id"],
            name=op.f("fk_webhook_deliveries_outbox_id_outbox_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["endpoint_id"],
            ["webhook_endpoints.id"],
            name=op.f("fk_webhook_deliveries_endpoint_id_webhook_endpoints"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_deliveries")),
        sa.UniqueConstraint("event_id", "endpoint_id", name=op.f("uq_webhook_deliveries_event_id_endpoint_id")),
    )
    op.create_index("ix_webhook_deliveries_status_next", "webhook_deliveries", ["status", "next_attempt_at"])
    op.create_index("ix_webhook_deliveries_order", "webhook_deliveries", ["endpoint_id", "lead_id", "outbox_id"])
    op.create_index("ix_webhook_deliveries_created_at", "webhook_deliveries", ["created_at"])
    op.create_table(
        "inbox_events",
        sa.Column("id", PK, autoincrement=True, nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("external_id", sa.String(length=120), nullable=False),
        sa.Column("event_type", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("received_at", TS, nullable=False),
        sa.Column("handled_at", TS, nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox_events")),
        sa.UniqueConstraint("source", "external_id", name=op.f("uq_inbox_events_source_external_id")),
    )
    op.create_index("ix_inbox_events_received_at", "inbox_events", ["received_at"])
    op.create_index("ix_inbox_events_handled_at", "inbox_events", ["handled_at"])
    op.create_table(
        "outcomes",
        sa.Column("id", PK, autoincrement=True, nullable=False),
        sa.Column("external_id", sa.String(length=120), nullable=False),
        sa.Column("lead_id", sa.BigInteger(), nullable=False),
        sa.Column("signal_id", sa.BigInteger(), nullable=True),
        sa.Column("outcome", sa.String(length=32), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("occurred_at", TS, nullable=False),
        sa.Column("agent_external_id", sa.String(length=120), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.ForeignKeyConstraint(["lead_id"], ["leads.id"], name=op.f("fk_outcomes_lead_id_leads"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["signal_id"], ["signals.id"], name=op.f("fk_outcomes_signal_id_signals"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outcomes")),
        sa.UniqueConstraint("external_id", name=op.f("uq_outcomes_external_id")),
    )
    op.create_index(op.f("ix_outcomes_lead_id"), "outcomes", ["lead_id"])
    op.create_index("ix_outcomes_occurred_at", "outcomes", ["occurred_at"])
    op.create_index("ix_outcomes_signal_id", "outcomes", ["signal_id"])
    op.create_table(
        "lead_contact_flags",
        sa.Column("lead_id", sa.BigInteger(), nullable=False),
        sa.Column("do_not_contact", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("cease_and_desist", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("bankruptcy", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("attorney_represented", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("disputed", sa.Boolean(), server_default="0", nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("crm_version", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["leads.id"], name=op.f("fk_lead_contact_flags_lead_id_leads"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("lead_id", name=op.f("pk_lead_contact_flags")),
    )
    op.create_index(op.f("ix_lead_contact_flags_updated_at"), "lead_contact_flags", ["updated_at"])


def downgrade() -> None:
    op.drop_table("lead_contact_flags")
    op.drop_table("outcomes")
    op.drop_table("inbox_events")
    op.drop_table("webhook_deliveries")
    op.drop_table("webhook_endpoints")
    op.drop_table("outbox_cursors")
    op.drop_table("outbox_events")
