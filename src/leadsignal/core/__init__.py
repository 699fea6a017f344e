"""Shared machinery used by every domain: database, crypto, secret stores, time."""
