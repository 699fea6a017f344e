"""alerting: signal alert state, routing rules, escalations, digest preferences

Revision ID: 0900
Revises: 0001
Create Date: 2026-11-24 00:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import leadsignal.db

revision: str = "0900"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = ("0500", "0600")

PK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
UTC = leadsignal.db.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("signals") as batch:
        batch.add_column(sa.Column("alert_status", sa.String(16), nullable=False, server_default="pending"))
        batch.add_column(sa.Column("blocked_reasons", sa.JSON(), nullable=False, server_default="[]"))
        batch.add_column(sa.Column("assignee_user_id", PK, nullable=True))
        batch.add_column(sa.Column("routed_team_id", PK, nullable=True))
        batch.add_column(sa.Column("alerted_at", UTC, nullable=True))
        batch.add_column(sa.Column("alert_latency_ms", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("acknowledged_at", UTC, nullable=True))
        batch.add_column(sa.Column("escalation_level", sa.Integer(), nullable=False, server_default="0"))
        batch.create_foreign_key(
            op.f("fk_signals_assignee_user_id_users"), "users", ["assignee_user_id"], ["id"], ondelete="SET NULL"
        )
        batch.create_foreign_key(
            op.f("fk_signals_routed_team_id_teams"), "teams", ["routed_team_id"], ["id"], ondelete="SET NULL"
        )
        batch.create_index("ix_signals_alert", ["alert_status", "assignee_user_id"])
    op.create_table(
        "routing_rules",
        sa.Column("id", PK, autoincrement=True, nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("conditions", sa.JSON(), nullable=False),
        sa.Column("team_id", PK, nullable=False),
        sa.Column("user_id", PK, nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_routing_rules_team_id_teams"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_routing_rules_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_routing_rules")),
        sa.UniqueConstraint("name", name=op.f("uq_routing_rules_name")),
    )
    op.create_table(
        "round_robin_cursors",
        sa.Column("team_id", PK, nullable=False),
        sa.Column("last_user_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_round_robin_cursors_team_id_teams"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("team_id", name=op.f("pk_round_robin_cursors")),
    )
    op.create_table(
        "signal_escalations",
        sa.Column("id", PK, autoincrement=True, nullable=False),
        sa.Column("signal_id", PK, nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("escalated_to_user_id", PK, nullable=True),
        sa.Column("escalated_at", UTC, nullable=False),
        sa.Column("channels", sa.JSON(), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["signal_id"], ["signals.id"], name=op.f("fk_signal_escalations_signal_id_signals"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["escalated_to_user_id"],
            ["users.id"],
            name=op.f("fk_signal_escalations_escalated_to_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signal_escalations")),
    )
    op.create_index("ix_signal_escalations_signal", "signal_escalations", ["signal_id", "level"], unique=True)
    op.create_table(
        "digest_preferences",
        sa.Column("user_id", PK, nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("signal_types", sa.JSON(), nullable=True),
        sa.Column("min_priority", sa.String(8), nullable=False),
        sa.Column("local_hour", sa.Integer(), nullable=False),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("last_sent_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_digest_preferences_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_digest_preferences")),
    )


def downgrade() -> None:
    op.drop_table("digest_preferences")
    op.drop_table("signal_escalations")
    op.drop_table("round_robin_cursors")
    op.drop_table("routing_rules")
    with op.batch_alter_table("signals") as batch:
        batch.drop_index("ix_signals_alert")
        batch.drop_constraint(op.f("fk_signals_routed_team_id_teams"), type_="foreignkey")
        batch.drop_constraint(op.f("fk_signals_assignee_user_id_users"), type_="foreignkey")
        for column in ("escalation_level", "acknowledged_at", "alert_latency_ms", "alerted_at", "routed_team_id",
                       "assignee_user_id", "blocked_reasons", "alert_status"):  # fmt: skip
            batch.drop_column(column)
