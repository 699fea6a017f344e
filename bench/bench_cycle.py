"""One monitoring cycle over 10,000 leads on the sample source (no simulated network wait).

Run: .venv/bin/python bench/bench_cycle.py [--leads 10000] [--backend sqlite|postgres]
The sample source does no I/O, so the figure is leadsignal's own cost per profile: scheduling,
identity resolution, snapshot hashing and storage, profile diffs, classification, merging.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.report import machine, write_section
from leadsignal.compliance.audit import Actor
from leadsignal.core import migrate
from leadsignal.core.context import AppContext
from leadsignal.core.crypto import new_key
from leadsignal.db import session_scope
from leadsignal.demo.leadbook import write_sample_csv
from leadsignal.jobs.runtime import build_deps
from leadsignal.leads.importer import import_leads
from leadsignal.leads.segments import ensure_default_segments
from leadsignal.monitoring.cycle import run_cycle
from leadsignal.settings import Settings

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--leads", type=int, default=10_000)
    parser.add_argument("--backend", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        admin, name = None, ""
        if args.backend == "sqlite":
            url = f"sqlite:///{tmp}/bench.db"
        else:
            name = f"leadsignal_bench_{uuid.uuid4().hex[:8]}"
            admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            url = admin.url.set(database=name).render_as_string(hide_password=False)
        settings = Settings(_env_file=None, env="test", data_dir=Path(tmp), database_url=url,  # type: ignore[call-arg]
                            encryption_keys=f"b1:{new_key()}", blind_index_key=new_key(), profile_source="sample",
                            monitor_batch_size=200)  # fmt: skip
        ctx = AppContext(settings)
        try:
            migrate.upgrade(ctx.engine)
            csv_path = write_sample_csv(Path(tmp) / "leads.csv", args.leads, seed=3)
            import_leads(ctx.sessions, ctx.cipher, csv_path, actor=Actor("bench"))
            with session_scope(ctx.sessions) as session:
                ensure_default_segments(session)
            deps = build_deps(ctx, sample_cycle=0)
            t0 = time.perf_counter()
            report = run_cycle(ctx, deps, batch_size=settings.monitor_batch_size)
            elapsed = time.perf_counter() - t0
        finally:
            ctx.dispose()
            if admin is not None:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    c = report.counts
    rate = c["profiles_fetched"] / elapsed
    print(f"{args.backend}: {dict(c)} in {elapsed:.1f}s -> {rate:,.0f} profiles/s")
    body = "\n".join(
        [
            f"## Monitoring cycle ({args.backend})",
            "",
            f"`.venv/bin/python bench/bench_cycle.py --leads {args.leads} --backend {args.backend}` on {machine()}.",
            "Synthetic lead book, default second-chance segment, sample source with no simulated network",
            "wait; leads without a known profile URL go through search and identity matching.",
            "",
            "| leads in book | due | profiles fetched | posts | signals | seconds | profiles/s |",
            "|---|---|---|---|---|---|---|",
            f"| {args.leads:,} | {c['leads_due']:,} | {c['profiles_fetched']:,} | {c['posts_new']:,} "
            f"| {c['signals_created']:,} | {elapsed:.1f} | {rate:,.0f} |",
        ]
    )
    write_section(f"cycle-{args.backend}", body)


if __name__ == "__main__":
    main()
