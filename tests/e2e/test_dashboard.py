"""The dashboard in a real browser against the real API: what a collector, a manager and an admin do."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select, update

from leadsignal.core.context import AppContext
from leadsignal.db import session_scope
from leadsignal.signals.models import Signal
from tests.e2e.conftest import REPO, LiveServer, screenshots, sign_in
from tests.e2e.factories import World

pytestmark = pytest.mark.browser


def cards(page: Page):  # type: ignore[no-untyped-def]
    return page.get_by_test_id("signal-card")


def test_sign_in_rejects_a_wrong_password_then_admits_the_agent(page: Page, world: World) -> None:
    page.goto("/leads/1")
    expect(page).to_have_url(re.compile(r"/signin$"))
    expect(page.get_by_label("E-mail")).to_be_visible()
    screenshots(page, "signin")
    page.get_by_label("E-mail").fill(world.email("agent"))
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("do not match an active account")
    sign_in(page, world.email("agent"))
    expect(page.get_by_role("heading", name="Live feed")).to_be_visible()
    expect(page.get_by_text("agent@agency.example · Collector")).to_be_visible()
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link")).to_have_text(["Live feed", "Search"])


def test_feed_shows_the_team_signals_newest_first(page: Page, world: World) -> None:
    sign_in(page, world.email("agent"))
    # Team A's four signals, newest first; team B's lead never appears.
    expect(cards(page)).to_have_count(4)
    expect(cards(page).locator("h3")).to_have_text(["Jordan Avery", "Chidi Okafor", "Maja Lindqvist", "Jordan Avery"])
    expect(page.get_by_text("Bob Westfield")).to_have_count(0)
    first = cards(page).first
    expect(first).to_contain_text("Charge Nurse at St. David's Medical Center")
    expect(first).to_contain_text("90%")  # detection confidence
    # Live, although the test server ends each stream after a second: the feed reconnects and resumes.
    expect(page.get_by_text("Live", exact=True)).to_be_visible()
    # Evidence on demand, with its source link.
    first.get_by_role("button", name=re.compile(r"Show evidence")).click()
    expect(first).to_contain_text("promoted to Charge Nurse")
    expect(first.get_by_role("link", name=re.compile("View source"))).to_have_attribute(
        "href", "https://www.linkedin.com/posts/jordan-avery-rn_promotion"
    )
    screenshots(page, "feed")
    # Keyboard users get a skip link first, then the navigation.
    page.reload()
    expect(cards(page)).to_have_count(4)
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Live feed")).to_be_focused()


def test_the_feed_resumes_the_stream_the_server_ends(page: Page, world: World) -> None:
    """The test server ends each stream after one second; the feed reconnects as the server's retry: asks
    (2 s), sending the last event id so nothing in between is missed, and never falls back to polling."""
    streams: list[dict[str, str]] = []
    page.on("request", lambda r: streams.append(r.headers) if "/api/v1/signals/stream" in r.url else None)
    sign_in(page, world.email("agent"))
    expect(cards(page)).to_have_count(4)
    for _ in range(80):  # up to 8 s: three connections take about 1 + 2 + 1 + 2 s
        if len(streams) >= 3:
            break
        page.wait_for_timeout(100)
    assert len(streams) >= 3, streams
    assert "last-event-id" not in streams[0]
    assert all(h.get("last-event-id", "").isdigit() for h in streams[1:3]), streams
    expect(page.get_by_text("Live", exact=True)).to_be_visible()
    expect(page.get_by_text("Updating every 15 s")).to_have_count(0)


def test_open_a_lead_and_see_its_timeline_with_masked_identifiers(page: Page, world: World) -> None:
    sign_in(page, world.email("agent"))
    cards(page).first.get_by_role("link", name="Jordan Avery").click()
    expect(page).to_have_url(re.compile(rf"/leads/{world.leads['avery'].id}$"))
    expect(page.get_by_role("heading", name="Jordan Avery", level=1)).to_be_visible()
    expect(page.get_by_test_id("field-tax_id")).to_have_text("***-**-6789")
    expect(page.get_by_role("button", name=re.compile("Reveal"))).to_have_count(0)  # agents cannot reveal
    timeline = page.get_by_role("list", name="Signals, newest first")
    expect(timeline.get_by_test_id("signal-card")).to_have_count(2)
    expect(timeline.get_by_test_id("signal-card").first).to_contain_text("Excited to share")
    expect(timeline.get_by_test_id("signal-card").nth(1)).to_contain_text("Basic Life Support")
    expect(page.get_by_text("97%")).to_be_visible()  # match confidence of the confirmed profile
    screenshots(page, "lead")


def test_a_manager_reveals_a_masked_identifier(page: Page, world: World) -> None:
    sign_in(page, world.email("manager"))
    page.goto(f"/leads/{world.leads['avery'].id}")
    page.get_by_role("button", name="Reveal SSN / tax ID").click()
    expect(page.get_by_test_id("field-tax_id")).to_have_text("123456789")


def test_a_manager_assigns_by_e_mail_without_the_user_list(page: Page, world: World) -> None:
    """Managers may not list accounts; the teams response names the team's people for the Assign picker."""
    sign_in(page, world.email("manager"))
    cards(page).first.get_by_role("button", name="Assign…").click()
    dialog = page.get_by_role("dialog", name="Assign signal")
    options = dialog.get_by_label("Assignee").locator("option")
    expect(options).to_have_count(3)
    expect(options.nth(1)).to_have_text("You (manager@agency.example)")
    expect(options.nth(2)).to_contain_text("agent@agency.example")
    expect(dialog).not_to_contain_text("Team member #")


def test_search_and_filters_are_kept_in_the_url(page: Page, world: World) -> None:
    sign_in(page, world.email("manager"))
    page.get_by_role("link", name="Search").click()
    page.get_by_label("Search lead names").fill("Okafor")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("list", name="Matching leads").get_by_role("listitem")).to_have_count(1)
    expect(page.get_by_role("link", name="Chidi Okafor")).to_be_visible()
    assert parse_qs(urlparse(page.url).query) == {"q": ["Okafor"]}

    page.get_by_role("tab", name="Signals").click()
    page.get_by_label("Search lead names").fill("")
    page.get_by_label("Signal type").select_option("license")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(re.compile(r"signal_type=license"))
    expect(cards(page)).to_have_count(1)
    expect(cards(page).first).to_contain_text("Chidi Okafor")
    screenshots(page, "search")

    # The URL alone restores the view, e.g. when a colleague opens a shared link.
    page.goto(page.url)
    expect(page.get_by_label("Signal type")).to_have_value("license")
    expect(cards(page)).to_have_count(1)
    assert parse_qs(urlparse(page.url).query) == {"signal_type": ["license"], "in": ["signals"]}


def test_a_collector_narrows_the_leads_to_their_own(page: Page, world: World) -> None:
    sign_in(page, world.email("agent"))
    page.goto("/search?in=leads")
    leads = page.get_by_role("list", name="Matching leads").get_by_role("listitem")
    expect(leads).to_have_count(3)  # team A's leads, one of them unassigned
    page.get_by_label("Assigned to").select_option(label="Me")
    page.get_by_role("button", name="Apply filters").click()
    expect(leads).to_have_count(2)
    expect(leads).to_contain_text(["Chidi Okafor", "Jordan Avery"])
    assert parse_qs(urlparse(page.url).query) == {"assignee_id": [str(world.users["agent"].id)], "in": ["leads"]}


def test_acknowledge_and_confirm_a_signal(page: Page, world: World, app_ctx: AppContext) -> None:
    sign_in(page, world.email("agent"))
    card = cards(page).filter(has_text="Chidi Okafor")
    card.get_by_role("button", name="Acknowledge").click()
    expect(card.get_by_text("Acknowledged", exact=True)).to_be_visible()
    expect(card.get_by_role("button", name="Acknowledge")).to_have_count(0)
    card.get_by_role("button", name="Confirm").click()
    expect(card.get_by_text("Confirmed", exact=True)).to_be_visible()
    with app_ctx.sessions() as session:
        status = session.scalar(select(Signal.status).where(Signal.id == world.signals["license"].id))
    assert status == "confirmed"


def test_an_agent_cannot_open_another_team_lead(page: Page, world: World) -> None:
    sign_in(page, world.email("agent"))
    page.goto(f"/leads/{world.leads['other'].id}")
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
    expect(page.get_by_text("Bob Westfield")).to_have_count(0)
    screenshots(page, "not-allowed")
    page.goto("/admin")
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()


def test_analytics_loads_the_chart_code_only_when_opened(
    page: Page, world: World, server: LiveServer, app_ctx: AppContext
) -> None:
    # Analytics counts signals that reached people (alerted); the seeded ones were never processed.
    with session_scope(app_ctx.sessions) as session:
        session.execute(update(Signal).values(alert_status="alerted"))
    scripts: list[str] = []
    page.on("request", lambda r: scripts.append(r.url) if r.resource_type == "script" else None)
    sign_in(page, world.email("manager"))
    expect(cards(page)).to_have_count(4)
    assert not [s for s in scripts if "Analytics" in s], scripts
    page.get_by_role("link", name="Analytics").click()
    expect(page.get_by_role("heading", name="Analytics", exact=True)).to_be_visible()
    expect(page.locator(".recharts-wrapper").first).to_be_visible()
    assert [s for s in scripts if "Analytics" in s]
    totals = page.get_by_role("table", name="Signals by type")
    # Header, then one row per type seen in the last 30 days (the 20-day-old certification included).
    expect(totals.get_by_role("row")).to_have_count(5)
    expect(totals.locator("tbody tr")).to_have_text(["Certification1", "Licence1", "New job1", "Promotion1"])
    screenshots(page, "analytics")


def test_admin_sees_users_and_teams(page: Page, world: World) -> None:
    sign_in(page, world.email("admin"))
    page.get_by_role("link", name="Admin").click()
    table = page.get_by_role("table")
    for persona in ("admin", "manager", "agent", "other_agent", "compliance"):
        expect(table).to_contain_text(world.email(persona))
    expect(table.get_by_role("row", name=re.compile(r"^agent@agency\.example"))).to_contain_text("East collections")
    screenshots(page, "admin")


def test_alert_email_links_open_the_signal_and_the_filtered_list(page: Page, world: World) -> None:
    sign_in(page, world.email("agent"))
    page.goto(f"/signals/{world.signals['license'].id}")
    expect(page.get_by_role("heading", name="Signal for Chidi Okafor")).to_be_visible()
    expect(cards(page).first).to_contain_text("Passed the PE exam")
    page.get_by_role("link", name="Open the lead's profile and timeline").click()
    expect(page.get_by_role("heading", name="Chidi Okafor", level=1)).to_be_visible()
    page.goto(f"/signals/{world.signals['other'].id}")
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
    page.goto("/signals?status=new")
    expect(page).to_have_url(re.compile(r"/search\?status=new&in=signals$"))
    expect(page.get_by_label("Status")).to_have_value("new")


AXE = REPO / "frontend" / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page: Page) -> list[str]:
    """WCAG 2.1 A/AA problems axe-core finds on the current screen (contrast, labels, roles...)."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}))"
        ".violations.map(v => `${v.id}: ${v.nodes.map(n => n.target.join(' ')).join(', ')}`)"
    )
    return list(found)


def test_every_screen_passes_an_automated_accessibility_check(
    browser: Browser, server: LiveServer, world: World
) -> None:
    if not AXE.exists():
        pytest.skip("axe-core is installed with the frontend's npm packages (scripts/frontend.sh)")
    # The app's Content-Security-Policy forbids injected scripts; only this audit context bypasses it.
    context = browser.new_context(base_url=server.url, viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    page.goto("/")
    expect(page.get_by_label("E-mail")).to_be_visible()
    problems = {"signin": axe_violations(page)}
    sign_in(page, world.email("admin"))
    screens = {
        "feed": ("/", cards(page).first),
        "lead": (f"/leads/{world.leads['avery'].id}", page.get_by_role("heading", name="Signal timeline")),
        "signal": (f"/signals/{world.signals['license'].id}", cards(page).first),
        "search": ("/search?in=leads&state=TX", page.get_by_role("list", name="Matching leads")),
        "analytics": ("/analytics", page.locator(".recharts-wrapper").first),
        "admin": ("/admin", page.get_by_role("table")),
    }
    for name, (path, ready) in screens.items():
        page.goto(path)
        expect(ready).to_be_visible()
        problems[name] = axe_violations(page)
    context.close()
    assert {k: v for k, v in problems.items() if v} == {}
