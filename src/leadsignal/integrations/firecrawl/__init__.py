"""Firecrawl's scrape API as a ``PageScraper``."""

from leadsignal.integrations.firecrawl.client import CreditsExhausted, FirecrawlScraper

__all__ = ["CreditsExhausted", "FirecrawlScraper"]
