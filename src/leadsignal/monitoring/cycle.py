"""One monitoring cycle: due leads -> confirmed profile -> fetch -> snapshot -> detect -> merge.

The same functions run inline (embedded default) or as Celery tasks (production). Each lead's
results and its next due time commit together, so a cycle that dies midway resumes with the leads
still due, and re-processing a lead adds nothing (snapshots dedupe by hash, posts by id,
evidence by key).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import structlog
from sqlalchemy import select
from sqlalchemy.orm import Session

from leadsignal.compliance.audit import Actor
from leadsignal.core.context import AppContext
from leadsignal.db import session_scope, utcnow
from leadsignal.events.service import publish_lead_enriched, publish_signal_detected
from leadsignal.leads.models import Lead
from leadsignal.leads.service import apply_enrichment, enrichment_due
from leadsignal.matching.identity import LeadIdentity, identity_from_lead
from leadsignal.matching.scoring import Thresholds
from leadsignal.matching.service import agency_link_usable, confirmed_match_for, record_candidates, search_candidates
from leadsignal.monitoring.models import MonitorRun, MonitorState
from leadsignal.monitoring.schedule import due_leads, still_eligible
from leadsignal.nlp.service import SignalDetector
from leadsignal.signals.detect import candidates_from_events, candidates_from_posts
from leadsignal.signals.merge import merge_candidate
from leadsignal.signals.models import Signal
from leadsignal.signals.score import ScoringPolicy, score_signal
from leadsignal.sources.diff import diff_profiles
from leadsignal.sources.enrichment import Enricher, EnrichmentError
from leadsignal.sources.parsing import canonical_or_none, canonical_profile_url
from leadsignal.sources.records import FetchResult, ProfileSearch, ProfileSource
from leadsignal.sources.scrape_log import DbScrapeLogSink, ScrapeAttempt
from leadsignal.sources.snapshots import store_posts, store_profile

log = structlog.get_logger(__name__)
SYSTEM_MONITOR = Actor("system:monitor")
FAILURE_BACKOFF = (dt.timedelta(hours=1), dt.timedelta(hours=6), dt.timedelta(hours=24))


@dataclass
class MonitorDeps:
    source: ProfileSource
    detector: SignalDetector
    search: ProfileSearch | None = None
    min_confidence: float = 0.5
    policy: ScoringPolicy = field(default_factory=ScoringPolicy)
    enricher: Enricher | None = None


@dataclass
class CycleReport:
    run_id: int
    counts: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, int]:
        return {"run_id": self.run_id, **dict(sorted(self.counts.items()))}


def start_run(ctx: AppContext, source_name: str, *, now: dt.datetime | None = None) -> int:
    with session_scope(ctx.sessions) as session:
        run = MonitorRun(started_at=now or utcnow(), status="running", source=source_name, counts={})
        session.add(run)
        session.flush()
        return run.id


def finish_run(ctx: AppContext, run_id: int, counts: Counter[str], *, status: str | None = None) -> None:
    """Add a batch's counts to its run (row-locked: batches finish concurrently on workers).

    Without an explicit status, the run succeeds once every planned batch has reported.
    """
    with session_scope(ctx.sessions) as session:
        run = session.scalar(select(MonitorRun).where(MonitorRun.id == run_id).with_for_update())
        if run is None:
            raise ValueError(f"no monitor run {run_id}")
        merged = Counter(run.counts) + counts
        run.counts = dict(merged)
        if status is None and merged["batches_done"] >= merged["batches_planned"]:
            status = "succeeded"
        if status is not None:
            run.status = status
            run.finished_at = utcnow()


def plan(ctx: AppContext, *, now: dt.datetime, limit: int | None, batch_size: int) -> list[list[tuple[int, int]]]:
    """Due leads split into batches of (lead id, cadence hours); one batch is one source call."""
    with session_scope(ctx.sessions) as session:
        due = due_leads(session, ctx.cipher, now=now, limit=limit)
    items = [(d.lead_id, d.cadence_hours) for d in due]
    return [items[i : i + batch_size] for i in range(0, len(items), batch_size)]


def run_cycle(
    ctx: AppContext,
    deps: MonitorDeps,
    *,
    now: dt.datetime | None = None,
    limit: int | None = None,
    batch_size: int = 50,
) -> CycleReport:
    now = now or utcnow()
    run_id = start_run(ctx, deps.source.name, now=now)
    report = CycleReport(run_id)
    try:
        batches = plan(ctx, now=now, limit=limit, batch_size=batch_size)
        report.counts["leads_due"] = sum(len(b) for b in batches)
        for batch in batches:
            report.counts.update(process_batch(ctx, deps, batch, run_id=run_id, now=now))
    except BaseException:
        finish_run(ctx, run_id, report.counts, status="failed")
        raise
    finish_run(ctx, run_id, report.counts)
    return report


def process_batch(
    ctx: AppContext,
    deps: MonitorDeps,
    items: Sequence[tuple[int, int]],
    *,
    run_id: int,
    now: dt.datetime | None = None,
) -> Counter[str]:
    now = now or utcnow()
    counts: Counter[str] = Counter()
    cadence = dict(items)
    targets: dict[int, tuple[str, float]] = {}
    to_search: dict[int, LeadIdentity] = {}
    with session_scope(ctx.sessions) as session:
        eligible = still_eligible(session, cadence)
        counts["skipped_opted_out_or_closed"] += len(cadence) - len(eligible)
        for lead in session.scalars(select(Lead).where(Lead.id.in_(eligible)).order_by(Lead.id)):
            found = _confirmed_profile(session, lead)
            if found is not None:
                targets[lead.id] = found
            elif deps.search is not None and _may_search(session, lead):
                to_search[lead.id] = identity_from_lead(lead, cipher=ctx.cipher)
            else:
                counts["no_confirmed_profile"] += 1
                _schedule(session, lead.id, now, cadence[lead.id], run_id, "no_confirmed_profile")
    if to_search:
        assert deps.search is not None
        # Searching is network I/O: never inside a transaction (SQLite holds its write lock for one).
        candidates = {lead_id: search_candidates(deps.search, who, limit=ctx.settings.match_search_limit)
                      for lead_id, who in to_search.items()}  # fmt: skip
        thresholds = Thresholds.from_settings(ctx.settings)
        with session_scope(ctx.sessions) as session:
            for lead_id, who in to_search.items():
                stored = session.get(Lead, lead_id)
                if stored is None:
                    continue
                record_candidates(session, stored, who, candidates[lead_id], thresholds=thresholds)
                found = confirmed_match_for(session, lead_id)
                if found is None:
                    counts["no_confirmed_profile"] += 1
                    _schedule(session, lead_id, now, cadence[lead_id], run_id, "no_confirmed_profile")
                else:
                    targets[lead_id] = found
    # An opt-out can land while this batch waited in a queue or resolved identities: ask again.
    with session_scope(ctx.sessions) as session:
        allowed = still_eligible(session, targets)
    counts["skipped_opted_out_or_closed"] += len(targets) - len(allowed)
    targets = {lead_id: v for lead_id, v in targets.items() if lead_id in allowed}
    if not targets:
        return counts
    by_url = {_canonical(url): lead_id for lead_id, (url, _) in targets.items()}
    profiles = {r.profile_url: r for r in deps.source.fetch_profiles(list(by_url))}
    posts = {r.profile_url: r for r in deps.source.fetch_posts(list(by_url))}
    sink = DbScrapeLogSink(ctx.sessions)
    for url, lead_id in by_url.items():
        profile_result = profiles.get(url) or FetchResult(profile_url=url, error="source returned nothing")
        post_result = posts.get(url) or FetchResult(profile_url=url)
        _log_fetch(sink, deps.source.name, lead_id, profile_result)
        company, wants_enrichment = None, False
        with session_scope(ctx.sessions) as session:
            if lead_id not in still_eligible(session, [lead_id], lock=True):
                counts["skipped_opted_out_or_closed"] += 1
                continue
            outcome = _process_lead(session, deps, lead_id, targets[lead_id][1], profile_result, post_result, now=now)
            counts.update(outcome)
            failed = bool(profile_result.error)
            _schedule(session, lead_id, now, cadence[lead_id], run_id, "error" if failed else "ok", failed=failed)
            company = _current_employer(profile_result)
            wants_enrichment = deps.enricher is not None and _enrichment_due(session, lead_id, company)
        if wants_enrichment and company:
            counts.update(_enrich(ctx, deps, lead_id, company))
    return counts


def _current_employer(result: FetchResult) -> str | None:
    if result.profile is None:
        return None
    current = [p.company for p in result.profile.current_positions if p.company]
    return current[0] if current else None


def _enrichment_due(session: Session, lead_id: int, company: str | None) -> bool:
    lead = session.get(Lead, lead_id)
    return lead is not None and enrichment_due(lead, company)


def _enrich(ctx: AppContext, deps: MonitorDeps, lead_id: int, company: str) -> Counter[str]:
    """Look the employer up outside any transaction (network), then store the result briefly."""
    assert deps.enricher is not None
    try:
        info = deps.enricher.enrich(company)
    except EnrichmentError as exc:
        log.warning("monitor.enrichment_failed", lead_id=lead_id, provider=exc.provider, retryable=exc.retryable)
        return Counter(enrichment_errors=1)
    with session_scope(ctx.sessions) as session:
        lead = session.get(Lead, lead_id)
        if lead is None or lead.do_not_scrape:
            return Counter()
        changed = apply_enrichment(
            session,
            lead,
            company=company,
            domain=info.domain if info else None,
            about=info.about if info else None,
            actor=SYSTEM_MONITOR,
        )
        if changed:
            publish_lead_enriched(session, lead)
    return Counter(leads_enriched=1 if changed else 0, enrichment_lookups=1)


def _confirmed_profile(session: Session, lead: Lead) -> tuple[str, float] | None:
    match = confirmed_match_for(session, lead.id)
    if match is not None:
        return match
    agency_url = canonical_or_none(lead.linkedin_url)
    if agency_url and agency_link_usable(session, lead.id, agency_url):
        return agency_url, 1.0  # given by the agency itself, and nobody has disputed it
    return None


def _may_search(session: Session, lead: Lead) -> bool:
    """Search only for a lead with no profile at all: a disputed agency link waits for a person."""
    agency_url = canonical_or_none(lead.linkedin_url)
    return agency_url is None or agency_link_usable(session, lead.id, agency_url)


def _process_lead(
    session: Session,
    deps: MonitorDeps,
    lead_id: int,
    match_confidence: float,
    profile_result: FetchResult,
    post_result: FetchResult,
    *,
    now: dt.datetime,
) -> Counter[str]:
    counts: Counter[str] = Counter()
    candidates = []
    if profile_result.profile is not None:
        counts["profiles_fetched"] += 1
        stored = store_profile(session, lead_id, profile_result.profile)
        if stored.changed:
            counts["snapshots_stored"] += 1
        if stored.changed and stored.previous is not None:
            events = diff_profiles(stored.previous, profile_result.profile)
            counts["profile_events"] += len(events)
            candidates += candidates_from_events(
                lead_id,
                events,
                snapshot_id=stored.snapshot_id,
                profile_url=profile_result.profile_url,
                match_confidence=match_confidence,
            )
    else:
        counts["fetch_errors"] += 1
    new_posts = store_posts(session, lead_id, list(post_result.posts))
    counts["posts_new"] += len(new_posts)
    candidates += candidates_from_posts(
        lead_id, new_posts, deps.detector, match_confidence=match_confidence, min_confidence=deps.min_confidence
    )
    touched: dict[int, bool] = {}  # signal id -> created in this cycle
    for candidate in candidates:
        outcome = merge_candidate(session, candidate, now=now)
        if outcome.duplicate:
            counts["evidence_duplicate"] += 1
            continue
        counts["signals_created" if outcome.created else "signals_corroborated"] += 1
        touched[outcome.signal_id] = touched.get(outcome.signal_id, False) or outcome.created
    if touched:
        _score_and_publish(session, lead_id, touched, deps.policy)
    return counts


def _score_and_publish(session: Session, lead_id: int, touched: dict[int, bool], policy: ScoringPolicy) -> None:
    """Score each new or corroborated signal and tell the alerts processor, in the same transaction."""
    lead = session.get(Lead, lead_id)
    assert lead is not None
    for signal in session.scalars(select(Signal).where(Signal.id.in_(touched)).order_by(Signal.id)):
        kinds = {e.kind for e in signal.evidence}
        score_signal(
            signal, total_due=lead.total_due, status=lead.status_description, evidence_kinds=kinds, policy=policy
        )
        session.flush()
        publish_signal_detected(session, signal, created=touched[signal.id])


def _schedule(
    session: Session,
    lead_id: int,
    now: dt.datetime,
    cadence_hours: int,
    run_id: int,
    outcome: str,
    *,
    failed: bool = False,
) -> None:
    state = session.get(MonitorState, lead_id)
    if state is None:
        state = MonitorState(lead_id=lead_id, next_due_at=now, consecutive_failures=0)
        session.add(state)
    state.consecutive_failures = state.consecutive_failures + 1 if failed else 0
    if failed:
        delay = FAILURE_BACKOFF[min(state.consecutive_failures, len(FAILURE_BACKOFF)) - 1]
    else:
        delay = dt.timedelta(hours=cadence_hours)
    state.next_due_at = now + delay
    state.last_checked_at = now
    state.last_outcome = outcome
    state.last_run_id = run_id
    session.flush()


def _canonical(url: str) -> str:
    """Sources answer with canonical profile URLs; agency-supplied ones may differ in case or form."""
    try:
        return canonical_profile_url(url)
    except ValueError:
        return url


def _log_fetch(sink: DbScrapeLogSink, source: str, lead_id: int, result: FetchResult) -> None:
    sink.record_attempt(
        ScrapeAttempt(
            service=f"{source}:profile",
            source_url=result.profile_url,
            outcome="success" if result.profile is not None else "error",
            reason=result.error,
            lead_id=lead_id,
        )
    )
