"""Local fake HTTP servers speaking the real protocols of outside services, for tests and demos.

Each is a real ``ThreadingHTTPServer`` on 127.0.0.1 with an ephemeral port, usable as a context
manager (``with FakeApify() as apify: apify.url``) or through the fixtures in ``tests.fakes.fixtures``.
Failures are scripted with ``server.script(...)`` (see ``FakeServer``).
"""

from tests.fakes.apify import FakeApify, make_post_item, make_profile_item
from tests.fakes.base import FakeServer, Recorded, Reply
from tests.fakes.firecrawl import FakeFirecrawl
from tests.fakes.google_cse import FakeGoogleCse
from tests.fakes.web import FakeProxy, FakeWebsite

__all__ = [
    "FakeApify",
    "FakeFirecrawl",
    "FakeGoogleCse",
    "FakeProxy",
    "FakeServer",
    "FakeWebsite",
    "Recorded",
    "Reply",
    "make_post_item",
    "make_profile_item",
]
