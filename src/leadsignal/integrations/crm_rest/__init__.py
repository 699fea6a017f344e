"""A generic JSON REST CRM, configured by a field map; vendors with their own API get their own folder."""
