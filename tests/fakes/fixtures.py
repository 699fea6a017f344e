"""Pytest fixtures for the fake servers. Import them into a conftest:
``from tests.fakes.fixtures import fake_apify, fake_cse, fake_firecrawl, fake_site  # noqa: F401``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.fakes.apify import FakeApify
from tests.fakes.firecrawl import FakeFirecrawl
from tests.fakes.google_cse import FakeGoogleCse
from tests.fakes.web import FakeWebsite


@pytest.fixture
def fake_apify() -> Iterator[FakeApify]:
    with FakeApify() as server:
        yield server


@pytest.fixture
def fake_cse() -> Iterator[FakeGoogleCse]:
    with FakeGoogleCse() as server:
        yield server


@pytest.fixture
def fake_firecrawl() -> Iterator[FakeFirecrawl]:
    with FakeFirecrawl() as server:
        yield server


@pytest.fixture
def fake_site() -> Iterator[FakeWebsite]:
    with FakeWebsite() as server:
        yield server
