"""Analytics overview latency on a large book: 100,000 leads and 1,000,000 signals on PostgreSQL.

Leads, users and teams are loaded by bench_api's COPY loader; signals (with their alert state,
assignee and acknowledgement) and outcomes are COPYed here. The real app is served by uvicorn and
``/api/v1/analytics/overview`` called over HTTP as an admin (everything), a manager (one team of
twenty) and an agent (own signals), for the last 30 days by day and the last 365 days by week.
"Cold" is the first request after new data landed (an outcome is inserted before each one, which
changes the cache key); "warm" repeats the same request (served from the in-process cache, after
the data-version read and authentication).

Run: .venv/bin/python bench/bench_analytics.py [--leads 100000] [--signals 1000000] [--outcomes 60000] [--keep]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx
import psycopg
from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_api import PG_ADMIN, load, required_extras, serve
from bench.report import machine, write_section
from leadsignal.core import migrate
from leadsignal.core.context import AppContext
from leadsignal.core.crypto import new_key
from leadsignal.db import make_engine
from leadsignal.settings import Settings
from leadsignal.signals.models import HARDSHIP_TYPES, POSITIVE_TYPES

PASSWORD = "bench-password-123"  # noqa: S105 - throwaway accounts in a temporary database
OUTCOME_WEIGHTS = {"contacted": 40, "right_party_contact": 20, "promise_to_pay": 10, "payment_plan_enrolled": 8,
                   "payment_received": 7, "refused": 10, "wrong_person": 5}  # fmt: skip


def load_signals(dsn: str, signals: int, outcomes: int, rng: random.Random) -> None:
    """COPY signals in arrival order with their alert state, then outcomes on random leads."""
    now = dt.datetime.now(dt.UTC)
    start = now - dt.timedelta(days=365)
    with psycopg.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute("SELECT l.id, l.team_id, l.assignee_user_id FROM leads l ORDER BY l.id")
        leads = cur.fetchall()
        cur.execute("SELECT team_id, array_agg(user_id ORDER BY user_id) FROM team_members GROUP BY team_id")
        agents_of: dict[int, list[int]] = dict(cur.fetchall())
        t0 = time.perf_counter()
        base = ["lead_id", "signal_type", "category", "status", "confidence", "detected_at", "updated_at", "summary",
                "evidence_count", "alert_status", "assignee_user_id", "routed_team_id", "alerted_at",
                "acknowledged_at"]  # fmt: skip
        extra_cols, extra_vals = required_extras(cur, "signals", base)
        step = dt.timedelta(days=365) / signals
        with cur.copy(f"COPY signals ({', '.join(base + extra_cols)}) FROM STDIN") as copy:
            for i in range(signals):
                lead_id, team_id, owner = leads[rng.randrange(len(leads))]
                hardship = rng.random() < 0.1
                kind = rng.choice(HARDSHIP_TYPES if hardship else POSITIVE_TYPES)
                at = start + step * i
                roll = rng.random()
                status = (
                    "blocked" if roll < 0.08 else "pending" if roll < 0.1 else "hardship" if hardship else "alerted"
                )
                assignee = owner or rng.choice(agents_of[team_id])
                acked = at + dt.timedelta(minutes=rng.randint(1, 600)) if rng.random() < 0.6 else None
                copy.write_row((lead_id, kind, "hardship" if hardship else "positive",
                                "acknowledged" if acked else "new", 0.9, at, acked or at, f"{kind} detected", 1,
                                status, None if status == "blocked" else assignee, team_id,
                                None if status == "blocked" else at + dt.timedelta(seconds=2), acked,
                                *extra_vals))  # fmt: skip
        print(f"signals: {signals:,} in {time.perf_counter() - t0:.1f}s")
        kinds, weights = list(OUTCOME_WEIGHTS), list(OUTCOME_WEIGHTS.values())
        with cur.copy("COPY outcomes (external_id, lead_id, outcome, amount, occurred_at, agent_external_id, source,"
                      " created_at) FROM STDIN") as copy:  # fmt: skip
            for i in range(outcomes):
                kind = rng.choices(kinds, weights)[0]
                amount = (
                    round(rng.uniform(25, 500), 2) if kind in ("payment_plan_enrolled", "payment_received") else None
                )
                at = start + dt.timedelta(minutes=rng.randint(0, 365 * 24 * 60))
                copy.write_row((f"bench-{i}", leads[rng.randrange(len(leads))][0], kind, amount, at, "crm-agent",
                                "bench", at))  # fmt: skip
        conn.commit()
        cur.execute("ANALYZE")
        conn.commit()


def add_manager(dsn: str, password_hash: str) -> None:
    with psycopg.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute("INSERT INTO users (email, password_hash, role, is_active, failed_logins, created_at)"
                    " VALUES ('manager@bench', %s, 'manager', true, 0, now()) RETURNING id",
                    (password_hash,))  # fmt: skip
        manager_id = cur.fetchone()[0]  # type: ignore[index]
        cur.execute("UPDATE teams SET manager_user_id = %s WHERE name = 'Team 3'", (manager_id,))


def timed(call: Callable[[], httpx.Response], *, expect_cached: bool) -> float:
    t0 = time.perf_counter()
    response = call()
    elapsed = (time.perf_counter() - t0) * 1000
    response.raise_for_status()
    assert response.json()["cached"] is expect_cached, response.json()["cached"]
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--signals", type=int, default=1_000_000)
    parser.add_argument("--outcomes", type=int, default=60_000)
    parser.add_argument("--cold", type=int, default=5)
    parser.add_argument("--warm", type=int, default=50)
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--keep", action="store_true", help="keep the database to inspect query plans")
    args = parser.parse_args()
    rng = random.Random(13)
    name = f"leadsignal_bench_analytics_{uuid.uuid4().hex[:8]}"
    admin_engine = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin_engine.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin_engine.url.set(database=name).render_as_string(hide_password=False)
    dsn = url.replace("postgresql+psycopg://", "postgresql://")
    rows: list[str] = []
    load_note = ""
    try:
        engine = make_engine(url)
        migrate.upgrade(engine)
        settings = Settings(
            _env_file=None, env="test", database_url=url, jwt_secret="bench-" + new_key(), redis_url=None,
            encryption_keys=f"b1:{new_key()}", blind_index_key=new_key(), frontend_dist=None,
        )  # fmt: skip
        t0 = time.perf_counter()
        load(url, settings, args.leads, 1, rng)  # its one signal stays pending: analytics never counts it
        with psycopg.connect(dsn) as pg:
            found = pg.execute("SELECT password_hash FROM users WHERE email = 'admin@bench'").fetchone()
        assert found is not None
        add_manager(dsn, str(found[0]))
        load_signals(dsn, args.signals, args.outcomes, rng)
        setup_s = time.perf_counter() - t0
        ctx = AppContext(settings, _engine=engine)
        today = dt.datetime.now(dt.UTC).date()
        ranges = {
            "30 days by day": f"since={today - dt.timedelta(days=29)}&until={today}&bucket=day",
            "365 days by week": f"since={today - dt.timedelta(days=364)}&until={today}&bucket=week",
        }
        with serve(ctx, args.port) as base, httpx.Client(base_url=base, timeout=120) as http, \
                psycopg.connect(dsn, autocommit=True) as writer:  # fmt: skip
            tokens = {}
            for who, email in (("admin", "admin@bench"), ("manager", "manager@bench"), ("agent", "a3-4@bench")):
                login = http.post("/api/v1/auth/login", json={"email": email, "password": PASSWORD})
                tokens[who] = {"Authorization": f"Bearer {login.raise_for_status().json()['access_token']}"}
            lead_id = writer.execute("SELECT min(id) FROM leads").fetchone()[0]  # type: ignore[index]
            load_before = os.getloadavg()[0]
            for label, query in ranges.items():
                for who in ("admin", "manager", "agent"):

                    def call(who: str = who, query: str = query) -> httpx.Response:
                        return http.get(f"/api/v1/analytics/overview?{query}", headers=tokens[who])

                    cold = []
                    for _ in range(args.cold):
                        writer.execute("INSERT INTO outcomes (external_id, lead_id, outcome, occurred_at,"
                                       " agent_external_id, source, created_at) VALUES (%s, %s, 'contacted', now(),"
                                       " 'crm-agent', 'bench', now())", (uuid.uuid4().hex, lead_id))  # fmt: skip
                        cold.append(timed(call, expect_cached=False))
                    warm = sorted(timed(call, expect_cached=True) for _ in range(args.warm))
                    p95 = warm[int(len(warm) * 0.95) - 1]
                    line = (f"| {label} | {who} | {statistics.median(cold):.0f} ms | {max(cold):.0f} ms | "
                            f"{statistics.median(warm):.1f} ms | {p95:.1f} ms |")  # fmt: skip
                    print(line)
                    rows.append(line)
            load_note = f"{load_before:.1f} at the start of the timed requests, {os.getloadavg()[0]:.1f} at the end"
        engine.dispose()
    finally:
        if args.keep:
            print(f"kept: {url}")
        else:
            with admin_engine.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin_engine.dispose()
    body = "\n".join([
        "## Analytics overview",
        "",
        f"`.venv/bin/python bench/bench_analytics.py --leads {args.leads} --signals {args.signals} --outcomes "
        f"{args.outcomes}` on {machine()}, PostgreSQL on 127.0.0.1. A fresh database loaded with COPY",
        f"({setup_s:.0f} s): {args.leads:,} leads in 20 teams of 10 agents, {args.signals:,} signals over a year",
        "(90% alerted or hardship, 60% acknowledged), "
        f"{args.outcomes:,} CRM outcomes. `GET /api/v1/analytics/overview` over HTTP",
        "as an admin (all teams), a manager (one team, ~5% of the book) and an agent (own signals).",
        f"Cold: the first request after a new outcome landed ({args.cold} runs, all four datasets computed in SQL);",
        f"warm: the same request again ({args.warm} runs, answered from the in-process cache after",
        "authentication and the data-version read). The machine is shared, so the figures include its noise:",
        f"load average {load_note} (2 cores).",
        "",
        "| range | as | cold median | cold max | warm median | warm p95 |",
        "|---|---|---|---|---|---|",
        *rows,
    ])  # fmt: skip
    write_section("analytics", body)


if __name__ == "__main__":
    main()
