"""The public opt-out form in a real browser against a real ``leadsignal serve`` process.

A lead is waiting in a queued monitoring batch; the borrower fills the form at phone width, reads
the code from the email outbox and confirms. The queued batch then runs and does not fetch the
lead, whose snapshots and posts are gone. An unknown person sees the same pages and gets the same
email; the sixth request from one address within the hour gets the polite 429 page.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect
from sqlalchemy import func, select

from leadsignal.alerts.email.models import OutboxMessage
from leadsignal.core.context import AppContext
from leadsignal.db import session_scope
from leadsignal.leads.models import Lead
from leadsignal.leads.segments import ensure_default_segments
from leadsignal.monitoring.cycle import plan, process_batch, start_run
from leadsignal.nlp.service import SignalDetector
from leadsignal.sources.scrape_log import ScrapeLogEntry
from leadsignal.sources.snapshots import ProfileSnapshot, StoredPost
from tests.conftest import TEST_INDEX_KEY, TEST_KEYS
from tests.factories import make_lead
from tests.monitoring.conftest import T0, sample_deps

PHONE: ViewportSize = {"width": 375, "height": 812}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def served(app_ctx: AppContext, tmp_path: Path) -> Iterator[str]:
    """``leadsignal serve`` in its own process on the test database (embedded mode, outbox email)."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("LEADSIGNAL_")}
    for name in ("REDIS_URL", "DATABASE_URL", "CELERY_BROKER_URL"):
        env.pop(name, None)
    env.update({
        "LEADSIGNAL_ENV": "test",
        "LEADSIGNAL_DATABASE_URL": str(app_ctx.settings.database_url),
        "LEADSIGNAL_DATA_DIR": str(tmp_path / "data"),
        "LEADSIGNAL_ENCRYPTION_KEYS": TEST_KEYS,
        "LEADSIGNAL_BLIND_INDEX_KEY": TEST_INDEX_KEY,
        "LEADSIGNAL_JWT_SECRET": "e2e-jwt-secret-0123456789abcdef0123456789",
        "LEADSIGNAL_PUBLIC_BASE_URL": url,
        "LEADSIGNAL_EMAIL_FROM_NAME": "Acme Recovery",
        "LEADSIGNAL_FRONTEND_DIST": str(tmp_path / "no-dashboard"),
    })  # fmt: skip
    log = (tmp_path / "serve.log").open("w")
    command = [str(Path(sys.executable).parent / "leadsignal"), "serve", "--port", str(port)]
    proc = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/opt-out", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("leadsignal serve did not start:\n" + (tmp_path / "serve.log").read_text()[-3000:])
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=15)
        log.close()


@pytest.fixture
def phone(browser: Browser, served: str) -> Iterator[Page]:
    context = browser.new_context(base_url=served, viewport=PHONE)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert errors == []


def _seed(ctx: AppContext) -> list[int]:
    with session_scope(ctx.sessions) as session:
        ensure_default_segments(session)
        names = [("Maria Lopez", "maria.lopez@example.com"), ("Jane Doeb", None), ("Jane Doec", None)]
        return [
            make_lead(session, ctx.cipher, debtor_name=name, email=email,
                      linkedin_url=f"https://www.linkedin.com/in/jane-doe-syn{i + 1}").id
            for i, (name, email) in enumerate(names)
        ]  # fmt: skip


def _count(ctx: AppContext, column: object, *where: object) -> int:
    with ctx.sessions() as session:
        return session.scalar(select(func.count(column)).where(*where)) or 0  # type: ignore[arg-type]


def _last_email(ctx: AppContext, recipient: str) -> OutboxMessage:
    with ctx.sessions() as session:
        row = session.scalars(
            select(OutboxMessage).where(OutboxMessage.recipient == recipient).order_by(OutboxMessage.id.desc())
        ).first()
    assert row is not None, f"no email to {recipient}"
    return row


def _request(page: Page, name: str, email: str) -> int:
    page.goto("/opt-out")
    page.get_by_label("Full name").fill(name)
    page.get_by_label("Email address").fill(email)
    with page.expect_response(lambda r: r.url.endswith("/opt-out") and r.request.method == "POST") as answer:
        page.get_by_role("button", name="Send me a code").click()
    return answer.value.status


def _confirm(page: Page, ctx: AppContext, email: str) -> tuple[str, str]:
    """Enter the emailed code; returns (text of the code page, text of the result page)."""
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    code_page = page.locator("main").inner_text()
    message = _last_email(ctx, email)
    code = re.search(r"code is (\d{6})", message.text)
    assert code is not None
    page.get_by_label("6-digit code").fill(code.group(1))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Request confirmed")).to_be_visible()
    return code_page, page.locator("main").inner_text()


def _email_shape(message: OutboxMessage) -> tuple[str, str]:
    text = re.sub(r"\d{6}", "CODE", message.text)
    return message.subject, re.sub(r"request=[\w-]+", "request=TOKEN", text)


def test_borrower_opts_out_from_a_phone_and_the_queued_batch_skips_them(
    phone: Page, app_ctx: AppContext, signal_detector: SignalDetector
) -> None:
    target, *others = _seed(app_ctx)
    [first] = plan(app_ctx, now=T0, limit=None, batch_size=10)
    process_batch(app_ctx, sample_deps(signal_detector, 0), first, run_id=start_run(app_ctx, "sample", now=T0),
                  now=T0)  # fmt: skip
    assert _count(app_ctx, ProfileSnapshot.id, ProfileSnapshot.lead_id == target) == 1
    later = T0 + dt.timedelta(days=8)
    [queued] = plan(app_ctx, now=later, limit=None, batch_size=10)  # waiting in the queue
    assert target in {lead_id for lead_id, _ in queued}
    fetches_before = _count(app_ctx, ScrapeLogEntry.id, ScrapeLogEntry.lead_id == target)

    assert _request(phone, "maria lopez", "Maria.Lopez@Example.com") == 200
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    known_code_page, known_result = _confirm(phone, app_ctx, "maria.lopez@example.com")
    with app_ctx.sessions() as session:
        lead = session.get(Lead, target)
        assert lead is not None
        assert lead.do_not_scrape
        assert lead.do_not_scrape_source == "borrower"
    assert _count(app_ctx, ProfileSnapshot.id, ProfileSnapshot.lead_id == target) == 0
    assert _count(app_ctx, StoredPost.id, StoredPost.lead_id == target) == 0

    counts = process_batch(app_ctx, sample_deps(signal_detector, 1), queued,
                           run_id=start_run(app_ctx, "sample", now=later), now=later)  # fmt: skip
    assert counts["skipped_opted_out_or_closed"] == 1
    assert counts["profiles_fetched"] == len(others)
    assert _count(app_ctx, ScrapeLogEntry.id, ScrapeLogEntry.lead_id == target) == fetches_before
    assert _count(app_ctx, ProfileSnapshot.id, ProfileSnapshot.lead_id == target) == 0
    assert _count(app_ctx, StoredPost.id, StoredPost.lead_id == target) == 0

    # Someone we hold nothing about: the same pages, the same email.
    assert _request(phone, "Pat Nobody", "pat.nobody@example.org") == 200
    unknown_code_page, unknown_result = _confirm(phone, app_ctx, "pat.nobody@example.org")
    assert unknown_code_page == known_code_page
    assert unknown_result == known_result
    known_email = _email_shape(_last_email(app_ctx, "maria.lopez@example.com"))
    assert _email_shape(_last_email(app_ctx, "pat.nobody@example.org")) == known_email

    # Five requests per hour from one address; the sixth gets the polite 429 page.
    for n in range(3):
        assert _request(phone, "Pat Nobody", f"pat{n}@example.org") == 200
    assert _request(phone, "Pat Nobody", "pat9@example.org") == 429
    expect(phone.get_by_role("heading", name="Too many requests")).to_be_visible()
    expect(phone.get_by_text("at most 5 requests per hour")).to_be_visible()
