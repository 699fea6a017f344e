"""Adapters for outside systems, one folder per vendor, each behind a port its domain defines."""
