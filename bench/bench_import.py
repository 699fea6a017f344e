"""Lead import throughput: 100,000 synthetic rows into SQLite and a fresh PostgreSQL database.

Run: .venv/bin/python bench/bench_import.py [--rows 100000] [--backends sqlite,postgres]
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
from leadsignal.core.crypto import PiiCipher, new_key
from leadsignal.db import make_engine, make_sessionmaker
from leadsignal.demo.leadbook import write_sample_csv
from leadsignal.leads.importer import import_leads

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def run_one(url: str, csv_path: Path, cipher: PiiCipher) -> tuple[float, float, int]:
    engine = make_engine(url)
    migrate.upgrade(engine)
    sessions = make_sessionmaker(engine)
    t0 = time.perf_counter()
    first = import_leads(sessions, cipher, csv_path, actor=Actor("bench"))
    t1 = time.perf_counter()
    again = import_leads(sessions, cipher, csv_path, actor=Actor("bench"))
    t2 = time.perf_counter()
    engine.dispose()
    if again.imported or again.updated:
        raise RuntimeError("re-import changed rows: import is not idempotent")
    return t1 - t0, t2 - t1, first.imported


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--backends", default="sqlite,postgres")
    args = parser.parse_args()
    cipher = PiiCipher.from_specs(f"b1:{new_key()}", new_key())
    lines = [
        "| backend | rows | first import | rows/s | re-import (all unchanged) | rows/s |",
        "|---|---|---|---|---|---|",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = write_sample_csv(Path(tmp) / "leads.csv", args.rows, seed=1)
        for backend in args.backends.split(","):
            if backend == "sqlite":
                url, cleanup = f"sqlite:///{tmp}/bench.db", None
            else:
                name = f"leadsignal_bench_{uuid.uuid4().hex[:8]}"
                admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
                with admin.connect() as conn:
                    conn.execute(text(f'CREATE DATABASE "{name}"'))
                url, cleanup = admin.url.set(database=name).render_as_string(hide_password=False), (admin, name)
            try:
                first, second, imported = run_one(url, csv_path, cipher)
            finally:
                if cleanup:
                    admin, name = cleanup
                    with admin.connect() as conn:
                        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            print(f"{backend}: {imported} rows in {first:.1f}s ({imported / first:,.0f}/s); re-import {second:.1f}s")
            lines.append(
                f"| {backend} | {imported:,} | {first:.1f} s | {imported / first:,.0f} | {second:.1f} s "
                f"| {args.rows / second:,.0f} |"
            )
    body = "\n".join(
        [
            "## Lead import",
            "",
            f"`.venv/bin/python bench/bench_import.py --rows {args.rows}` on {machine()}. Synthetic rows",
            "(`leadsignal.demo.leadbook`), every row normalised, three fields encrypted and hashed, an audit",
            "row per created lead. Rows the validator rejects (a few percent of the synthetic book, by",
            "design) are not counted as imported.",
            "",
            *lines,
        ]
    )
    write_section("import", body)


if __name__ == "__main__":
    main()
