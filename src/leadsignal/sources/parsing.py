"""Defensive readers for scraped LinkedIn values: profile URLs, dates, locations, loose fields.

Shared by every actor mapper; pure functions, no vendor field names.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote, urlsplit

from leadsignal.leads.us_states import STATE_CODES, STATE_NAMES
from leadsignal.sources.records import YearMonth

# ---------------------------------------------------------------------------------------------
# Small readers


def clean(value: Any) -> str | None:
    """A stripped non-empty string, or None (numbers are accepted, containers are not)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return str(value)
    if not isinstance(value, str):
        return None
    text = " ".join(value.split())
    return text or None


def free_text(value: Any) -> str | None:
    """Free text (post bodies, descriptions): stripped, inner line breaks kept."""
    if not isinstance(value, str):
        return None
    return value.strip() or None


def first_of(item: Mapping[str, Any], *keys: str) -> Any:
    for key in keys:
        value = item.get(key)
        if value not in (None, "", [], {}):
            return value
    return None


def as_obj(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def dict_list(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        return []
    return [v for v in value if isinstance(v, dict)]


# ---------------------------------------------------------------------------------------------
# Profile URLs

_SLUG_RE = re.compile(r"^/in/([^/?#]+)", re.IGNORECASE)


def canonical_or_none(url: str | None) -> str | None:
    """``canonical_profile_url`` for optional, possibly invalid input (agency-supplied fields)."""
    if not url:
        return None
    try:
        return canonical_profile_url(url)
    except ValueError:
        return None


def canonical_profile_url(url: str) -> str:
    """``https://www.linkedin.com/in/<slug>``: lowercase slug, no query, no trailing slash.

    Accepts scheme-less URLs, country subdomains (``uk.linkedin.com``) and percent-encoding.
    Raises ``ValueError`` for anything that is not a LinkedIn member profile URL.
    """
    raw = (url or "").strip()
    if not raw:
        raise ValueError("empty profile URL")
    if "://" not in raw:
        raw = "https://" + raw.lstrip("/")
    parts = urlsplit(raw)
    host = (parts.hostname or "").lower()
    if not (host == "linkedin.com" or host.endswith(".linkedin.com")):
        raise ValueError(f"not a LinkedIn URL: {url!r}")
    match = _SLUG_RE.match(parts.path)
    if not match:
        raise ValueError(f"not a LinkedIn profile URL (expected /in/<slug>): {url!r}")
    slug = unquote(match.group(1)).strip().lower()
    if not slug:
        raise ValueError(f"profile URL has an empty slug: {url!r}")
    return f"https://www.linkedin.com/in/{slug}"


def try_canonical_url(value: Any) -> str | None:
    text = clean(value)
    if text is None:
        return None
    try:
        return canonical_profile_url(text)
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------------
# Dates

_MONTHS = {
    name: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for name in names
}
_PRESENT = {"present", "current", "now", "today"}
_MONTH_YEAR_RE = re.compile(r"\b([A-Za-z]{3,9})\.?\s+(\d{4})\b")
_NUMERIC_YM_RE = re.compile(r"\b(\d{4})[-/](\d{1,2})\b|\b(\d{1,2})[-/](\d{4})\b")
_YEAR_RE = re.compile(r"\b(19\d{2}|20\d{2})\b")
_RANGE_SPLIT_RE = re.compile(r"\s+[-–—]\s+|\s+to\s+|[–—]")


def _month(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 1 <= value <= 12 else None
    text = clean(value)
    if text is None:
        return None
    if text.isdigit():
        return _month(int(text))
    return _MONTHS.get(text.lower().rstrip("."))


def _year(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 1900 <= value <= 2200 else None
    text = clean(value)
    return _year(int(text)) if text is not None and text.isdigit() else None


def parse_year_month_text(text: str | None) -> YearMonth | None:
    """ "Sep 2023", "Issued Sep 2023", "September 2023", "2023-09", "9/2023", "2016" -> YearMonth."""
    if not text:
        return None
    text = re.sub(r"^\s*(issued|expires|expired|expected)\s*(on|by)?\s*", "", text, flags=re.IGNORECASE)
    for match in _MONTH_YEAR_RE.finditer(text):
        month = _month(match.group(1))
        if month is not None:
            return YearMonth(year=int(match.group(2)), month=month)
    numeric = _NUMERIC_YM_RE.search(text)
    if numeric:
        year = int(numeric.group(1) or numeric.group(4))
        month = _month(int(numeric.group(2) or numeric.group(3)))
        if month is not None:
            return YearMonth(year=year, month=month)
    year_match = _YEAR_RE.search(text)
    return YearMonth(year=int(year_match.group(1))) if year_match else None


def parse_year_month(value: Any) -> YearMonth | None:
    """A harvestapi date object ``{month:"Jan", year:2024, text}`` or any date-ish string."""
    if isinstance(value, Mapping):
        year = _year(value.get("year"))
        if year is not None:
            return YearMonth(year=year, month=_month(value.get("month")))
        return parse_year_month_text(clean(value.get("text")))
    if isinstance(value, int) and not isinstance(value, bool):
        year = _year(value)
        return YearMonth(year=year) if year is not None else None
    return parse_year_month_text(clean(value))


def is_present(value: Any) -> bool:
    text = clean(value.get("text")) if isinstance(value, Mapping) else clean(value)
    return text is not None and text.lower() in _PRESENT


def parse_date_range(caption: str | None) -> tuple[YearMonth | None, YearMonth | None, bool]:
    """ "May 2024 - Present · 1 yr 6 mos" -> (start, end, is_current)."""
    if not caption:
        return None, None, False
    span = caption.split("·")[0].strip()
    pieces = [p.strip() for p in _RANGE_SPLIT_RE.split(span, maxsplit=1)]
    start = parse_year_month_text(pieces[0])
    if len(pieces) == 1:
        return start, None, False
    if pieces[1].lower() in _PRESENT:
        return start, None, True
    return start, parse_year_month_text(pieces[1]), False


# ---------------------------------------------------------------------------------------------
# Locations

COUNTRY_CODES = {
    "united states": "US",
    "united states of america": "US",
    "usa": "US",
    "us": "US",
    "canada": "CA",
    "mexico": "MX",
    "united kingdom": "GB",
    "india": "IN",
    "philippines": "PH",
    "germany": "DE",
    "france": "FR",
    "australia": "AU",
    "puerto rico": "PR",
}


def state_code(value: str | None) -> str | None:
    """USPS code for a US state name or code ("California", "CA", "ca"), else None."""
    text = clean(value)
    if text is None:
        return None
    upper = text.upper().replace(".", "")
    if upper in STATE_CODES:
        return upper
    return STATE_NAMES.get(upper)


def parse_location_text(text: str | None) -> tuple[str | None, str | None, str | None]:
    """ "Chicago, Illinois, United States" -> ("Chicago", "IL", "US"). Areas keep no city."""
    if not text:
        return None, None, None
    parts = [p.strip() for p in text.split(",") if p.strip()]
    country = COUNTRY_CODES.get(parts[-1].lower()) if parts else None
    if country is not None:
        parts = parts[:-1]
    state = state_code(parts[-1]) if parts else None
    if state is not None:
        parts = parts[:-1]
        country = country or "US"
    city = parts[0] if parts else None
    if city is not None and (" area" in city.lower() or (state is None and country is None)):
        city = None  # "Greater Chicago Area" or an unparseable blob: keep only location_text
    return city, state, country
