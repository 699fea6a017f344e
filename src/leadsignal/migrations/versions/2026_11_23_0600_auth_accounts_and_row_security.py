"""accounts, teams, tokens, CRM clients; lead assignment; BRIN indexes; row-level security

Revision ID: 0600
Revises: 0001
Create Date: 2026-11-24 00:10:00

Row-level security (PostgreSQL only) reads three transaction-local settings the API sets per
request: ``leadsignal.role``, ``leadsignal.user_id`` and ``leadsignal.team_ids`` (comma list).
The table owner bypasses RLS, so the policies bind only a non-owner role the app may connect as
(on Supabase, ``authenticated``); they are a second wall behind ``auth.deps.visible_leads``.
"""

# ruff: noqa: S608 - policy SQL is built from constants in this file, never from input
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import leadsignal.db

revision: str = "0600"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
# Indexes and policies here reach scrape_log (0200) and signals (0500).
depends_on: str | Sequence[str] | None = ("0200", "0500")

PK = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
TS = leadsignal.db.UTCDateTime(timezone=True)

_ROLE = "current_setting('leadsignal.role', true)"
_TEAM_IDS = "string_to_array(coalesce(current_setting('leadsignal.team_ids', true), ''), ',')::bigint[]"
_USER_ID = "nullif(current_setting('leadsignal.user_id', true), '')::bigint"
_SCOPED = (
    f"(({_ROLE} IN ('manager', 'agent') AND team_id = ANY ({_TEAM_IDS}))"
    f" OR ({_ROLE} = 'agent' AND assignee_user_id = {_USER_ID}))"
)
LEAD_READ = f"({_ROLE} IN ('admin', 'compliance', 'client', 'system') OR {_SCOPED})"
LEAD_WRITE = f"({_ROLE} IN ('admin', 'system') OR {_SCOPED})"
POLICIES = [
    ("leads", "leads_read", "SELECT", LEAD_READ, None),
    ("leads", "leads_update", "UPDATE", LEAD_WRITE, LEAD_WRITE),
    ("leads", "leads_insert", "INSERT", None, f"{_ROLE} IN ('admin', 'system')"),
    ("leads", "leads_delete", "DELETE", f"{_ROLE} IN ('admin', 'system')", None),
    # A signal is visible when its lead is: the sub-select runs under the leads policies.
    ("signals", "signals_read", "SELECT", "EXISTS (SELECT 1 FROM leads l WHERE l.id = signals.lead_id)", None),
    (
        "signals",
        "signals_update",
        "UPDATE",
        f"{_ROLE} <> 'compliance' AND EXISTS (SELECT 1 FROM leads l WHERE l.id = signals.lead_id)",
        f"{_ROLE} <> 'compliance' AND EXISTS (SELECT 1 FROM leads l WHERE l.id = signals.lead_id)",
    ),
    ("signals", "signals_insert", "INSERT", None, f"{_ROLE} IN ('admin', 'system')"),
    ("signals", "signals_delete", "DELETE", f"{_ROLE} IN ('admin', 'system')", None),
    (
        "signal_evidence",
        "signal_evidence_read",
        "SELECT",
        "EXISTS (SELECT 1 FROM signals s WHERE s.id = signal_evidence.signal_id)",
        None,
    ),
    ("signal_evidence", "signal_evidence_insert", "INSERT", None, f"{_ROLE} IN ('admin', 'system')"),
]
BRIN_REPLACED = [("scrape_log", "ix_scrape_log_occurred_at", "occurred_at"),
                 ("audit_log", "ix_audit_log_occurred_at", "occurred_at")]  # fmt: skip


def upgrade() -> None:
    pg = op.get_bind().dialect.name == "postgresql"
    op.create_table(
        "users",
        sa.Column("id", PK, autoincrement=True, nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default="1", nullable=False),
        sa.Column("failed_logins", sa.Integer(), server_default="0", nullable=False),
        sa.Column("locked_until", TS, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    op.create_table(
        "teams",
        sa.Column("id", PK, autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("manager_user_id", PK, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.ForeignKeyConstraint(
            ["manager_user_id"], ["users.id"], name=op.f("fk_teams_manager_user_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_teams")),
        sa.UniqueConstraint("name", name=op.f("uq_teams_name")),
    )
    op.create_index(op.f("ix_teams_manager_user_id"), "teams", ["manager_user_id"])
    op.create_table(
        "team_members",
        sa.Column("user_id", PK, nullable=False),
        sa.Column("team_id", PK, nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], name=op.f("fk_team_members_team_id_teams"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_team_members_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "team_id", name=op.f("pk_team_members")),
    )  # fmt: skip
    op.create_index(op.f("ix_team_members_team_id"), "team_members", ["team_id"])
    op.create_table(
        "refresh_tokens",
        sa.Column("id", PK, autoincrement=True, nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("family_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", PK, nullable=False),
        sa.Column("issued_at", TS, nullable=False),
        sa.Column("expires_at", TS, nullable=False),
        sa.Column("revoked_at", TS, nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_refresh_tokens_user_id_users"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refresh_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_refresh_tokens_token_hash")),
    )  # fmt: skip
    op.create_index(op.f("ix_refresh_tokens_family_id"), "refresh_tokens", ["family_id"])
    op.create_index(op.f("ix_refresh_tokens_user_id"), "refresh_tokens", ["user_id"])
    op.create_table(
        "login_throttles",
        sa.Column("email_hash", sa.String(length=64), nullable=False),
        sa.Column("failed_logins", sa.Integer(), nullable=False),
        sa.Column("locked_until", TS, nullable=True),
        sa.Column("updated_at", TS, nullable=False),
        sa.PrimaryKeyConstraint("email_hash", name=op.f("pk_login_throttles")),
    )
    op.create_index("ix_login_throttles_updated_at", "login_throttles", ["updated_at"])
    op.create_table(
        "oauth_clients",
        sa.Column("id", PK, autoincrement=True, nullable=False),
        sa.Column("client_id", sa.String(length=64), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("scopes", sa.JSON(), nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default="1", nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("revoked_at", TS, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_oauth_clients")),
        sa.UniqueConstraint("client_id", name=op.f("uq_oauth_clients_client_id")),
    )

    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.add_column(sa.Column("team_id", PK, nullable=True))
        batch_op.add_column(sa.Column("assignee_user_id", PK, nullable=True))
        batch_op.create_foreign_key(op.f("fk_leads_team_id_teams"), "teams", ["team_id"], ["id"], ondelete="SET NULL")
        batch_op.create_foreign_key(
            op.f("fk_leads_assignee_user_id_users"), "users", ["assignee_user_id"], ["id"], ondelete="SET NULL"
        )
        batch_op.create_index(batch_op.f("ix_leads_team_id"), ["team_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_leads_assignee_user_id"), ["assignee_user_id"], unique=False)
        batch_op.create_index("ix_leads_debtor_name_id", ["debtor_name", "id"], unique=False)
    if pg:
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.create_index("ix_leads_debtor_name_trgm", "leads", ["debtor_name"], postgresql_using="gin",
                        postgresql_ops={"debtor_name": "gin_trgm_ops"})  # fmt: skip
        # Log tables are read by time range only: BRIN is a fraction of a btree's size.
        for table, name, column in BRIN_REPLACED:
            op.drop_index(name, table_name=table)
            op.create_index(name, table, [column], postgresql_using="brin")
        op.create_index("ix_signals_detected_at_brin", "signals", ["detected_at"], postgresql_using="brin")
        _enable_rls()
    else:
        op.create_index("ix_leads_debtor_name_trgm", "leads", ["debtor_name"])
        op.create_index("ix_signals_detected_at_brin", "signals", ["detected_at"])


def _enable_rls() -> None:
    for table in ("leads", "signals", "signal_evidence"):
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    for table, name, command, using, check in POLICIES:
        clauses = f" USING ({using})" if using else ""
        clauses += f" WITH CHECK ({check})" if check else ""
        op.execute(f"CREATE POLICY {name} ON {table} FOR {command}{clauses}")


def downgrade() -> None:
    pg = op.get_bind().dialect.name == "postgresql"
    if pg:
        for table, name, _command, _using, _check in POLICIES:
            op.execute(f"DROP POLICY IF EXISTS {name} ON {table}")
        for table in ("leads", "signals", "signal_evidence"):
            op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
        for table, name, column in BRIN_REPLACED:
            op.drop_index(name, table_name=table)
            op.create_index(name, table, [column])
    op.drop_index("ix_signals_detected_at_brin", table_name="signals")
    op.drop_index("ix_leads_debtor_name_trgm", table_name="leads")
    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.drop_index("ix_leads_debtor_name_id")
        batch_op.drop_index(batch_op.f("ix_leads_assignee_user_id"))
        batch_op.drop_index(batch_op.f("ix_leads_team_id"))
        batch_op.drop_constraint(batch_op.f("fk_leads_assignee_user_id_users"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_leads_team_id_teams"), type_="foreignkey")
        batch_op.drop_column("assignee_user_id")
        batch_op.drop_column("team_id")
    op.drop_table("oauth_clients")
    op.drop_index("ix_login_throttles_updated_at", table_name="login_throttles")
    op.drop_table("login_throttles")
    op.drop_table("refresh_tokens")
    op.drop_table("team_members")
    op.drop_table("teams")
    op.drop_table("users")
