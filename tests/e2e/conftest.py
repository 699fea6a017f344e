"""A real server (uvicorn in a thread, the test database, the built dashboard) and a real Chromium.

The dashboard must be built (``frontend/dist``); when it is missing or older than its sources the
first test builds it once with scripts/frontend.sh, or skips with the reason when npm is absent.
Chromium is Debian's (/usr/bin/chromium): these tests never download a browser.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, Playwright, expect, sync_playwright

from leadsignal.app import create_app
from leadsignal.core.context import AppContext
from leadsignal.core.crypto import PiiCipher
from leadsignal.db import session_scope
from tests.e2e.factories import PASSWORD, World, build_world

REPO = Path(__file__).resolve().parents[2]
FRONTEND = REPO / "frontend"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = REPO / "test-artifacts"
# Generous, since CI runs on two shared cores; a passing expectation returns as soon as it holds.
expect.set_options(timeout=10_000)
WIDTHS = {"phone": (375, 812), "tablet": (768, 1024), "desktop": (1280, 900)}


def _stale(dist: Path) -> bool:
    index = dist / "index.html"
    if not index.exists():
        return True
    built = index.stat().st_mtime
    sources = [FRONTEND / "index.html", FRONTEND / "package-lock.json", *(FRONTEND / "src").rglob("*")]
    return any(p.is_file() and p.stat().st_mtime > built for p in sources)


@pytest.fixture(scope="session")
def frontend_dist() -> Path:
    dist = FRONTEND / "dist"
    if _stale(dist):
        if shutil.which("npm") is None:
            if (dist / "index.html").exists():
                return dist
            pytest.skip("frontend/dist is not built and npm is not installed (install Node.js 20+)")
        result = subprocess.run([str(REPO / "scripts/frontend.sh")], capture_output=True, text=True, timeout=600)
        if result.returncode != 0:
            pytest.fail(f"scripts/frontend.sh failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return dist


@pytest.fixture(scope="session")
def playwright_instance() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        pytest.skip("Chromium not installed: apt-get install chromium")
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    chromium = playwright_instance.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


class LiveServer:
    def __init__(self, ctx: AppContext) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        config = uvicorn.Config(create_app(ctx), log_level="warning", lifespan="off")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self._sock]}, daemon=True)

    def start(self) -> None:
        self._thread.start()
        deadline = time.monotonic() + 15
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._sock.close()


@pytest.fixture
def e2e_ctx(app_ctx: AppContext, frontend_dist: Path) -> AppContext:
    """The test context serving the built dashboard, with a cheap password hash (argon2 is slow on purpose)."""
    cheap = {"argon2_time_cost": 1, "argon2_memory_kib": 1024, "argon2_parallelism": 1}
    settings = app_ctx.settings.model_copy(update={"frontend_dist": frontend_dist, **cheap})
    return AppContext(settings, _engine=app_ctx.engine)


@pytest.fixture
def world(e2e_ctx: AppContext, cipher: PiiCipher) -> World:
    with session_scope(e2e_ctx.sessions) as session:
        return build_world(session, cipher, e2e_ctx.settings)


@pytest.fixture
def server(e2e_ctx: AppContext, world: World) -> Iterator[LiveServer]:
    live = LiveServer(e2e_ctx)
    live.start()
    yield live
    live.stop()


@pytest.fixture
def page(browser: Browser, server: LiveServer) -> Iterator[Page]:
    width, height = WIDTHS["desktop"]
    context = browser.new_context(base_url=server.url, viewport={"width": width, "height": height})
    context.set_default_timeout(10_000)
    pg = context.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    yield pg
    context.close()
    assert errors == [], f"uncaught errors in the page: {errors}"


def sign_in(page: Page, email: str, password: str = PASSWORD) -> None:
    page.goto("/")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("navigation", name="Main").wait_for()


def screenshots(page: Page, name: str) -> list[Path]:
    """Full-page PNGs of the current screen at phone, tablet and desktop widths."""
    ARTIFACTS.mkdir(exist_ok=True)
    out = []
    page.evaluate("document.activeElement instanceof HTMLElement && document.activeElement.blur()")
    for label, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(150)  # let responsive layout and charts settle
        path = ARTIFACTS / f"{name}-{label}-{width}.png"
        page.screenshot(path=str(path), full_page=True)
        out.append(path)
    page.set_viewport_size({"width": WIDTHS["desktop"][0], "height": WIDTHS["desktop"][1]})
    return out
