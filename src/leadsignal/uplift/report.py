"""The uplift report: treatment versus control per signal type and overall.

Every assigned lead counts once, in the group it was randomised to (intention to treat), under
the type of the signal that enrolled it. A lead converts when the outcome ledger has a
``payment_plan_enrolled`` (or ``payment_received``) for it at or after its assignment and before
the window ends (``holdout_window_days`` by default: after that the control group's alerts are
released, so later outcomes no longer compare with and without the system).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from leadsignal.crm.models import Outcome
from leadsignal.settings import Settings
from leadsignal.uplift import stats
from leadsignal.uplift.models import ExperimentAssignment

CONVERSIONS = ("payment_plan_enrolled", "payment_received")
_CHUNK = 900  # lead ids per IN (...) query, under SQLite's parameter limit


@dataclass(frozen=True)
class LeadResult:
    """One assigned lead's outcome inside its window: the input of the pure report."""

    signal_type: str
    group: str  # "treatment" or "control"
    share: float
    observing: bool  # its window has not ended yet
    enrolled: bool
    paid: bool
    days_to_payment: float | None
    recovered: float


class ArmSummary(BaseModel):
    leads: int
    leads_observing: int = Field(description="Leads whose window has not ended yet (outcomes may still come).")
    payment_plan: int = Field(description="Leads that enrolled in a payment plan within the window.")
    first_payment: int = Field(description="Leads that made a payment within the window.")
    payment_plan_rate: float | None
    first_payment_rate: float | None
    median_days_to_payment: float | None
    recovered_amount: float
    recovered_per_lead: float | None


class MetricComparison(BaseModel):
    """Treatment against control for one conversion."""

    treatment_rate: float | None
    control_rate: float | None
    absolute_uplift: float | None
    absolute_ci: tuple[float, float] | None = Field(description="95% Newcombe hybrid score interval.")
    relative_uplift: float | None = Field(description="Treatment rate / control rate - 1.")
    relative_ci: tuple[float, float] | None = Field(description="95% Katz log risk-ratio interval, minus 1.")
    p_value: float | None = Field(description="Two-sided pooled two-proportion z-test.")
    significant: bool
    mde_relative: float | None = Field(description="Relative uplift detectable with 80% power at current sizes.")
    additional_treatment_needed: int | None = Field(
        description="More treatment leads needed to detect the target uplift; None when significant or unknown."
    )
    additional_control_needed: int | None


class UpliftSegment(BaseModel):
    signal_type: str = Field(description='A signal type, or "all" for the overall row.')
    treatment: ArmSummary
    control: ArmSummary
    payment_plan: MetricComparison
    first_payment: MetricComparison


class UpliftReport(BaseModel):
    experiment: str
    generated_at: dt.datetime
    since: dt.date | None
    window_days: int
    alpha: float
    power: float
    target_relative_uplift: float
    overall: UpliftSegment
    by_signal_type: list[UpliftSegment]
    notes: list[str]


def load_results(
    session: Session, *, experiment: str, window: dt.timedelta, now: dt.datetime, since: dt.date | None = None
) -> list[LeadResult]:
    """Each assigned lead of the experiment (assigned on or after ``since``) with its outcomes in window."""
    query = select(ExperimentAssignment).where(ExperimentAssignment.experiment == experiment)
    if since is not None:
        start = dt.datetime.combine(since, dt.time(0), tzinfo=dt.UTC)
        query = query.where(ExperimentAssignment.assigned_at >= start)
    assignments = list(session.scalars(query.order_by(ExperimentAssignment.id)))
    outcomes: dict[int, list[tuple[str, dt.datetime, float]]] = defaultdict(list)
    ids = [a.lead_id for a in assignments]
    for i in range(0, len(ids), _CHUNK):
        rows = session.execute(
            select(Outcome.lead_id, Outcome.outcome, Outcome.occurred_at, Outcome.amount)
            .where(Outcome.lead_id.in_(ids[i : i + _CHUNK]), Outcome.outcome.in_(CONVERSIONS))
            .order_by(Outcome.occurred_at)
        )
        for lead_id, kind, occurred, amount in rows:
            outcomes[lead_id].append((kind, occurred, float(amount or 0)))
    return [
        lead_result(a.signal_type, a.group, a.share, a.assigned_at, outcomes.get(a.lead_id, []), window, now)
        for a in assignments
    ]


def lead_result(
    signal_type: str,
    group: str,
    share: float,
    assigned_at: dt.datetime,
    outcomes: Sequence[tuple[str, dt.datetime, float]],
    window: dt.timedelta,
    now: dt.datetime,
) -> LeadResult:
    """One lead's conversions from its ledger rows (kind, occurred_at, amount), oldest first."""
    end = assigned_at + window
    inside = [(kind, at, amount) for kind, at, amount in outcomes if assigned_at <= at < end]
    payments = [(at, amount) for kind, at, amount in inside if kind == "payment_received"]
    first = payments[0][0] if payments else None
    return LeadResult(
        signal_type=signal_type,
        group=group,
        share=share,
        observing=now < end,
        enrolled=any(kind == "payment_plan_enrolled" for kind, _, _ in inside),
        paid=first is not None,
        days_to_payment=(first - assigned_at).total_seconds() / 86400 if first else None,
        recovered=round(sum(amount for _, amount in payments), 2),
    )


def build_report(
    results: Sequence[LeadResult],
    *,
    experiment: str,
    window_days: int,
    generated_at: dt.datetime,
    since: dt.date | None = None,
    alpha: float = 0.05,
    power: float = 0.8,
    target: float = 0.2,
) -> UpliftReport:
    """The report from per-lead results alone (pure: the simulator calls it on generated ledgers)."""
    by_type: dict[str, list[LeadResult]] = defaultdict(list)
    for r in results:
        by_type[r.signal_type].append(r)
    params = {"alpha": alpha, "power": power, "target": target}
    segments = [segment(t, rows, **params) for t, rows in sorted(by_type.items())]
    notes = [
        "Groups are compared as randomised (intention to treat): a control lead counts as control even if "
        "an agent reached it through other work.",
        f"Conversions count from assignment until {window_days} days later, when held alerts are released.",
    ]
    if len(segments) > 1:
        notes.append(
            f"{len(segments)} signal types are tested separately: at alpha {alpha} about one in "
            f"{round(1 / alpha)} will look significant by chance; trust the overall row first."
        )
    if any(r.observing for r in results):
        notes.append("Some leads are still inside their window: their conversions may rise.")
    return UpliftReport(
        experiment=experiment, generated_at=generated_at, since=since, window_days=window_days, alpha=alpha,
        power=power, target_relative_uplift=target, overall=segment("all", results, **params),
        by_signal_type=segments, notes=notes,
    )  # fmt: skip


def segment(
    signal_type: str, rows: Iterable[LeadResult], *, alpha: float, power: float, target: float
) -> UpliftSegment:
    rows = list(rows)
    treated = [r for r in rows if r.group == "treatment"]
    control = [r for r in rows if r.group == "control"]
    share = len(control) / len(rows) if rows else 0.0
    params = {"alpha": alpha, "power": power, "target": target, "share": share}
    return UpliftSegment(
        signal_type=signal_type,
        treatment=arm(treated),
        control=arm(control),
        payment_plan=compare(sum(r.enrolled for r in treated), len(treated), sum(r.enrolled for r in control),
                             len(control), **params),
        first_payment=compare(sum(r.paid for r in treated), len(treated), sum(r.paid for r in control),
                              len(control), **params),
    )  # fmt: skip


def arm(rows: Sequence[LeadResult]) -> ArmSummary:
    n = len(rows)
    enrolled, paid = sum(r.enrolled for r in rows), sum(r.paid for r in rows)
    recovered = round(sum(r.recovered for r in rows), 2)
    days = stats.median([r.days_to_payment for r in rows if r.days_to_payment is not None])
    return ArmSummary(
        leads=n, leads_observing=sum(r.observing for r in rows), payment_plan=enrolled, first_payment=paid,
        payment_plan_rate=_round(stats.rate(enrolled, n)), first_payment_rate=_round(stats.rate(paid, n)),
        median_days_to_payment=None if days is None else round(days, 2), recovered_amount=recovered,
        recovered_per_lead=round(recovered / n, 2) if n else None,
    )  # fmt: skip


def compare(
    x1: int, n1: int, x0: int, n0: int, *, alpha: float, power: float, target: float, share: float
) -> MetricComparison:
    diff = stats.newcombe_diff(x1, n1, x0, n0, alpha=alpha)
    rel = stats.katz_relative(x1, n1, x0, n0, alpha=alpha)
    p = stats.two_proportion_p(x1, n1, x0, n0)
    significant = p is not None and p < alpha
    baseline = stats.rate(x0, n0) if x0 else stats.rate(x1 + x0, n1 + n0)
    mde = stats.mde_absolute(baseline, n1, n0, alpha=alpha, power=power) if baseline is not None else None
    more_t = more_c = None
    if not significant and baseline is not None and 0 < share < 1:
        needed = stats.sample_size(baseline, target, share, alpha=alpha, power=power)
        if needed is not None:
            more_t, more_c = max(needed.treatment - n1, 0), max(needed.control - n0, 0)
    return MetricComparison(
        treatment_rate=_round(stats.rate(x1, n1)), control_rate=_round(stats.rate(x0, n0)),
        absolute_uplift=_round(diff[0]) if diff else None,
        absolute_ci=(_r(diff[1]), _r(diff[2])) if diff else None,
        relative_uplift=_round(rel[0]) if rel else None, relative_ci=(_r(rel[1]), _r(rel[2])) if rel else None,
        p_value=_round(p), significant=significant,
        mde_relative=_round(mde / baseline) if mde is not None and baseline else None,
        additional_treatment_needed=more_t, additional_control_needed=more_c,
    )  # fmt: skip


def _r(value: float) -> float:
    return round(value, 6)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def uplift_report(
    session: Session, settings: Settings, *, now: dt.datetime, since: dt.date | None = None
) -> UpliftReport:
    """The report of the configured experiment, over the configured window."""
    window = settings.holdout_window_days
    results = load_results(session, experiment=settings.holdout_experiment, window=dt.timedelta(days=window),
                           now=now, since=since)  # fmt: skip
    return build_report(results, experiment=settings.holdout_experiment, window_days=window, generated_at=now,
                        since=since)  # fmt: skip
