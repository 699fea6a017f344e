"""Audit trail, opt-out, retention and the compliance checklist."""
