#!/usr/bin/env python3
"""Screenshots for docs/user-manual.md, taken from the real dashboard on the synthetic demo book.

    .venv/bin/python scripts/manual_screenshots.py            # fresh demo database in a temp dir
    .venv/bin/python scripts/manual_screenshots.py --base-url http://127.0.0.1:8765 \\
        --credentials var/demo-credentials.txt                 # an already running demo server

Without ``--base-url`` it builds the embedded demo (``leadsignal demo run --no-serve``: synthetic
book, past weeks of sample monitoring, one live cycle, made-up outcomes) in a temporary data
directory with a temporary SQLite database, serves it on a free port and stops it afterwards.
The dashboard must be built first (``scripts/frontend.sh``). Browser: Debian's /usr/bin/chromium,
headless; nothing is downloaded. Viewport PNGs at desktop (1280), tablet (768) and phone (375)
widths go to ``--out`` (docs/images). The script writes to the demo database it uses (one
opt-out, one public opt-out request), so do not point it at real data.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Locator, Page, ViewportSize, sync_playwright

REPO = Path(__file__).resolve().parents[1]
CLI = REPO / ".venv" / "bin" / "leadsignal"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
SIZES = {"desktop": (1280, 800), "tablet": (768, 1024), "phone": (375, 812)}
TIMEOUT_MS = 20_000


class Shooter:
    def __init__(self, browser: Browser, base_url: str, credentials: dict[str, tuple[str, str]], out: Path) -> None:
        self.browser, self.base_url, self.credentials, self.out = browser, base_url, credentials, out
        self.taken: list[Path] = []

    @contextmanager
    def session(self, role: str | None) -> Iterator[Page]:
        """A fresh browser context, signed in as the demo account of ``role`` (None: signed out)."""
        context: BrowserContext = self.browser.new_context(
            base_url=self.base_url, viewport=_viewport("desktop"), timezone_id="America/Chicago", locale="en-US"
        )
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        try:
            if role is not None:
                email, password = self.credentials[role]
                page.goto("/signin")
                page.get_by_label("E-mail").fill(email)
                page.get_by_label("Password").fill(password)
                page.get_by_role("button", name="Sign in").click()
                page.get_by_role("navigation", name="Main").wait_for()
            yield page
        finally:
            context.close()

    def shot(self, page: Page, name: str, size: str = "desktop", *, top: str | None = None) -> None:
        """Save the viewport as ``<name>.png``; ``top`` scrolls that heading to the top first."""
        page.set_viewport_size(_viewport(size))
        if top is not None:
            heading = page.get_by_role("heading", name=top, exact=True).first
            heading.wait_for()
            heading.evaluate("el => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 12)")
        page.evaluate("document.activeElement instanceof HTMLElement && document.activeElement.blur()")
        page.wait_for_timeout(400)  # layout, charts and fonts settle
        path = self.out / f"{name}.png"
        page.screenshot(path=str(path))
        self.taken.append(path)
        print(f"  {path.relative_to(REPO) if path.is_relative_to(REPO) else path}", flush=True)


def _viewport(size: str) -> ViewportSize:
    width, height = SIZES[size]
    return ViewportSize(width=width, height=height)


def _settle(page: Page, path: str, ready: str) -> None:
    page.goto(path)
    page.get_by_text(ready).first.wait_for()


def public_pages(s: Shooter) -> None:
    with s.session(None) as page:
        _settle(page, "/signin", "Sign in")
        s.shot(page, "signin-desktop")
        _settle(page, "/opt-out", "Stop data collection about you")
        s.shot(page, "optout-phone", "phone")
        s.shot(page, "optout-desktop")
        page.get_by_label("Full name").fill("Jordan Example")
        page.get_by_label("Email address").fill("jordan.example@example.com")
        page.get_by_role("button", name="Send me a code").click()
        page.get_by_text("Enter your code").first.wait_for()
        s.shot(page, "optout-verify-phone", "phone")


def collector(s: Shooter) -> None:
    with s.session("agent") as page:
        _settle(page, "/", "Live feed")
        page.locator("[data-testid=signal-card]").first.wait_for()
        s.shot(page, "feed-desktop")
        card = page.locator("[data-testid=signal-card]").first
        card.get_by_role("button", name="Why this priority?").click()
        if card.get_by_role("button", name="Show evidence").count():
            card.get_by_role("button", name="Show evidence").click()
        page.wait_for_timeout(500)
        card.screenshot(path=str(s.out / "feed-card-desktop.png"))
        s.taken.append(s.out / "feed-card-desktop.png")
        card.get_by_role("button", name="Record outcome…").click()
        dialog = page.get_by_role("dialog")
        dialog.get_by_label("Outcome").select_option("payment_received")
        dialog.get_by_label("Amount received (USD)").fill("150.00")
        s.shot(page, "outcome-dialog-desktop")
        dialog.get_by_role("button", name="Cancel").click()
        card.get_by_role("button", name="Dispute…").click()
        page.get_by_role("dialog").get_by_label("That's not me").check()
        s.shot(page, "dispute-dialog-desktop")
        page.get_by_role("dialog").get_by_role("button", name="Cancel").click()
        page.set_viewport_size(_viewport("phone"))
        page.evaluate("window.scrollTo(0, 0)")
        page.get_by_role("button", name="More actions").first.click()
        s.shot(page, "feed-phone", "phone")
        _settle(page, "/analytics", "Not allowed")
        s.shot(page, "not-allowed-phone", "phone")


def manager(s: Shooter) -> dict[str, str]:
    """Manager screens; returns the lead and signal pages used, for the other roles."""
    with s.session("manager") as page:
        _settle(page, "/", "Live feed")
        card = page.locator("[data-testid=signal-card]").first
        card.wait_for()
        card.get_by_role("button", name="Assign…").click()
        dialog = page.get_by_role("dialog")
        select = dialog.get_by_label("Assignee")
        select.wait_for()
        options = [o for o in select.locator("option").all() if o.get_attribute("value") and not o.is_disabled()]
        if options:
            select.select_option(options[0].get_attribute("value"))
        s.shot(page, "assign-dialog-desktop")
        dialog.get_by_role("button", name="Cancel").click()

        multi = page.locator("[data-testid=signal-card]", has_text="Show evidence (2)").first
        signal_id = multi.get_attribute("data-signal-id") if multi.count() else card.get_attribute("data-signal-id")
        _settle(page, f"/signals/{signal_id}", "Open the lead's profile and timeline")
        s.shot(page, "signal-desktop")

        # A lead the demo agent already worked: it has outcomes as well as signals.
        _settle(page, "/search?in=signals&status=contacted", "Search")
        worked = page.locator("[data-testid=signal-card]").first
        worked.wait_for()
        lead_path = _lead_path(worked)
        _settle(page, lead_path, "Signal timeline")
        page.get_by_role("heading", name="Outcomes", exact=True).wait_for()
        page.locator("[aria-label='Outcomes, newest first']").wait_for()
        s.shot(page, "lead-desktop")
        s.shot(page, "lead-timeline-desktop", top="Signal timeline")
        page.evaluate("window.scrollTo(0, 0)")
        s.shot(page, "lead-phone", "phone")
        name = page.get_by_role("heading", level=1).inner_text()
        last_name = name.split(",")[0] if "," in name else name.split()[-1]

        _settle(page, "/search?in=signals&signal_type=new_job&status=new", "Search")
        page.locator("[data-testid=signal-card]").first.wait_for()
        s.shot(page, "search-tablet", "tablet")
        _settle(page, f"/search?q={last_name}", "Search")
        page.get_by_role("list", name="Matching leads").wait_for()
        s.shot(page, "search-leads-desktop")

        _settle(page, "/identity", "Identity review")
        page.wait_for_timeout(500)
        s.shot(page, "identity-review-desktop")

        _settle(page, "/analytics", "Signals detected per day")
        s.shot(page, "analytics-desktop")
        s.shot(page, "analytics-conversion-desktop", top="Conversion by signal type")
        s.shot(page, "analytics-response-desktop", top="Response times")
        page.get_by_role("heading", name="Uplift from alerts").wait_for()
        page.get_by_text("Window ").first.wait_for()
        s.shot(page, "analytics-uplift-desktop", top="Uplift from alerts")
        page.evaluate("window.scrollTo(0, 0)")
        s.shot(page, "analytics-tablet", "tablet")
    return {"lead": lead_path}


def _lead_path(card: Locator) -> str:
    link = card.locator("a[href^='/leads/']").first
    href = link.get_attribute("href")
    if href:
        return str(href)
    raise RuntimeError("no lead link on the signal card")


def compliance(s: Shooter, lead_path: str) -> None:
    with s.session("compliance") as page:
        _settle(page, lead_path, "Signal timeline")
        s.shot(page, "lead-compliance-desktop", top="Compliance")
        # Opt one other synthetic lead out through the dashboard, so the opt-out list is not empty.
        _settle(page, "/search?in=signals&status=new", "Search")
        links = page.locator("[data-testid=signal-card] a[href^='/leads/']")
        links.first.wait_for()
        other = [h for h in (link.get_attribute("href") for link in links.all()) if h and h != lead_path]
        if not other:
            raise RuntimeError(f"no other lead among {links.count()} signal cards to opt out")
        _settle(page, other[0], "Signal timeline")
        if page.get_by_role("button", name="Opt out (stop monitoring)").count():
            page.get_by_label("Opt-out reason").fill("Borrower asked by phone to stop monitoring (demo)")
            page.get_by_role("button", name="Opt out (stop monitoring)").click()
            page.get_by_text("Opted out — not monitored").wait_for()
        page.evaluate("window.scrollTo(0, 0)")
        s.shot(page, "lead-opted-out-desktop")

        _settle(page, "/compliance", "Checklist")
        page.get_by_role("button", name="Run the checks again").wait_for()
        page.wait_for_timeout(800)
        s.shot(page, "compliance-checklist-desktop")
        _settle(page, "/compliance/audit", "Export CSV")
        page.wait_for_timeout(1000)
        s.shot(page, "compliance-audit-desktop")
        _settle(page, "/compliance/opt-outs", "Opt a lead out…")
        page.wait_for_timeout(800)
        s.shot(page, "compliance-optouts-desktop")


def administrator(s: Shooter) -> None:
    with s.session("admin") as page:
        _settle(page, "/admin", "Users and teams")
        page.wait_for_timeout(800)
        s.shot(page, "admin-users-desktop")
        _settle(page, "/admin/routing", "New rule")
        page.wait_for_timeout(500)
        s.shot(page, "admin-routing-desktop")
        page.get_by_role("button", name="New rule").click()
        page.get_by_role("dialog").wait_for()
        s.shot(page, "admin-routing-rule-desktop")
        page.keyboard.press("Escape")
        _settle(page, "/admin/digests", "Each collector and manager gets one e-mail a day")
        user = page.get_by_label("User")
        user.locator("option").nth(1).wait_for(state="attached")
        values = [o.get_attribute("value") for o in user.locator("option").all()]
        chosen = [v for v in values if v]
        if chosen:
            user.select_option(chosen[0])
        page.wait_for_timeout(800)
        s.shot(page, "admin-digests-desktop")
        _settle(page, "/admin/weights", "In force")
        page.wait_for_timeout(500)
        s.shot(page, "admin-weights-desktop")
        _settle(page, "/admin/crm", "Administration")
        page.wait_for_timeout(1500)
        s.shot(page, "admin-crm-desktop")
        _settle(page, "/admin/monitoring", "Administration")
        page.wait_for_timeout(2000)
        s.shot(page, "admin-monitoring-desktop")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 (local demo server)
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.5)
    raise RuntimeError(f"the demo server did not answer at {url}")


@contextmanager
def demo_server() -> Iterator[tuple[str, Path]]:
    """A fresh demo database in a temp dir, served on a free port; yields (base URL, credentials file)."""
    dist = REPO / "frontend" / "dist"
    if not (dist / "index.html").exists():
        raise SystemExit("the dashboard is not built: run scripts/frontend.sh first")
    with tempfile.TemporaryDirectory(prefix="leadsignal-manual-") as tmp:
        data = Path(tmp) / "data"
        env = {
            **os.environ,
            "LEADSIGNAL_DATA_DIR": str(data),
            "DATABASE_URL": f"sqlite:///{data / 'demo.db'}",
            "LEADSIGNAL_FRONTEND_DIST": str(dist),
        }
        print("building the demo database (about a minute)…", flush=True)
        build = [str(CLI), "demo", "run", "--no-serve"]
        subprocess.run(build, env=env, cwd=tmp, check=True, stdout=subprocess.DEVNULL)  # noqa: S603 (our own CLI)
        port = _free_port()
        log = (Path(tmp) / "serve.log").open("w")
        serve = [str(CLI), "serve", "--port", str(port)]
        server = subprocess.Popen(serve, env=env, cwd=tmp, stdout=log, stderr=log)  # noqa: S603 (our own CLI)
        try:
            base = f"http://127.0.0.1:{port}"
            _wait_for(f"{base}/signin")
            yield base, data / "demo-credentials.txt"
        finally:
            server.terminate()
            server.wait(timeout=20)
            log.close()


def read_credentials(path: Path) -> dict[str, tuple[str, str]]:
    """The demo credentials file: one ``role email password`` line per account (the last one wins)."""
    found: dict[str, tuple[str, str]] = {}
    for line in path.read_text().splitlines():
        parts = line.split()
        if len(parts) == 3:
            found[parts[0]] = (parts[1], parts[2])
    missing = {"admin", "manager", "agent", "compliance"} - set(found)
    if missing:
        raise SystemExit(f"{path} has no demo account for: {', '.join(sorted(missing))}")
    return found


def take_all(base_url: str, credentials: Path, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            s = Shooter(browser, base_url, read_credentials(credentials), out)
            public_pages(s)
            collector(s)
            pages = manager(s)
            compliance(s, pages["lead"])
            administrator(s)
            return s.taken
        finally:
            browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "images", help="Where the PNGs go.")
    parser.add_argument("--base-url", help="A running demo server (default: build and serve a fresh one).")
    parser.add_argument("--credentials", type=Path, help="Its demo-credentials.txt (with --base-url).")
    args = parser.parse_args()
    if args.base_url:
        if args.credentials is None:
            parser.error("--base-url needs --credentials")
        taken = take_all(args.base_url.rstrip("/"), args.credentials, args.out)
    else:
        with demo_server() as (base, credentials):
            taken = take_all(base, credentials, args.out)
    print(f"{len(taken)} screenshots in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
