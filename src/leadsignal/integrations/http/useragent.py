"""The one user agent we send: identifiable, contactable, never pretending to be a browser."""

from __future__ import annotations

import re

from leadsignal.integrations.http.errors import InvalidUserAgent

_CONTACT_RE = re.compile(r"https?://[^\s;()]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Tokens that real browsers send and bots copy to pass as one.
_BROWSER_TOKENS = (
    "mozilla/",
    "applewebkit",
    "chrome/",
    "safari/",
    "firefox/",
    "gecko/",
    "edg/",
    "opr/",
    "msie",
    "trident/",
)


def validate_user_agent(value: str) -> str:
    """Return ``value`` stripped, or raise ``InvalidUserAgent`` with the reason."""
    ua = (value or "").strip()
    if not ua:
        raise InvalidUserAgent("user agent is empty; set LEADSIGNAL_USER_AGENT")
    if not ua.isascii() or any(ord(c) < 32 or ord(c) == 127 for c in ua):
        raise InvalidUserAgent("user agent must be printable ASCII (HTTP header values are ASCII)")
    if len(ua) > 512:
        raise InvalidUserAgent("user agent is longer than 512 characters")
    lowered = ua.lower()
    fake = [t for t in _BROWSER_TOKENS if t in lowered]
    if fake:
        raise InvalidUserAgent(f"user agent impersonates a browser ({', '.join(fake)}); name our bot instead")
    if not _CONTACT_RE.search(ua):
        raise InvalidUserAgent("user agent must contain a contact URL or email address, e.g. (+https://you/bot)")
    return ua
