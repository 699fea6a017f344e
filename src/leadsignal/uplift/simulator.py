"""A synthetic book with a known true uplift, to check that the report recovers it.

Two paths share the outcome model, the assignment and the report code:

- ``simulate_pipeline`` runs the real system: the synthetic lead book through the CSV import,
  monitoring cycles over the sample source (fetch, detect, merge, score), the alerts processor with
  the hold-out, then outcomes recorded through the real ledger (``record_outcome``) and the report
  read back from the database. Slow, so run at modest size.
- ``simulate_ledger`` skips scraping: leads get a signal type, are assigned by the same HMAC
  buckets, draw outcomes from the same model and go through the same per-lead and report code.
  Fast enough for hundreds of seeds (false-significance rate, power).

In the outcome model a lead's chance of enrolling is ``base_rate[type] * (1 + effect[type])`` when
its alert reached an agent within the window, and ``base_rate[type]`` when it did not (control:
business as usual). Reached leads also enrol sooner.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from leadsignal.compliance import audit
from leadsignal.core.context import AppContext
from leadsignal.crm.outcomes import record_outcome
from leadsignal.crm.schemas import OutcomeIn
from leadsignal.db import session_scope
from leadsignal.leads.models import Lead
from leadsignal.nlp.service import SignalDetector
from leadsignal.signals.models import Signal
from leadsignal.uplift.assignment import HoldoutConfig
from leadsignal.uplift.models import ExperimentAssignment
from leadsignal.uplift.report import LeadResult, UpliftReport, build_report, lead_result, load_results

ACTOR = audit.Actor("system:simulator")
T0 = dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC)
DEFAULT_BASE_RATES: Mapping[str, float] = {
    "new_job": 0.12, "promotion": 0.10, "certification": 0.08, "license": 0.09, "award": 0.06,
    "business_launch": 0.07, "education": 0.06,
}  # fmt: skip
DEFAULT_MIX: Mapping[str, float] = {
    "new_job": 30, "promotion": 20, "certification": 18, "license": 12, "award": 8, "business_launch": 6,
    "education": 6,
}  # fmt: skip


@dataclass(frozen=True)
class OutcomeModel:
    """How leads convert, with the true relative uplift per signal type (``effect`` for the rest)."""

    effect: float = 0.0
    effects: Mapping[str, float] = field(default_factory=dict)
    base_rates: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_BASE_RATES))
    default_base_rate: float = 0.08
    pay_given_plan: float = 0.7
    pay_without_plan: float = 0.02

    def true_effect(self, signal_type: str) -> float:
        return self.effects.get(signal_type, self.effect)

    def enrol_probability(self, signal_type: str, *, reached: bool) -> float:
        base = self.base_rates.get(signal_type, self.default_base_rate)
        return min(base * (1 + self.true_effect(signal_type)) if reached else base, 0.99)

    def draw(self, rng: random.Random, signal_type: str, *, reached: bool, start: dt.datetime,
             window: dt.timedelta) -> list[tuple[str, dt.datetime, float]]:  # fmt: skip
        """The lead's conversions (kind, when, amount), oldest first; all inside the window."""
        days = window.total_seconds() / 86400
        enrolled = rng.random() < self.enrol_probability(signal_type, reached=reached)
        pays = rng.random() < (self.pay_given_plan if enrolled else self.pay_without_plan)
        spread = 0.3 if reached else 0.6  # an alerted agent calls sooner
        when = start + dt.timedelta(days=rng.uniform(0.2, days * spread))
        out: list[tuple[str, dt.datetime, float]] = []
        if enrolled:
            out.append(("payment_plan_enrolled", when, 0.0))
        if pays:
            paid_at = min(when + dt.timedelta(days=rng.uniform(0.5, days * 0.3)), start + window * 0.99)
            out.append(("payment_received", paid_at, round(rng.uniform(50, 400), 2)))
        return out


def simulate_ledger(
    *,
    leads: int,
    seed: int,
    model: OutcomeModel,
    share: float = 0.5,
    window_days: int = 30,
    mix: Mapping[str, float] = DEFAULT_MIX,
) -> UpliftReport:
    """Assignment, outcomes and report for ``leads`` generated leads, without the database."""
    rng = random.Random(seed)
    config = HoldoutConfig(experiment=f"sim-{seed}", share=share, window=dt.timedelta(days=window_days),
                           salt="simulator")  # fmt: skip
    types, weights = list(mix), list(mix.values())
    end = T0 + dt.timedelta(days=window_days + 60)
    results: list[LeadResult] = []
    drawn = rng.choices(types, weights, k=leads)
    for lead_id, signal_type in enumerate(drawn, start=1):
        group, used_share, _ = config.group(lead_id, signal_type)
        start = T0 + dt.timedelta(hours=lead_id % 1000)
        ledger = model.draw(rng, signal_type, reached=group == "treatment", start=start, window=config.window)
        results.append(lead_result(signal_type, group, used_share, start, ledger, config.window, end))
    return build_report(results, experiment=config.experiment, window_days=window_days, generated_at=end)


@dataclass
class PipelineRun:
    report: UpliftReport
    counts: Counter[str]


def simulate_pipeline(
    ctx: AppContext,
    *,
    leads: int,
    seed: int,
    model: OutcomeModel,
    detector: SignalDetector | None = None,
    cycles: int = 3,
) -> PipelineRun:
    """The whole system on a synthetic book; ``ctx.settings`` carries the hold-out configuration.

    Writes into ``ctx``'s database: use a throwaway one.
    """
    from leadsignal.alerts.processor import process_pending
    from leadsignal.demo.leadbook import write_sample_csv
    from leadsignal.jobs.runtime import detector_for
    from leadsignal.leads.importer import import_leads
    from leadsignal.leads.segments import ensure_default_segments
    from leadsignal.monitoring.cycle import MonitorDeps, run_cycle
    from leadsignal.sources.sample import CYCLE_DAYS, SampleProfileSearch, SampleSource

    counts: Counter[str] = Counter()
    path = write_sample_csv(ctx.settings.data_dir / f"simulated-book-{seed}.csv", leads, seed=seed, today=T0.date())
    counts["leads_imported"] = import_leads(ctx.sessions, ctx.cipher, path, actor=ACTOR).imported
    with session_scope(ctx.sessions) as session:
        ensure_default_segments(session)
    detector = detector or detector_for(ctx)
    now = T0
    for cycle in range(cycles):
        now = T0 + dt.timedelta(days=CYCLE_DAYS * cycle)
        source = SampleSource(seed=seed, cycle=cycle, now=now)
        search = SampleProfileSearch(seed=seed, cycle=cycle, now=now)
        deps = MonitorDeps(source=source, detector=detector, search=search,
                           min_confidence=ctx.settings.signal_min_confidence)  # fmt: skip
        counts.update(run_cycle(ctx, deps, now=now, batch_size=ctx.settings.monitor_batch_size).counts)
        counts.update(process_pending(ctx, now=now))
    window = dt.timedelta(days=ctx.settings.holdout_window_days)
    counts["outcomes_recorded"] = _record_outcomes(ctx, model, seed=seed, window=window)
    end = now + window
    counts.update(process_pending(ctx, now=end))  # the windows are over: held alerts are released
    with session_scope(ctx.sessions) as session:
        results = load_results(session, experiment=ctx.settings.holdout_experiment, window=window, now=end)
    report = build_report(results, experiment=ctx.settings.holdout_experiment,
                          window_days=ctx.settings.holdout_window_days, generated_at=end)  # fmt: skip
    return PipelineRun(report=report, counts=counts)


def _record_outcomes(ctx: AppContext, model: OutcomeModel, *, seed: int, window: dt.timedelta) -> int:
    """Draw each assigned lead's outcomes and record them through the real outcome ledger.

    A lead's alert "reached an agent" when its triggering signal was alerted (not held): the
    system's own decision, read back from the signal.
    """
    rng = random.Random(seed * 7919 + 1)
    recorded = 0
    with session_scope(ctx.sessions) as session:
        rows = session.execute(
            select(ExperimentAssignment, Signal.alert_status, Lead.agency_id_number)
            .join(Lead, Lead.id == ExperimentAssignment.lead_id)
            .outerjoin(Signal, Signal.id == ExperimentAssignment.signal_id)
            .where(ExperimentAssignment.experiment == ctx.settings.holdout_experiment)
            .order_by(ExperimentAssignment.id)
        ).all()
        for assignment, alert_status, agency_id in rows:
            ledger = model.draw(rng, assignment.signal_type, reached=alert_status == "alerted",
                                start=assignment.assigned_at, window=window)  # fmt: skip
            if agency_id:
                recorded += _record(session, agency_id, assignment, ledger)
    return recorded


def _record(session: Session, agency_id: str, assignment: ExperimentAssignment,
            ledger: Sequence[tuple[str, dt.datetime, float]]) -> int:  # fmt: skip
    for i, (kind, when, amount) in enumerate(ledger):
        record_outcome(session, OutcomeIn(
            external_id=f"sim-{assignment.experiment}-{assignment.lead_id}-{i}", agency_id_number=agency_id,
            outcome=kind, occurred_at=when, agent_external_id="simulated-agent", signal_id=assignment.signal_id,
            amount=Decimal(f"{amount:.2f}") if kind == "payment_received" else None,
        ), source="simulator", actor=ACTOR)  # fmt: skip
    return len(ledger)
