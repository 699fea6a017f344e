"""HMAC-SHA256 webhook signatures, the same scheme both ways (we sign outbound, the CRM signs inbound).

``X-Leadsignal-Signature: v1=<hex HMAC-SHA256(secret, f"{timestamp}.{raw body}")>`` with the Unix
time in ``X-Leadsignal-Timestamp``. Binding the timestamp into the MAC and refusing old
timestamps makes a captured request useless for replay after ``MAX_AGE``.
"""

from __future__ import annotations

import hashlib
import hmac
import time

SIGNATURE_HEADER = "X-Leadsignal-Signature"
TIMESTAMP_HEADER = "X-Leadsignal-Timestamp"
EVENT_HEADER = "X-Leadsignal-Event"
IDEMPOTENCY_HEADER = "Idempotency-Key"
MAX_AGE_SECONDS = 300
_SCHEME = "v1"


class SignatureError(ValueError):
    """The signature is missing, malformed, wrong, or its timestamp is outside the allowed window."""


def sign(secret: str, timestamp: int, body: bytes) -> str:
    if not secret:
        # An empty secret verifies against an empty key, which anyone can forge.
        raise ValueError("refusing to sign with an empty secret")
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"{_SCHEME}={mac.hexdigest()}"


def signed_headers(secret: str, body: bytes, *, now: float | None = None) -> dict[str, str]:
    timestamp = int(time.time() if now is None else now)
    return {TIMESTAMP_HEADER: str(timestamp), SIGNATURE_HEADER: sign(secret, timestamp, body)}


def verify(
    secret: str,
    body: bytes,
    *,
    timestamp: str | None,
    signature: str | None,
    now: float | None = None,
    max_age: int = MAX_AGE_SECONDS,
) -> None:
    """Raise ``SignatureError`` unless ``signature`` is valid for ``body`` and ``timestamp`` is fresh.

    ``signature`` may list several comma-separated ``v1=`` values (sent during a secret rotation).
    """
    if not secret:
        raise SignatureError("no shared secret is configured")
    if not timestamp or not signature:
        raise SignatureError("missing signature or timestamp header")
    try:
        ts = int(timestamp)
    except ValueError as exc:
        raise SignatureError("timestamp is not a Unix time") from exc
    current = time.time() if now is None else now
    if abs(current - ts) > max_age:
        raise SignatureError(f"timestamp is more than {max_age} s away from now")
    expected = sign(secret, ts, body)
    candidates = [part.strip() for part in signature.split(",") if part.strip()]
    if not any(hmac.compare_digest(expected, candidate) for candidate in candidates):
        raise SignatureError("signature does not match")
