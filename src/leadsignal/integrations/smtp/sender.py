"""Submit one multipart/alternative message (text first, HTML preferred) over SMTP.

We generate the Message-ID ourselves and return it, because SMTP gives no id back that delivery
reports could be joined on. Reply codes 4xx are temporary by RFC 5321 and so retryable; 5xx and
a refused login are permanent.
"""

from __future__ import annotations

import smtplib
import ssl
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from leadsignal.alerts.email.port import (
    EmailConfigError,
    OutgoingEmail,
    PermanentEmailError,
    RetryableEmailError,
    SendResult,
)
from leadsignal.db import utcnow

PROVIDER = "smtp"


def build_mime(message: OutgoingEmail, *, sender_email: str, sender_name: str | None, message_id: str) -> EmailMessage:
    mime = EmailMessage()
    mime["From"] = Address(display_name=sender_name or "", addr_spec=sender_email)
    mime["To"] = Address(display_name=message.to_name or "", addr_spec=str(message.to))
    mime["Subject"] = message.subject
    mime["Date"] = format_datetime(utcnow())
    mime["Message-ID"] = message_id
    if message.tags:
        mime["X-Tags"] = ", ".join(message.tags)
    for name, value in message.headers.items():
        mime[name] = value
    mime.set_content(message.text, subtype="plain", charset="utf-8")
    mime.add_alternative(message.html, subtype="html", charset="utf-8")
    return mime


class SmtpSender:
    provider = PROVIDER

    def __init__(
        self,
        *,
        host: str | None,
        port: int,
        sender_email: str,
        sender_name: str | None = None,
        username: str | None = None,
        password: str | None = None,
        starttls: bool = True,
        timeout: float = 15.0,
        tls_context: ssl.SSLContext | None = None,
    ) -> None:
        if not host:
            raise EmailConfigError("the smtp provider needs LEADSIGNAL_SMTP_HOST")
        if username and not password:
            raise EmailConfigError("LEADSIGNAL_SMTP_USERNAME is set but LEADSIGNAL_SMTP_PASSWORD is not")
        self._host, self._port, self._timeout = host, port, timeout
        self._sender_email, self._sender_name = sender_email, sender_name
        self._username, self._password = username, password
        self._starttls = starttls
        self._tls_context = tls_context or ssl.create_default_context()
        self._domain = sender_email.rpartition("@")[2] or "leadsignal.invalid"

    def send(self, message: OutgoingEmail) -> SendResult:
        message_id = make_msgid(domain=self._domain)
        mime = build_mime(
            message, sender_email=self._sender_email, sender_name=self._sender_name, message_id=message_id
        )
        try:
            with smtplib.SMTP(self._host, self._port, timeout=self._timeout) as smtp:
                smtp.ehlo()
                if self._starttls:
                    smtp.starttls(context=self._tls_context)
                    smtp.ehlo()
                if self._username and self._password:
                    smtp.login(self._username, self._password)
                refused = smtp.send_message(mime)
        except smtplib.SMTPNotSupportedError as exc:
            raise PermanentEmailError(f"smtp server does not support {exc}", provider=PROVIDER) from exc
        except smtplib.SMTPAuthenticationError as exc:
            raise PermanentEmailError(_reply_text("smtp login refused", exc), provider=PROVIDER) from exc
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            text = "; ".join(
                f"{rcpt}: {code} {msg.decode(errors='replace')}" for rcpt, (code, msg) in exc.recipients.items()
            )
            raise _by_code(min(codes, default=550), f"smtp recipient refused: {text}") from exc
        except smtplib.SMTPResponseException as exc:
            raise _by_code(exc.smtp_code, _reply_text("smtp error", exc)) from exc
        except ssl.SSLCertVerificationError as exc:
            # A server whose certificate we cannot trust needs a person, not a retry.
            raise PermanentEmailError(f"smtp TLS certificate refused: {exc}", provider=PROVIDER) from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise RetryableEmailError(f"smtp unreachable: {type(exc).__name__}: {exc}", provider=PROVIDER) from exc
        if refused:
            raise PermanentEmailError(f"smtp refused recipients: {sorted(refused)}", provider=PROVIDER)
        return SendResult(provider=PROVIDER, message_id=message_id)


def _reply_text(prefix: str, exc: smtplib.SMTPResponseException) -> str:
    msg = exc.smtp_error.decode(errors="replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
    return f"{prefix}: {exc.smtp_code} {msg}"


def _by_code(code: int, text: str) -> PermanentEmailError | RetryableEmailError:
    if 400 <= code < 500:
        return RetryableEmailError(text, provider=PROVIDER, code=str(code), status=code)
    return PermanentEmailError(text, provider=PROVIDER, code=str(code), status=code)
