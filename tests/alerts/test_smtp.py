"""The SMTP provider against a real SMTP server (aiosmtpd) on 127.0.0.1, the message parsed back."""

from __future__ import annotations

import re

import pytest
from sqlalchemy.orm import Session

from leadsignal.alerts.email.port import (
    IDEMPOTENCY_HEADER,
    EmailConfigError,
    PermanentEmailError,
    RetryableEmailError,
)
from leadsignal.alerts.email.providers import build_email_sender
from leadsignal.alerts.email.render import render_digest
from leadsignal.integrations.smtp import SmtpSender
from leadsignal.settings import Settings
from tests.alerts.conftest import SmtpServer, TlsSmtpServer, free_port
from tests.alerts.factories import DASHBOARD, NOW, make_email, sample_digest_items


def _sender(server: SmtpServer, **overrides: object) -> SmtpSender:
    values: dict[str, object] = {
        "host": server.host, "port": server.port, "sender_email": "leadsignal@agency.example",
        "sender_name": "leadsignal", "starttls": False, "timeout": 5,
    }  # fmt: skip
    values.update(overrides)
    return SmtpSender(**values)  # type: ignore[arg-type]


def test_digest_arrives_as_multipart_alternative_with_links_in_priority_order(smtp_server: SmtpServer) -> None:
    rendered = render_digest("Dana", "America/Chicago", sample_digest_items(), dashboard_url=DASHBOARD,
                             generated_at=NOW)  # fmt: skip
    message = make_email(subject=rendered.subject, html=rendered.html, text=rendered.text)

    result = _sender(smtp_server).send(message)

    [received] = smtp_server.handler.received
    assert received.mail_from == "leadsignal@agency.example"
    assert received.rcpt_tos == ["dana.ortiz@agency.example"]
    parsed = received.parsed()
    assert parsed["Subject"] == rendered.subject
    assert parsed["Message-ID"] == result.message_id
    assert re.fullmatch(r"<[^@>]+@agency\.example>", result.message_id)
    assert parsed["To"] == "Dana Ortiz <dana.ortiz@agency.example>"
    assert parsed[IDEMPOTENCY_HEADER] == message.idempotency_key
    assert parsed.get_content_type() == "multipart/alternative"
    text_part = parsed.get_body(preferencelist=("plain",))
    html_part = parsed.get_body(preferencelist=("html",))
    assert text_part is not None
    assert html_part is not None
    # SMTP carries CRLF line ends; the content is otherwise exactly what was rendered.
    text = text_part.get_content().replace("\r\n", "\n")
    html = html_part.get_content().replace("\r\n", "\n")
    assert text == rendered.text
    assert html == rendered.html
    for body in (text, html):
        assert f"{DASHBOARD}/signals/11" in body
        assert f"{DASHBOARD}/leads/1011" in body
        lower = body.lower()
        high, medium, low = (lower.index(label) for label in ("high priority", "medium priority", "low priority"))
        assert high < medium < low
        # Inside "high": the higher score (Maria, 91) before Ana (88).
        assert body.index("Maria Gonzalez") < body.index("Ana Silva") < medium


def test_recipient_refused_with_5xx_is_permanent(smtp_server: SmtpServer) -> None:
    smtp_server.handler.refuse["gone@agency.example"] = "550 5.1.1 No such user"
    with pytest.raises(PermanentEmailError, match="550") as info:
        _sender(smtp_server).send(make_email(to="gone@agency.example"))
    assert info.value.status == 550
    assert smtp_server.handler.received == []


def test_recipient_deferred_with_4xx_is_retryable(smtp_server: SmtpServer) -> None:
    smtp_server.handler.refuse["busy@agency.example"] = "451 4.3.0 Mailbox busy, try later"
    with pytest.raises(RetryableEmailError, match="451"):
        _sender(smtp_server).send(make_email(to="busy@agency.example"))


def test_starttls_required_but_not_offered_is_permanent(smtp_server: SmtpServer) -> None:
    with pytest.raises(PermanentEmailError, match="STARTTLS"):
        _sender(smtp_server, starttls=True).send(make_email())
    assert smtp_server.handler.received == []


def test_unreachable_server_is_retryable() -> None:
    sender = SmtpSender(host="127.0.0.1", port=free_port(), sender_email="a@agency.example", starttls=False, timeout=2)
    with pytest.raises(RetryableEmailError, match="smtp unreachable"):
        sender.send(make_email())


def test_settings_choose_smtp(smtp_server: SmtpServer, settings: Settings, db: Session) -> None:
    configured = settings.model_copy(
        update={"email_provider": "smtp", "smtp_host": smtp_server.host, "smtp_port": smtp_server.port,
                "smtp_starttls": False}
    )  # fmt: skip
    sender = build_email_sender(configured, db)
    assert sender.provider == "smtp"
    sender.send(make_email())
    assert len(smtp_server.handler.received) == 1


def test_missing_host_is_a_clear_config_error(settings: Settings, db: Session) -> None:
    with pytest.raises(EmailConfigError, match="LEADSIGNAL_SMTP_HOST"):
        build_email_sender(settings.model_copy(update={"email_provider": "smtp", "smtp_host": None}), db)


def test_starttls_and_login_against_a_server_that_requires_both(smtp_tls_server: TlsSmtpServer) -> None:
    server = smtp_tls_server
    sender = _sender(server, starttls=True, username=server.username, password=server.password,
                     tls_context=server.client_context)  # fmt: skip
    result = sender.send(make_email())
    [received] = server.handler.received
    assert received.parsed()["Message-ID"] == result.message_id


def test_wrong_smtp_password_is_permanent(smtp_tls_server: TlsSmtpServer) -> None:
    server = smtp_tls_server
    sender = _sender(server, starttls=True, username=server.username, password="wrong",
                     tls_context=server.client_context)  # fmt: skip
    with pytest.raises(PermanentEmailError, match="smtp login refused: 535"):
        sender.send(make_email())
    assert server.handler.received == []


def test_untrusted_certificate_is_refused(smtp_tls_server: TlsSmtpServer) -> None:
    # The default context trusts only the system's CAs, not the test server's self-signed certificate.
    server = smtp_tls_server
    sender = _sender(server, starttls=True, username=server.username, password=server.password)
    with pytest.raises(PermanentEmailError, match="CERTIFICATE_VERIFY_FAILED"):
        sender.send(make_email())
    assert server.handler.received == []
