"""Email cost per digest: rendering, and one send through each provider to a local server.

Run: .venv/bin/python bench/bench_email.py [--sends 200]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

from aiosmtpd.controller import Controller

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.report import machine, write_section
from leadsignal.alerts.email.outbox import OutboxSender
from leadsignal.alerts.email.port import IDEMPOTENCY_HEADER, OutgoingEmail
from leadsignal.alerts.email.render import MAX_DIGEST_ITEMS, render_digest
from leadsignal.alerts.email.service import send_and_log
from leadsignal.core import migrate
from leadsignal.db import make_engine, make_sessionmaker, session_scope
from leadsignal.integrations.brevo import BrevoSender
from leadsignal.integrations.smtp import SmtpSender
from tests.alerts.conftest import SmtpHandler, free_port
from tests.alerts.factories import DASHBOARD, NOW, make_item
from tests.fakes.brevo import FakeBrevo

PRIORITIES = ("high", "medium", "low")


def per_call_ms(n: int, call: Callable[[], object]) -> tuple[float, float]:
    """Median and 95th percentile, in milliseconds."""
    lat = []
    for _ in range(n):
        start = time.perf_counter()
        call()
        lat.append((time.perf_counter() - start) * 1000)
    lat.sort()
    return statistics.median(lat), lat[int(len(lat) * 0.95) - 1]


def digest_email(items: int) -> OutgoingEmail:
    rendered = render_digest("Dana Ortiz", "America/New_York",
                             [make_item(i, priority=PRIORITIES[i % 3], score=i % 100) for i in range(1, items + 1)],
                             dashboard_url=DASHBOARD, generated_at=NOW)  # fmt: skip
    key = uuid.uuid4().hex
    return OutgoingEmail(to="dana.ortiz@agency.example", subject=rendered.subject, html=rendered.html,
                         text=rendered.text, template="digest", headers={IDEMPOTENCY_HEADER: key})  # fmt: skip


def fresh(message: OutgoingEmail) -> OutgoingEmail:
    return message.model_copy(update={"headers": {IDEMPOTENCY_HEADER: uuid.uuid4().hex}})


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sends", type=int, default=200)
    args = parser.parse_args()
    n = args.sends
    rows = []
    for items in (10, 50, 200):
        med, p95 = per_call_ms(50, lambda items=items: digest_email(items))  # type: ignore[misc]
        size = len(digest_email(items).html) // 1024
        shown = min(items, MAX_DIGEST_ITEMS)
        rows.append(f"| render_digest, {items} signals, {shown} cards (HTML {size} KiB) | {med:.2f} | {p95:.2f} |")

    message = digest_email(20)
    with FakeBrevo() as fake:
        brevo = BrevoSender(api_key=fake.api_key, base_url=fake.url, sender_email="leadsignal@agency.example")
        med, p95 = per_call_ms(n, lambda: brevo.send(fresh(message)))
        rows.append(f"| Brevo send, 20-item digest, local fake API | {med:.2f} | {p95:.2f} |")

    handler = SmtpHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        smtp = SmtpSender(host="127.0.0.1", port=controller.port, sender_email="leadsignal@agency.example",
                          starttls=False)  # fmt: skip
        med, p95 = per_call_ms(n, lambda: smtp.send(fresh(message)))
        rows.append(f"| SMTP send, 20-item digest, local aiosmtpd (no TLS) | {med:.2f} | {p95:.2f} |")
    finally:
        controller.stop()

    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/bench.db")
        migrate.upgrade(engine)
        sessions = make_sessionmaker(engine)

        def outbox_send() -> None:
            with session_scope(sessions) as session:
                send_and_log(session, OutboxSender(session, sender_email="leadsignal@agency.example"), fresh(message),
                             signal_ids=range(20))  # fmt: skip

        med, p95 = per_call_ms(n, outbox_send)
        rows.append(f"| send_and_log via outbox, SQLite, one commit per email | {med:.2f} | {p95:.2f} |")
        engine.dispose()

    body = "\n".join(
        [
            "## Email (render and send)",
            "",
            f"`.venv/bin/python bench/bench_email.py --sends {n}` on {machine()}. Milliseconds per call.",
            "",
            "| what | median ms | p95 ms |",
            "| --- | --- | --- |",
            *rows,
        ]
    )
    write_section("email", body)
    print(body)


if __name__ == "__main__":
    main()
