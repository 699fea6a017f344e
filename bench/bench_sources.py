"""Sources throughput: actor-item mapping, the sample source, and snapshot/post storage.

Run: .venv/bin/python bench/bench_sources.py [--profiles 2000] [--backends sqlite,postgres]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.report import machine, write_section
from leadsignal.core import migrate
from leadsignal.db import make_engine, make_sessionmaker, session_scope
from leadsignal.demo.leadbook import synthetic_rows
from leadsignal.sources.mappers import map_post_item, map_profile_item
from leadsignal.sources.records import FetchResult
from leadsignal.sources.sample import CYCLE_DAYS, SampleSource
from leadsignal.sources.snapshots import store_posts, store_profiles
from tests.sources.samples import APIMAESTRO_POST, DEV_FUSION_PROFILE, HARVEST_POST, HARVEST_PROFILE

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
NOW = dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC)
BATCH = 100  # profiles per store_profiles call, about one actor run


def rate(count: int, seconds: float) -> str:
    return f"{count / seconds:,.0f}/s"


def bench_mappers(n: int) -> list[str]:
    items = [HARVEST_PROFILE, DEV_FUSION_PROFILE]
    posts = [HARVEST_POST, APIMAESTRO_POST]
    t0 = time.perf_counter()
    for i in range(n):
        map_profile_item(items[i % 2], source="bench")
    t1 = time.perf_counter()
    for i in range(n):
        map_post_item(posts[i % 2], source="bench")
    t2 = time.perf_counter()
    return [
        f"| map_profile_item (reference items, both actors) | {n:,} | {t1 - t0:.2f} s | {rate(n, t1 - t0)} |",
        f"| map_post_item (reference items, both actors) | {n:,} | {t2 - t1:.2f} s | {rate(n, t2 - t1)} |",
    ]


def sample_fetch(urls: list[str], cycle: int) -> tuple[list[FetchResult], list[FetchResult], float, float]:
    source = SampleSource(cycle=cycle, now=NOW + dt.timedelta(days=CYCLE_DAYS * cycle))
    t0 = time.perf_counter()
    profiles = source.fetch_profiles(urls)
    t1 = time.perf_counter()
    posts = source.fetch_posts(urls)
    t2 = time.perf_counter()
    return profiles, posts, t1 - t0, t2 - t1


def bench_store(url: str, urls: list[str]) -> list[float]:
    engine = make_engine(url)
    migrate.upgrade(engine)
    sessions = make_sessionmaker(engine)
    timings = []
    changed = []
    for cycle in (12, 13):
        profiles, posts, _, _ = sample_fetch(urls, cycle)
        t0 = time.perf_counter()
        with session_scope(sessions) as session:
            records = [(None, r.profile) for r in profiles if r.profile is not None]
            changed.append(
                sum(
                    result.changed
                    for start in range(0, len(records), BATCH)
                    for result in store_profiles(session, records[start : start + BATCH])
                )
            )
        t1 = time.perf_counter()
        with session_scope(sessions) as session:
            for r in posts:
                store_posts(session, None, r.posts, profile_url=r.profile_url)
        t2 = time.perf_counter()
        timings += [t1 - t0, t2 - t1]
    engine.dispose()
    timings.append(changed[1])
    return timings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profiles", type=int, default=2000)
    parser.add_argument("--backends", default="sqlite,postgres")
    args = parser.parse_args()
    rows = synthetic_rows(args.profiles * 2, seed=5, today=NOW.date())
    urls = [r["linkedin_url"] for r in rows if r["linkedin_url"]][: args.profiles]
    n = len(urls)
    lines = ["| step | items | time | rate |", "|---|---|---|---|", *bench_mappers(20_000)]
    _, posts, tp, tq = sample_fetch(urls, 12)
    n_posts = sum(len(r.posts) for r in posts)
    lines += [
        f"| SampleSource.fetch_profiles, cycle 12 (simulate + map) | {n:,} profiles | {tp:.2f} s | {rate(n, tp)} |",
        f"| SampleSource.fetch_posts, cycle 12 | {n_posts:,} posts | {tq:.2f} s | {rate(n_posts, tq)} |",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        for backend in args.backends.split(","):
            cleanup = None
            if backend == "sqlite":
                url = f"sqlite:///{tmp}/bench.db"
            else:
                name = f"leadsignal_bench_{uuid.uuid4().hex[:8]}"
                admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
                with admin.connect() as conn:
                    conn.execute(text(f'CREATE DATABASE "{name}"'))
                url, cleanup = admin.url.set(database=name).render_as_string(hide_password=False), (admin, name)
            try:
                s1, p1, s2, p2, changed = bench_store(url, urls)
            finally:
                if cleanup:
                    admin, name = cleanup
                    with admin.connect() as conn:
                        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            lines += [
                f"| {backend}: store_profiles (batches of {BATCH}), first sight | {n:,} profiles | {s1:.2f} s "
                f"| {rate(n, s1)} |",
                f"| {backend}: store_profiles, next cycle ({changed:,} changed) | {n:,} profiles | {s2:.2f} s "
                f"| {rate(n, s2)} |",
                f"| {backend}: store_posts, first sight | {n:,} profiles' posts | {p1:.2f} s | {rate(n, p1)} |",
                f"| {backend}: store_posts, next cycle (mostly known) | {n:,} profiles' posts | {p2:.2f} s "
                f"| {rate(n, p2)} |",
            ]
    print("\n".join(lines))
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    body = "\n".join(
        [
            "## Sources: mapping, sample source, snapshots",
            "",
            f"`.venv/bin/python bench/bench_sources.py --profiles {args.profiles}` on {machine()}",
            f"(load average {load} at the end: other work was running, so treat rates as lower bounds).",
            "Mappers run on the reference actor items; the sample source simulates 12 cycles per profile and",
            "maps harvestapi-shaped items; storage is one transaction per step (hash dedupe, post",
            "on-conflict-do-nothing), on the demo lead book's profile URLs.",
            "",
            *lines,
        ]
    )
    write_section("sources", body)


if __name__ == "__main__":
    main()
