"""The analytics aggregates, computed in SQL over the signals and outcomes the caller may see.

Definitions (docs/analytics.md explains them for readers):

* A signal counts when it was detected (``detected_at``, UTC) between ``since`` 00:00 and the end
  of ``until`` and reached people: ``alert_status`` is ``alerted`` or ``hardship``. Signals still
  pending or blocked by the contact guard count nowhere.
* signals: counted signals per bucket (the UTC day, or the Monday of the ISO week) and type.
* conversion, per signal type: ``leads`` with a counted signal of that type, and of those how many
  had a contact outcome (``CONTACT_OUTCOMES``), ``payment_plan_enrolled`` or ``payment_received``
  at or after their first counted signal of that type (outcomes up to now, not only up to until).
* response_times, per (lead's team, assignee) plus one total row per team (``user_id`` null; a
  signal with no assignee counts only there): minutes from detection to ``acknowledged_at``, and
  to the lead's first contact outcome at or after detection. Percentiles interpolate linearly
  (``percentile_cont``).
* outcomes: outcomes per kind that occurred in the range on leads in scope, amounts summed.

Scope: admins and compliance see everything; managers the leads of their teams; agents only
signals assigned to them (and, for outcomes, leads assigned to them).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Date, Float, Select, and_, case, cast, func, literal_column, select, text, tuple_
from sqlalchemy.orm import Session, aliased

from leadsignal.analytics.schemas import (
    Bucket,
    ConversionRow,
    OutcomeRow,
    ResponseTimeRow,
    SignalsRow,
)
from leadsignal.auth.deps import SEE_ALL, Principal, visible_leads
from leadsignal.auth.models import Team, User
from leadsignal.crm.models import OUTCOMES, Outcome
from leadsignal.leads.models import Lead
from leadsignal.signals.models import SIGNAL_TYPES, Signal

COUNTED_ALERT_STATUSES = ("alerted", "hardship")
CONTACT_OUTCOMES = ("contacted", "right_party_contact", "promise_to_pay", "payment_plan_enrolled", "payment_received")
DEFAULT_DAYS = 30
MAX_DAYS = 366


@dataclass(frozen=True)
class Params:
    since: dt.date
    until: dt.date
    bucket: Bucket
    team_id: int | None

    @property
    def start(self) -> dt.datetime:
        return dt.datetime.combine(self.since, dt.time(), dt.UTC)

    @property
    def end(self) -> dt.datetime:
        return dt.datetime.combine(self.until + dt.timedelta(days=1), dt.time(), dt.UTC)


def scope_key(principal: Principal) -> list[Any]:
    """What decides which rows a caller sees; callers with the same key get the same answer."""
    if principal.role in SEE_ALL:
        return ["all"]
    if principal.role == "manager":
        return ["teams", principal.team_ids]
    return [principal.role, principal.id, principal.team_ids]


def data_version(session: Session) -> list[Any]:
    """Changes whenever a signal is added or updated or an outcome lands (two index-only reads)."""
    signals = session.execute(select(func.max(Signal.updated_at), func.max(Signal.id))).one()
    outcomes = session.execute(select(func.max(Outcome.id))).one()
    return [signals[0].isoformat() if signals[0] else None, signals[1], outcomes[0]]


def cache_key(principal: Principal, params: Params, version: list[Any]) -> str:
    raw = json.dumps(
        [
            scope_key(principal),
            params.since.isoformat(),
            params.until.isoformat(),
            params.bucket,
            params.team_id,
            version,
        ],
        separators=(",", ":"),
    )
    return hashlib.sha256(raw.encode()).hexdigest()


# --- scope ------------------------------------------------------------------------------------


def _signal_scope(principal: Principal, params: Params) -> list[ColumnElement[bool]]:
    conditions = [
        visible_leads(principal),
        Signal.detected_at >= params.start,
        Signal.detected_at < params.end,
        Signal.alert_status.in_(COUNTED_ALERT_STATUSES),
    ]
    if principal.role == "agent":
        conditions.append(Signal.assignee_user_id == principal.id)
    if params.team_id is not None:
        conditions.append(Lead.team_id == params.team_id)
    return conditions


def _scoped_signals(principal: Principal, params: Params, *columns: Any) -> Select[Any]:
    """Counted signals in scope; the leads join only when scoping needs it (not for a global view)."""
    query = select(*columns).select_from(Signal)
    if principal.role not in SEE_ALL or params.team_id is not None:
        query = query.join(Lead, Lead.id == Signal.lead_id)
    return query.where(*_signal_scope(principal, params))


def _lead_scope(principal: Principal, params: Params) -> list[ColumnElement[bool]]:
    conditions = [visible_leads(principal)]
    if principal.role == "agent":
        conditions.append(Lead.assignee_user_id == principal.id)
    if params.team_id is not None:
        conditions.append(Lead.team_id == params.team_id)
    return conditions


# --- dialect helpers --------------------------------------------------------------------------


def _is_pg(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _bucket(session: Session, column: Any, bucket: Bucket) -> ColumnElement[Any]:
    """The UTC day of a timestamp, or the Monday of its ISO week."""
    if _is_pg(session):
        utc = func.timezone(literal_column("'UTC'"), column)
        return cast(func.date_trunc(literal_column(f"'{bucket}'"), utc), Date)
    if bucket == "day":
        return func.date(column)
    return func.date(column, literal_column("'weekday 0'"), literal_column("'-6 days'"))


def _minutes(session: Session, later: Any, earlier: Any) -> ColumnElement[Any]:
    if _is_pg(session):
        return cast(func.extract("epoch", later - earlier), Float) / 60.0
    return (func.julianday(later) - func.julianday(earlier)) * 1440.0


def _as_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """``percentile_cont``: linear interpolation between the two nearest ranks."""
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(float(value), digits)


# --- datasets ---------------------------------------------------------------------------------


def signals_per_bucket(session: Session, principal: Principal, params: Params) -> list[SignalsRow]:
    bucket = _bucket(session, Signal.detected_at, params.bucket).label("bucket")
    rows = session.execute(
        _scoped_signals(principal, params, bucket, Signal.signal_type, func.count()).group_by(
            bucket, Signal.signal_type
        )
    ).all()
    out = [SignalsRow(bucket=_as_date(b), signal_type=t, count=n) for b, t, n in rows]
    return sorted(out, key=lambda r: (r.bucket, _type_order(r.signal_type)))


def conversion(session: Session, principal: Principal, params: Params) -> list[ConversionRow]:
    firsts = (
        _scoped_signals(
            principal,
            params,
            Signal.lead_id,
            Signal.signal_type,
            func.min(Signal.detected_at).label("first_at"),
            func.count().label("n"),
        ).group_by(Signal.lead_id, Signal.signal_type)
    ).subquery("firsts")

    def last(kinds: Iterable[str]) -> Any:
        return func.max(case((Outcome.outcome.in_(list(kinds)), Outcome.occurred_at)))

    # An outcome at or after a first detection exists exactly when the lead's latest one is.
    latest = (
        select(
            Outcome.lead_id,
            last(CONTACT_OUTCOMES).label("contact_at"),
            last(["payment_plan_enrolled"]).label("plan_at"),
            last(["payment_received"]).label("paid_at"),
        )
        .where(Outcome.occurred_at >= params.start, Outcome.outcome.in_(CONTACT_OUTCOMES))
        .group_by(Outcome.lead_id)
    ).subquery("latest")

    def converted(column: Any) -> Any:
        return func.sum(case((column >= firsts.c.first_at, 1), else_=0))

    rows = session.execute(
        select(
            firsts.c.signal_type,
            func.sum(firsts.c.n),
            func.count(),
            converted(latest.c.contact_at),
            converted(latest.c.plan_at),
            converted(latest.c.paid_at),
        )
        .select_from(firsts)
        .outerjoin(latest, latest.c.lead_id == firsts.c.lead_id)
        .group_by(firsts.c.signal_type)
    ).all()
    out = [
        ConversionRow(
            signal_type=kind,
            signals=int(n),
            leads=leads,
            contacted=int(contacted or 0),
            payment_plan=int(plan or 0),
            payment_received=int(paid or 0),
            plan_rate=_round(int(plan or 0) / leads, 4) if leads else None,
            payment_rate=_round(int(paid or 0) / leads, 4) if leads else None,
        )
        for kind, n, leads, contacted, plan, paid in rows
    ]
    return sorted(out, key=lambda r: _type_order(r.signal_type))


@dataclass
class _Times:
    team_id: int | None
    user_id: int | None
    signals: int
    acknowledged: int
    median_ack: float | None
    p90_ack: float | None
    contacted: int
    median_contact: float | None


def response_times(session: Session, principal: Principal, params: Params) -> list[ResponseTimeRow]:
    # First contact per signal: one hash join and aggregate rather than a sub-select per signal.
    contact = aliased(Outcome)
    reached = and_(
        contact.lead_id == Signal.lead_id,
        contact.outcome.in_(CONTACT_OUTCOMES),
        contact.occurred_at >= Signal.detected_at,
    )
    per_signal = (
        select(
            Lead.team_id.label("team_id"),
            Signal.assignee_user_id.label("user_id"),
            _minutes(session, Signal.acknowledged_at, Signal.detected_at).label("ack"),
            _minutes(session, func.min(contact.occurred_at), Signal.detected_at).label("contact"),
        )
        .select_from(Signal)
        .join(Lead, Lead.id == Signal.lead_id)
        .outerjoin(contact, reached)
        .where(*_signal_scope(principal, params))
        .group_by(Signal.id, Lead.team_id, Signal.assignee_user_id, Signal.acknowledged_at, Signal.detected_at)
    ).subquery("per_signal")
    times = _times_sql(session, per_signal) if _is_pg(session) else _times_python(session, per_signal)
    team_ids, user_ids = {t.team_id for t in times} - {None}, {t.user_id for t in times} - {None}
    teams: dict[int, str] = dict(session.execute(select(Team.id, Team.name).where(Team.id.in_(team_ids))).all())
    users: dict[int, str] = dict(session.execute(select(User.id, User.email).where(User.id.in_(user_ids))).all())
    times.sort(
        key=lambda t: (
            t.team_id is None,
            teams.get(t.team_id or 0, ""),
            t.team_id or 0,
            t.user_id is not None,
            users.get(t.user_id or 0, ""),
        )
    )
    return [
        ResponseTimeRow(
            team_id=t.team_id,
            team_name=teams.get(t.team_id) if t.team_id else None,
            user_id=t.user_id,
            user_email=users.get(t.user_id) if t.user_id else None,
            signals=t.signals,
            acknowledged=t.acknowledged,
            median_ack_minutes=_round(t.median_ack),
            p90_ack_minutes=_round(t.p90_ack),
            contacted=t.contacted,
            median_contact_minutes=_round(t.median_contact),
        )
        for t in times
    ]


def _times_sql(session: Session, ps: Any) -> list[_Times]:
    """PostgreSQL: one pass, per (team, assignee) and per team (GROUPING SETS), percentiles in SQL."""
    rows = session.execute(
        select(
            ps.c.team_id,
            ps.c.user_id,
            func.grouping(ps.c.user_id),
            func.count(),
            func.count(ps.c.ack),
            func.percentile_cont(0.5).within_group(ps.c.ack),
            func.percentile_cont(0.9).within_group(ps.c.ack),
            func.count(ps.c.contact),
            func.percentile_cont(0.5).within_group(ps.c.contact),
        ).group_by(func.grouping_sets(tuple_(ps.c.team_id, ps.c.user_id), tuple_(ps.c.team_id)))
    ).all()
    return [
        _Times(team, None if total else user, n, acked, med_ack, p90_ack, contacted, med_contact)
        for team, user, total, n, acked, med_ack, p90_ack, contacted, med_contact in rows
        if total or user is not None  # a signal without an assignee counts in the team total only
    ]


def _times_python(session: Session, ps: Any) -> list[_Times]:
    """SQLite has no percentile_cont: durations come from SQL, grouping and percentiles here."""
    groups: dict[tuple[int | None, int | None], tuple[list[float | None], list[float | None]]] = defaultdict(
        lambda: ([], [])
    )
    for team, user, ack, contact in session.execute(select(ps.c.team_id, ps.c.user_id, ps.c.ack, ps.c.contact)):
        keys = [(team, None)] + ([(team, user)] if user is not None else [])
        for key in keys:
            groups[key][0].append(ack)
            groups[key][1].append(contact)
    out = []
    for (team, user), (acks, contacts) in groups.items():
        acked = [a for a in acks if a is not None]
        reached = [c for c in contacts if c is not None]
        out.append(
            _Times(
                team,
                user,
                len(acks),
                len(acked),
                percentile(acked, 0.5),
                percentile(acked, 0.9),
                len(reached),
                percentile(reached, 0.5),
            )
        )
    return out


def outcomes(session: Session, principal: Principal, params: Params) -> list[OutcomeRow]:
    rows = session.execute(
        select(Outcome.outcome, func.count(), func.sum(Outcome.amount))
        .select_from(Outcome)
        .join(Lead, Lead.id == Outcome.lead_id)
        .where(*_lead_scope(principal, params), Outcome.occurred_at >= params.start, Outcome.occurred_at < params.end)
        .group_by(Outcome.outcome)
    ).all()
    out = [OutcomeRow(outcome=kind, count=n, amount=_money(total)) for kind, n, total in rows]
    order = {name: i for i, name in enumerate(OUTCOMES)}
    return sorted(out, key=lambda r: (order.get(r.outcome, len(order)), r.outcome))


def _money(total: Any) -> str | None:
    if total is None:
        return None
    return str(Decimal(str(total)).quantize(Decimal("0.01")))


def _type_order(signal_type: str) -> tuple[int, str]:
    return (SIGNAL_TYPES.index(signal_type) if signal_type in SIGNAL_TYPES else len(SIGNAL_TYPES), signal_type)


def compute(session: Session, principal: Principal, params: Params) -> dict[str, Any]:
    """Every dataset of the overview, as JSON-ready lists."""
    if _is_pg(session):
        # For this transaction only. The planner JIT-compiles these costly-looking statements: on 1M
        # signals that took ~2 s of a 3.5 s query. A year of signals per signal (response times)
        # spills hashes and sorts to disk at the default 4 MB of work memory.
        session.execute(text("SET LOCAL jit = off"))
        session.execute(text("SET LOCAL work_mem = '64MB'"))
    return {
        "signals": [r.model_dump(mode="json") for r in signals_per_bucket(session, principal, params)],
        "conversion": [r.model_dump(mode="json") for r in conversion(session, principal, params)],
        "response_times": [r.model_dump(mode="json") for r in response_times(session, principal, params)],
        "outcomes": [r.model_dump(mode="json") for r in outcomes(session, principal, params)],
    }
