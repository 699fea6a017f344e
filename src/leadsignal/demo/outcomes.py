"""Made-up agent work on the synthetic book, so the demo's analytics and uplift screens are not empty.

Every lead of the synthetic book (``SYN-`` agency ids) enrolled in the hold-out experiment gets
outcomes drawn from the uplift simulator's outcome model (``DEMO_MODEL``: a true relative uplift
of 60 %, invented) and recorded through the real outcome ledger with source ``demo`` and external
ids ``demo:...``. Treatment leads' alerts reached agents at once; control leads' were held, so they
convert at the base rate. Reached leads also get a first contact, which the demo agent
acknowledged: the signal is assigned to them and marked contacted, as the dashboard would do.

Outcomes are drawn from a per-lead seed and only those already in the past are recorded, so a
re-run records nothing twice and adds what has since "happened".
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from leadsignal.auth.models import User
from leadsignal.compliance import audit
from leadsignal.core.context import AppContext
from leadsignal.crm.outcomes import record_lead_outcome
from leadsignal.crm.schemas import OutcomeFields
from leadsignal.db import session_scope, utcnow
from leadsignal.demo.accounts import ROLES
from leadsignal.leads.models import Lead
from leadsignal.signals.actions import OPEN_STATUSES
from leadsignal.signals.models import Signal
from leadsignal.uplift.models import ExperimentAssignment
from leadsignal.uplift.simulator import DEFAULT_BASE_RATES, OutcomeModel

ACTOR = audit.Actor("system:demo")
SOURCE = "demo"
AGENT_EMAIL = f"{ROLES[2]}@demo.leadsignal.example"
DEMO_MODEL = OutcomeModel(effect=0.6, base_rates=dict.fromkeys(DEFAULT_BASE_RATES, 0.2), default_base_rate=0.2)
REACHED_CONTACT_RATE = 0.7  # share of alerted leads an agent got hold of
CONTROL_CONTACT_RATE = 0.35  # business as usual still reaches some
REFUSED_RATE = 0.25  # of contacts that did not enrol


def draw(rng: random.Random, signal_type: str, *, reached: bool, start: dt.datetime,
         window: dt.timedelta) -> list[tuple[str, dt.datetime, float]]:  # fmt: skip
    """One lead's ledger (kind, when, amount), oldest first: a contact, then the model's conversions."""
    conversions = DEMO_MODEL.draw(rng, signal_type, reached=reached, start=start, window=window)
    contacted = bool(conversions) or rng.random() < (REACHED_CONTACT_RATE if reached else CONTROL_CONTACT_RATE)
    if not contacted:
        return []
    delay = dt.timedelta(hours=rng.uniform(0.5, 30) if reached else rng.uniform(48, 24 * 20))
    first = start + delay
    if conversions:
        first = min(first, conversions[0][1] - dt.timedelta(minutes=30))
    kind = "right_party_contact" if rng.random() < 0.6 else "contacted"
    ledger = [(kind, first, 0.0)]
    if not conversions and rng.random() < REFUSED_RATE:
        ledger.append(("refused", first + dt.timedelta(minutes=5), 0.0))
    elif not conversions and rng.random() < 0.3:
        ledger.append(("promise_to_pay", first + dt.timedelta(minutes=10), 0.0))
    return ledger + conversions


def record_demo_outcomes(ctx: AppContext, *, seed: int = 42, now: dt.datetime | None = None) -> Counter[str]:
    """Record the synthetic book's outcomes up to ``now``; returns counts of what was new."""
    if ctx.settings.env == "production":
        raise RuntimeError("demo outcomes are never recorded in production")
    now = now or utcnow()
    window = dt.timedelta(days=ctx.settings.holdout_window_days)
    counts: Counter[str] = Counter()
    with session_scope(ctx.sessions) as session:
        agent = session.scalar(select(User).where(User.email == AGENT_EMAIL))
        rows = session.execute(
            select(ExperimentAssignment, Lead)
            .join(Lead, Lead.id == ExperimentAssignment.lead_id)
            .where(ExperimentAssignment.experiment == ctx.settings.holdout_experiment,
                   Lead.agency_id_number.like("SYN-%"))
            .order_by(ExperimentAssignment.id)
        ).all()  # fmt: skip
        for assignment, lead in rows:
            rng = random.Random(f"{seed}:{assignment.experiment}:{lead.agency_id_number}")
            ledger = draw(rng, assignment.signal_type, reached=assignment.group == "treatment",
                          start=assignment.assigned_at, window=window)  # fmt: skip
            for i, (kind, when, amount) in enumerate(ledger):
                if when > now:
                    break
                created = _record(session, lead, assignment, i, kind, when, amount)
                counts[kind] += created
                if created and i == 0 and agent is not None and assignment.group == "treatment":
                    counts["signals_worked"] += _work_signal(session, assignment.signal_id, agent, when)
    return counts


def _record(session: Session, lead: Lead, assignment: ExperimentAssignment, i: int, kind: str,
            when: dt.datetime, amount: float) -> bool:  # fmt: skip
    data = OutcomeFields(
        external_id=f"demo:{assignment.experiment}:{lead.agency_id_number}:{i}", outcome=kind,
        occurred_at=when.replace(microsecond=0), agent_external_id="demo-agent", signal_id=assignment.signal_id,
        amount=Decimal(f"{amount:.2f}") if kind == "payment_received" else None,
    )  # fmt: skip
    return record_lead_outcome(session, lead, data, source=SOURCE, actor=ACTOR).created


def _work_signal(session: Session, signal_id: int | None, agent: User, contacted_at: dt.datetime) -> int:
    """The demo agent took the signal, acknowledged it shortly before the first contact, and contacted."""
    signal = session.get(Signal, signal_id) if signal_id is not None else None
    if signal is None or signal.status not in OPEN_STATUSES or signal.alert_status != "alerted":
        return 0
    previous = signal.status
    if signal.assignee_user_id is None:
        signal.assignee_user_id = agent.id
        audit.record(session, ACTOR, "signal.assigned", entity_type="signal", entity_id=signal.id,
                     fields=["assignee_user_id"], details={"from": None, "to": agent.id, "via": "demo"})  # fmt: skip
    acknowledged = max(signal.detected_at, contacted_at - (contacted_at - signal.detected_at) / 3)
    signal.acknowledged_at = signal.acknowledged_at or acknowledged.replace(microsecond=0)
    signal.status = "contacted"
    session.flush()
    audit.record(session, ACTOR, "signal.contacted", entity_type="signal", entity_id=signal.id,
                 details={"from": previous, "via": "demo"})  # fmt: skip
    return 1
