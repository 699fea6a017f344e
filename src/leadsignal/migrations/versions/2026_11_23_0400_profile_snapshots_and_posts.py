"""profile snapshots and posts

Revision ID: 0400
Revises: 0001
Create Date: 2026-11-24 00:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import leadsignal.db

revision: str = "0400"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "profile_snapshots",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("profile_url", sa.String(length=255), nullable=False),
        sa.Column("lead_id", sa.BigInteger(), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("fetched_at", leadsignal.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["leads.id"], name=op.f("fk_profile_snapshots_lead_id_leads"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_profile_snapshots")),
    )
    with op.batch_alter_table("profile_snapshots", schema=None) as batch_op:
        batch_op.create_index(
            "ix_profile_snapshots_profile_url_fetched_at", ["profile_url", "fetched_at"], unique=False
        )
        batch_op.create_index("ix_profile_snapshots_lead_id", ["lead_id"], unique=False)
        batch_op.create_index("ix_profile_snapshots_fetched_at", ["fetched_at"], unique=False)

    op.create_table(
        "posts",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("post_id", sa.String(length=64), nullable=False),
        sa.Column("profile_url", sa.String(length=255), nullable=True),
        sa.Column("lead_id", sa.BigInteger(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("posted_at", leadsignal.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("is_repost", sa.Boolean(), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("first_seen_at", leadsignal.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["lead_id"], ["leads.id"], name=op.f("fk_posts_lead_id_leads"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_posts")),
        sa.UniqueConstraint("post_id", name=op.f("uq_posts_post_id")),
    )
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.create_index("ix_posts_profile_url_posted_at", ["profile_url", "posted_at"], unique=False)
        batch_op.create_index("ix_posts_lead_id", ["lead_id"], unique=False)
        batch_op.create_index("ix_posts_first_seen_at", ["first_seen_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("posts", schema=None) as batch_op:
        batch_op.drop_index("ix_posts_first_seen_at")
        batch_op.drop_index("ix_posts_lead_id")
        batch_op.drop_index("ix_posts_profile_url_posted_at")
    op.drop_table("posts")
    with op.batch_alter_table("profile_snapshots", schema=None) as batch_op:
        batch_op.drop_index("ix_profile_snapshots_fetched_at")
        batch_op.drop_index("ix_profile_snapshots_lead_id")
        batch_op.drop_index("ix_profile_snapshots_profile_url_fetched_at")
    op.drop_table("profile_snapshots")
