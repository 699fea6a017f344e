"""Signals: detected life events of a lead, each backed by one or more pieces of evidence."""
