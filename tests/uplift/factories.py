"""Assignments and outcomes written straight to the tables, for report tests."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from sqlalchemy.orm import Session

from leadsignal.core.crypto import PiiCipher
from leadsignal.crm.models import Outcome
from leadsignal.uplift.models import ExperimentAssignment
from tests.factories import make_lead

_seq = itertools.count(1)
T0 = dt.datetime(2026, 9, 1, 12, tzinfo=dt.UTC)


def assigned_lead(session: Session, cipher: PiiCipher, *, group: str, signal_type: str = "new_job",
                  at: dt.datetime = T0, experiment: str = "alerts-v1") -> int:  # fmt: skip
    lead = make_lead(session, cipher)
    held_until = at + dt.timedelta(days=30) if group == "control" else None
    session.add(ExperimentAssignment(experiment=experiment, lead_id=lead.id, group=group, share=0.5, bucket=0.25,
                                     signal_type=signal_type, assigned_at=at, held_until=held_until))  # fmt: skip
    session.flush()
    return lead.id


def outcome(session: Session, lead_id: int, kind: str, at: dt.datetime, amount: str | None = None,
            signal_id: int | None = None) -> Outcome:  # fmt: skip
    row = Outcome(external_id=f"o-{next(_seq)}", lead_id=lead_id, outcome=kind, occurred_at=at, source="crm",
                  agent_external_id="a1", amount=Decimal(amount) if amount else None, signal_id=signal_id)  # fmt: skip
    session.add(row)
    session.flush()
    return row
