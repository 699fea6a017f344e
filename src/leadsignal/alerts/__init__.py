"""Alerts: who hears about a signal, when and how (feed, digest email, escalation)."""
