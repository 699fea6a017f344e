from __future__ import annotations

import pytest

from leadsignal.integrations.http import InvalidUserAgent
from leadsignal.integrations.http.masking import mask_url
from leadsignal.integrations.http.retry import parse_retry_after
from leadsignal.integrations.http.useragent import validate_user_agent
from leadsignal.settings import Settings


def test_default_user_agent_is_valid() -> None:
    ua = Settings(_env_file=None).user_agent
    assert validate_user_agent(ua) == ua


@pytest.mark.parametrize(
    ("ua", "reason"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("leadsignal/1.0 (contact: rené@agency.example)", "ASCII"),
        ("leadsignal/1.0\r\nX-Evil: 1 (ops@agency.example)", "ASCII"),
        ("Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/120 Safari/537.36 ops@agency.example", "browser"),
        ("leadsignal/1.0", "contact"),
        ("leadsignal/1.0 (call us)", "contact"),
    ],
)
def test_bad_user_agents_are_refused_with_the_reason(ua: str, reason: str) -> None:
    with pytest.raises(InvalidUserAgent, match=reason):
        validate_user_agent(ua)


@pytest.mark.parametrize(
    ("url", "masked"),
    [
        ("https://api.apify.com/v2/x?token=abc123&limit=5", "https://api.apify.com/v2/x?token=***&limit=5"),
        ("https://g.com/customsearch/v1?key=AIza&cx=1&q=a+b", "https://g.com/customsearch/v1?key=***&cx=1&q=a+b"),
        ("http://user:hunter2@proxy:3128/", "http://user:***@proxy:3128/"),
        ("https://x.test/p?API_KEY=1&access_token=2", "https://x.test/p?API_KEY=***&access_token=***"),
        ("https://x.test/plain", "https://x.test/plain"),
    ],
)
def test_secrets_in_urls_are_masked(url: str, masked: str) -> None:
    assert mask_url(url) == masked


def test_retry_after_parsing() -> None:
    assert parse_retry_after("12", now=0) == 12.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412470.0) == 10.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=1445412490.0) == 0.0
    assert parse_retry_after("soon", now=0) is None
    assert parse_retry_after(None, now=0) is None
