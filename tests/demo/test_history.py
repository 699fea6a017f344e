from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from leadsignal.compliance.audit import Actor
from leadsignal.core.context import AppContext
from leadsignal.db import session_scope
from leadsignal.demo.history import DEMO_HOLDOUT_SHARE, HistoryRefused, run_history
from leadsignal.demo.leadbook import write_sample_csv
from leadsignal.jobs.runtime import build_deps, next_sample_cycle, use_detector
from leadsignal.leads.importer import import_leads
from leadsignal.leads.segments import ensure_default_segments
from leadsignal.matching.models import IdentityMatch
from leadsignal.monitoring.models import MonitorRun
from leadsignal.nlp.service import SignalDetector
from leadsignal.signals.models import Signal
from leadsignal.uplift.models import ExperimentAssignment

ACTOR = Actor("test")

NOW = dt.datetime(2026, 11, 20, 12, tzinfo=dt.UTC)


def _ctx(app_ctx: AppContext, signal_detector: SignalDetector, **overrides: object) -> AppContext:
    settings = app_ctx.settings.model_copy(
        update={"holdout_share": 0.1, "outbox_gap_grace_seconds": 0.0, "profile_source": "sample", **overrides}
    )
    ctx = AppContext(settings, _engine=app_ctx.engine)
    use_detector(ctx, signal_detector)
    return ctx


def test_weeks_of_backdated_cycles_then_the_live_world_continues(
    app_ctx: AppContext, signal_detector: SignalDetector
) -> None:
    ctx = _ctx(app_ctx, signal_detector)
    path = write_sample_csv(ctx.settings.data_dir / "book.csv", 60, seed=42, today=NOW.date())
    import_leads(ctx.sessions, ctx.cipher, path, actor=ACTOR)
    with session_scope(ctx.sessions) as s:
        ensure_default_segments(s)
    counts = run_history(ctx, weeks=3, now=NOW)
    assert counts["weeks"] == 3
    assert counts["signals_created"] > 0
    with session_scope(ctx.sessions) as s:
        starts = sorted(s.scalars(select(MonitorRun.started_at)))
        assert starts == [NOW - dt.timedelta(days=d) for d in (21, 14, 7)]
        detected = s.scalars(select(Signal.detected_at)).all()
        assert all(d < NOW - dt.timedelta(days=6) for d in detected)
        shares = set(s.scalars(select(ExperimentAssignment.share)))
        assigned = s.scalar(select(func.count(ExperimentAssignment.id)))
    assert shares == {DEMO_HOLDOUT_SHARE}
    assert assigned
    # identity matches carry their past cycle's time, so they predate the alerts they allowed
    with session_scope(ctx.sessions) as s:
        matched = s.scalars(select(IdentityMatch.created_at)).all()
    assert matched
    assert set(matched) <= {NOW - dt.timedelta(days=d) for d in (21, 14, 7)}
    # the live cycle that follows is the sample world's next week, anchored at the first past run
    assert next_sample_cycle(ctx) == 3
    assert build_deps(ctx, sample_cycle=3).source.now == NOW  # type: ignore[attr-defined]
    with pytest.raises(HistoryRefused, match="already ran"):
        run_history(ctx, weeks=3, now=NOW)


def test_refused_with_a_real_source_or_in_production(app_ctx: AppContext, signal_detector: SignalDetector) -> None:
    with pytest.raises(HistoryRefused, match="sample source"):
        run_history(_ctx(app_ctx, signal_detector, profile_source="apify"), weeks=2, now=NOW)
    with pytest.raises(HistoryRefused, match="production"):
        run_history(_ctx(app_ctx, signal_detector, env="production"), weeks=2, now=NOW)
