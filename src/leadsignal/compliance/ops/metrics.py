"""``GET /metrics``: Prometheus text format from a custom collector on its own registry.

The figures are read from the database at scrape time (compliance/ops/figures.py), so every API
and worker process reports the same numbers and nothing is lost on restart. Windowed figures are
gauges with a ``window`` label (``1h``, ``24h``) rather than counters: retention purges old rows,
and a counter that went down would read as a reset.

Access: with ``LEADSIGNAL_METRICS_TOKEN`` set, a matching bearer token is required; without one,
production answers loopback callers only (a Prometheus sidecar or an SSH tunnel) and other
environments answer anyone. It is not part of /api/v1, like /healthz.
"""

from __future__ import annotations

import hmac
import time
from collections.abc import Iterator

from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.metrics_core import Metric
from prometheus_client.registry import Collector

from leadsignal.compliance.ops import figures
from leadsignal.core.context import AppContext
from leadsignal.core.deps import CtxDep
from leadsignal.core.errors import ApiError
from leadsignal.db import utcnow

router = APIRouter(tags=["ops"])
LOOPBACK = frozenset({"127.0.0.1", "::1"})


class OpsCollector(Collector):
    """Reads the figures in one short read-only session per scrape."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def collect(self) -> Iterator[Metric]:
        started = time.perf_counter()
        now = utcnow()
        with self.ctx.sessions() as session:
            windows = {w: figures.window_figures(session, w, now) for w in figures.WINDOWS}
            scrapes = {w: figures.scrape_counts(session, now - d) for w, d in figures.WINDOWS.items()}
            incidents = {w: figures.incident_counts(session, now - d) for w, d in figures.WINDOWS.items()}
            sources = figures.source_health(session, now)
            queue = figures.queue_depth(session, self.ctx.settings)
            workers = figures.workers(session, now)
        profiles = _gauge("profiles_fetched", "Profiles fetched by monitoring runs.", "source", "status", "window")
        attempts = _gauge("scrape_attempts", "Outbound requests in the scrape log.", "service", "outcome", "window")
        signals = _gauge("signals_detected", "Signals detected, by type.", "signal_type", "window")
        alerts = _gauge("alerts_sent", "Signals alerted.", "window")
        sent = _gauge("emails_sent", "Emails sent or delivered.", "window")
        failed = _gauge("emails_failed", "Emails failed, bounced, blocked or spam.", "window")
        errors = _gauge("errors", "Unexpected errors (API and background tasks).", "window")
        limited = _gauge("rate_limit_incidents", "429s, block pages and CAPTCHAs.", "service", "kind", "window")
        for window, fig in windows.items():
            for run_source, counts in fig.profiles_by_source.items():
                for status, n in counts.items():
                    profiles.add_metric([run_source, status, window], n)
            for (service, outcome), n in sorted(scrapes[window].items()):
                attempts.add_metric([service, outcome, window], n)
            for signal_type, n in fig.signals_by_type.items():
                signals.add_metric([signal_type, window], n)
            alerts.add_metric([window], fig.alerts_sent)
            sent.add_metric([window], fig.emails_sent)
            failed.add_metric([window], fig.emails_failed)
            errors.add_metric([window], fig.errors)
            for (service, kind), n in sorted(incidents[window].items()):
                limited.add_metric([service, kind, window], n)
        yield from (profiles, attempts, signals, alerts, sent, failed, errors, limited)

        depth = _gauge("queue_depth", "Work waiting: the Celery queue (Redis broker) and backlogs.", "queue")
        if queue.celery_queue is not None:
            depth.add_metric(["celery"], queue.celery_queue)
        depth.add_metric(["alerts_pending"], queue.alerts_pending)
        depth.add_metric(["webhooks_pending"], queue.webhooks_pending)
        depth.add_metric(["emails_queued"], queue.emails_queued)
        yield depth

        age = _gauge("worker_heartbeat_age_seconds", "Seconds since each worker last beat.", "worker", "kind")
        for worker in workers:
            age.add_metric([worker.worker, worker.kind], worker.age_seconds)
        yield age

        block = _gauge("source_block_rate", "Share of the last hour's requests blocked or rate limited.", "service")
        parse = _gauge("source_parse_failures", "Malformed responses in the last hour.", "service")
        backed = _gauge("source_backed_off", "1 while a source is backed off after an incident.", "service")
        for health in sources:
            block.add_metric([health.service], health.block_rate)
            parse.add_metric([health.service], health.parse_failures)
            backed.add_metric([health.service], 1 if health.backed_off_until is not None else 0)
        yield from (block, parse, backed)
        took = _gauge("metrics_collect_seconds", "Time taken to compute these metrics.")
        took.add_metric([], time.perf_counter() - started)
        yield took


def _gauge(name: str, documentation: str, *labels: str) -> GaugeMetricFamily:
    return GaugeMetricFamily(f"leadsignal_{name}", documentation, labels=list(labels))


def render(ctx: AppContext) -> bytes:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(OpsCollector(ctx))
    return generate_latest(registry)


def check_access(request: Request, ctx: AppContext) -> None:
    token = ctx.settings.metrics_token
    if token is not None:
        header = request.headers.get("authorization", "")
        scheme, _, given = header.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip(), token.get_secret_value()):
            raise ApiError(401, "unauthenticated", "a valid metrics bearer token is required")
        return
    if ctx.settings.env == "production":
        host = request.client.host if request.client else ""
        if host not in LOOPBACK:
            raise ApiError(403, "forbidden", "metrics answer loopback callers only; set LEADSIGNAL_METRICS_TOKEN")


@router.get("/metrics", include_in_schema=False)
def metrics(request: Request, ctx: CtxDep) -> Response:
    check_access(request, ctx)
    return Response(render(ctx), media_type=CONTENT_TYPE_LATEST)
