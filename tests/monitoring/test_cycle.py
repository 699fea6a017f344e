"""A monitoring cycle over the sample source, through the real detector, store and merge."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from leadsignal.compliance.audit import Actor
from leadsignal.core.context import AppContext
from leadsignal.db import session_scope
from leadsignal.integrations.firecrawl import FirecrawlScraper
from leadsignal.integrations.google_cse import GoogleCseSearch
from leadsignal.integrations.http.factory import build_polite_client
from leadsignal.leads.models import Lead
from leadsignal.leads.service import set_do_not_scrape
from leadsignal.matching.models import IdentityMatch
from leadsignal.matching.service import reopen_for_review
from leadsignal.monitoring.cycle import plan, process_batch, run_cycle, start_run
from leadsignal.monitoring.models import MonitorRun, MonitorState
from leadsignal.nlp.service import SignalDetector
from leadsignal.signals.models import Signal, SignalEvidence
from leadsignal.sources.enrichment import Enricher
from leadsignal.sources.scrape_log import DbScrapeLogSink, ScrapeLogEntry
from leadsignal.sources.snapshots import ProfileSnapshot, StoredPost
from tests.factories import make_lead
from tests.fakes.firecrawl import FakeFirecrawl
from tests.fakes.google_cse import FakeGoogleCse
from tests.fakes.web import FakeWebsite
from tests.monitoring.conftest import T0, CrashingDetector, sample_deps, seed_leads


def count(ctx: AppContext, column: object) -> int:
    with ctx.sessions() as s:
        return s.scalar(select(func.count(column))) or 0  # type: ignore[arg-type]


def test_cycles_store_history_and_detect_signals(app_ctx: AppContext, signal_detector: SignalDetector) -> None:
    seed_leads(app_ctx, 30)
    first = run_cycle(app_ctx, sample_deps(signal_detector, 0), now=T0, batch_size=10)
    assert first.counts["leads_due"] == 30
    assert first.counts["profiles_fetched"] == 30
    assert count(app_ctx, ProfileSnapshot.id) == 30
    assert count(app_ctx, StoredPost.id) == first.counts["posts_new"] > 0
    assert count(app_ctx, ScrapeLogEntry.id) >= 30
    # Not due again until the cadence passes: a second run now does nothing.
    assert run_cycle(app_ctx, sample_deps(signal_detector, 0), now=T0 + dt.timedelta(hours=1)).counts["leads_due"] == 0
    later = T0 + dt.timedelta(days=8)
    totals = first.counts.copy()
    for cycle in range(1, 5):
        totals.update(
            run_cycle(app_ctx, sample_deps(signal_detector, cycle), now=later + dt.timedelta(days=cycle)).counts
        )
    assert totals["profile_events"] > 0
    assert totals["signals_created"] > 0
    with app_ctx.sessions() as s:
        kinds = set(s.scalars(select(SignalEvidence.kind)))
        types = set(s.scalars(select(Signal.signal_type)))
        scored = s.scalars(select(Signal).where(Signal.category == "positive")).first()
    assert kinds == {"post", "profile_diff"}
    assert len(types) >= 4
    assert scored is not None
    assert scored.score_breakdown["match_confidence"] == 1.0
    assert scored.model_version


def test_opted_out_lead_is_never_fetched_even_if_queued(app_ctx: AppContext, signal_detector: SignalDetector) -> None:
    ids = seed_leads(app_ctx, 4)
    [batch] = plan(app_ctx, now=T0, limit=None, batch_size=10)
    assert {lead_id for lead_id, _ in batch} == set(ids)
    with session_scope(app_ctx.sessions) as s:  # the opt-out lands while the batch waits in the queue
        lead = s.get(Lead, ids[1])
        assert lead is not None
        set_do_not_scrape(s, lead, reason="borrower request", source="public_form", actor=Actor("test"))
    run_id = start_run(app_ctx, "sample", now=T0)
    counts = process_batch(app_ctx, sample_deps(signal_detector, 0), batch, run_id=run_id, now=T0)
    assert counts["skipped_opted_out_or_closed"] == 1
    assert counts["profiles_fetched"] == 3
    with app_ctx.sessions() as s:
        fetched = set(s.scalars(select(ScrapeLogEntry.lead_id)))
        stored = set(s.scalars(select(ProfileSnapshot.lead_id)))
    assert ids[1] not in fetched
    assert ids[1] not in stored


def test_closed_and_opted_out_leads_are_never_planned(app_ctx: AppContext, signal_detector: SignalDetector) -> None:
    ids = seed_leads(app_ctx, 3)
    with session_scope(app_ctx.sessions) as s:
        s.get(Lead, ids[0]).status_description = "Closed - Paid in Full"  # type: ignore[union-attr]
        s.get(Lead, ids[1]).do_not_scrape = True  # type: ignore[union-attr]
    planned = [lead_id for batch in plan(app_ctx, now=T0, limit=None, batch_size=10) for lead_id, _ in batch]
    assert planned == [ids[2]]


def test_cycle_that_dies_midway_resumes_without_duplicates(
    app_ctx: AppContext, signal_detector: SignalDetector
) -> None:
    seed_leads(app_ctx, 12)
    deps = sample_deps(signal_detector, 0)
    crashing = sample_deps(signal_detector, 0)
    crashing.detector = CrashingDetector(deps.detector, fail_on_call=3)  # type: ignore[assignment]
    with pytest.raises(RuntimeError, match="worker died"):
        run_cycle(app_ctx, crashing, now=T0, batch_size=6)
    done_before = count(app_ctx, MonitorState.lead_id)
    assert 0 < done_before < 12
    with app_ctx.sessions() as s:
        assert s.scalars(select(MonitorRun.status)).all() == ["failed"]
    resumed = run_cycle(app_ctx, deps, now=T0 + dt.timedelta(minutes=5), batch_size=6)
    assert resumed.counts["leads_due"] == 12 - done_before
    assert count(app_ctx, MonitorState.lead_id) == 12
    assert count(app_ctx, ProfileSnapshot.id) == 12
    with app_ctx.sessions() as s:
        post_ids = list(s.scalars(select(StoredPost.post_id)))
        keys = list(s.scalars(select(SignalEvidence.evidence_key)))
    assert len(post_ids) == len(set(post_ids))
    assert len(keys) == len(set(keys))


def test_fetch_errors_back_off(app_ctx: AppContext, signal_detector: SignalDetector) -> None:
    with session_scope(app_ctx.sessions) as session:
        from leadsignal.leads.segments import ensure_default_segments
        from tests.factories import make_lead

        ensure_default_segments(session)
        lead = make_lead(session, app_ctx.cipher, linkedin_url="https://www.linkedin.com/in/not-a-sample-person")
    report = run_cycle(app_ctx, sample_deps(signal_detector, 0), now=T0)
    assert report.counts["fetch_errors"] == 1
    with app_ctx.sessions() as s:
        state = s.get(MonitorState, lead.id)
        assert state is not None
        assert state.consecutive_failures == 1
        assert state.next_due_at == T0 + dt.timedelta(hours=1)
        entry = s.scalars(select(ScrapeLogEntry).where(ScrapeLogEntry.lead_id == lead.id)).one()
        assert (entry.outcome, entry.reason) == ("error", "not in the sample set")


def test_current_employer_is_enriched_through_cse_and_firecrawl(
    app_ctx: AppContext,
    signal_detector: SignalDetector,
    fake_cse: FakeGoogleCse,
    fake_firecrawl: FakeFirecrawl,
    fake_site: FakeWebsite,
) -> None:
    [lead_id] = seed_leads(app_ctx, 1)
    deps = sample_deps(signal_detector, 0)
    [result] = deps.source.fetch_profiles(["https://www.linkedin.com/in/jane-doe-syn1"])
    assert result.profile is not None
    company = result.profile.current_positions[0].company
    assert company
    slug = "".join(ch for ch in company.lower() if ch.isalnum())
    fake_cse.add_results(
        f"{company} official site",
        {"title": "Company profile", "link": "https://www.linkedin.com/company/x", "snippet": ""},
        {"title": f"{company} - Home", "link": f"https://www.{slug}.example/", "snippet": ""},
    )
    fake_firecrawl.add_page(fake_site.url + "/about", f"# About {company}\n\n" + "We build things. " * 20)
    http = build_polite_client(app_ctx.settings, DbScrapeLogSink(app_ctx.sessions))
    deps.enricher = Enricher(
        GoogleCseSearch(http, key=fake_cse.key, cx=fake_cse.cx, base_url=fake_cse.url),
        FirecrawlScraper(http, api_key=fake_firecrawl.api_key, base_url=fake_firecrawl.url),
        root_url=lambda domain: fake_site.url,  # the company's site, served locally
    )
    report = run_cycle(app_ctx, deps, now=T0)
    assert report.counts["leads_enriched"] == 1
    with app_ctx.sessions() as s:
        lead = s.get(Lead, lead_id)
        assert lead is not None
        assert lead.company_domain == f"{slug}.example"
        assert lead.company_about is not None
        assert lead.company_about.startswith(f"About {company}")
        services = set(s.scalars(select(ScrapeLogEntry.service)))
    assert {"google_cse", "firecrawl"} <= services
    again = run_cycle(app_ctx, deps, now=T0 + dt.timedelta(days=2))
    assert again.counts["profiles_fetched"] == 1
    assert again.counts["enrichment_lookups"] == 0  # same employer: not looked up again
    assert len(fake_cse.requests_to("/customsearch")) == 1


def test_a_disputed_agency_link_is_no_longer_fetched(app_ctx: AppContext, signal_detector: SignalDetector) -> None:
    [lead_id] = seed_leads(app_ctx, 1)
    with session_scope(app_ctx.sessions) as s:
        lead = s.get(Lead, lead_id)
        assert lead is not None
        reopen_for_review(s, lead, reason="agent reported wrong person", actor=Actor("test"),
                          agency_url="https://www.linkedin.com/in/jane-doe-syn1")  # fmt: skip
    report = run_cycle(app_ctx, sample_deps(signal_detector, 0), now=T0)
    assert report.counts["profiles_fetched"] == 0
    assert report.counts["no_confirmed_profile"] == 1


def test_leads_without_a_profile_are_searched_and_matched(app_ctx: AppContext, signal_detector: SignalDetector) -> None:
    with session_scope(app_ctx.sessions) as session:
        from leadsignal.leads.segments import ensure_default_segments

        ensure_default_segments(session)
        ids = [make_lead(session, app_ctx.cipher, debtor_name=name, city=None).id
               for name in ("Maria Lopez", "Devon Carter", "Priya Raman")]  # fmt: skip
    report = run_cycle(app_ctx, sample_deps(signal_detector, 0), now=T0)
    assert report.counts["leads_due"] == 3
    with app_ctx.sessions() as s:
        recorded = {m.lead_id for m in s.scalars(select(IdentityMatch))}
    assert recorded == set(ids)  # every lead was searched and its candidates scored
    assert report.counts["profiles_fetched"] + report.counts["no_confirmed_profile"] == 3
