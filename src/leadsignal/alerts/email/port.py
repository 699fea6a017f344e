"""The port every email provider implements, and the two kinds of failure it may raise.

Providers translate their own errors into ``RetryableEmailError`` (try again later: rate limits,
5xx, time-outs, 4xx SMTP replies) or ``PermanentEmailError`` (sending again cannot help: bad key,
bad address, no credits), so the caller decides retries without knowing the vendor.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

IDEMPOTENCY_HEADER = "Idempotency-Key"
# RFC 5322 field names: printable ASCII except the colon; no CR/LF so nothing can be smuggled in.
_HEADER_NAME = re.compile(r"^[!-9;-~]{1,76}$")
_TAG = re.compile(r"^[\w.:-]{1,64}$")


class OutgoingEmail(BaseModel):
    """One message to one recipient. ``headers`` must carry an ``Idempotency-Key`` so that a retried
    send (after a time-out whose outcome we never saw) is not delivered twice."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    to: EmailStr
    to_name: str | None = Field(default=None, max_length=200)
    subject: str = Field(min_length=1, max_length=300)
    html: str = Field(min_length=1)
    text: str = Field(min_length=1)
    tags: tuple[str, ...] = ()
    headers: dict[str, str] = Field(default_factory=dict)
    template: str = Field(min_length=1, max_length=64)
    metadata: dict[str, Any] = Field(default_factory=dict)

    @field_validator("subject", "to_name")
    @classmethod
    def _single_line(cls, v: str | None) -> str | None:
        if v is not None and ("\r" in v or "\n" in v):
            raise ValueError("must be a single line (no CR or LF)")
        return v

    @field_validator("tags")
    @classmethod
    def _tags(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        bad = [t for t in v if not _TAG.match(t)]
        if bad:
            raise ValueError(f"tags must be 1-64 letters, digits or . _ : - ; got {bad!r}")
        return v

    @field_validator("headers")
    @classmethod
    def _headers(cls, v: dict[str, str]) -> dict[str, str]:
        for name, value in v.items():
            if not _HEADER_NAME.match(name):
                raise ValueError(f"invalid header name {name!r}")
            if "\r" in value or "\n" in value:
                raise ValueError(f"header {name!r} must be a single line")
        key = v.get(IDEMPOTENCY_HEADER, "")
        if not key.strip():
            raise ValueError(f"headers must include a non-empty {IDEMPOTENCY_HEADER!r}")
        if len(key) > 128:
            raise ValueError(f"{IDEMPOTENCY_HEADER} must be at most 128 characters")
        return v

    @property
    def idempotency_key(self) -> str:
        return self.headers[IDEMPOTENCY_HEADER]


class SendResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    provider: str
    message_id: str


class EmailError(Exception):
    """Base of provider failures. ``code`` is the provider's own error code when it gave one."""

    def __init__(self, message: str, *, provider: str, code: str | None = None, status: int | None = None) -> None:
        super().__init__(message)
        self.provider, self.code, self.status = provider, code, status


class RetryableEmailError(EmailError):
    """Sending again later may work. ``retry_after`` (seconds) is the provider's hint, if any."""

    def __init__(
        self,
        message: str,
        *,
        provider: str,
        code: str | None = None,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, provider=provider, code=code, status=status)
        self.retry_after = retry_after


class PermanentEmailError(EmailError):
    """Sending again cannot help until someone changes the message, the address or the account."""


class EmailConfigError(ValueError):
    """The configured provider lacks a setting it needs; raised when the sender is built."""


class EmailSender(Protocol):
    """What the alerts domain needs from an email provider."""

    @property
    def provider(self) -> str: ...

    def send(self, message: OutgoingEmail) -> SendResult: ...


class DeliveryEvent(BaseModel):
    """What a provider reported about a message after sending: delivered, bounced, opened..."""

    model_config = ConfigDict(frozen=True)

    provider: str
    message_id: str = Field(min_length=1, max_length=255)
    event: str = Field(min_length=1, max_length=32)
    occurred_at: dt.datetime
    detail: str | None = None  # the bounce/block reason or the clicked link
    raw: dict[str, Any] = Field(default_factory=dict)
