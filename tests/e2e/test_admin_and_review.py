"""Admin, identity review, outcome and compliance screens in a real browser against the real API."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from leadsignal.alerts.models import DigestPreference, RoutingRule
from leadsignal.core.context import AppContext
from leadsignal.crm.models import Outcome
from leadsignal.db import session_scope, utcnow
from leadsignal.leads.models import Lead
from leadsignal.matching.models import IdentityMatch
from tests.e2e.conftest import LiveServer, screenshots, sign_in
from tests.e2e.factories import World
from tests.e2e.test_dashboard import AXE, axe_violations

pytestmark = pytest.mark.browser


def eventually(read: Callable[[], object], want: object, timeout: float = 5.0) -> None:
    """Wait until ``read()`` returns ``want``: the API answers before its transaction commits (see report)."""
    deadline = time.monotonic() + timeout
    while (got := read()) != want and time.monotonic() < deadline:
        time.sleep(0.05)
    assert got == want


def _rule(ctx: AppContext, world: World) -> int:
    with session_scope(ctx.sessions) as session:
        rule = RoutingRule(name="Texas leads", position=20, active=True, conditions={"states": ["TX"]},
                           team_id=world.team_a.id)  # fmt: skip
        session.add(rule)
        session.flush()
        return rule.id


def _pending_matches(ctx: AppContext, world: World) -> dict[str, int]:
    with session_scope(ctx.sessions) as session:
        found = {}
        candidates = (("lindqvist", world.leads["lindqvist"], 0.81), ("okafor", world.leads["okafor"], 0.74))
        for key, lead, score in candidates:
            match = IdentityMatch(lead_id=lead.id, profile_url=f"https://www.linkedin.com/in/{key}-candidate",
                                  score=score, decision="review", status="pending_review",
                                  reasons=["first and last name match", "same state"])  # fmt: skip
            session.add(match)
            session.flush()
            found[key] = match.id
        return found


def test_admin_edits_a_routing_rule(page: Page, world: World, e2e_ctx: AppContext) -> None:
    rule_id = _rule(e2e_ctx, world)
    sign_in(page, world.email("admin"))
    page.get_by_role("link", name="Admin").click()
    page.get_by_role("navigation", name="Administration sections").get_by_role("link", name="Routing rules").click()
    expect(page).to_have_url(re.compile(r"/admin/routing$"))
    row = page.get_by_role("row", name=re.compile("Texas leads"))
    expect(row).to_contain_text("states TX")
    expect(row).to_contain_text("East collections · Round robin")
    screenshots(page, "admin-routing")

    row.get_by_role("button", name="Edit Texas leads").click()
    dialog = page.get_by_role("dialog", name=re.compile("Edit rule"))
    expect(dialog.get_by_label("Name")).to_be_focused()
    dialog.get_by_label("States").fill("TX, ok")
    dialog.get_by_label("Position").fill("5")
    dialog.get_by_label("Person").select_option(label=world.email("agent"))
    dialog.get_by_role("checkbox", name="Promotion").check()
    dialog.get_by_label("Minimum priority").select_option("medium")
    dialog.get_by_role("button", name="Save rule").click()
    expect(dialog).to_have_count(0)
    expect(row).to_contain_text("states TX, OK; types Promotion; priority medium or higher")
    expect(row).to_contain_text(f"East collections · {world.email('agent')}")

    def stored_rule() -> tuple[object, ...]:
        with e2e_ctx.sessions() as session:
            rule = session.get(RoutingRule, rule_id)
            assert rule is not None
            return (rule.position, rule.user_id, rule.conditions)

    conditions = {"states": ["TX", "OK"], "signal_types": ["promotion"], "min_priority": "medium"}
    eventually(stored_rule, (5, world.users["agent"].id, conditions))

    # A bad state code is explained next to the field and nothing is sent.
    row.get_by_role("button", name="Edit Texas leads").click()
    dialog.get_by_label("States").fill("Texas")
    dialog.get_by_role("button", name="Save rule").click()
    expect(dialog.get_by_text('"TEXAS" is not a two-letter state code.')).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    expect(row.get_by_role("button", name="Edit Texas leads")).to_be_focused()


def test_admin_changes_a_user_digest(page: Page, world: World, e2e_ctx: AppContext) -> None:
    sign_in(page, world.email("admin"))
    page.goto("/admin/digests")
    page.get_by_label("User").select_option(label="agent@agency.example (Collector)")
    form = page.get_by_role("form", name=f"Digest settings of {world.email('agent')}")
    expect(form.get_by_label("Minimum priority")).to_have_value("low")  # the defaults
    expect(form.get_by_role("checkbox", name="Award")).to_be_checked()
    form.get_by_label("Minimum priority").select_option("high")
    form.get_by_label("Send at (local hour)").select_option("9")
    form.get_by_role("checkbox", name="Award").uncheck()
    form.get_by_role("button", name="Save digest settings").click()
    expect(form.get_by_role("status")).to_have_text(f"Saved the digest settings of {world.email('agent')}.")
    screenshots(page, "admin-digests")

    def stored_prefs() -> tuple[object, ...]:
        with e2e_ctx.sessions() as session:
            prefs = session.get(DigestPreference, world.users["agent"].id)
            assert prefs is not None
            return (prefs.min_priority, prefs.local_hour, "award" in (prefs.signal_types or ["award"]))

    eventually(stored_prefs, ("high", 9, False))
    # The URL keeps the chosen user, so a reload shows the saved values.
    page.reload()
    expect(page.get_by_label("Minimum priority")).to_have_value("high")


def test_a_manager_confirms_an_identity_match_and_it_leaves_the_queue(
    page: Page, world: World, e2e_ctx: AppContext
) -> None:
    matches = _pending_matches(e2e_ctx, world)
    sign_in(page, world.email("manager"))
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Identity review").click()
    expect(page.get_by_role("heading", name="Identity review")).to_be_visible()
    items = page.get_by_test_id("review-item")
    expect(items).to_have_count(2)
    first = items.first  # most likely first
    expect(first.get_by_role("region", name="Lead")).to_contain_text("Maja Lindqvist")
    expect(first.get_by_role("region", name="Candidate profile")).to_contain_text("Match score 81%")
    expect(first).to_contain_text("first and last name match")
    screenshots(page, "identity-review")

    first.get_by_role("button", name="Confirm match for Maja Lindqvist").click()
    expect(items).to_have_count(1)
    expect(page.get_by_role("list", name="Matches waiting for review")).not_to_contain_text("Maja Lindqvist")
    expect(page.get_by_role("status").filter(has_text="Confirmed")).to_have_text(
        "Confirmed the match for Maja Lindqvist."
    )

    def status() -> str | None:
        with e2e_ctx.sessions() as session:
            return session.scalar(select(IdentityMatch.status).where(IdentityMatch.id == matches["lindqvist"]))

    eventually(status, "human_confirmed")
    page.reload()
    expect(items).to_have_count(1)
    expect(items.first).to_contain_text("Chidi Okafor")


def test_an_agent_records_a_payment_and_sees_it_on_the_lead(page: Page, world: World, e2e_ctx: AppContext) -> None:
    sign_in(page, world.email("agent"))
    card = page.get_by_test_id("signal-card").filter(has_text="Chidi Okafor")
    card.get_by_role("button", name="Record outcome…").click()
    dialog = page.get_by_role("dialog", name="Record outcome")
    dialog.get_by_label("Outcome").select_option("payment_received")
    dialog.get_by_role("button", name="Save outcome").click()
    expect(dialog.get_by_text("Enter the amount received.")).to_be_visible()
    dialog.get_by_label("Amount received (USD)").fill("125.50")
    dialog.get_by_label("Note (optional)").fill("first instalment")
    dialog.get_by_role("button", name="Save outcome").click()
    expect(dialog).to_have_count(0)
    expect(card.get_by_role("status")).to_have_text("Outcome recorded: Payment received.")

    card.get_by_role("link", name="Chidi Okafor").click()
    outcomes = page.get_by_role("list", name="Outcomes, newest first")
    expect(outcomes.get_by_role("listitem")).to_have_count(1)
    expect(outcomes).to_contain_text("Payment received")
    expect(outcomes).to_contain_text("$125.50")

    def outcomes_stored() -> list[tuple[str, str]]:
        with e2e_ctx.sessions() as session:
            rows = session.scalars(select(Outcome).where(Outcome.lead_id == world.leads["okafor"].id)).all()
            return [(o.outcome, str(o.amount)) for o in rows]

    eventually(outcomes_stored, [("payment_received", "125.50")])


def test_compliance_searches_the_audit_trail_and_clears_an_opt_out(
    page: Page, world: World, e2e_ctx: AppContext
) -> None:
    # The checklist tab (/compliance) is left out: GET /compliance/checks does not answer on SQLite yet.
    with session_scope(e2e_ctx.sessions) as session:
        lead = session.get(Lead, world.leads["okafor"].id)
        assert lead is not None
        lead.do_not_scrape, lead.do_not_scrape_reason, lead.do_not_scrape_at = True, "asked by phone", utcnow()
    sign_in(page, world.email("compliance"))
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Compliance")).to_be_visible()
    page.goto("/compliance/audit")
    page.get_by_label("Action").fill("lead.*")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page).to_have_url(re.compile(r"/compliance/audit\?action=lead\.\*$"))
    entries = page.get_by_role("table", name="Audit entries, newest first")
    expect(entries.locator("tbody tr").first).to_contain_text("lead.")
    screenshots(page, "compliance-audit")

    page.get_by_role("navigation", name="Compliance sections").get_by_role("link", name="Opt-outs").click()
    row = page.get_by_role("row", name=re.compile("Chidi Okafor"))
    expect(row).to_contain_text("asked by phone")
    row.get_by_role("button", name="Clear the opt-out of Chidi Okafor").click()
    dialog = page.get_by_role("dialog", name="Clear the opt-out of Chidi Okafor")
    dialog.get_by_label("Reason").fill("entered for the wrong borrower")
    dialog.get_by_role("button", name="Clear opt-out").click()
    expect(dialog).to_have_count(0)
    expect(page.get_by_text("No lead has opted out.")).to_be_visible()

    def opted_out() -> bool | None:
        with e2e_ctx.sessions() as session:
            return session.scalar(select(Lead.do_not_scrape).where(Lead.id == world.leads["okafor"].id))

    eventually(opted_out, False)


def test_the_new_screens_pass_an_automated_accessibility_check(
    browser: Browser, server: LiveServer, world: World, e2e_ctx: AppContext
) -> None:
    if not AXE.exists():
        pytest.skip("axe-core is installed with the frontend's npm packages (scripts/frontend.sh)")
    _rule(e2e_ctx, world)
    _pending_matches(e2e_ctx, world)
    context = browser.new_context(base_url=server.url, viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    sign_in(page, world.email("admin"))
    screens = {
        "identity": ("/identity", page.get_by_test_id("review-item").first),
        "routing": ("/admin/routing", page.get_by_role("table")),
        "digests": ("/admin/digests?user=" + str(world.users["agent"].id), page.get_by_label("Minimum priority")),
        "weights": ("/admin/weights", page.get_by_role("button", name="Save weights")),
        "crm": ("/admin/crm", page.get_by_role("heading", name="Webhook dead letters")),
        "monitoring": ("/admin/monitoring", page.get_by_role("heading", name="Sources (last hour)")),
        "audit": ("/compliance/audit", page.get_by_role("table")),
        "opt-outs": ("/compliance/opt-outs", page.get_by_role("heading", name="Opt-outs")),
        "lead": (f"/leads/{world.leads['avery'].id}", page.get_by_role("heading", name="Outcomes")),
    }
    problems = {}
    for name, (path, ready) in screens.items():
        page.goto(path)
        expect(ready).to_be_visible()
        problems[name] = axe_violations(page)
    page.goto("/")
    page.get_by_test_id("signal-card").first.get_by_role("button", name="Record outcome…").click()
    expect(page.get_by_role("dialog")).to_be_visible()
    problems["outcome-dialog"] = axe_violations(page)
    context.close()
    assert {k: v for k, v in problems.items() if v} == {}
