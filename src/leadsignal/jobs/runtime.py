"""Build the monitoring dependencies a process needs from Settings."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from leadsignal.core.context import AppContext
from leadsignal.db import session_scope, utcnow
from leadsignal.integrations.http.factory import build_polite_client
from leadsignal.monitoring.cycle import MonitorDeps
from leadsignal.monitoring.models import MonitorRun
from leadsignal.nlp.service import SignalDetector
from leadsignal.signals.weights import scoring_policy
from leadsignal.sources.enrichment import Enricher, build_enrichment
from leadsignal.sources.records import ProfileSearch, ProfileSource
from leadsignal.sources.sample import CYCLE_DAYS, SampleProfileSearch, SampleSource
from leadsignal.sources.scrape_log import DbScrapeLogSink

_detectors: dict[int, SignalDetector] = {}


def source_name(ctx: AppContext) -> str:
    """Apify when a token is configured, else the bundled sample source (the embedded default)."""
    choice = ctx.settings.profile_source
    if choice == "auto":
        return "apify" if ctx.settings.apify_token else "sample"
    return choice


def next_sample_cycle(ctx: AppContext) -> int:
    """The sample world advances one step (a simulated week) per sample run already started."""
    with session_scope(ctx.sessions) as session:
        return session.scalar(select(func.count(MonitorRun.id)).where(MonitorRun.source == "sample")) or 0


def sample_anchor(ctx: AppContext) -> dt.datetime | None:
    """When the sample world started: the first sample run. Fixed, so its history stays stable."""
    with session_scope(ctx.sessions) as session:
        return session.scalar(select(func.min(MonitorRun.started_at)).where(MonitorRun.source == "sample"))


def detector_for(ctx: AppContext) -> SignalDetector:
    """One loaded model per process and context; a promotion takes effect at the next process start."""
    key = id(ctx)
    if key not in _detectors:
        with session_scope(ctx.sessions) as session:
            _detectors[key] = SignalDetector.load(ctx.settings, session)
    return _detectors[key]


def use_detector(ctx: AppContext, detector: SignalDetector) -> None:
    """Install an already-loaded detector for ``ctx`` (warm start, or a model loaded elsewhere)."""
    _detectors[id(ctx)] = detector


def build_deps(ctx: AppContext, *, sample_cycle: int = 0) -> MonitorDeps:
    source: ProfileSource
    search: ProfileSearch | None
    if source_name(ctx) == "apify":
        from leadsignal.integrations.apify.source import build_apify_source_and_search

        source, search = build_apify_source_and_search(ctx.settings, ctx.sessions)
    else:
        anchor = sample_anchor(ctx) or utcnow()
        world_now = anchor + dt.timedelta(days=CYCLE_DAYS * sample_cycle)
        source = SampleSource(seed=ctx.settings.sample_seed, cycle=sample_cycle, now=world_now)
        search = SampleProfileSearch(seed=ctx.settings.sample_seed, cycle=sample_cycle, now=world_now)
    with session_scope(ctx.sessions) as session:  # read per batch: an admin's weight change applies next
        policy = scoring_policy(session, ctx.settings)
    return MonitorDeps(
        source=source,
        detector=detector_for(ctx),
        search=search,
        min_confidence=ctx.settings.signal_min_confidence,
        policy=policy,
        enricher=build_enricher(ctx),
    )


def build_enricher(ctx: AppContext) -> Enricher | None:
    """Company enrichment when Google CSE and Firecrawl are configured; the product runs without it."""
    settings = ctx.settings
    if not (settings.google_cse_key and settings.google_cse_cx and settings.firecrawl_api_key):
        return None
    http = build_polite_client(settings, DbScrapeLogSink(ctx.sessions))
    return build_enrichment(settings, http)
