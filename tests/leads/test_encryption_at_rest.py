"""The three sensitive fields never reach the database in clear, and lookups work by keyed hash."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from leadsignal.compliance.audit import Actor
from leadsignal.core.context import AppContext
from leadsignal.leads.importer import import_leads
from leadsignal.leads.service import find_by_sensitive, reveal
from tests.factories import lead_row, write_csv

SSN, LOAN, DOB_ISO = "219-09-9999", "LOAN77123456", "1999-04-05"


def test_raw_rows_hold_no_clear_text(app_ctx: AppContext, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", [lead_row(tax_id=SSN, loan_number=LOAN, dob="4/5/1999")])
    import_leads(app_ctx.sessions, app_ctx.cipher, path, actor=Actor("test"))
    with app_ctx.engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM leads")).mappings().all()
    dump = repr([dict(r) for r in rows])
    for needle in ("219099999", "219-09-9999", LOAN, DOB_ISO, "04/05/1999", "4/5/1999"):
        assert needle not in dump
    assert rows[0]["tax_id_enc"].startswith("v1:t1:")


def test_lookup_by_blind_index_and_audited_reveal(app_ctx: AppContext, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "a.csv", [lead_row(tax_id=SSN, loan_number=LOAN, dob="4/5/1999")])
    import_leads(app_ctx.sessions, app_ctx.cipher, path, actor=Actor("test"))
    with app_ctx.sessions.begin() as s:
        lead = find_by_sensitive(s, "tax_id", "219 09 9999", app_ctx.cipher)
        assert lead is not None
        assert find_by_sensitive(s, "loan_number", LOAN, app_ctx.cipher) is lead
        assert reveal(s, lead, "dob", app_ctx.cipher, Actor("user:1")) == DOB_ISO
        assert reveal(s, lead, "tax_id", app_ctx.cipher, Actor("user:1")) == "219099999"
    with app_ctx.engine.connect() as conn:
        actions = conn.execute(text("SELECT action, actor FROM audit_log WHERE action = 'lead.reveal'")).all()
    assert [tuple(a) for a in actions] == [("lead.reveal", "user:1"), ("lead.reveal", "user:1")]
