"""Masks secrets in URLs before they reach a log, an error message or the scrape log."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

SECRET_PARAMS = frozenset(
    {
        "token",
        "key",
        "api_key",
        "apikey",
        "access_token",
        "auth",
        "secret",
        "client_secret",
        "password",
        "signature",
        "sig",
    }
)
MASK = "***"


def mask_url(url: str) -> str:
    """``https://x/v1?key=abc&q=1`` -> ``https://x/v1?key=***&q=1``; user:password in the netloc too."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return MASK
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, _, hostport = netloc.rpartition("@")
        user = userinfo.split(":", 1)[0]
        netloc = f"{user}:{MASK}@{hostport}" if ":" in userinfo else f"{MASK}@{hostport}"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        query = urlencode([(k, MASK if k.lower() in SECRET_PARAMS else v) for k, v in pairs], safe="*")
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def mask_text(text: str, secrets: list[str]) -> str:
    """Replace every known secret value inside free text (error bodies sometimes echo the key)."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, MASK)
    return text
