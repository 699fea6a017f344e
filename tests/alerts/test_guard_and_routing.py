"""Signals become alerts only when contact is allowed; blocked ones stay visible to compliance."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from leadsignal.alerts.models import RoutingRule
from leadsignal.alerts.processor import evaluate, process_pending
from leadsignal.alerts.routing import RuleConditions
from leadsignal.compliance.models import AuditEntry
from leadsignal.core.context import AppContext
from leadsignal.core.crypto import PiiCipher
from leadsignal.crm.models import LeadContactFlags, Outcome, WebhookDelivery
from leadsignal.db import session_scope, utcnow
from leadsignal.events.models import OutboxEvent
from leadsignal.events.service import publish_signal_detected
from leadsignal.leads.models import Lead
from leadsignal.signals.models import Signal
from leadsignal.signals.score import ScoringPolicy, score_signal
from tests.auth.factories import make_team, make_user
from tests.crm import factories as crm
from tests.crm.conftest import WEBHOOK_SECRET
from tests.crm.fake_crm import FakeCrm
from tests.factories import make_lead
from tests.signals.factories import candidate

NOW = utcnow().replace(microsecond=0)  # real time: the outbox reader compares it with commit times


@pytest.fixture
def ctx(app_ctx: AppContext) -> AppContext:
    """Committed data, and no wait on outbox id gaps (rolled-back tests elsewhere leave gaps)."""
    return AppContext(app_ctx.settings.model_copy(update={"outbox_gap_grace_seconds": 0.0}), _engine=app_ctx.engine)


@pytest.fixture
def crm_receiver() -> Iterator[str]:
    with FakeCrm(WEBHOOK_SECRET) as server:
        yield server.url


def stored_signal(session: Session, cipher: PiiCipher, *, signal_type: str = "new_job", match: float | None = 1.0,
                  event_days_ago: int = 3, **lead_overrides: Any) -> Signal:  # fmt: skip
    from leadsignal.signals.merge import merge_candidate

    lead = make_lead(session, cipher, **lead_overrides)
    c = candidate(lead.id, signal_type=signal_type, match_confidence=match,
                  event_date=NOW.date() - dt.timedelta(days=event_days_ago))  # fmt: skip
    outcome = merge_candidate(session, c, now=NOW)
    signal = session.get(Signal, outcome.signal_id)
    assert signal is not None
    score_signal(signal, total_due=lead.total_due, status=lead.status_description, evidence_kinds={"post"},
                 policy=ScoringPolicy())  # fmt: skip
    session.flush()
    return signal


def _flag(name: str) -> Callable[[Session, Lead], None]:
    def apply(session: Session, lead: Lead) -> None:
        session.add(LeadContactFlags(lead_id=lead.id, **{name: True}, crm_version=1, source="crm", updated_at=NOW))

    return apply


def _outcomes(kind: str, count: int) -> Callable[[Session, Lead], None]:
    def apply(session: Session, lead: Lead) -> None:
        for i in range(count):
            session.add(Outcome(external_id=f"{kind}-{lead.id}-{i}", lead_id=lead.id, outcome=kind, source="crm",
                                occurred_at=NOW - dt.timedelta(days=1, hours=i), agent_external_id="a1"))  # fmt: skip

    return apply


def _lead_attr(**values: Any) -> Callable[[Session, Lead], None]:
    def apply(session: Session, lead: Lead) -> None:
        for key, value in values.items():
            setattr(lead, key, value)

    return apply


BLOCKERS: dict[str, tuple[Callable[[Session, Lead], None], str]] = {
    "opt-out": (_lead_attr(do_not_scrape=True), "borrower opted out"),
    "do not contact": (_flag("do_not_contact"), "do not contact (CRM)"),
    "cease and desist": (_flag("cease_and_desist"), "cease and desist (CRM)"),
    "bankruptcy flag": (_flag("bankruptcy"), "bankruptcy (CRM)"),
    "attorney": (_flag("attorney_represented"), "attorney represented (CRM)"),
    "dispute": (_flag("disputed"), "debt disputed (CRM)"),
    "bankruptcy status": (_lead_attr(status_description="Bankruptcy Filed"), "bankruptcy (account status)"),
    "regulation F attempts": (_outcomes("contacted", 7), "Regulation F: 7 call attempts in the last 7 days"),
    "regulation F conversation": (_outcomes("right_party_contact", 1), "Regulation F: spoke with the borrower"),
}


@pytest.mark.parametrize("condition", sorted(BLOCKERS))
def test_each_blocking_condition_stops_alert_webhook_and_feed(
    ctx: AppContext, condition: str, crm_receiver: str
) -> None:
    apply, reason = BLOCKERS[condition]
    crm.endpoint(ctx, crm_receiver, events=("*",))
    with session_scope(ctx.sessions) as session:
        signal = stored_signal(session, ctx.cipher)
        lead = session.get(Lead, signal.lead_id)
        assert lead is not None
        apply(session, lead)
        publish_signal_detected(session, signal, created=True)
        signal_id = signal.id
    counts = process_pending(ctx, now=NOW)
    assert counts == {"blocked": 1}
    from leadsignal.crm.dispatcher import dispatch_once

    dispatch_once(ctx, NOW)
    with ctx.sessions() as session:
        signal = session.get(Signal, signal_id)
        assert signal is not None
        assert signal.alert_status == "blocked"
        assert any(r.startswith(reason) for r in signal.blocked_reasons), signal.blocked_reasons
        assert signal.assignee_user_id is None
        external = set(session.scalars(select(OutboxEvent.event_type)))
        assert external == {"signal.detected.v1"}  # nothing for the CRM or the live feed
        assert session.scalars(select(WebhookDelivery)).all() == []
        audit = session.scalars(select(AuditEntry).where(AuditEntry.action == "signal.blocked")).one()
        assert reason in " ".join(audit.details["reasons"])


def test_unconfirmed_identity_and_stale_events_are_blocked(db: Session, cipher: PiiCipher) -> None:
    unconfirmed = stored_signal(db, cipher, match=None)
    assert evaluate(db, unconfirmed, now=NOW) == "blocked"
    assert unconfirmed.blocked_reasons == ["no confirmed identity match"]
    stale = stored_signal(db, cipher, event_days_ago=400)
    assert evaluate(db, stale, now=NOW) == "blocked"
    assert stale.blocked_reasons == ["event is stale"]


def test_hardship_is_flagged_never_alerted(db: Session, cipher: PiiCipher) -> None:
    signal = stored_signal(db, cipher, signal_type="job_loss")
    assert evaluate(db, signal, now=NOW) == "hardship"
    types = set(db.scalars(select(OutboxEvent.event_type)))
    assert "hardship.flagged.v1" in types
    assert "alert.raised.v1" not in types
    assert "signal.created.v1" not in types


def test_allowed_signal_goes_to_the_lead_owner_with_latency(db: Session, cipher: PiiCipher) -> None:
    team = make_team(db)
    agent = make_user(db, "agent", teams=(team,))
    signal = stored_signal(db, cipher, team_id=team.id, assignee_user_id=agent.id)
    signal.detected_at = NOW - dt.timedelta(seconds=2)
    assert evaluate(db, signal, now=NOW) == "alerted"
    assert (signal.assignee_user_id, signal.routed_team_id) == (agent.id, team.id)
    assert signal.alert_latency_ms == 2000
    types = [e.event_type for e in db.scalars(select(OutboxEvent).order_by(OutboxEvent.id))]
    assert types == ["signal.created.v1", "alert.raised.v1"]


def test_round_robin_within_the_lead_team(db: Session, cipher: PiiCipher) -> None:
    team = make_team(db)
    first, second = make_user(db, "agent", teams=(team,)), make_user(db, "agent", teams=(team,))
    make_user(db, "manager", teams=(team,))  # managers are not in the rotation
    assigned = [evaluate(db, s, now=NOW) and s.assignee_user_id
                for s in (stored_signal(db, cipher, team_id=team.id) for _ in range(3))]  # fmt: skip
    assert assigned == [first.id, second.id, first.id]


def test_rules_route_unowned_leads_and_give_the_lead_to_the_team(db: Session, cipher: PiiCipher) -> None:
    texas, default = make_team(db), make_team(db)
    ranger = make_user(db, "agent", teams=(texas,))
    db.add_all([
        RoutingRule(name="texas high", position=1, conditions={"states": ["TX"], "min_priority": "high"},
                    team_id=texas.id, active=True, created_at=utcnow()),
        RoutingRule(name="everyone else", position=9, conditions={}, team_id=default.id, active=True,
                    created_at=utcnow()),
    ])  # fmt: skip
    db.flush()
    tx = stored_signal(db, cipher, state="TX")
    oh = stored_signal(db, cipher, state="OH")
    evaluate(db, tx, now=NOW)
    evaluate(db, oh, now=NOW)
    assert (tx.routed_team_id, tx.assignee_user_id) == (texas.id, ranger.id)
    assert (oh.routed_team_id, oh.assignee_user_id) == (default.id, None)
    assert db.get(Lead, tx.lead_id).team_id == texas.id  # type: ignore[union-attr]


def test_rule_conditions_are_validated() -> None:
    with pytest.raises(ValueError, match="unknown state codes: ZZ"):
        RuleConditions(states=["zz"])
    with pytest.raises(ValueError, match="signal types"):
        RuleConditions(signal_types=["jackpot"])


def test_corroboration_after_alerting_updates_the_crm(ctx: AppContext) -> None:
    with session_scope(ctx.sessions) as session:
        signal = stored_signal(session, ctx.cipher)
        publish_signal_detected(session, signal, created=True)
    assert process_pending(ctx, now=NOW) == {"alerted": 1}
    with session_scope(ctx.sessions) as session:
        signal = session.scalars(select(Signal)).one()
        publish_signal_detected(session, signal, created=False)
    assert process_pending(ctx, now=NOW) == {"updated": 1}
    with ctx.sessions() as session:
        types = list(session.scalars(select(OutboxEvent.event_type).order_by(OutboxEvent.id)))
    assert types[-1] == "signal.updated.v1"
