from tests.fakes.fixtures import fake_apify, fake_cse, fake_firecrawl, fake_site

__all__ = ["fake_apify", "fake_cse", "fake_firecrawl", "fake_site"]
