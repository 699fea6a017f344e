"""An ``ApifyClient`` on fake time, pointed at a ``FakeApify``."""

from __future__ import annotations

from typing import Any

from leadsignal.integrations.apify import ApifyClient
from leadsignal.integrations.http.clock import FakeTime
from leadsignal.sources.scrape_log import MemoryScrapeLogSink
from tests.fakes.apify import FakeApify
from tests.integrations.factories import make_client


def make_apify_client(
    fake: FakeApify, *, page_size: int = 1000, token: str | None = None, **http: Any
) -> tuple[ApifyClient, MemoryScrapeLogSink, FakeTime]:
    client, sink, clock = make_client(**http)
    apify = ApifyClient(
        client,
        token=token or fake.token,
        base_url=fake.url,
        wait_secs=5,
        poll_interval=1.0,
        page_size=page_size,
        clock=clock,
        sleep=clock.sleep,
    )
    return apify, sink, clock
