"""Pick the ``EmailSender`` that ``settings.email_provider`` names."""

from __future__ import annotations

from sqlalchemy.orm import Session

from leadsignal.alerts.email.outbox import OutboxSender
from leadsignal.alerts.email.port import EmailSender
from leadsignal.integrations.http.retry import RetryPolicy
from leadsignal.settings import Settings


def build_email_sender(settings: Settings, session: Session) -> EmailSender:
    """``session`` is used only by the outbox provider, which stores messages in the caller's transaction."""
    if settings.email_provider == "outbox":
        return OutboxSender(session, sender_email=settings.email_from)
    if settings.email_provider == "brevo":
        from leadsignal.integrations.brevo import BrevoSender

        key = settings.brevo_api_key.get_secret_value() if settings.brevo_api_key else ""
        return BrevoSender(
            api_key=key,
            base_url=settings.brevo_base_url,
            sender_email=settings.email_from,
            sender_name=settings.email_from_name,
            timeout=settings.email_timeout_seconds,
            policy=RetryPolicy(
                max_attempts=settings.email_max_attempts,
                base_delay=0.5,
                max_delay=10.0,
                max_retry_after=settings.email_max_retry_wait_seconds,
            ),
        )
    from leadsignal.integrations.smtp import SmtpSender

    return SmtpSender(
        host=settings.smtp_host,
        port=settings.smtp_port,
        sender_email=settings.email_from,
        sender_name=settings.email_from_name,
        username=settings.smtp_username,
        password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
        starttls=settings.smtp_starttls,
        timeout=settings.email_timeout_seconds,
    )
