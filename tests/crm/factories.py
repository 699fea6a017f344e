"""Factories for CRM tests: endpoints, signals with their outbox events, API tokens."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from sqlalchemy.orm import Session

from leadsignal.auth.service import create_client, create_user
from leadsignal.auth.tokens import issue_access_token
from leadsignal.compliance.audit import SYSTEM
from leadsignal.core.context import AppContext
from leadsignal.crm.webhooks import add_endpoint
from leadsignal.db import session_scope, utcnow
from leadsignal.events.service import publish_signal
from leadsignal.leads.models import Lead
from leadsignal.signals.merge import SignalCandidate, merge_candidate
from leadsignal.signals.models import Signal
from tests.crm.conftest import WEBHOOK_SECRET
from tests.factories import make_lead

_seq = itertools.count(1)


def endpoint(ctx: AppContext, url: str, *, events: tuple[str, ...] = ("*",), secret: str = WEBHOOK_SECRET) -> int:
    with session_scope(ctx.sessions) as session:
        row, _ = add_endpoint(session, ctx.cipher, name="test crm", url=url, event_types=events, actor=SYSTEM,
                              secret=secret)  # fmt: skip
        return row.id


def lead(ctx: AppContext, **overrides: Any) -> tuple[int, str]:
    with session_scope(ctx.sessions) as session:
        row = make_lead(session, ctx.cipher, **overrides)
        assert row.agency_id_number is not None
        return row.id, row.agency_id_number


def signal_candidate(lead_id: int, **overrides: Any) -> SignalCandidate:
    n = next(_seq)
    values: dict[str, Any] = {
        "lead_id": lead_id, "signal_type": "new_job", "confidence": 0.8, "evidence_key": f"test:{n}",
        "kind": "post", "snippet": "Thrilled to start as a nurse at Mercy Health!",
        "source_url": f"https://www.linkedin.com/posts/x-{n}", "org": "Mercy Health", "title": "Registered Nurse",
        "event_date": dt.date(2026, 11, 1),
    }  # fmt: skip
    values.update(overrides)
    return SignalCandidate(**values)


def signal_event(ctx: AppContext, lead_id: int, **overrides: Any) -> tuple[int, str]:
    """Merge a candidate and publish its event in one transaction, as the merge step does."""
    with session_scope(ctx.sessions) as session:
        outcome = merge_candidate(session, signal_candidate(lead_id, **overrides))
        sig = session.get(Signal, outcome.signal_id)
        assert sig is not None
        return sig.id, publish_signal(session, sig, created=outcome.created)


def stored_lead(session: Session, lead_id: int) -> Lead:
    row = session.get(Lead, lead_id)
    assert row is not None
    return row


def client_token(ctx: AppContext, scopes: list[str]) -> str:
    with session_scope(ctx.sessions) as session:
        client, _ = create_client(session, name=f"crm-{next(_seq)}", scopes=scopes, actor=SYSTEM)
        client_id = client.client_id
    token, _ = issue_access_token(ctx.settings, kind="client", subject=client_id, role="client", scopes=scopes,
                                  now=utcnow())  # fmt: skip
    return token


def user_token(ctx: AppContext, role: str) -> str:
    from leadsignal.auth.service import ROLE_SCOPES

    with session_scope(ctx.sessions) as session:
        email = f"user{next(_seq)}@agency.example"
        user = create_user(session, ctx.settings, email=email, password="correct horse battery", role=role,
                           actor=SYSTEM)  # fmt: skip
        user_id = user.id
    token, _ = issue_access_token(ctx.settings, kind="user", subject=str(user_id), role=role,
                                  scopes=list(ROLE_SCOPES[role]), now=utcnow())  # fmt: skip
    return token
