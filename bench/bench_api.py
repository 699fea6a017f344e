"""API latency over a large book: 100,000 leads and 1,000,000 signals in a fresh PostgreSQL database.

Rows are bulk-loaded with COPY (psycopg), not the ORM. The real app is then served by uvicorn on
127.0.0.1 and called over HTTP (httpx, keep-alive) as an agent (one team of twenty) and as an
admin. Every request authenticates, scopes its query, writes its audit row and commits, as in
production.

Run: .venv/bin/python bench/bench_api.py [--leads 100000] [--signals 1000000] [--requests 200]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import psycopg
import uvicorn
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.report import machine, write_section
from leadsignal.app import create_app
from leadsignal.auth import service
from leadsignal.core import migrate
from leadsignal.core.context import AppContext
from leadsignal.core.crypto import new_key
from leadsignal.db import make_engine
from leadsignal.settings import Settings
from leadsignal.signals.models import POSITIVE_TYPES

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
TEAMS, AGENTS_PER_TEAM = 20, 10
FIRST = ["James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
         "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Carlos", "Karen",
         "Daniel", "Lisa", "Matthew", "Nancy", "Anthony", "Betty", "Mark", "Sandra", "Aisha", "Ashley", "Wei",
         "Kimberly", "Jose", "Emily", "Ryan", "Donna", "Jacob", "Michelle", "Nicholas", "Carol"]  # fmt: skip
LAST = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
        "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
        "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
        "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green",
        "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Okafor",
        "Kowalski", "Novak", "Haddad", "Tanaka", "Ivanova", "Schmidt", "Rossi", "Dubois", "Silva"]  # fmt: skip
STATES = ["OH", "TX", "CA", "NY", "FL", "PA", "IL", "GA", "NC", "MI"]


def load(url: str, settings: Settings, leads: int, signals: int, rng: random.Random) -> dict[str, list[int]]:
    """COPY the book in; returns user ids by role and the team of each agent."""
    now = dt.datetime.now(dt.UTC)
    pw = service.hash_password(settings, "bench-password-123")
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute("INSERT INTO users (email, password_hash, role, is_active, failed_logins, created_at)"
                    " VALUES ('admin@bench', %s, 'admin', true, 0, %s) RETURNING id", (pw, now))  # fmt: skip
        admin_id = cur.fetchone()[0]  # type: ignore[index]
        agents: list[int] = []
        team_of: dict[int, int] = {}
        team_ids: list[int] = []
        for t in range(TEAMS):
            cur.execute("INSERT INTO teams (name, created_at) VALUES (%s, %s) RETURNING id", (f"Team {t}", now))
            team_id = cur.fetchone()[0]  # type: ignore[index]
            team_ids.append(team_id)
            for a in range(AGENTS_PER_TEAM):
                cur.execute("INSERT INTO users (email, password_hash, role, is_active, failed_logins, created_at)"
                            " VALUES (%s, %s, 'agent', true, 0, %s) RETURNING id",
                            (f"a{t}-{a}@bench", pw, now))  # fmt: skip
                agent_id = cur.fetchone()[0]  # type: ignore[index]
                cur.execute("INSERT INTO team_members (user_id, team_id) VALUES (%s, %s)", (agent_id, team_id))
                agents.append(agent_id)
                team_of[agent_id] = team_id
        t0 = time.perf_counter()
        columns = ("debtor_name, first_name, last_name, agency_id_number, state, city, total_due, delinquent_since,"
                   " status_description, do_not_scrape, extra, version, created_at, updated_at, team_id,"
                   " assignee_user_id")  # fmt: skip
        with cur.copy(f"COPY leads ({columns}) FROM STDIN") as copy:
            for i in range(leads):
                first, last = rng.choice(FIRST), rng.choice(LAST)
                team_index = rng.randrange(TEAMS)
                assignee = agents[team_index * AGENTS_PER_TEAM + rng.randrange(AGENTS_PER_TEAM)]
                copy.write_row((f"{first} {last}", first, last, f"B-{i:08d}", rng.choice(STATES), "Springfield",
                                rng.randint(500, 60000), now.date() - dt.timedelta(days=rng.randint(30, 2000)),
                                "Active - Delinquent", False, "{}", 1, now, now, team_ids[team_index],
                                assignee if rng.random() < 0.7 else None))  # fmt: skip
        cur.execute("SELECT min(id) FROM leads")
        first_lead = cur.fetchone()[0]  # type: ignore[index]
        print(f"leads: {leads:,} in {time.perf_counter() - t0:.1f}s")
        t0 = time.perf_counter()
        start = now - dt.timedelta(days=365)
        step = dt.timedelta(days=365) / signals
        base = ["lead_id", "signal_type", "category", "status", "confidence", "detected_at", "updated_at", "summary",
                "evidence_count"]  # fmt: skip
        extra_cols, extra_vals = required_extras(cur, "signals", base)
        columns = ", ".join(base + extra_cols)
        with cur.copy(f"COPY signals ({columns}) FROM STDIN") as copy:
            for i in range(signals):
                kind = rng.choice(POSITIVE_TYPES)
                at = start + step * i  # detected in arrival order, as the pipeline writes them
                copy.write_row((first_lead + rng.randrange(leads), kind, "positive", rng.choice(["new", "new",
                                "acknowledged"]), round(rng.uniform(0.5, 1.0), 3), at, at, f"{kind} detected", 1,
                                *extra_vals))  # fmt: skip
        cur.execute("SELECT min(id) FROM signals")
        first_signal = cur.fetchone()[0]  # type: ignore[index]
        with cur.copy("COPY signal_evidence (signal_id, evidence_key, kind, snippet, signal_type, confidence,"
                      " observed_at, details) FROM STDIN") as copy:  # fmt: skip
            for i in range(signals):
                copy.write_row((first_signal + i, f"bench:{i}", "post", "Excited to share some news!", "new_job",
                                0.9, start + step * i, "{}"))  # fmt: skip
        print(f"signals + evidence: {signals:,} each in {time.perf_counter() - t0:.1f}s")
        conn.commit()
        cur.execute("ANALYZE")
        conn.commit()
    return {"admin": [admin_id], "agents": agents, "team_of": [team_of[a] for a in agents]}


def required_extras(
    cur: psycopg.Cursor[tuple[object, ...]], table: str, given: list[str]
) -> tuple[list[str], list[object]]:
    """NOT NULL columns without a default that other features added since this script was written."""
    cur.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s"
        " AND is_nullable = 'NO' AND column_default IS NULL",
        (table,),
    )
    filler = {"json": "{}", "jsonb": "{}", "text": "", "character varying": "", "boolean": False}
    extras = [(str(col), filler.get(str(kind), 0)) for col, kind in cur.fetchall() if col not in given]
    return [c for c, _ in extras], [v for _, v in extras]


@contextmanager
def serve(ctx: AppContext, port: int) -> Iterator[str]:
    server = uvicorn.Server(uvicorn.Config(create_app(ctx), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def measure(call: Callable[[], httpx.Response], n: int) -> tuple[float, float]:
    for _ in range(5):  # warm the pool and caches
        call().raise_for_status()
    samples = []
    for _ in range(n):
        t0 = time.perf_counter()
        response = call()
        samples.append((time.perf_counter() - t0) * 1000)
        response.raise_for_status()
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--signals", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    rng = random.Random(11)
    name = f"leadsignal_bench_api_{uuid.uuid4().hex[:8]}"
    admin_engine = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin_engine.url.set(database=name).render_as_string(hide_password=False)
    rows: list[str] = []
    load_note = ""
    try:
        engine = make_engine(url)
        migrate.upgrade(engine)
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None, env="test", database_url=url, jwt_secret="bench-" + new_key(),
            encryption_keys=f"b1:{new_key()}", blind_index_key=new_key(), frontend_dist=None,
        )  # fmt: skip
        load(url, settings, args.leads, args.signals, rng)
        ctx = AppContext(settings, _engine=engine)
        with serve(ctx, args.port) as base, httpx.Client(base_url=base, timeout=30) as http:
            tokens = {}
            for who, email in (("agent", "a3-4@bench"), ("admin", "admin@bench")):
                login = http.post("/api/v1/auth/login", json={"email": email, "password": "bench-password-123"})
                tokens[who] = {"Authorization": f"Bearer {login.raise_for_status().json()['access_token']}"}
            agent_leads = [
                i["id"] for i in http.get("/api/v1/leads?limit=200", headers=tokens["agent"]).json()["items"]
            ]
            all_leads = [i["id"] for i in http.get("/api/v1/leads?limit=200", headers=tokens["admin"]).json()["items"]]
            cursors: dict[str, str | None] = {"agent": None, "admin": None}

            def lead_list(who: str) -> httpx.Response:  # walks forward page by page, like a person scrolling
                query = "/api/v1/leads?limit=50" + (f"&cursor={cursors[who]}" if cursors[who] else "")
                response = http.get(query, headers=tokens[who])
                cursors[who] = response.json().get("next_cursor")
                return response

            cases: list[tuple[str, Callable[[str], httpx.Response]]] = [
                ("lead list (50, keyset pages)", lead_list),
                ("lead timeline", lambda who: http.get(
                    f"/api/v1/leads/{rng.choice(agent_leads if who == 'agent' else all_leads)}/timeline",
                    headers=tokens[who])),
                ("signal feed (50, newest first)", lambda who: http.get("/api/v1/signals?limit=50",
                                                                       headers=tokens[who])),
                ("signal feed, filtered", lambda who: http.get(
                    "/api/v1/signals?limit=50&signal_type=promotion&min_confidence=0.8", headers=tokens[who])),
                ("search q (name contains)", lambda who: http.get(
                    f"/api/v1/leads?limit=50&q={rng.choice(LAST)[:4].lower()}", headers=tokens[who])),
            ]  # fmt: skip
            load_before = os.getloadavg()[0]
            for label, call in cases:
                for who in ("agent", "admin"):
                    p50, p95 = measure(lambda call=call, who=who: call(who), args.requests)  # type: ignore[misc]
                    verdict = "ok" if p95 < 150 else "over target"
                    print(f"{label:34s} {who:6s} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  {verdict}")
                    rows.append(f"| {label} | {who} | {p50:.1f} ms | {p95:.1f} ms | {verdict} |")
            load_note = f"{load_before:.1f} at the start of the timed requests, {os.getloadavg()[0]:.1f} at the end"
        engine.dispose()
    finally:
        with admin_engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin_engine.dispose()
    body = "\n".join([
        "## API latency",
        "",
        f"`.venv/bin/python bench/bench_api.py --leads {args.leads} --signals {args.signals} --requests "
        f"{args.requests}` on {machine()}, PostgreSQL on 127.0.0.1. A fresh database loaded with COPY:",
        f"{args.leads:,} leads in {TEAMS} teams of {AGENTS_PER_TEAM} agents, {args.signals:,} signals (one",
        "evidence row each) over a year. The real app under uvicorn, called over HTTP with keep-alive,",
        "sequentially; each request authenticates, filters by what the caller may see, writes its audit",
        f"row and commits. The agent sees one team (~{args.leads // TEAMS:,} leads). Target: p95 < 150 ms.",
        f"Load average over the run: {load_note}. The machine is shared, so the figures include its noise.",
        "",
        "| request | as | p50 | p95 | target |",
        "|---|---|---|---|---|",
        *rows,
    ])  # fmt: skip
    write_section("api", body)


if __name__ == "__main__":
    main()
