"""A plain website (robots.txt, pages, CAPTCHA and block pages) and a forward proxy."""

from __future__ import annotations

from tests.fakes.base import FakeServer, Recorded, Reply

CAPTCHA_PAGE = """<!doctype html><html><head><title>Security check</title>
<script src="https://www.google.com/recaptcha/api.js" async defer></script></head>
<body><p>Our systems have detected unusual traffic from your computer network.</p>
<form method="post"><div class="g-recaptcha" data-sitekey="6LfakeKEY"></div></form></body></html>"""

HCAPTCHA_PAGE = """<!doctype html><html><head><title>Please verify</title></head>
<body><div class="h-captcha" data-sitekey="10000000-ffff-ffff-ffff-000000000001"></div>
<script src="https://hcaptcha.com/1/api.js"></script></body></html>"""

CLOUDFLARE_CHALLENGE = """<!DOCTYPE html><html lang="en-US"><head><title>Just a moment...</title></head>
<body><div id="challenge-body-text">Checking if the site connection is secure</div>
<script src="/cdn-cgi/challenge-platform/h/g/orchestrate/chl_page/v1"></script></body></html>"""

BLOCK_PAGE = """<!DOCTYPE html><html><head><title>Attention Required! | Cloudflare</title></head>
<body><h1>Sorry, you have been blocked</h1><p>You are unable to access example.com</p></body></html>"""

CONTACT_FORM_PAGE = """<!doctype html><html><head><title>Contact us</title>
<script src="https://www.google.com/recaptcha/api.js"></script></head>
<body><h1>Contact</h1><form><div class="g-recaptcha" data-sitekey="x"></div></form></body></html>"""


class FakeWebsite(FakeServer):
    """Serves ``pages[path]`` (a ``Reply`` or an HTML string) and ``robots_txt`` (None: 404)."""

    def __init__(self, robots_txt: str | None = "User-agent: *\nAllow: /\n") -> None:
        super().__init__()
        self.robots_txt = robots_txt
        self.pages: dict[str, Reply | str] = {"/": "<html><body>home</body></html>", "/ping": Reply(200, b"ok")}

    def handle(self, req: Recorded) -> Reply:
        if req.path == "/robots.txt":
            if self.robots_txt is None:
                return Reply(404, "<html>not found</html>")
            return Reply(200, self.robots_txt, content_type="text/plain")
        page = self.pages.get(req.path)
        if page is None:
            return Reply(404, "<html><body>not found</body></html>")
        return Reply(200, page) if isinstance(page, str) else page


class FakeProxy(FakeServer):
    """A forward proxy that answers absolute-form requests itself and remembers their targets."""

    def __init__(self, name: str = "proxy") -> None:
        super().__init__()
        self.name = name

    def handle(self, req: Recorded) -> Reply:
        return Reply(200, {"via": self.name, "target": req.target})
