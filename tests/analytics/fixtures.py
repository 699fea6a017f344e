"""October 2026 in two teams: alerted, hardship, blocked and out-of-range signals, and outcomes.

Team A (``scene.lead`` owned by ``agent``, plus an unowned lead) and team B (``scene.other_lead``,
worked by ``other_agent``). The expected figures in the tests are worked out by hand from this.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from leadsignal.analytics.cache import LocalCache
from leadsignal.core.context import AppContext
from leadsignal.core.crypto import PiiCipher
from leadsignal.crm.models import Outcome
from leadsignal.db import session_scope
from leadsignal.signals.models import Signal
from tests.auth.factories import Scene, make_signal
from tests.factories import make_lead

_seq = itertools.count(1)
OCT = "since=2026-10-01&until=2026-10-31"


def at(day: int, hour: int = 0, minute: int = 0, month: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=dt.UTC)


@dataclass
class Month:
    scene: Scene
    unowned_lead_id: int
    signal_ids: dict[str, int]


def add_outcome(ctx: AppContext, lead_id: int, outcome: str, when: dt.datetime, amount: str | None = None) -> int:
    with session_scope(ctx.sessions) as session:
        row = Outcome(external_id=f"analytics-{next(_seq)}", lead_id=lead_id, outcome=outcome, occurred_at=when,
                      amount=Decimal(amount) if amount else None, agent_external_id="crm-1", source="test")  # fmt: skip
        session.add(row)
        session.flush()
        return row.id


def _signal(session, lead_id: int, kind: str, detected: dt.datetime, status: str, assignee: int | None,  # type: ignore[no-untyped-def]
            ack_after: int | None) -> int:  # fmt: skip
    signal: Signal = make_signal(session, lead_id, detected_at=detected, signal_type=kind)
    signal.category = "hardship" if kind == "job_loss" else "positive"
    signal.alert_status = status
    signal.assignee_user_id = assignee
    signal.alerted_at = detected if status != "blocked" else None
    signal.acknowledged_at = detected + dt.timedelta(minutes=ack_after) if ack_after is not None else None
    session.flush()
    return signal.id


@pytest.fixture
def month(app_ctx: AppContext, scene: Scene, cipher: PiiCipher, client: TestClient) -> Month:
    client.app.state.analytics_cache = LocalCache()  # type: ignore[attr-defined]
    agent, other = scene.users["agent"].id, scene.users["other_agent"].id
    lead, other_lead = scene.lead.id, scene.other_lead.id  # type: ignore[attr-defined]
    with session_scope(app_ctx.sessions) as session:
        unowned = make_lead(session, cipher, debtor_name="Una Owned")
        unowned.team_id = scene.team_a.id
        session.flush()
        unowned_id = unowned.id
        ids = {
            "s1": _signal(session, lead, "new_job", at(5, 10), "alerted", agent, 30),
            "s2": _signal(session, lead, "new_job", at(6, 9), "alerted", agent, 90),
            "s3": _signal(session, lead, "promotion", at(7, 12), "alerted", agent, None),
            "s4": _signal(session, unowned_id, "new_job", at(12, 8), "alerted", None, 10),
            "s5": _signal(session, other_lead, "job_loss", at(6, 15), "hardship", other, 60),
            "blocked": _signal(session, other_lead, "new_job", at(8), "blocked", None, None),
            "before": _signal(session, lead, "new_job", at(30, 23, 59, month=9), "alerted", agent, 5),
        }
    add_outcome(app_ctx, lead, "contacted", at(1))  # before any signal of the lead
    add_outcome(app_ctx, lead, "contacted", at(5, 11))
    add_outcome(app_ctx, lead, "payment_plan_enrolled", at(8, 10), "100.00")
    add_outcome(app_ctx, lead, "payment_received", at(5, 0, month=11), "20.00")  # after the range
    add_outcome(app_ctx, other_lead, "right_party_contact", at(6, 14))  # an hour before s5
    add_outcome(app_ctx, other_lead, "payment_received", at(7, 15), "50.25")
    add_outcome(app_ctx, unowned_id, "refused", at(13))
    return Month(scene=scene, unowned_lead_id=unowned_id, signal_ids=ids)
