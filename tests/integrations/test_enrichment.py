"""Company enrichment: domain choice, about text, and the CSE and Firecrawl adapters on fakes."""

from __future__ import annotations

import pytest

from leadsignal.integrations.firecrawl import CreditsExhausted, FirecrawlScraper
from leadsignal.integrations.google_cse import GoogleCseSearch
from leadsignal.integrations.google_cse.client import QuotaExceeded
from leadsignal.integrations.http import PoliteClient
from leadsignal.settings import Settings
from leadsignal.sources.enrichment import (
    ABOUT_MAX_CHARS,
    Enricher,
    EnrichmentError,
    PageUnavailable,
    SearchResult,
    build_enrichment,
    enrich_company,
    markdown_to_text,
    pick_company_domain,
)
from leadsignal.sources.scrape_log import MemoryScrapeLogSink
from tests.fakes.base import Reply
from tests.fakes.firecrawl import FakeFirecrawl
from tests.fakes.google_cse import FakeGoogleCse
from tests.fakes.web import FakeWebsite
from tests.integrations.factories import make_client

ABOUT = (
    "# About Acme\n\nAcme Corp builds **industrial anvils** for [coyotes](https://acme.com/coyotes) "
    "and other demanding customers since 1949. ![logo](https://acme.com/logo.png)\n\n"
    "- Family owned\n- Based in Phoenix, Arizona\n"
)


def _r(link: str, title: str = "") -> SearchResult:
    return SearchResult(title=title, link=link, snippet="")


def _adapters(
    cse: FakeGoogleCse, fc: FakeFirecrawl, **http: object
) -> tuple[GoogleCseSearch, FirecrawlScraper, MemoryScrapeLogSink, PoliteClient, list[float]]:
    client, sink, clock = make_client(**http)  # type: ignore[arg-type]
    search = GoogleCseSearch(client, key=cse.key, cx=cse.cx, base_url=cse.url)
    scraper = FirecrawlScraper(client, api_key=fc.api_key, base_url=fc.url)
    return search, scraper, sink, client, clock.sleeps


# -- pure logic ---------------------------------------------------------------------------------


def test_directories_are_skipped_and_the_resembling_domain_wins() -> None:
    results = [
        _r("https://www.linkedin.com/company/acme-corp", "Acme Corp | LinkedIn"),
        _r("https://en.wikipedia.org/wiki/Acme_Corporation", "Acme Corporation - Wikipedia"),
        _r("https://www.glassdoor.de/Acme", "Acme reviews"),
        _r("https://news.example.net/acme-story", "Acme Corp in the news"),
        _r("https://www.acmecorp.com/", "Welcome"),
    ]
    assert pick_company_domain("Acme Corp, Inc.", results) == "acmecorp.com"


def test_acronyms_and_country_domains() -> None:
    results = [_r("https://www.bloomberg.com/profile/ibm"), _r("https://www.ibm.com/us-en")]
    assert pick_company_domain("International Business Machines Corporation", results) == "ibm.com"
    assert pick_company_domain("Tesco PLC", [_r("https://www.tesco.co.uk/")]) == "tesco.co.uk"


def test_no_trustworthy_domain_gives_none_or_the_titled_result() -> None:
    unrelated = [_r("https://www.randomnews.com/a", "Local news"), _r("https://www.crunchbase.com/x", "Zyx")]
    assert pick_company_domain("Zyxwv Logistics", unrelated) is None
    titled = [_r("https://www.zl-freight.com/", "Zyxwv Logistics - Freight you can trust")]
    assert pick_company_domain("Zyxwv Logistics", titled) == "zl-freight.com"
    assert pick_company_domain("Acme", []) is None


def test_markdown_to_plain_text_and_cap() -> None:
    text = markdown_to_text(ABOUT)
    assert text.startswith("About Acme\n\nAcme Corp builds industrial anvils for coyotes and other")
    assert "http" not in text
    assert "**" not in text
    assert "logo" not in text
    long = markdown_to_text("word " * 2000)
    assert len(long) <= ABOUT_MAX_CHARS
    assert long.endswith("word")


def test_empty_company_name_is_refused(fake_cse: FakeGoogleCse, fake_firecrawl: FakeFirecrawl) -> None:
    search, scraper, *_ = _adapters(fake_cse, fake_firecrawl)
    with pytest.raises(ValueError, match="empty"):
        enrich_company("  ", search, scraper)


# -- against the fakes -----------------------------------------------------------------------


def test_enrichment_end_to_end(fake_cse: FakeGoogleCse, fake_firecrawl: FakeFirecrawl, fake_site: FakeWebsite) -> None:
    fake_cse.add_results(
        "Acme Corp official site",
        {"title": "Acme | LinkedIn", "link": "https://www.linkedin.com/company/acme", "snippet": "..."},
        {"title": "Acme Corp", "link": "https://www.acme.com/", "snippet": "Anvils"},
    )
    fake_firecrawl.add_page(fake_site.url + "/about", ABOUT, title="About us")
    search, scraper, sink, _, _ = _adapters(fake_cse, fake_firecrawl)
    info = Enricher(search, scraper, root_url=lambda domain: fake_site.url).enrich("Acme Corp")
    assert info is not None
    assert info.domain == "acme.com"
    assert info.about_url == fake_site.url + "/about"
    assert info.about is not None
    assert "industrial anvils" in info.about
    [query] = fake_cse.requests_to("/customsearch/v1")
    assert query.query == {"key": fake_cse.key, "cx": fake_cse.cx, "q": "Acme Corp official site", "num": "10"}
    [scrape] = fake_firecrawl.requests_to("/v2/scrape")
    assert scrape.json() == {"url": fake_site.url + "/about", "formats": ["markdown"], "onlyMainContent": True,
                             "timeout": 30000}  # fmt: skip
    assert scrape.headers["authorization"] == f"Bearer {fake_firecrawl.api_key}"
    assert [(a.service, a.outcome) for a in sink.attempts] == [
        ("google_cse", "success"),
        ("robots", "success"),
        ("firecrawl", "success"),
    ]
    assert all(fake_cse.key not in a.source_url for a in sink.attempts)


def test_robots_disallowed_about_page_is_skipped_without_asking_firecrawl(
    fake_cse: FakeGoogleCse, fake_firecrawl: FakeFirecrawl, fake_site: FakeWebsite
) -> None:
    fake_site.robots_txt = "User-agent: *\nDisallow: /about\nAllow: /about-us\n"
    fake_cse.add_results("Acme official site", {"title": "Acme", "link": "https://acme.com/"})
    fake_firecrawl.add_page(fake_site.url + "/about", ABOUT)
    fake_firecrawl.add_page(fake_site.url + "/about-us", ABOUT.replace("anvils", "rockets"))
    search, scraper, sink, _, _ = _adapters(fake_cse, fake_firecrawl)
    info = enrich_company("Acme", search, scraper, root_url=lambda d: fake_site.url)
    assert info is not None
    assert info.about_url == fake_site.url + "/about-us"
    assert fake_firecrawl.scraped_urls() == [fake_site.url + "/about-us"]
    assert "robots_disallowed" in sink.outcomes()


def test_missing_and_failed_pages_fall_through_to_the_home_page(
    fake_cse: FakeGoogleCse, fake_firecrawl: FakeFirecrawl, fake_site: FakeWebsite
) -> None:
    fake_cse.add_results("Acme official site", {"title": "Acme", "link": "https://acme.com/"})
    # /about is unknown (Firecrawl answers 200 with metadata.statusCode 404); /about-us: success false
    fake_firecrawl.script(
        "/v2/scrape", Reply(200, {"success": False, "error": "blocked"}), when=lambda r: r.json()["url"].endswith("-us")
    )
    fake_firecrawl.add_page(fake_site.url + "/", ABOUT)
    search, scraper, _, _, _ = _adapters(fake_cse, fake_firecrawl)
    info = enrich_company("Acme", search, scraper, root_url=lambda d: fake_site.url)
    assert info is not None
    assert info.about_url == fake_site.url + "/"
    assert len(fake_firecrawl.scraped_urls()) == 3


def test_no_search_results_means_no_enrichment(fake_cse: FakeGoogleCse, fake_firecrawl: FakeFirecrawl) -> None:
    search, scraper, *_ = _adapters(fake_cse, fake_firecrawl)
    assert search.search("nothing matches this", 5) == []
    assert enrich_company("Nobody Inc", search, scraper) is None
    assert fake_firecrawl.requests == []


def test_cse_quota_exhausted_is_retryable_and_not_hammered(fake_firecrawl: FakeFirecrawl) -> None:
    with FakeGoogleCse(daily_quota=0) as cse:
        search, *_ = _adapters(cse, fake_firecrawl)
        with pytest.raises(QuotaExceeded) as info:
            search.search("Acme", 10)
        assert info.value.retryable
        assert len(cse.requests) == 1


def test_cse_bad_key_is_permanent(fake_firecrawl: FakeFirecrawl) -> None:
    with FakeGoogleCse() as cse:
        client, sink, _ = make_client()
        search = GoogleCseSearch(client, key="wrong", cx=cse.cx, base_url=cse.url)
        with pytest.raises(EnrichmentError) as info:
            search.search("Acme", 10)
    assert not info.value.retryable
    assert "INVALID_ARGUMENT" in str(info.value)
    assert "key=***" in sink.attempts[0].source_url


def test_firecrawl_402_is_credits_exhausted(fake_cse: FakeGoogleCse, fake_site: FakeWebsite) -> None:
    with FakeFirecrawl(credits=0) as fc:
        _, scraper, *_ = _adapters(fake_cse, fc)
        with pytest.raises(CreditsExhausted) as info:
            scraper.scrape(fake_site.url + "/about")
    assert not info.value.retryable


def test_firecrawl_429_retry_after_is_honoured(
    fake_cse: FakeGoogleCse, fake_firecrawl: FakeFirecrawl, fake_site: FakeWebsite
) -> None:
    limited = {"success": False, "error": "Rate limit exceeded. Consumed (req/min): 11, Remaining (req/min): 0."}
    fake_firecrawl.script("/v2/scrape", Reply(429, limited, headers={"Retry-After": "3"}))
    fake_firecrawl.add_page(fake_site.url + "/about", ABOUT)
    _, scraper, sink, _, sleeps = _adapters(fake_cse, fake_firecrawl)
    page = scraper.scrape(fake_site.url + "/about")
    assert "anvils" in page.markdown
    assert page.status_code == 200
    assert max(sleeps) >= 3.0
    assert [a.outcome for a in sink.attempts if a.service == "firecrawl"] == ["rate_limited", "success"]


def test_firecrawl_timeouts_are_retried_then_retryable(
    fake_cse: FakeGoogleCse, fake_firecrawl: FakeFirecrawl, fake_site: FakeWebsite
) -> None:
    timeout = {"success": False, "code": "SCRAPE_TIMEOUT", "error": "Scrape timed out"}
    fake_firecrawl.script("/v2/scrape", *[Reply(408, timeout)] * 3)
    _, scraper, *_ = _adapters(fake_cse, fake_firecrawl)
    with pytest.raises(EnrichmentError) as info:
        scraper.scrape(fake_site.url + "/about")
    assert info.value.retryable
    assert not isinstance(info.value, PageUnavailable)
    assert len(fake_firecrawl.requests_to("/v2/scrape")) == 3


def test_build_enrichment_needs_all_keys(fake_cse: FakeGoogleCse, fake_firecrawl: FakeFirecrawl) -> None:
    client, _, _ = make_client()
    base = {"_env_file": None, "env": "test"}
    assert build_enrichment(Settings(**base), client) is None  # type: ignore[arg-type]
    assert build_enrichment(Settings(**base, google_cse_key="k", google_cse_cx="c"), client) is None  # type: ignore[arg-type]
    full = Settings(
        **base,  # type: ignore[arg-type]
        google_cse_key=fake_cse.key,
        google_cse_cx=fake_cse.cx,
        google_cse_base_url=fake_cse.url,
        firecrawl_api_key=fake_firecrawl.api_key,
        firecrawl_base_url=fake_firecrawl.url,
    )
    enricher = build_enrichment(full, client)
    assert enricher is not None
    fake_cse.add_results("Acme official site", {"title": "x", "link": "https://www.example.org/"})
    assert enricher.enrich("Acme") is None  # nothing resembling: no domain rather than a wrong one
