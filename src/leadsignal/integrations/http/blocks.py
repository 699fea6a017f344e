"""Recognises block pages and CAPTCHA challenges. We never try to solve one: we back off."""

from __future__ import annotations

import re
from typing import Literal

import httpx

BlockKind = Literal["blocked", "captcha"]

# Present only on challenge pages, whatever the status.
_CHALLENGE_MARKERS = (
    "unusual traffic",
    "/cdn-cgi/challenge-platform",
    "cf-chl-",
    "cf_chl_",
    "challenges.cloudflare.com",
    "<title>just a moment...</title>",
    "are you a robot",
    "verify you are human",
    "confirm you are not a robot",
)
# Widget markup: also found on ordinary contact forms, so it counts only on a refusal status
# or when the page title itself is about the check.
_WIDGET_MARKERS = ("g-recaptcha", "recaptcha/api.js", "h-captcha", "hcaptcha.com", "cf-turnstile", "captcha")
_BLOCK_MARKERS = (
    "attention required! | cloudflare",
    "you have been blocked",
    "access denied",
    "request blocked",
    "your ip has been blocked",
    "automated access",
)
_REFUSAL_STATUSES = (401, 403, 429, 503, 999)
_TITLE_RE = re.compile(r"<title[^>]*>(.*?)</title>", re.IGNORECASE | re.DOTALL)


def detect_block(response: httpx.Response) -> BlockKind | None:
    """``captcha``, ``blocked`` or None. Only HTML bodies are inspected: a JSON API item may
    mention "captcha" in someone's profile text without being a challenge."""
    status = response.status_code
    if response.headers.get("cf-mitigated", "").lower() == "challenge":
        return "captcha"
    content_type = response.headers.get("content-type", "").lower()
    is_html = "html" in content_type or (not content_type and response.content[:200].lstrip().startswith(b"<"))
    body = response.text[:200_000].lower() if is_html else ""
    if any(marker in body for marker in _CHALLENGE_MARKERS):
        return "captcha"
    title_match = _TITLE_RE.search(body)
    title = title_match.group(1) if title_match else ""
    if any(m in body for m in _WIDGET_MARKERS) and (
        status in _REFUSAL_STATUSES or "captcha" in title or "verif" in title
    ):
        return "captcha"
    if status == 999:  # LinkedIn's "request denied"
        return "blocked"
    if status in _REFUSAL_STATUSES and any(marker in body for marker in _BLOCK_MARKERS):
        return "blocked"
    return None
