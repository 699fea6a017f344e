from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from leadsignal.auth.models import User
from leadsignal.compliance.audit import Actor
from leadsignal.core.crypto import PiiCipher
from leadsignal.demo.accounts import ensure_demo_accounts
from leadsignal.settings import Settings
from tests.auth.factories import fast_hashing
from tests.factories import make_lead


def test_demo_accounts_own_the_synthetic_book_once(db: Session, cipher: PiiCipher, settings: Settings) -> None:
    settings = fast_hashing(settings)
    synthetic = make_lead(db, cipher, agency_id_number="SYN-0000001")
    client_lead = make_lead(db, cipher, agency_id_number="AG-1")
    path = ensure_demo_accounts(db, settings, actor=Actor("test"))
    ensure_demo_accounts(db, settings, actor=Actor("test"))
    roles = sorted(db.scalars(select(User.role).where(User.email.like("%@demo.leadsignal.example"))))
    assert roles == ["admin", "agent", "compliance", "manager"]
    db.refresh(synthetic)
    db.refresh(client_lead)
    assert synthetic.team_id is not None
    assert client_lead.team_id is None
    lines = path.read_text().splitlines()
    assert len(lines) == 4
    assert oct(path.stat().st_mode & 0o777) == "0o600"


def test_never_in_production(db: Session, settings: Settings) -> None:
    prod = settings.model_copy(update={"env": "production"})
    with pytest.raises(RuntimeError, match="never created in production"):
        ensure_demo_accounts(db, prod, actor=Actor("test"))
