"""Dashboard load time: from navigation to the first signal card on screen, cold cache, in Chromium.

A fresh SQLite database gets 300 leads and 1,500 signals; the real app (API + built dashboard) is
served by uvicorn on 127.0.0.1. Each run opens a new browser context (empty cache) that already
holds a refresh token, as a collector returning to the tab would, and measures until the first
feed card is visible: HTML, JS, CSS, token refresh, /me and the first feed page. Runs on the
loopback and under an emulated mobile network (CDP: 9 Mbit/s down, 1.5 up, 80 ms latency).

Run: .venv/bin/python bench/bench_dashboard.py [--runs 15]   (needs frontend/dist and /usr/bin/chromium)
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import socket
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import uvicorn
from playwright.sync_api import Browser, sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.report import machine, write_section
from leadsignal.app import create_app
from leadsignal.auth import service
from leadsignal.compliance.audit import Actor
from leadsignal.core import migrate
from leadsignal.core.context import AppContext
from leadsignal.core.crypto import new_key
from leadsignal.db import session_scope
from leadsignal.leads.models import Lead
from leadsignal.settings import Settings
from leadsignal.signals.models import POSITIVE_TYPES, Signal, SignalEvidence

REPO = Path(__file__).resolve().parent.parent
DIST = REPO / "frontend" / "dist"
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "bench-password-123456"  # noqa: S105 - a throwaway account in a temporary database
MOBILE: dict[str, object] = {
    "offline": False,
    "latency": 80,
    "downloadThroughput": 9_000_000 / 8,
    "uploadThroughput": 1_500_000 / 8,
}


def seed(ctx: AppContext, leads: int, signals: int) -> str:
    rng = random.Random(7)
    now = dt.datetime.now(dt.UTC)
    with session_scope(ctx.sessions) as session:
        user = service.create_user(
            session, ctx.settings, email="bench@agency.example", password=PASSWORD, role="admin", actor=Actor("bench")
        )
        rows = [Lead(debtor_name=f"Lead {i:05d}", state="TX", team_id=None) for i in range(leads)]
        session.add_all(rows)
        session.flush()
        for i in range(signals):
            kind = rng.choice(POSITIVE_TYPES)
            detected = now - dt.timedelta(minutes=rng.randint(0, 60 * 24 * 30))
            signal = Signal(
                lead_id=rng.choice(rows).id,
                signal_type=kind,
                category="positive",
                status="new",
                confidence=0.9,
                detected_at=detected,
                summary=f"{kind} at Acme",
                evidence_count=1,
            )
            signal.evidence.append(
                SignalEvidence(
                    evidence_key=f"bench:{i}",
                    kind="post",
                    snippet="Thrilled to share",
                    signal_type=kind,
                    confidence=0.9,
                    observed_at=detected,
                    details={},
                )
            )
            session.add(signal)
        return user.email


@contextmanager
def serve(ctx: AppContext) -> Iterator[str]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app(ctx), log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


def first_card_ms(browser: Browser, url: str, email: str, network: dict[str, object] | None) -> tuple[float, int]:
    refresh = httpx.post(f"{url}/api/v1/auth/login", json={"email": email, "password": PASSWORD}).json()
    context = browser.new_context(viewport={"width": 375, "height": 812})
    context.add_init_script(f"sessionStorage.setItem('leadsignal.refresh', {refresh['refresh_token']!r})")
    page = context.new_page()
    if network:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", network)
    sizes: list[int] = []
    page.on(
        "response", lambda r: sizes.append(int(r.headers.get("content-length", "0"))) if "/assets/" in r.url else None
    )
    start = time.perf_counter()
    page.goto(url + "/")
    page.get_by_test_id("signal-card").first.wait_for(state="visible", timeout=30_000)
    elapsed = (time.perf_counter() - start) * 1000
    context.close()
    return elapsed, sum(sizes)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--leads", type=int, default=300)
    parser.add_argument("--signals", type=int, default=1500)
    args = parser.parse_args()
    if not (DIST / "index.html").exists():
        sys.exit("frontend/dist is missing: run scripts/frontend.sh first")
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            _env_file=None,
            env="test",
            data_dir=Path(tmp),
            database_url=f"sqlite:///{tmp}/bench.db",
            encryption_keys=f"b1:{new_key()}",
            blind_index_key=new_key(),
            jwt_secret="b" * 48,
            frontend_dist=DIST,
        )
        ctx = AppContext(settings)
        migrate.upgrade(ctx.engine)
        email = seed(ctx, args.leads, args.signals)
        results: dict[str, list[float]] = {}
        assets = 0
        with serve(ctx) as url, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            first_card_ms(browser, url, email, None)  # warm the server, not the browser
            for label, network in (("loopback", None), ("mobile network (9 Mbit/s, 80 ms)", MOBILE)):
                runs = [first_card_ms(browser, url, email, network) for _ in range(args.runs)]
                results[label] = [ms for ms, _ in runs]
                assets = runs[-1][1]
            browser.close()
        ctx.dispose()
    lines = [
        "## Dashboard first screen",
        "",
        f"`.venv/bin/python bench/bench_dashboard.py --runs {args.runs}` on {machine()}: {args.leads} leads, "
        f"{args.signals} signals (SQLite), cold browser cache, 375 px viewport; time from navigation to the "
        f"first feed card on screen (target: under 3 s). Static assets of the first screen: "
        f"{assets / 1024:.0f} KiB as served (uncompressed).",
        "",
        "| network | median ms | p95 ms | max ms |",
        "| --- | ---: | ---: | ---: |",
    ]
    for label, values in results.items():
        values.sort()
        p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
        lines.append(f"| {label} | {statistics.median(values):.0f} | {p95:.0f} | {values[-1]:.0f} |")
    body = "\n".join(lines)
    print(body)
    write_section("dashboard", body)


if __name__ == "__main__":
    main()
