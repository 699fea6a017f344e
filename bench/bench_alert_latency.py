"""Detection-to-delivery latency: signals stored at a steady rate, measured at an SSE client and at
a CRM webhook receiver, through the real server, alerts loop and webhook dispatcher (PostgreSQL).

Run: .venv/bin/python bench/bench_alert_latency.py [--rate 100] [--seconds 10]
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import sys
import tempfile
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing import Process, Queue
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.report import machine, write_section
from leadsignal.app import create_app
from leadsignal.auth.models import Team, TeamMember, User
from leadsignal.auth.tokens import issue_access_token
from leadsignal.compliance.audit import Actor
from leadsignal.core import migrate
from leadsignal.core.context import AppContext
from leadsignal.core.crypto import new_key
from leadsignal.crm.webhooks import add_endpoint
from leadsignal.db import session_scope, utcnow
from leadsignal.events.service import publish_signal_detected
from leadsignal.jobs.embedded import start_background
from leadsignal.leads.models import Lead
from leadsignal.leads.normalize import parse_name
from leadsignal.leads.service import storage_values
from leadsignal.settings import Settings
from leadsignal.signals.merge import SignalCandidate, merge_candidate
from leadsignal.signals.models import Signal
from leadsignal.signals.score import ScoringPolicy, score_signal

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
received_at: dict[str, dict[int, float]] = {"sse": {}, "webhook": {}}


def run_receiver(port: int, out: Queue) -> None:  # type: ignore[type-arg]
    """The CRM's webhook receiver, in its own process (it is another system in production)."""

    class Receiver(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            return

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            if body.get("type") == "signal.created.v1":
                out.put((int(body["data"]["signal_id"]), time.time()))
            self.send_response(204)
            self.end_headers()

    ThreadingHTTPServer(("127.0.0.1", port), Receiver).serve_forever()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def sse_reader(url: str, token: str, stop: threading.Event) -> None:
    while not stop.is_set():
        try:
            with httpx.stream("GET", url, params={"access_token": token}, timeout=30) as response:
                for line in response.iter_lines():
                    if line.startswith("data: "):
                        data = json.loads(line[6:])
                        received_at["sse"].setdefault(int(data["signal_id"]), time.time())
                    if stop.is_set():
                        return
        except httpx.HTTPError:
            time.sleep(0.2)


def seed(ctx: AppContext, leads: int) -> tuple[User, list[int]]:
    with session_scope(ctx.sessions) as session:
        team = Team(name="Bench team")
        session.add(team)
        session.flush()
        agent = User(email="agent@bench.example", password_hash="!unusable", role="agent", is_active=True,  # noqa: S106
                     failed_logins=0)  # fmt: skip
        session.add(agent)
        session.flush()
        session.add(TeamMember(user_id=agent.id, team_id=team.id))
        ids = []
        for i in range(leads):
            values = storage_values(
                parse_name(f"Bench Person{chr(97 + i % 26)}"), {"agency_id_number": f"B{i}"}, ctx.cipher
            )
            lead = Lead(**values, team_id=team.id, assignee_user_id=agent.id, status_description="Active")
            session.add(lead)
            session.flush()
            ids.append(lead.id)
        return agent, ids


def produce(ctx: AppContext, lead_ids: list[int], rate: int, seconds: int) -> dict[int, float]:
    detected: dict[int, float] = {}
    interval = 1.0 / rate
    start = time.monotonic()
    for n in range(rate * seconds):
        target = start + n * interval
        delay = target - time.monotonic()
        if delay > 0:
            time.sleep(delay)
        with session_scope(ctx.sessions) as session:
            now = utcnow()
            candidate = SignalCandidate(
                lead_id=lead_ids[n % len(lead_ids)], signal_type="new_job", confidence=0.9, kind="post",
                evidence_key=f"post:bench-{n}", snippet="Started a new role at Contoso Health", org=f"Org {n}",
                match_confidence=1.0, event_date=now.date(),
            )  # fmt: skip
            outcome = merge_candidate(session, candidate, now=now)
            signal = session.get(Signal, outcome.signal_id)
            assert signal is not None
            score_signal(signal, total_due=None, status="Active", evidence_kinds={"post"}, policy=ScoringPolicy())
            publish_signal_detected(session, signal, created=True)
        detected[outcome.signal_id] = time.time()
    return detected


def produce_into(settings: Settings, lead_ids: list[int], rate: int, seconds: int, out: Queue) -> None:  # type: ignore[type-arg]
    ctx = AppContext(settings)
    out.put(produce(ctx, lead_ids, rate, seconds))
    ctx.dispose()


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rate", type=int, default=100)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--leads", type=int, default=300)
    args = parser.parse_args()
    name = f"leadsignal_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    hook_port = free_port()
    hooks: Queue = Queue()  # type: ignore[type-arg]
    receiver = Process(target=run_receiver, args=(hook_port, hooks), daemon=True)
    receiver.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            settings = Settings(_env_file=None, env="test", data_dir=Path(tmp), frontend_dist=None,  # type: ignore[call-arg]
                                database_url=admin.url.set(database=name).render_as_string(hide_password=False),
                                encryption_keys=f"b1:{new_key()}", blind_index_key=new_key(), jwt_secret="bench" * 8,
                                sse_poll_seconds=0.25, crm_dispatch_interval_seconds=0.25,
                                outbox_gap_grace_seconds=2.0)  # fmt: skip
            ctx = AppContext(settings)
            migrate.upgrade(ctx.engine)
            agent, lead_ids = seed(ctx, args.leads)
            with session_scope(ctx.sessions) as session:
                add_endpoint(session, ctx.cipher, name="bench-crm", url=f"http://127.0.0.1:{hook_port}/hook",
                             secret="whsec-bench-0123456789", event_types=["signal.created.v1"],  # noqa: S106
                             actor=Actor("bench"))  # fmt: skip
            port = free_port()
            server = uvicorn.Server(uvicorn.Config(create_app(ctx), host="127.0.0.1", port=port, log_level="warning"))
            threading.Thread(target=server.run, daemon=True).start()
            while not server.started:
                time.sleep(0.05)
            stop_background = start_background(ctx)
            token, _ = issue_access_token(settings, kind="user", subject=str(agent.id), role="agent",
                                          scopes=["signals:read"], now=utcnow())  # fmt: skip
            stop = threading.Event()
            threading.Thread(target=sse_reader, args=(f"http://127.0.0.1:{port}/api/v1/signals/stream", token, stop),
                             daemon=True).start()  # fmt: skip
            time.sleep(1.0)
            # Detection runs in its own process too, as monitoring workers do in production.
            produced: Queue = Queue()  # type: ignore[type-arg]
            producer = Process(target=produce_into, args=(settings, lead_ids, args.rate, args.seconds, produced))
            producer.start()
            detected: dict[int, float] = produced.get(timeout=args.seconds + 120)
            producer.join()
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and (
                len(received_at["sse"]) < len(detected) or len(received_at["webhook"]) < len(detected)
            ):
                while not hooks.empty():
                    signal_id, at = hooks.get()
                    received_at["webhook"].setdefault(signal_id, at)
                time.sleep(0.25)
            stop.set()
            stop_background.set()
            server.should_exit = True
            ctx.dispose()
    finally:
        receiver.terminate()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    rows = []
    for channel in ("sse", "webhook"):
        lat = [received_at[channel][i] - t for i, t in detected.items() if i in received_at[channel]]
        missing = len(detected) - len(lat)
        p50, p95, worst = statistics.median(lat), pct(lat, 0.95), max(lat)
        print(f"{channel}: {len(lat)} delivered, {missing} missing, p50 {p50:.2f}s p95 {p95:.2f}s max {worst:.2f}s")
        rows.append(f"| {channel} | {len(detected):,} | {missing} | {p50:.2f} s | {p95:.2f} s | {worst:.2f} s |")
    body = "\n".join([
        "## Alert delivery latency (PostgreSQL)",
        "",
        f"`.venv/bin/python bench/bench_alert_latency.py --rate {args.rate} --seconds {args.seconds}` on {machine()}.",
        f"{args.rate} signals per second for {args.seconds} s, each committed with its outbox event; measured from",
        "the commit to the moment an SSE client (`/api/v1/signals/stream`) and a CRM webhook receiver got it,",
        "through the real server, the embedded alerts loop (guard, routing) and the webhook dispatcher.",
        "",
        "| channel | signals | missing | p50 | p95 | max |",
        "|---|---|---|---|---|---|",
        *rows,
    ])  # fmt: skip
    write_section("alert-latency", body)


if __name__ == "__main__":
    main()
