"""Live behaviour in a real browser: a signal detected while the feed is open arrives over SSE, and an
outcome recorded on a card shows up in analytics."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from leadsignal.alerts.processor import process_pending
from leadsignal.core.context import AppContext
from leadsignal.crm.models import Outcome
from leadsignal.db import session_scope, utcnow
from leadsignal.events.service import publish_signal_detected
from leadsignal.leads.models import Lead
from leadsignal.signals.merge import SignalCandidate, merge_candidate
from leadsignal.signals.models import Signal
from leadsignal.signals.score import ScoringPolicy, score_signal
from tests.e2e.conftest import WIDTHS, LiveServer, screenshots, sign_in
from tests.e2e.factories import World

pytestmark = pytest.mark.browser


@pytest.fixture
def e2e_ctx(e2e_ctx: AppContext) -> AppContext:
    """The served app with a stream that stays open for the whole test (the shared test settings end it
    after one second) and polls the outbox often, as the embedded default does."""
    update = {"sse_max_seconds": 60.0, "sse_poll_seconds": 0.2, "outbox_gap_grace_seconds": 1.0}
    return AppContext(e2e_ctx.settings.model_copy(update=update), _engine=e2e_ctx.engine)


@pytest.fixture
def live_page(browser: Browser, server: LiveServer) -> Iterator[Page]:
    width, height = WIDTHS["desktop"]
    context = browser.new_context(base_url=server.url, viewport={"width": width, "height": height})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    context.close()
    assert errors == [], f"uncaught errors in the page: {errors}"


def detect(ctx: AppContext, lead_id: int, *, title: str, org: str, key: str, signal_type: str = "new_job") -> int:
    """What a monitoring cycle does with a new post: merge the candidate, score it, tell the alerts
    processor (one transaction); then the processor's own pass guards, routes and raises the alert."""
    with session_scope(ctx.sessions) as session:
        now = utcnow()
        candidate = SignalCandidate(
            lead_id=lead_id, signal_type=signal_type, confidence=0.93, kind="post", evidence_key=key,
            snippet=f"Happy to share that I'm starting a new position as {title} at {org}!",
            source_url=f"https://www.linkedin.com/posts/{key}", event_date=now.date(), org=org, title=title,
            match_confidence=0.97,
        )  # fmt: skip
        outcome = merge_candidate(session, candidate, now=now)
        assert outcome.created  # a new event, not corroboration of one the world already has
        signal = session.get(Signal, outcome.signal_id)
        lead = session.get(Lead, lead_id)
        assert signal is not None
        assert lead is not None
        score_signal(signal, total_due=lead.total_due, status=lead.status_description, evidence_kinds={"post"},
                     policy=ScoringPolicy())  # fmt: skip
        session.flush()
        publish_signal_detected(session, signal, created=True)
        signal_id = signal.id
    counts = process_pending(ctx)
    assert counts["alerted"] == 1, counts
    return signal_id


def test_a_signal_detected_while_the_feed_is_open_appears_without_a_reload(
    live_page: Page, world: World, e2e_ctx: AppContext
) -> None:
    page = live_page
    sign_in(page, world.email("agent"))
    cards = page.get_by_test_id("signal-card")
    expect(cards).to_have_count(4)
    # The stream is connected: the feed no longer polls (it would every 15 s otherwise).
    expect(page.get_by_text("Live", exact=True)).to_be_visible()
    page.evaluate("window.__sameDocument = true")  # gone if the page reloads or navigates

    signal_id = detect(e2e_ctx, world.leads["okafor"].id, title="Site Engineer", org="Turner Construction",
                       key="e2e-live-okafor")  # fmt: skip

    # Well within the 15 s polling interval, so only the stream can have brought it.
    expect(cards).to_have_count(5, timeout=8_000)
    first = cards.first
    expect(first).to_contain_text("Chidi Okafor")
    expect(first).to_contain_text("Site Engineer at Turner Construction")
    expect(page.get_by_role("status").filter(has_text=re.compile("new signal"))).to_have_text(
        "1 new signal in the feed"
    )
    assert page.evaluate("window.__sameDocument") is True
    screenshots(page, "feed-live")
    with e2e_ctx.sessions() as session:
        stored = session.execute(select(Signal.alert_status, Signal.assignee_user_id).where(Signal.id == signal_id))
        assert stored.one() == ("alerted", world.users["agent"].id)


def test_another_team_signal_never_reaches_the_open_feed(live_page: Page, world: World, e2e_ctx: AppContext) -> None:
    page = live_page
    sign_in(page, world.email("agent"))
    cards = page.get_by_test_id("signal-card")
    expect(cards).to_have_count(4)
    expect(page.get_by_text("Live", exact=True)).to_be_visible()
    detect(e2e_ctx, world.leads["other"].id, title="Head Cashier", org="Costco", key="e2e-live-other",
           signal_type="promotion")  # fmt: skip
    # The agent's own team's signal, detected after the other one, arrives; the other team's never does.
    detect(e2e_ctx, world.leads["lindqvist"].id, title="Senior Analyst", org="H-E-B", key="e2e-live-lindqvist",
           signal_type="promotion")  # fmt: skip
    expect(cards).to_have_count(5, timeout=8_000)
    expect(cards.first).to_contain_text("Maja Lindqvist")
    expect(page.get_by_text("Head Cashier")).to_have_count(0)
    expect(page.get_by_text("Bob Westfield")).to_have_count(0)


def test_an_outcome_recorded_on_a_card_shows_in_analytics(page: Page, world: World, e2e_ctx: AppContext) -> None:
    sign_in(page, world.email("manager"))
    nav = page.get_by_role("navigation", name="Main")
    nav.get_by_role("link", name="Analytics").click()
    outcomes = page.get_by_role("table", name="Outcomes recorded in this period")
    expect(outcomes).to_contain_text("No outcomes recorded in this period.")

    nav.get_by_role("link", name="Live feed").click()
    card = page.get_by_test_id("signal-card").filter(has_text="Chidi Okafor")
    card.get_by_role("button", name="Record outcome…").click()
    dialog = page.get_by_role("dialog", name="Record outcome")
    dialog.get_by_label("Outcome").select_option(label="Payment received")
    dialog.get_by_label("Amount received (USD)").fill("150.00")
    dialog.get_by_role("button", name="Save outcome").click()
    expect(dialog).to_have_count(0)
    expect(card.get_by_role("status")).to_have_text("Outcome recorded: Payment received.")

    # Back on Analytics without a reload: the overview is fetched again and counts the payment.
    nav.get_by_role("link", name="Analytics").click()
    payment = outcomes.get_by_role("row", name=re.compile(r"^Payment received"))
    expect(payment.get_by_role("cell")).to_have_text(["1", "$150.00"])
    expect(outcomes).not_to_contain_text("No outcomes recorded")
    with e2e_ctx.sessions() as session:
        stored = session.execute(select(Outcome.outcome, Outcome.amount, Outcome.signal_id)).all()
    assert [(o, str(a), s) for o, a, s in stored] == [("payment_received", "150.00", world.signals["license"].id)]
