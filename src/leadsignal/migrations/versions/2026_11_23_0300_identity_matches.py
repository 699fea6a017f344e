"""identity matches

Revision ID: 0300
Revises: 0001
Create Date: 2026-11-23 23:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import leadsignal.db

revision: str = "0300"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "identity_matches",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("lead_id", sa.BigInteger(), nullable=False),
        sa.Column("profile_url", sa.String(length=255), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("decision", sa.String(length=16), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("reviewed_by", sa.String(length=120), nullable=True),
        sa.Column("reviewed_at", leadsignal.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_at", leadsignal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", leadsignal.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["leads.id"], name=op.f("fk_identity_matches_lead_id_leads"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_identity_matches")),
        sa.UniqueConstraint("lead_id", "profile_url", name=op.f("uq_identity_matches_lead_id_profile_url")),
    )
    with op.batch_alter_table("identity_matches", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_identity_matches_created_at"), ["created_at"], unique=False)
        batch_op.create_index("ix_identity_matches_status_score", ["status", "score"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("identity_matches", schema=None) as batch_op:
        batch_op.drop_index("ix_identity_matches_status_score")
        batch_op.drop_index(batch_op.f("ix_identity_matches_created_at"))
    op.drop_table("identity_matches")
