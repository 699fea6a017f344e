from __future__ import annotations

import datetime as dt
import random

import pytest
from sqlalchemy import func, select

from leadsignal.compliance.models import AuditEntry
from leadsignal.core.context import AppContext
from leadsignal.crm.models import Outcome
from leadsignal.db import session_scope
from leadsignal.demo.outcomes import AGENT_EMAIL, draw, record_demo_outcomes
from leadsignal.signals.models import Signal
from leadsignal.uplift.models import ExperimentAssignment
from leadsignal.uplift.report import uplift_report
from tests.auth.factories import make_signal, make_user
from tests.factories import make_lead

NOW = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)
WINDOW = dt.timedelta(days=30)


def _book(ctx: AppContext, *, leads: int) -> dict[str, list[int]]:
    """Synthetic leads alternately treatment and control, assigned 10 to 50 days ago, plus one client lead."""
    ids: dict[str, list[int]] = {"treatment": [], "control": [], "client": []}
    with session_scope(ctx.sessions) as s:
        make_user(s, "agent", email=AGENT_EMAIL)
        for i in range(leads + 1):
            synthetic = i < leads
            lead = make_lead(s, ctx.cipher, agency_id_number=f"SYN-{i:07d}" if synthetic else "AG-1")
            at = NOW - dt.timedelta(days=10 + i % 40)
            signal = make_signal(s, lead.id, detected_at=at, signal_type="new_job")
            group = "control" if i % 2 else "treatment"
            held = at + WINDOW if group == "control" else None
            signal.alert_status = "alerted" if group == "treatment" else "held"
            s.add(ExperimentAssignment(experiment=ctx.settings.holdout_experiment, lead_id=lead.id, group=group,
                                       share=0.5, bucket=0.1, signal_id=signal.id, signal_type="new_job",
                                       assigned_at=at, held_until=held))  # fmt: skip
            ids[group if synthetic else "client"].append(lead.id)
    return ids


def test_records_outcomes_on_synthetic_leads_once(app_ctx: AppContext) -> None:
    ids = _book(app_ctx, leads=80)
    first = record_demo_outcomes(app_ctx, now=NOW)
    again = record_demo_outcomes(app_ctx, now=NOW)
    assert first["payment_plan_enrolled"] > 0
    assert first["right_party_contact"] + first["contacted"] > 0
    assert first["signals_worked"] > 0
    assert sum(again.values()) == 0
    with session_scope(app_ctx.sessions) as s:
        rows = s.scalars(select(Outcome)).all()
        assert {r.source for r in rows} == {"demo"}
        assert all(r.external_id.startswith("demo:") for r in rows)
        assert all(r.occurred_at <= NOW for r in rows)
        assert not {r.lead_id for r in rows} & set(ids["client"])
        assert len(rows) == sum(v for k, v in first.items() if k != "signals_worked")
        assert s.scalar(select(func.count()).where(AuditEntry.action == "outcome.recorded")) == len(rows)
        # only alerted (treatment) signals were worked by the demo agent; held ones stay untouched
        worked = s.scalars(select(Signal).where(Signal.status == "contacted")).all()
        assert len(worked) == first["signals_worked"]
        assert {w.lead_id for w in worked} <= set(ids["treatment"])
        assert all(w.assignee_user_id is not None and w.acknowledged_at is not None for w in worked)
        assert all(w.detected_at <= w.acknowledged_at <= NOW for w in worked if w.acknowledged_at)
        report = uplift_report(s, app_ctx.settings, now=NOW)
    assert report.overall.treatment.leads == len(ids["treatment"]) + len(ids["client"])  # the client lead is i=80
    assert report.overall.control.leads == len(ids["control"])
    assert report.overall.treatment.payment_plan + report.overall.control.payment_plan > 0


def test_later_run_adds_only_what_has_since_happened(app_ctx: AppContext) -> None:
    _book(app_ctx, leads=40)
    early = record_demo_outcomes(app_ctx, now=NOW - dt.timedelta(days=15))
    late = record_demo_outcomes(app_ctx, now=NOW)
    with session_scope(app_ctx.sessions) as s:
        total = s.scalar(select(func.count(Outcome.id)))
    assert total == sum(v for k, v in early.items() if k != "signals_worked") + sum(
        v for k, v in late.items() if k != "signals_worked"
    )
    assert sum(late.values()) > 0


def test_draw_converts_reached_leads_more_often_and_contacts_first() -> None:
    start = NOW - dt.timedelta(days=60)

    def rate(reached: bool) -> float:
        rng = random.Random(3)
        ledgers = [draw(rng, "new_job", reached=reached, start=start, window=WINDOW) for _ in range(4000)]
        for ledger in ledgers:
            assert ledger == sorted(ledger, key=lambda row: row[1])
            assert not ledger or ledger[0][0] in ("contacted", "right_party_contact")
            assert all(start <= when < start + WINDOW for _, when, _ in ledger)
        return sum(any(k == "payment_plan_enrolled" for k, _, _ in ledger) for ledger in ledgers) / len(ledgers)

    treated, control = rate(True), rate(False)
    assert treated == pytest.approx(0.32, abs=0.03)
    assert control == pytest.approx(0.20, abs=0.03)


def test_never_in_production(app_ctx: AppContext) -> None:
    prod = AppContext(app_ctx.settings.model_copy(update={"env": "production"}), _engine=app_ctx.engine)
    with pytest.raises(RuntimeError, match="never recorded in production"):
        record_demo_outcomes(prod, now=NOW)
