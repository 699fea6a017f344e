"""The opt-out effect, in one place for the admin API, the public form and the CLI.

Setting ``do_not_scrape`` is enough to keep the lead out of every future job: the planner skips
it, and ``monitoring.schedule.still_eligible`` is asked again right before any fetch, so a batch
already queued (Celery or inline) drops the lead when it runs. Alerts not yet sent (pending, or
held back by the uplift experiment) and open ones are blocked (reason ``opt_out``), so nothing
derived from the lead's scraped data reaches an agent, a digest or an escalation afterwards.
Scraped data goes: profile snapshots, posts, and the verbatim post text and links copied into
signal evidence. What stays is the minimal record that honours the opt-out and accounts for the
past: the lead with its flag, reason, source and time, the signals' summaries and alert history,
identity matches, and the scrape log (masked URLs and outcomes only, kept linked to the lead
because it is the evidence that no fetch followed the opt-out; erasure, not opt-out, is what
``scrape_log.forget_lead`` is for).
Services flush; the caller owns the transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass

from sqlalchemy import ColumnElement, literal, select, text, tuple_, update
from sqlalchemy.orm import Session

from leadsignal.auth.rls import apply_rls_context
from leadsignal.compliance import audit
from leadsignal.compliance.holds import active_hold
from leadsignal.db import utcnow
from leadsignal.leads.models import Lead
from leadsignal.leads.service import set_do_not_scrape
from leadsignal.matching.models import IdentityMatch
from leadsignal.signals.models import Signal, SignalEvidence
from leadsignal.sources.parsing import canonical_or_none
from leadsignal.sources.snapshots import PurgeCounts, purge_lead_data

OPT_OUT_REASON = "opt_out"
SOURCES = ("agency", "borrower", "legal", "crm", "compliance")
REDACTED_SNIPPET = "[removed: the borrower opted out]"
_OPEN_ALERT_STATUSES = ("pending", "held", "alerted", "hardship")
_CURRENT = text(
    "SELECT current_setting('leadsignal.role', true), current_setting('leadsignal.user_id', true),"
    " current_setting('leadsignal.team_ids', true)"
)


@contextmanager
def system_rights(session: Session) -> Iterator[None]:
    """Run a compliance write with the system's row-level-security rights, then restore the caller's.

    The route has already authorised the caller; compliance accounts are read-only under the
    PostgreSQL policies and the public form has no account at all. A no-op on SQLite.
    """
    if session.get_bind().dialect.name != "postgresql":
        yield
        return
    role, user_id, team_ids = session.execute(_CURRENT).one()
    apply_rls_context(session, role="system", user_id=None, team_ids=[])
    try:
        yield
    finally:
        ids = [int(t) for t in (team_ids or "").split(",") if t]
        apply_rls_context(session, role=role or "", user_id=int(user_id) if user_id else None, team_ids=ids)


@dataclass(frozen=True)
class OptOutEffect:
    lead_id: int
    newly_opted_out: bool
    snapshots_purged: int
    posts_purged: int
    evidence_redacted: int
    alerts_blocked: int
    purge_deferred_by_legal_hold: bool = False

    def as_dict(self) -> dict[str, int | bool]:
        return asdict(self)


def _profile_urls(session: Session, lead: Lead) -> list[str]:
    """Every profile URL stored for the lead, so rows kept before the lead was linked go too."""
    urls = set(session.scalars(select(IdentityMatch.profile_url).where(IdentityMatch.lead_id == lead.id)))
    agency = canonical_or_none(lead.linkedin_url)
    if agency:
        urls.add(agency)
    # Candidates a person or the matcher rejected belong to other people: their data is not ours to purge.
    rejected = set(
        session.scalars(
            select(IdentityMatch.profile_url).where(
                IdentityMatch.lead_id == lead.id, IdentityMatch.status.in_(("rejected", "human_rejected"))
            )
        )
    )
    return sorted(urls - rejected)


def apply_opt_out(
    session: Session, lead: Lead, *, reason: str, source: str, actor: audit.Actor, now: dt.datetime | None = None
) -> OptOutEffect:
    """Opt the lead out (idempotent: a second call keeps the first reason and purges again)."""
    reason = reason.strip()
    if not reason:
        raise ValueError("an opt-out needs a reason")
    if source not in SOURCES:
        raise ValueError(f"source must be one of {', '.join(SOURCES)}")
    now = now or utcnow()
    held = active_hold(session, lead.id) is not None
    with system_rights(session):
        newly = not lead.do_not_scrape
        if newly:
            set_do_not_scrape(session, lead, reason=reason, source=source, actor=actor)
        blocked = _block_open_alerts(session, lead.id)
        purged, redacted = _purge(session, lead) if not held else (PurgeCounts(snapshots=0, posts=0), 0)
    effect = OptOutEffect(
        lead_id=lead.id,
        newly_opted_out=newly,
        snapshots_purged=purged.snapshots,
        posts_purged=purged.posts,
        evidence_redacted=redacted,
        alerts_blocked=blocked,
        purge_deferred_by_legal_hold=held,
    )
    audit.record(
        session,
        actor,
        "lead.opt_out.applied",
        entity_type="lead",
        entity_id=lead.id,
        fields=["do_not_scrape", "snapshots", "posts", "signal_evidence"],
        details={**effect.as_dict(), "source": source, "at": now.isoformat()},
    )
    return effect


def _purge(session: Session, lead: Lead) -> tuple[PurgeCounts, int]:
    purged = purge_lead_data(session, lead.id, profile_urls=_profile_urls(session, lead))
    return purged, _redact_evidence(session, lead.id)


def purge_after_hold(session: Session, lead: Lead, *, actor: audit.Actor) -> OptOutEffect | None:
    """A legal hold preserves an opted-out lead's scraped data; once released, the opt-out's purge runs."""
    if not lead.do_not_scrape or active_hold(session, lead.id) is not None:
        return None
    with system_rights(session):
        purged, redacted = _purge(session, lead)
    effect = OptOutEffect(lead.id, False, purged.snapshots, purged.posts, redacted, 0)
    audit.record(session, actor, "lead.opt_out.purged_after_hold", entity_type="lead", entity_id=lead.id,
                 fields=["snapshots", "posts", "signal_evidence"], details=effect.as_dict())  # fmt: skip
    return effect


def _block_open_alerts(session: Session, lead_id: int) -> int:
    signals = session.scalars(
        select(Signal).where(Signal.lead_id == lead_id, Signal.alert_status.in_(_OPEN_ALERT_STATUSES))
    ).all()
    for signal in signals:
        signal.alert_status = "blocked"
        if OPT_OUT_REASON not in (signal.blocked_reasons or []):
            signal.blocked_reasons = [*(signal.blocked_reasons or []), OPT_OUT_REASON]
    session.flush()
    return len(signals)


def _redact_evidence(session: Session, lead_id: int) -> int:
    """Evidence snippets are verbatim copies of posts and profiles: they go with the posts."""
    ids = select(Signal.id).where(Signal.lead_id == lead_id).scalar_subquery()
    result = session.execute(
        update(SignalEvidence)
        .where(SignalEvidence.signal_id.in_(ids), SignalEvidence.snippet != REDACTED_SNIPPET)
        .values(snippet=REDACTED_SNIPPET, source_url=None, details={})
        .execution_options(synchronize_session=False)
    )
    session.flush()
    return int(result.rowcount)  # type: ignore[attr-defined]


def clear_opt_out(session: Session, lead: Lead, *, reason: str, source: str, actor: audit.Actor) -> bool:
    """Let the lead be monitored again; False (nothing written) if it was not opted out.

    Purged data stays purged and blocked alerts stay blocked.
    """
    reason = reason.strip()
    if not reason:
        raise ValueError("clearing an opt-out needs a reason")
    if source not in SOURCES:
        raise ValueError(f"source must be one of {', '.join(SOURCES)}")
    if not lead.do_not_scrape:
        return False
    with system_rights(session):
        set_do_not_scrape(session, lead, reason=reason, source=source, actor=actor, value=False)
    return True


def opted_out_after(at: dt.datetime, lead_id: int) -> ColumnElement[bool]:
    """Keyset condition for (do_not_scrape_at, id) descending."""
    return tuple_(Lead.do_not_scrape_at, Lead.id) < tuple_(
        literal(at, Lead.do_not_scrape_at.type), literal(lead_id, Lead.id.type)
    )


def list_opt_outs(session: Session, *, limit: int, after: tuple[dt.datetime, int] | None = None) -> list[Lead]:
    """Opted-out leads, most recent first (one more than ``limit`` when another page exists)."""
    stmt = select(Lead).where(Lead.do_not_scrape.is_(True), Lead.do_not_scrape_at.is_not(None))
    if after is not None:
        stmt = stmt.where(opted_out_after(*after))
    return list(session.scalars(stmt.order_by(Lead.do_not_scrape_at.desc(), Lead.id.desc()).limit(limit + 1)))
