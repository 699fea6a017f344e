"""signals, evidence, monitoring state and runs

Revision ID: 0500
Revises: 0001
Create Date: 2026-11-23 23:59:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import leadsignal.db

revision: str = "0500"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "signals",
        sa.Column("id", PK, autoincrement=True, nullable=False),
        sa.Column("lead_id", PK, nullable=False),
        sa.Column("signal_type", sa.String(length=32), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("match_confidence", sa.Float(), nullable=True),
        sa.Column("event_date", sa.Date(), nullable=True),
        sa.Column("detected_at", leadsignal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", leadsignal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("org", sa.String(length=200), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=True),
        sa.Column("credential", sa.String(length=200), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("sentiment_label", sa.String(length=16), nullable=True),
        sa.Column("sentiment_score", sa.Float(), nullable=True),
        sa.Column("model_version", sa.String(length=64), nullable=True),
        sa.Column("evidence_count", sa.Integer(), nullable=False),
        sa.Column("priority_score", sa.Float(), nullable=False),
        sa.Column("priority", sa.String(length=8), nullable=False),
        sa.Column("score_breakdown", sa.JSON(), nullable=False),
        sa.Column("stale", sa.Boolean(), nullable=False),
        sa.Column("expires_at", leadsignal.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["lead_id"], ["leads.id"], name=op.f("fk_signals_lead_id_leads"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signals")),
    )
    op.create_index("ix_signals_lead_type", "signals", ["lead_id", "signal_type"])
    op.create_index("ix_signals_detected_at", "signals", ["detected_at"])
    op.create_index("ix_signals_priority", "signals", ["priority", "detected_at"])
    op.create_table(
        "signal_evidence",
        sa.Column("id", PK, autoincrement=True, nullable=False),
        sa.Column("signal_id", PK, nullable=False),
        sa.Column("evidence_key", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("source_url", sa.String(length=500), nullable=True),
        sa.Column("snippet", sa.Text(), nullable=False),
        sa.Column("signal_type", sa.String(length=32), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("model_version", sa.String(length=64), nullable=True),
        sa.Column("observed_at", leadsignal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["signal_id"], ["signals.id"], name=op.f("fk_signal_evidence_signal_id_signals"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signal_evidence")),
        sa.UniqueConstraint("evidence_key", name=op.f("uq_signal_evidence_evidence_key")),
    )
    op.create_index(op.f("ix_signal_evidence_signal_id"), "signal_evidence", ["signal_id"])
    op.create_table(
        "monitor_state",
        sa.Column("lead_id", PK, nullable=False),
        sa.Column("next_due_at", leadsignal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_checked_at", leadsignal.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_outcome", sa.String(length=40), nullable=True),
        sa.Column("consecutive_failures", sa.Integer(), nullable=False),
        sa.Column("last_run_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["leads.id"], name=op.f("fk_monitor_state_lead_id_leads"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("lead_id", name=op.f("pk_monitor_state")),
    )
    op.create_index(op.f("ix_monitor_state_next_due_at"), "monitor_state", ["next_due_at"])
    op.create_table(
        "monitor_runs",
        sa.Column("id", PK, autoincrement=True, nullable=False),
        sa.Column("started_at", leadsignal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", leadsignal.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_monitor_runs")),
    )
    op.create_index("ix_monitor_runs_started_at", "monitor_runs", ["started_at"])


def downgrade() -> None:
    op.drop_table("monitor_runs")
    op.drop_table("monitor_state")
    op.drop_table("signal_evidence")
    op.drop_table("signals")
