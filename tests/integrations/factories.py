"""Builders for polite clients wired to fake time and an in-memory scrape log."""

from __future__ import annotations

import random
from typing import Any

from leadsignal.integrations.http import LocalRateLimiter, PoliteClient, RateSpec, RetryPolicy
from leadsignal.integrations.http.clock import FakeTime
from leadsignal.sources.scrape_log import MemoryScrapeLogSink

UA = "leadsignal-test/1.0 (+https://agency.example/bot; bot@agency.example)"


def make_client(
    sink: MemoryScrapeLogSink | None = None, clock: FakeTime | None = None, **overrides: Any
) -> tuple[PoliteClient, MemoryScrapeLogSink, FakeTime]:
    """A client whose sleeps advance a fake clock (so waits are asserted, not spent)."""
    sink = sink or MemoryScrapeLogSink()
    clock = clock or FakeTime()
    kwargs: dict[str, Any] = {
        "user_agent": UA,
        "sink": sink,
        "limiter": LocalRateLimiter(clock),
        "retry": RetryPolicy(max_attempts=3, base_delay=0.5, max_delay=8.0),
        "default_host_rate": RateSpec(1000.0, 1000),
        "timeout": 2.0,
        "clock": clock,
        "sleep": clock.sleep,
        "rng": random.Random(7),
    }
    kwargs.update(overrides)
    return PoliteClient(**kwargs), sink, clock
