"""Brevo (ex-Sendinblue) transactional email over its v3 REST API, as an ``EmailSender``."""

from leadsignal.integrations.brevo.sender import BrevoSender

__all__ = ["BrevoSender"]
