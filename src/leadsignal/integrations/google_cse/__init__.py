"""Google Custom Search JSON API as a ``WebSearch`` (closed to new customers, ends 2027-01-01)."""

from leadsignal.integrations.google_cse.client import GoogleCseSearch

__all__ = ["GoogleCseSearch"]
