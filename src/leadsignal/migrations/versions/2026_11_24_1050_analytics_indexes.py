"""analytics indexes: signals.updated_at, read by every analytics request for its cache key

Revision ID: 1050
Revises: 0001
Create Date: 2026-11-24 02:50:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "1050"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = "0500"


def upgrade() -> None:
    op.create_index("ix_signals_updated_at", "signals", ["updated_at"])


def downgrade() -> None:
    op.drop_index("ix_signals_updated_at", table_name="signals")
