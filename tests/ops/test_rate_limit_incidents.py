"""Rate-limit incidents carry their source (service and host) and their whole duration."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from leadsignal.core.context import AppContext
from leadsignal.sources.scrape_log import DbScrapeLogSink, IncidentKind, IncidentReport, RateLimitIncident
from tests.fakes.base import Reply
from tests.fakes.fixtures import fake_site
from tests.fakes.web import FakeWebsite
from tests.integrations.factories import make_client

__all__ = ["fake_site"]  # fixture

T0 = dt.datetime(2026, 11, 24, 1, 0, tzinfo=dt.UTC)


def _report(seconds_after: float, backoff: float, *, kind: IncidentKind = "429",
            host: str = "api.example") -> IncidentReport:  # fmt: skip
    return IncidentReport(service="apify", host=host, kind=kind, started_at=T0 + dt.timedelta(seconds=seconds_after),
                          backoff_seconds=backoff, details={"http_status": 429 if kind == "429" else 403})  # fmt: skip


def _incidents(ctx: AppContext) -> list[RateLimitIncident]:
    with ctx.sessions() as session:
        return list(session.scalars(select(RateLimitIncident).order_by(RateLimitIncident.started_at)))


def test_hits_during_a_back_off_extend_one_incident(app_ctx: AppContext) -> None:
    sink = DbScrapeLogSink(app_ctx.sessions)
    sink.record_incident(_report(0, 60))
    sink.record_incident(_report(30, 60))  # still backed off: same episode, now 0..90 s
    sink.record_incident(_report(45, 10))  # inside it, ends earlier: no change to the end
    sink.record_incident(_report(40, 600, kind="captcha"))  # another kind: its own incident
    sink.record_incident(_report(40, 60, host="other.example"))  # another host: its own incident
    sink.record_incident(_report(200, 60))  # after the back-off ended: a new episode

    rows = [(r.host, r.kind, r.started_at, r.duration_seconds, r.details.get("hits")) for r in _incidents(app_ctx)]
    assert rows == [
        ("api.example", "429", T0, 90.0, 3),
        ("api.example", "captcha", T0 + dt.timedelta(seconds=40), 600.0, 1),
        ("other.example", "429", T0 + dt.timedelta(seconds=40), 60.0, 1),
        ("api.example", "429", T0 + dt.timedelta(seconds=200), 60.0, 1),
    ]
    first = _incidents(app_ctx)[0]
    assert first.service == "apify"
    assert first.ended_at == T0 + dt.timedelta(seconds=90)
    assert first.details["last_http_status"] == 429


def test_a_503_with_retry_after_is_an_incident(fake_site: FakeWebsite) -> None:
    fake_site.script("/ping", Reply(503, "busy", headers={"Retry-After": "12"}))
    client, sink, _ = make_client()
    assert client.request("GET", fake_site.url + "/ping", service="web").status_code == 200
    [incident] = sink.incidents
    assert (incident.service, incident.kind, incident.backoff_seconds) == ("web", "503", 12.0)
    assert incident.host == f"127.0.0.1:{fake_site.port}"
    assert incident.ended_at - incident.started_at == dt.timedelta(seconds=12)
