"""The digest as a person sees it: rendered by a real headless Chromium at desktop and phone widths.

Saves ``test-artifacts/digest.html`` and ``digest-1280.png`` / ``digest-375.png`` for review.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

import pytest

from leadsignal.alerts.email.render import render_digest
from tests.alerts.factories import DASHBOARD, NOW, sample_digest_items

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]  # fmt: skip


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height = struct.unpack(">II", header[16:24])
    return int(width), int(height)


@pytest.mark.browser
@pytest.mark.skipif(
    not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)"
)
def test_digest_renders_on_desktop_and_phone() -> None:
    from playwright.sync_api import sync_playwright

    _, html, _ = render_digest("Dana Ortiz", "America/New_York", sample_digest_items(), dashboard_url=DASHBOARD,
                               generated_at=NOW)  # fmt: skip
    ARTIFACTS.mkdir(exist_ok=True)
    page_file = ARTIFACTS / "digest.html"
    page_file.write_text(html, encoding="utf-8")

    outside: list[str] = []
    dialogs: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            for width in (1280, 375):
                page = browser.new_page(viewport={"width": width, "height": 900})

                def block(route: Any) -> None:
                    outside.append(route.request.url)
                    route.abort()

                page.route("http*://**/*", block)
                page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
                page.goto(page_file.as_uri())
                metrics = page.evaluate(
                    """() => {
                        const card = document.querySelector('table[style*="max-width:600px"]');
                        return {scroll: document.documentElement.scrollWidth, card: card.getBoundingClientRect().width,
                                scripts: document.scripts.length,
                                headings: [...document.querySelectorAll('h2')].map(h => h.textContent.trim())};
                    }"""
                )
                shot = ARTIFACTS / f"digest-{width}.png"
                page.screenshot(path=str(shot), full_page=True)
                page.close()

                assert metrics["scroll"] <= width, f"horizontal scrolling at {width}px"
                assert metrics["card"] <= 602  # 600 px plus the 1 px border on each side
                if width == 375:
                    assert metrics["card"] >= 340  # the layout shrinks to the phone, not a zoomed-out desktop
                assert metrics["scripts"] == 0
                assert metrics["headings"] == ["High priority (2)", "Medium priority (2)", "Low priority (1)"]
                png_width, png_height = _png_size(shot)
                assert png_width == width
                assert png_height > 900  # the whole digest, not just the first screen
        finally:
            browser.close()
    assert outside == []
    assert dialogs == []
