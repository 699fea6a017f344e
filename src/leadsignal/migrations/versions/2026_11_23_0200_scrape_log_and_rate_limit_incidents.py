"""scrape log and rate-limit incidents

Revision ID: 0200
Revises: 0001
Create Date: 2026-11-23 23:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import leadsignal.db

revision: str = "0200"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "scrape_log",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("occurred_at", leadsignal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("lead_id", sa.BigInteger(), nullable=True),
        sa.Column("service", sa.String(length=40), nullable=False),
        sa.Column("source_url", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("http_status", sa.Integer(), nullable=True),
        sa.Column("latency_ms", sa.Integer(), nullable=True),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("proxy_id", sa.String(length=120), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scrape_log")),
    )
    with op.batch_alter_table("scrape_log", schema=None) as batch_op:
        batch_op.create_index("ix_scrape_log_occurred_at", ["occurred_at"], unique=False)
        batch_op.create_index("ix_scrape_log_service_outcome", ["service", "outcome"], unique=False)
        batch_op.create_index("ix_scrape_log_lead_id", ["lead_id"], unique=False)

    op.create_table(
        "rate_limit_incidents",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("service", sa.String(length=40), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("started_at", leadsignal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", leadsignal.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("duration_seconds", sa.Float(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rate_limit_incidents")),
    )
    with op.batch_alter_table("rate_limit_incidents", schema=None) as batch_op:
        batch_op.create_index("ix_rate_limit_incidents_started_at", ["started_at"], unique=False)
        batch_op.create_index("ix_rate_limit_incidents_host", ["host"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("rate_limit_incidents", schema=None) as batch_op:
        batch_op.drop_index("ix_rate_limit_incidents_host")
        batch_op.drop_index("ix_rate_limit_incidents_started_at")
    op.drop_table("rate_limit_incidents")
    with op.batch_alter_table("scrape_log", schema=None) as batch_op:
        batch_op.drop_index("ix_scrape_log_lead_id")
        batch_op.drop_index("ix_scrape_log_service_outcome")
        batch_op.drop_index("ix_scrape_log_occurred_at")
    op.drop_table("scrape_log")
