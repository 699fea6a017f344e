"""Key rotation: move every ciphertext to the active key, a batch per transaction."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from leadsignal.compliance import audit
from leadsignal.core.crypto import PiiCipher
from leadsignal.db import session_scope
from leadsignal.leads.fields import SENSITIVE
from leadsignal.leads.models import Lead


def reencrypt_all(sessions: sessionmaker[Session], cipher: PiiCipher, *, batch_size: int = 1000) -> int:
    moved = 0
    last_id = 0
    while True:
        with session_scope(sessions) as session:
            leads = session.scalars(select(Lead).where(Lead.id > last_id).order_by(Lead.id).limit(batch_size)).all()
            if not leads:
                return moved
            for lead in leads:
                changed = False
                for field in SENSITIVE:
                    token = getattr(lead, f"{field}_enc")
                    if token and cipher.key_id_of(token) != cipher.active_kid:
                        plain = cipher.decrypt(token, context=field)
                        setattr(lead, f"{field}_enc", cipher.encrypt(plain, context=field))
                        changed = True
                moved += changed
            last_id = leads[-1].id
            audit.record(session, audit.SYSTEM, "keys.reencrypt", entity_type="lead",
                         details={"through_id": last_id, "active_kid": cipher.active_kid})  # fmt: skip
