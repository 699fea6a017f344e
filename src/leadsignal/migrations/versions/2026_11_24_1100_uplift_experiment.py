"""uplift: hold-out experiment assignments and held signals

Revision ID: 1100
Revises: 0001
Create Date: 2026-11-24 02:40:00

Depends on 0900 only (which depends on 0500 signals and 0600): Alembic treats a revision with
several dependencies that are still heads as a merge and then fails (KeyError '0001') removing
the shared base, depending on the order it applies the branches in.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import leadsignal.db

revision: str = "1100"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = "0900"

PK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UTC = leadsignal.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("signals") as batch:
        batch.add_column(sa.Column("held_until", UTC, nullable=True))
    op.create_table(
        "experiment_assignments",
        sa.Column("id", PK, autoincrement=True, nullable=False),
        sa.Column("experiment", sa.String(64), nullable=False),
        sa.Column("lead_id", sa.BigInteger(), nullable=False),
        sa.Column("group", sa.String(16), nullable=False),
        sa.Column("share", sa.Float(), nullable=False),
        sa.Column("bucket", sa.Float(), nullable=False),
        sa.Column("signal_id", sa.BigInteger(), nullable=True),
        sa.Column("signal_type", sa.String(32), nullable=False),
        sa.Column("assigned_at", UTC, nullable=False),
        sa.Column("held_until", UTC, nullable=True),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["leads.id"], name=op.f("fk_experiment_assignments_lead_id_leads"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["signal_id"],
            ["signals.id"],
            name=op.f("fk_experiment_assignments_signal_id_signals"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_experiment_assignments")),
        sa.UniqueConstraint("experiment", "lead_id", name=op.f("uq_experiment_assignments_experiment_lead_id")),
    )
    op.create_index("ix_experiment_assignments_assigned", "experiment_assignments", ["experiment", "assigned_at"])


def downgrade() -> None:
    op.drop_index("ix_experiment_assignments_assigned", table_name="experiment_assignments")
    op.drop_table("experiment_assignments")
    with op.batch_alter_table("signals") as batch:
        batch.drop_column("held_until")
