"""PostgreSQL row-level security: a non-owner role sees only what visible_leads would show.

The application's own (owner) role bypasses RLS, so this test creates a throwaway NOLOGIN role
and switches to it with SET ROLE inside the rolled-back transaction.
"""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from leadsignal.auth.rls import apply_rls_context
from leadsignal.core.crypto import PiiCipher
from leadsignal.settings import Settings
from tests.auth.factories import build_scene

pytestmark = pytest.mark.postgres_only


@pytest.fixture
def app_role(db: Session) -> str:
    role = f"leadsignal_app_{uuid.uuid4().hex[:10]}"
    db.execute(text(f'CREATE ROLE "{role}" NOLOGIN'))
    db.execute(text(f'GRANT USAGE ON SCHEMA public TO "{role}"'))
    db.execute(text(f'GRANT SELECT, UPDATE ON leads, signals, signal_evidence TO "{role}"'))
    return role  # dropped with the rolled-back transaction


def _as(db: Session, role: str, *, rls_role: str | None, user_id: int | None = None,
        team_ids: tuple[int, ...] = ()) -> None:  # fmt: skip
    db.execute(text("RESET ROLE"))
    db.execute(text("SELECT set_config('leadsignal.role', '', true), set_config('leadsignal.team_ids', '', true),"
                    " set_config('leadsignal.user_id', '', true)"))  # fmt: skip
    if rls_role is not None:
        apply_rls_context(db, role=rls_role, user_id=user_id, team_ids=team_ids)
    db.execute(text(f'SET LOCAL ROLE "{role}"'))


def _ids(db: Session, table: str) -> set[int]:
    return set(db.scalars(text(f"SELECT id FROM {table}")))


def test_agent_cannot_read_or_change_another_teams_rows(db: Session, cipher: PiiCipher, settings: Settings,
                                                        app_role: str) -> None:  # fmt: skip
    scene = build_scene(db, cipher, settings)
    lead_a, lead_b = scene.lead.id, scene.other_lead.id  # type: ignore[attr-defined]
    agent_b = scene.users["other_agent"]

    _as(db, app_role, rls_role="agent", user_id=agent_b.id, team_ids=(scene.team_b.id,))
    assert _ids(db, "leads") == {lead_b}
    assert _ids(db, "signals") == {scene.other_signal.id}
    assert db.scalar(text("SELECT count(*) FROM signal_evidence")) == 1
    changed = db.execute(text("UPDATE leads SET city = 'Elsewhere' WHERE id = :id"), {"id": lead_a})
    assert changed.rowcount == 0  # type: ignore[attr-defined]

    _as(db, app_role, rls_role="agent", user_id=scene.users["agent"].id, team_ids=())
    assert _ids(db, "leads") == {lead_a}  # assigned to them personally, even outside any team

    _as(db, app_role, rls_role="manager", user_id=scene.users["manager"].id, team_ids=(scene.team_a.id,))
    assert _ids(db, "leads") == {lead_a}

    _as(db, app_role, rls_role="compliance", user_id=scene.users["compliance"].id)
    assert {lead_a, lead_b} <= _ids(db, "leads")
    changed = db.execute(text("UPDATE leads SET city = 'Elsewhere' WHERE id = :id"), {"id": lead_a})
    assert changed.rowcount == 0  # type: ignore[attr-defined]  # compliance is read-only
    assert db.execute(text("UPDATE signals SET status = 'x' WHERE id = :id"), {"id": scene.signal.id}).rowcount == 0  # type: ignore[attr-defined]

    _as(db, app_role, rls_role=None)
    assert _ids(db, "leads") == set()  # no identity, no rows
    db.execute(text("RESET ROLE"))
    assert {lead_a, lead_b} <= _ids(db, "leads")  # the owner is not bound by the policies


def test_time_ordered_tables_have_brin_indexes(db: Session) -> None:
    query = text("SELECT indexname, indexdef FROM pg_indexes WHERE indexdef LIKE '%USING brin%'")
    brin = {str(name): str(definition) for name, definition in db.execute(query)}
    assert "(detected_at)" in brin["ix_signals_detected_at_brin"]
    assert "(occurred_at)" in brin["ix_scrape_log_occurred_at"]
    assert "(occurred_at)" in brin["ix_audit_log_occurred_at"]
