"""Outgoing email: the ``EmailSender`` port, its providers, the audit trail and the templates."""
