"""optout requests and disputes: the public opt-out form's requests, signal disputes, leads by email

Revision ID: 1300
Revises: 0001
Create Date: 2026-11-24 02:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import leadsignal.db

revision: str = "1300"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = ("0500", "0600", "0800")

PK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UTC = leadsignal.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "optout_requests",
        sa.Column("id", PK, autoincrement=True, nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("email_hash", sa.String(64), nullable=False),
        sa.Column("ip_hash", sa.String(64), nullable=False),
        sa.Column("email_enc", sa.Text(), nullable=False),
        sa.Column("name_enc", sa.Text(), nullable=False),
        sa.Column("details_enc", sa.Text(), nullable=True),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("expires_at", UTC, nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("confirmed_at", UTC, nullable=True),
        sa.Column("matched_lead_ids", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_optout_requests")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_optout_requests_token_hash")),
    )
    op.create_index("ix_optout_requests_ip_created", "optout_requests", ["ip_hash", "created_at"])
    op.create_index("ix_optout_requests_email_created", "optout_requests", ["email_hash", "created_at"])
    op.create_index("ix_optout_requests_status", "optout_requests", ["status", "created_at"])
    op.create_table(
        "signal_disputes",
        sa.Column("id", PK, autoincrement=True, nullable=False),
        sa.Column("signal_id", sa.BigInteger(), nullable=False),
        sa.Column("lead_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(120), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("previous_status", sa.String(24), nullable=False),
        sa.Column("previous_alert_status", sa.String(16), nullable=False),
        sa.Column("matches_reopened", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["signal_id"], ["signals.id"], name=op.f("fk_signal_disputes_signal_id_signals"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["leads.id"], name=op.f("fk_signal_disputes_lead_id_leads"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signal_disputes")),
    )
    op.create_index("ix_signal_disputes_created_at", "signal_disputes", ["created_at"])
    op.create_index("ix_signal_disputes_signal_id", "signal_disputes", ["signal_id"])
    op.create_index("ix_signal_disputes_lead_id", "signal_disputes", ["lead_id"])
    # The public form finds a confirmed requester's leads by exact (normalised) email.
    op.create_index("ix_leads_email", "leads", ["email"])


def downgrade() -> None:
    op.drop_index("ix_leads_email", table_name="leads")
    op.drop_table("signal_disputes")
    op.drop_table("optout_requests")
