"""CRM webhook delivery: latency from a committed signal to the receiver, and burst throughput.

Run: .venv/bin/python bench/bench_crm_dispatch.py [--events 40] [--burst 1000] [--database-url URL]
The receiver is the test suite's fake CRM on 127.0.0.1 (it verifies every signature).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.report import machine, write_section
from leadsignal.compliance.audit import SYSTEM
from leadsignal.core import migrate
from leadsignal.core.context import AppContext
from leadsignal.crm.dispatcher import dispatch_once, start_dispatcher_thread
from leadsignal.crm.webhooks import add_endpoint
from leadsignal.db import make_engine, session_scope
from leadsignal.events.retry import retry_locked
from leadsignal.events.service import publish_signal
from leadsignal.settings import Settings
from leadsignal.signals.merge import merge_candidate
from leadsignal.signals.models import Signal
from tests.conftest import TEST_INDEX_KEY, TEST_KEYS
from tests.crm.factories import signal_candidate
from tests.crm.fake_crm import FakeCrm
from tests.factories import make_lead

SECRET = "bench-secret-0123456789abcdef"  # noqa: S105 - a local benchmark value


def publish_one(ctx: AppContext, lead_id: int) -> str:
    """What the merge step does: the signal and its event in one transaction."""

    def work() -> str:
        with session_scope(ctx.sessions) as session:
            merged = merge_candidate(session, signal_candidate(lead_id))
            signal = session.get(Signal, merged.signal_id)
            assert signal is not None
            return publish_signal(session, signal, created=merged.created)

    return retry_locked(work)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=40)
    parser.add_argument("--burst", type=int, default=1000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, FakeCrm(SECRET) as crm:
        url = args.database_url or f"sqlite:///{tmp}/bench.db"
        engine = make_engine(url)
        migrate.upgrade(engine)
        settings = Settings(_env_file=None, env="test", database_url=url, data_dir=Path(tmp),
                            encryption_keys=TEST_KEYS, blind_index_key=TEST_INDEX_KEY)  # fmt: skip
        ctx = AppContext(settings, _engine=engine)
        with session_scope(ctx.sessions) as session:
            add_endpoint(session, ctx.cipher, name="bench", url=crm.hook_url, event_types=["*"], actor=SYSTEM,
                         secret=SECRET)  # fmt: skip
            lead_ids = [make_lead(session, ctx.cipher).id for _ in range(200)]

        # 1. Latency with the embedded dispatcher loop (default 1 s poll), events at random moments.
        arrived: dict[str, float] = {}
        original = crm.handle

        def handle(req):  # type: ignore[no-untyped-def]
            reply = original(req)
            arrived.setdefault(req.headers.get("idempotency-key", ""), time.perf_counter())
            return reply

        crm.handle = handle  # type: ignore[method-assign]
        thread, stop = start_dispatcher_thread(ctx, poll_interval=1.0)
        sent: dict[str, float] = {}
        rng = random.Random(7)
        for i in range(args.events):
            time.sleep(rng.uniform(0.05, 0.6))
            event_id = publish_one(ctx, lead_ids[i % len(lead_ids)])
            sent[event_id] = time.perf_counter()
        deadline = time.time() + 30
        while len(arrived) < args.events and time.time() < deadline:
            time.sleep(0.05)
        stop.set()
        thread.join(10)
        lat = sorted(arrived[k] - t for k, t in sent.items() if k in arrived)
        lost = args.events - len(lat)

        # 2. Burst: events committed first, then drained by repeated rounds (batch 100, 8 parallel sends).
        for i in range(args.burst):
            publish_one(ctx, lead_ids[i % len(lead_ids)])
        before = len(crm.stored)
        start = time.perf_counter()
        rounds = 0
        while len(crm.stored) - before < args.burst and rounds < 10 * args.burst:
            dispatch_once(ctx)
            rounds += 1
        drain = time.perf_counter() - start
        ctx.dispose()

    backend = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    url_arg = " --database-url postgresql+psycopg://.../DB" if args.database_url else ""
    p95 = statistics.quantiles(lat, n=20)[18] if len(lat) >= 20 else max(lat)
    latency = f"p50 {statistics.median(lat) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, max {max(lat) * 1000:.0f} ms"
    burst = f"{drain:.2f} s ({args.burst / drain:,.0f} deliveries/s, {rounds} rounds)"
    body = f"""## CRM webhook delivery ({backend})

`.venv/bin/python bench/bench_crm_dispatch.py --events {args.events} --burst {args.burst}{url_arg}` on {machine()}
(other test suites were running on the same 2 cores; figures are indicative).
Receiver: local fake CRM on 127.0.0.1 verifying every HMAC signature.

| measure | value |
|---|---|
| commit -> first attempt at receiver, embedded loop (1 s poll), {len(lat)} events | {latency} |
| events not delivered within 30 s | {lost} |
| burst of {args.burst} committed events drained (one endpoint, 200 leads, per-lead order kept) | {burst} |
"""
    write_section(f"crm-dispatch-{backend.lower()}", body)
    print(body)


if __name__ == "__main__":
    main()
