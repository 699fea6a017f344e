"""The Brevo provider against a local fake of Brevo's v3 API: payload, errors, 429 and 5xx retries."""

from __future__ import annotations

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy.orm import Session

from leadsignal.alerts.email.port import (
    IDEMPOTENCY_HEADER,
    EmailConfigError,
    PermanentEmailError,
    RetryableEmailError,
)
from leadsignal.alerts.email.providers import build_email_sender
from leadsignal.integrations.brevo import BrevoSender
from leadsignal.integrations.http.retry import RetryPolicy
from leadsignal.settings import Settings
from tests.alerts.conftest import free_port
from tests.alerts.factories import make_email
from tests.fakes.base import Reply
from tests.fakes.brevo import SEND_PATH, FakeBrevo, brevo_error


class Sleeps(list[float]):
    """Records the waits instead of sleeping them, so retry tests take no wall-clock time."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def _sender(fake: FakeBrevo, sleeps: Sleeps, *, key: str | None = None, attempts: int = 3,
            max_wait: float = 60.0) -> BrevoSender:  # fmt: skip
    return BrevoSender(
        api_key=key or fake.api_key,
        base_url=fake.url,
        sender_email="leadsignal@agency.example",
        sender_name="leadsignal",
        timeout=5,
        policy=RetryPolicy(max_attempts=attempts, base_delay=0.5, max_delay=10.0, max_retry_after=max_wait),
        sleep=sleeps,
    )


def test_send_posts_brevo_payload_and_returns_message_id(fake_brevo: FakeBrevo) -> None:
    message = make_email(tags=("digest", "collector:7"))
    result = _sender(fake_brevo, Sleeps()).send(message)

    assert result.provider == "brevo"
    assert result.message_id.endswith("@smtp-relay.mailin.fr>")
    [request] = fake_brevo.send_requests()
    assert request.headers["api-key"] == fake_brevo.api_key
    assert request.headers["content-type"] == "application/json"
    body = request.json()
    assert body == {
        "sender": {"email": "leadsignal@agency.example", "name": "leadsignal"},
        "to": [{"email": "dana.ortiz@agency.example", "name": "Dana Ortiz"}],
        "subject": message.subject,
        "htmlContent": message.html,
        "textContent": message.text,
        "tags": ["digest", "collector:7"],
        "headers": {IDEMPOTENCY_HEADER: message.idempotency_key},
    }


def test_wrong_key_is_permanent_with_brevo_text(fake_brevo: FakeBrevo) -> None:
    with pytest.raises(PermanentEmailError) as info:
        _sender(fake_brevo, Sleeps(), key="xkeysib-wrong").send(make_email())
    assert info.value.status == 401
    assert info.value.code == "unauthorized"
    assert "Key not found" in str(info.value)
    assert len(fake_brevo.send_requests()) == 1


@pytest.mark.parametrize(
    ("status", "code", "text"),
    [
        (400, "invalid_parameter", "email is not valid in to"),
        (402, "not_enough_credits", "Not enough credits"),
        (403, "permission_denied", "Unable to send email. Your SMTP account is not yet activated."),
    ],
)
def test_client_errors_are_permanent_and_not_retried(fake_brevo: FakeBrevo, status: int, code: str, text: str) -> None:
    fake_brevo.script(SEND_PATH, brevo_error(status, code, text))
    sleeps = Sleeps()
    with pytest.raises(PermanentEmailError) as info:
        _sender(fake_brevo, sleeps).send(make_email())
    assert (info.value.status, info.value.code) == (status, code)
    assert text in str(info.value)
    assert len(fake_brevo.send_requests()) == 1
    assert sleeps == []


def test_fake_rejects_missing_subject_with_400() -> None:
    # The fake's own validation, reached through a raw payload the port would never build.
    with FakeBrevo() as fake:
        response = httpx.post(fake.url + SEND_PATH, json={"sender": {"email": "a@b.example"}, "to": []},
                              headers={"api-key": fake.api_key})  # fmt: skip
    assert response.status_code == 400
    assert response.json() == {"code": "missing_parameter", "message": "subject is missing"}


def test_429_waits_for_ratelimit_reset_then_succeeds(fake_brevo: FakeBrevo) -> None:
    fake_brevo.script(
        SEND_PATH,
        brevo_error(429, "too_many_requests", "Too many requests",
                    {"x-sib-ratelimit-limit": "10", "x-sib-ratelimit-remaining": "0", "x-sib-ratelimit-reset": "7"}),
    )  # fmt: skip
    sleeps = Sleeps()
    message = make_email()
    result = _sender(fake_brevo, sleeps).send(message)

    assert result.message_id
    assert sleeps == [7.0]
    requests = fake_brevo.send_requests()
    assert len(requests) == 2
    assert {r.json()["headers"][IDEMPOTENCY_HEADER] for r in requests} == {message.idempotency_key}
    assert len(fake_brevo.sent) == 1


def test_429_falls_back_to_retry_after(fake_brevo: FakeBrevo) -> None:
    fake_brevo.script(SEND_PATH, brevo_error(429, "too_many_requests", "slow down", {"Retry-After": "3"}))
    sleeps = Sleeps()
    _sender(fake_brevo, sleeps).send(make_email())
    assert sleeps == [3.0]


def test_429_reset_beyond_the_cap_is_surfaced_not_slept(fake_brevo: FakeBrevo) -> None:
    fake_brevo.script(
        SEND_PATH, brevo_error(429, "too_many_requests", "hourly limit", {"x-sib-ratelimit-reset": "3600"})
    )
    sleeps = Sleeps()
    with pytest.raises(RetryableEmailError) as info:
        _sender(fake_brevo, sleeps, max_wait=60).send(make_email())
    assert info.value.status == 429
    assert info.value.retry_after == 3600.0
    assert sleeps == []
    assert len(fake_brevo.send_requests()) == 1


def test_5xx_is_retried_with_backoff_then_succeeds(fake_brevo: FakeBrevo) -> None:
    fake_brevo.script(SEND_PATH, Reply(502, "<html>Bad gateway</html>"), brevo_error(503, "unavailable", "maintenance"))
    sleeps = Sleeps()
    result = _sender(fake_brevo, sleeps, attempts=3).send(make_email())

    assert result.message_id
    assert len(fake_brevo.send_requests()) == 3
    assert len(sleeps) == 2
    assert 0.5 <= sleeps[0] <= 1.0  # base delay, jittered up to twice
    assert 1.0 <= sleeps[1] <= 2.0


def test_5xx_retries_are_bounded(fake_brevo: FakeBrevo) -> None:
    fake_brevo.script(SEND_PATH, *[brevo_error(500, "internal_error", "boom")] * 5)
    sleeps = Sleeps()
    with pytest.raises(RetryableEmailError) as info:
        _sender(fake_brevo, sleeps, attempts=3).send(make_email())
    assert info.value.status == 500
    assert "boom" in str(info.value)
    assert len(fake_brevo.send_requests()) == 3
    assert len(sleeps) == 2
    assert fake_brevo.sent == []


def test_unreachable_brevo_is_retryable() -> None:
    sender = BrevoSender(api_key="k", base_url=f"http://127.0.0.1:{free_port()}", sender_email="a@agency.example",
                         policy=RetryPolicy(max_attempts=2, base_delay=0.1), sleep=Sleeps())  # fmt: skip
    with pytest.raises(RetryableEmailError, match="brevo unreachable"):
        sender.send(make_email())


def test_settings_choose_brevo_and_require_a_key(fake_brevo: FakeBrevo, settings: Settings, db: Session) -> None:
    configured = settings.model_copy(update={"email_provider": "brevo", "brevo_base_url": fake_brevo.url})
    with pytest.raises(EmailConfigError, match="LEADSIGNAL_BREVO_API_KEY"):
        build_email_sender(configured, db)
    keyed = configured.model_copy(update={"brevo_api_key": SecretStr(fake_brevo.api_key)})
    sender = build_email_sender(keyed, db)
    assert sender.provider == "brevo"
    assert sender.send(make_email()).message_id
