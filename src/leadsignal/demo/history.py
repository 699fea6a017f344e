"""Weeks of past monitoring for the demo, so the analytics and uplift screens have history to show.

Runs the real cycle (fetch, detect, merge, score) and the real alerts processor over the bundled
sample source, once per simulated week, with the clock set in the past. The sample world is
anchored at the first sample run, so the live cycles that follow continue the same world.
Only on a database with no sample run yet: on re-run, or with a real source, it does nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import Counter

from sqlalchemy import func, select, update

from leadsignal.core.context import AppContext
from leadsignal.db import session_scope, utcnow
from leadsignal.matching.models import IdentityMatch
from leadsignal.monitoring.models import MonitorRun
from leadsignal.sources.sample import CYCLE_DAYS, SampleProfileSearch, SampleSource

# The demo's control share while it builds history: with the default 10 % a small synthetic book
# leaves too few control leads for the uplift screen to show anything but noise. Assignment rows
# store the share they used, so the report stays correct.
DEMO_HOLDOUT_SHARE = 0.3


class HistoryRefused(RuntimeError):
    """History cannot be added here (real source, or monitoring already ran)."""


def demo_context(ctx: AppContext) -> AppContext:
    """``ctx`` with the demo's hold-out share, unless the hold-out is switched off altogether."""
    settings = ctx.settings
    if settings.holdout_share <= 0 and not any(v > 0 for v in settings.holdout_share_by_type.values()):
        return ctx
    share = max(settings.holdout_share, DEMO_HOLDOUT_SHARE)
    return AppContext(settings.model_copy(update={"holdout_share": share}), _engine=ctx.engine)


def run_history(ctx: AppContext, *, weeks: int, now: dt.datetime | None = None) -> Counter[str]:
    """``weeks`` weekly sample cycles ending one week before ``now``; the live cycle comes next."""
    from leadsignal.alerts.processor import process_pending
    from leadsignal.jobs.runtime import build_deps, detector_for, source_name, use_detector
    from leadsignal.monitoring.cycle import run_cycle

    if ctx.settings.env == "production":
        raise HistoryRefused("demo history is never written in production")
    if source_name(ctx) != "sample":
        raise HistoryRefused("demo history needs the bundled sample source (no Apify token configured)")
    with session_scope(ctx.sessions) as session:
        if session.scalar(select(func.count(MonitorRun.id)).where(MonitorRun.source == "sample")):
            raise HistoryRefused("monitoring already ran on this database: history can only come first")
    now = now or utcnow()
    anchor = now - dt.timedelta(days=CYCLE_DAYS * weeks)
    demo = demo_context(ctx)
    use_detector(demo, detector_for(ctx))
    seed = ctx.settings.sample_seed
    counts: Counter[str] = Counter()
    for cycle in range(weeks):
        at = anchor + dt.timedelta(days=CYCLE_DAYS * cycle)
        deps = dataclasses.replace(
            build_deps(demo),
            source=SampleSource(seed=seed, cycle=cycle, now=at),
            search=SampleProfileSearch(seed=seed, cycle=cycle, now=at),
        )
        started = utcnow()
        counts.update(run_cycle(demo, deps, now=at, batch_size=ctx.settings.monitor_batch_size).counts)
        counts.update(process_pending(demo, now=at))
        _backdate_matches(ctx, since=started, at=at)
    counts["weeks"] = weeks
    return counts


def _backdate_matches(ctx: AppContext, *, since: dt.datetime, at: dt.datetime) -> None:
    """Identity matches take the wall clock when recorded; the ones this past cycle recorded get its
    time, so that, as in real operation, each match predates the alerts it allowed."""
    with session_scope(ctx.sessions) as session:
        session.execute(update(IdentityMatch).where(IdentityMatch.created_at >= since).values(created_at=at))
