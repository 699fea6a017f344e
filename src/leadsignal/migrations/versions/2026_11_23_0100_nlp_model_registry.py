"""nlp: model registry and labelled examples

Revision ID: 0100
Revises: 0001
Create Date: 2026-11-23 23:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import leadsignal.db

revision: str = "0100"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "model_versions",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.Column("created_at", leadsignal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("data_hash", sa.String(length=64), nullable=False),
        sa.Column("n_examples", sa.Integer(), nullable=False),
        sa.Column("metrics", sa.JSON(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("artifact", sa.String(length=500), nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("activated_at", leadsignal.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("previous_version", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_model_versions")),
        sa.UniqueConstraint("version", name=op.f("uq_model_versions_version")),
    )
    with op.batch_alter_table("model_versions", schema=None) as batch_op:
        batch_op.create_index("ix_model_versions_created_at", ["created_at"], unique=False)
        batch_op.create_index(
            "uq_model_versions_one_active",
            ["is_active"],
            unique=True,
            sqlite_where=sa.text("is_active"),
            postgresql_where=sa.text("is_active"),
        )

    op.create_table(
        "labelled_examples",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), autoincrement=True, nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("label", sa.String(length=32), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("created_at", leadsignal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("signal_id", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_labelled_examples")),
    )
    with op.batch_alter_table("labelled_examples", schema=None) as batch_op:
        batch_op.create_index("ix_labelled_examples_created_at", ["created_at"], unique=False)
        batch_op.create_index("ix_labelled_examples_signal_id", ["signal_id"], unique=False)
        batch_op.create_index("ix_labelled_examples_label", ["label"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("labelled_examples", schema=None) as batch_op:
        batch_op.drop_index("ix_labelled_examples_label")
        batch_op.drop_index("ix_labelled_examples_signal_id")
        batch_op.drop_index("ix_labelled_examples_created_at")
    op.drop_table("labelled_examples")
    with op.batch_alter_table("model_versions", schema=None) as batch_op:
        batch_op.drop_index("uq_model_versions_one_active")
        batch_op.drop_index("ix_model_versions_created_at")
    op.drop_table("model_versions")
