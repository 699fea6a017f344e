"""signal type weights: admin overrides of the scoring weight per signal type

Revision ID: 1000
Revises: 0001
Create Date: 2026-11-24 02:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import leadsignal.db

revision: str = "1000"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = ("0500", "0600")

PK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UTC = leadsignal.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "signal_type_weights",
        sa.Column("signal_type", sa.String(40), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("updated_by_user_id", PK, nullable=True),
        sa.Column("updated_at", UTC, nullable=False),
        sa.CheckConstraint("weight >= 0 AND weight <= 3", name=op.f("ck_signal_type_weights_weight_range")),
        sa.ForeignKeyConstraint(
            ["updated_by_user_id"],
            ["users.id"],
            name=op.f("fk_signal_type_weights_updated_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("signal_type", name=op.f("pk_signal_type_weights")),
    )


def downgrade() -> None:
    op.drop_table("signal_type_weights")
