"""Errors of the polite client, each saying whether trying again later can help."""

from __future__ import annotations


class OutboundError(Exception):
    """Base of everything the polite client raises. ``retryable``: worth trying again later."""

    retryable: bool = False

    def __init__(self, message: str, *, url: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.url = url  # masked
        self.retry_after = retry_after


class RobotsDisallowed(OutboundError):
    """robots.txt forbids this URL for our user agent; no request was sent."""


class HostBackedOff(OutboundError):
    """The host is in a back-off window (earlier 429, block or CAPTCHA); no request was sent."""

    retryable = True


class BlockedByHost(OutboundError):
    """The host answered with a block page or a CAPTCHA. We never solve; we back off."""

    retryable = True

    def __init__(self, message: str, *, url: str, kind: str, status: int, retry_after: float | None = None) -> None:
        super().__init__(message, url=url, retry_after=retry_after)
        self.kind = kind
        self.status = status


class TransportFailure(OutboundError):
    """Time-outs or connection errors on every attempt."""

    retryable = True


class HttpStatusError(OutboundError):
    """A final non-2xx answer: 429/408/5xx after the last retry, or any other 4xx at once."""

    def __init__(
        self,
        message: str,
        *,
        url: str,
        status: int,
        body: str,
        headers: dict[str, str],
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, url=url, retry_after=retry_after)
        self.status = status
        self.body = body
        self.headers = headers
        self.retryable = status in (408, 429) or status >= 500


class InvalidUserAgent(ValueError):
    """The configured user agent is unfit: we must be identifiable and honest."""
