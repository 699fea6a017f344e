"""The one polite outbound HTTP client: robots.txt, shared rate limits, retries, proxies, block detection."""

from leadsignal.integrations.http.client import PoliteClient
from leadsignal.integrations.http.errors import (
    BlockedByHost,
    HostBackedOff,
    HttpStatusError,
    InvalidUserAgent,
    OutboundError,
    RobotsDisallowed,
    TransportFailure,
)
from leadsignal.integrations.http.factory import build_polite_client
from leadsignal.integrations.http.ratelimit import LocalRateLimiter, RateLimiter, RateSpec, RedisRateLimiter
from leadsignal.integrations.http.retry import RetryPolicy

__all__ = [
    "BlockedByHost",
    "HostBackedOff",
    "HttpStatusError",
    "InvalidUserAgent",
    "LocalRateLimiter",
    "OutboundError",
    "PoliteClient",
    "RateLimiter",
    "RateSpec",
    "RedisRateLimiter",
    "RetryPolicy",
    "RobotsDisallowed",
    "TransportFailure",
    "build_polite_client",
]
