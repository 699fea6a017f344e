"""The HMAC scheme shared by outbound and inbound webhooks."""

from __future__ import annotations

import hashlib
import hmac

import pytest

from leadsignal.crm.signing import SignatureError, sign, signed_headers, verify

SECRET = "s3cret-for-signing-tests-0123"
BODY = b'{"id":"e1","type":"signal.created.v1"}'
NOW = 1_790_000_000


def test_signature_is_hmac_of_timestamp_dot_body() -> None:
    expected = hmac.new(SECRET.encode(), f"{NOW}.".encode() + BODY, hashlib.sha256).hexdigest()
    assert sign(SECRET, NOW, BODY) == f"v1={expected}"
    headers = signed_headers(SECRET, BODY, now=NOW)
    assert headers == {"X-Leadsignal-Timestamp": str(NOW), "X-Leadsignal-Signature": f"v1={expected}"}


def test_good_signature_verifies_and_rotation_lists_are_accepted() -> None:
    good = sign(SECRET, NOW, BODY)
    verify(SECRET, BODY, timestamp=str(NOW), signature=good, now=NOW + 299)
    verify(SECRET, BODY, timestamp=str(NOW), signature=f"v1=deadbeef, {good}", now=NOW)


@pytest.mark.parametrize(
    ("body", "timestamp", "signature", "now", "message"),
    [
        (BODY + b" ", str(NOW), None, NOW, "signature does not match"),
        (BODY, str(NOW), "v1=00", NOW, "signature does not match"),
        (BODY, str(NOW), None, NOW + 301, "timestamp is more than 300 s away from now"),
        (BODY, str(NOW), None, NOW - 301, "timestamp is more than 300 s away from now"),
        (BODY, "yesterday", "v1=00", NOW, "timestamp is not a Unix time"),
        (BODY, None, "v1=00", NOW, "missing signature or timestamp header"),
        (BODY, str(NOW), "", NOW, "missing signature or timestamp header"),
    ],
)
def test_bad_signatures_are_refused(body: bytes, timestamp: str | None, signature: str | None, now: int,
                                    message: str) -> None:  # fmt: skip
    signature = sign(SECRET, NOW, BODY) if signature is None else signature
    with pytest.raises(SignatureError) as info:
        verify(SECRET, body, timestamp=timestamp, signature=signature, now=now)
    assert str(info.value) == message


def test_a_timestamp_cannot_be_moved_without_the_secret() -> None:
    old = sign(SECRET, NOW - 3600, BODY)
    with pytest.raises(SignatureError, match="does not match"):
        verify(SECRET, BODY, timestamp=str(NOW), signature=old, now=NOW)


def test_empty_secret_is_refused_both_ways() -> None:
    with pytest.raises(ValueError, match="empty secret"):
        sign("", NOW, BODY)
    with pytest.raises(SignatureError, match="no shared secret"):
        verify("", BODY, timestamp=str(NOW), signature="v1=00", now=NOW)
