from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pytest

from leadsignal.core.context import AppContext
from leadsignal.db import session_scope
from leadsignal.leads.segments import ensure_default_segments
from leadsignal.monitoring.cycle import MonitorDeps
from leadsignal.nlp.service import Detection, SignalDetector
from leadsignal.sources.sample import CYCLE_DAYS, SampleProfileSearch, SampleSource
from tests.factories import make_lead
from tests.fakes.fixtures import fake_cse, fake_firecrawl, fake_site  # noqa: F401

T0 = dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC)


def sample_deps(detector: SignalDetector, cycle: int, **kwargs: object) -> MonitorDeps:
    source = SampleSource(seed=7, cycle=cycle, now=T0 + dt.timedelta(days=CYCLE_DAYS * cycle))
    search = SampleProfileSearch(seed=7, cycle=cycle, now=source.now)
    return MonitorDeps(source=source, detector=detector, search=search, **kwargs)  # type: ignore[arg-type]


def seed_leads(ctx: AppContext, count: int, *, start: int = 1) -> list[int]:
    with session_scope(ctx.sessions) as session:
        ensure_default_segments(session)
        return [
            make_lead(session, ctx.cipher, debtor_name=f"Jane Doe{chr(97 + i % 26)}",
                      linkedin_url=f"https://www.linkedin.com/in/jane-doe-syn{start + i}").id
            for i in range(count)
        ]  # fmt: skip


class CrashingDetector:
    """Implements the detector's interface and fails on the n-th batch of texts: a worker dying mid-cycle."""

    def __init__(self, inner: SignalDetector, fail_on_call: int) -> None:
        self.inner, self.version, self.calls, self.fail_on_call = inner, inner.version, 0, fail_on_call

    def detect_many(self, texts: Sequence[str]) -> list[Detection]:
        self.calls += 1
        if self.calls == self.fail_on_call:
            raise RuntimeError("worker died")
        return self.inner.detect_many(texts)


@pytest.fixture
def now() -> dt.datetime:
    return T0
