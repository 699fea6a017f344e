"""Plain SMTP submission (smtplib) as an ``EmailSender``: any relay, Brevo's included."""

from leadsignal.integrations.smtp.sender import SmtpSender, build_mime

__all__ = ["SmtpSender", "build_mime"]
