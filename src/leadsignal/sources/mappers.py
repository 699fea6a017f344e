"""Actor items (Apify LinkedIn scrapers) -> our typed records.

Actor outputs are not contracts: field names and layouts drift between builds. Every reader here
is defensive (missing optional fields are fine), picks the layout by inspecting the item, and
raises ``MalformedItem`` with a specific reason when an item cannot give a usable record.
Shapes: harvestapi profile (api-contracts 2a/2b), dev_fusion profile (2c, both ``breakdown``
layouts and the newer flat fields), harvestapi posts (2d), apimaestro posts (2e).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from typing import Any

from leadsignal.sources.parsing import (
    COUNTRY_CODES,
    as_obj,
    canonical_profile_url,
    clean,
    dict_list,
    first_of,
    free_text,
    is_present,
    parse_date_range,
    parse_location_text,
    parse_year_month,
    parse_year_month_text,
    state_code,
    try_canonical_url,
)
from leadsignal.sources.records import (
    Credential,
    Education,
    Honor,
    Position,
    PostRecord,
    ProfileRecord,
    YearMonth,
)

__all__ = [
    "MalformedItem",
    "canonical_profile_url",
    "map_post_item",
    "map_profile_item",
    "parse_date_range",
    "parse_location_text",
    "parse_year_month",
]


class MalformedItem(ValueError):
    """An actor item that cannot be turned into a record (actor error, no URL, no name...)."""


# ---------------------------------------------------------------------------------------------
# Profiles


def map_profile_item(item: dict[str, Any], *, source: str, fetched_at: dt.datetime | None = None) -> ProfileRecord:
    """One profile item of either supported actor -> ``ProfileRecord`` (layout chosen by inspection)."""
    if not isinstance(item, dict):
        raise MalformedItem(f"profile item is not an object but {type(item).__name__}")
    error = item.get("error")
    if error:
        detail = error.get("message") if isinstance(error, Mapping) else error
        raise MalformedItem(f"actor reported an error for {item.get('originalQuery') or item.get('query')!r}: {detail}")
    element = item.get("element")
    if isinstance(element, dict) and not item.get("linkedinUrl"):
        item = element  # README-style wrapper: {query, status, entityId, element}
    if _looks_like_dev_fusion(item):
        return _map_dev_fusion(item, source=source, fetched_at=fetched_at)
    return _map_harvestapi(item, source=source, fetched_at=fetched_at)


_DEV_FUSION_MARKERS = (
    "experiences",
    "educations",
    "licenseAndCertificates",
    "addressWithCountry",
    "addressWithoutCountry",
    "addressCountryOnly",
    "jobTitle",
    "jobStartedOn",
)
_HARVEST_MARKERS = ("experience", "education", "certifications", "currentPosition", "honorsAndAwards", "location")


def _looks_like_dev_fusion(item: Mapping[str, Any]) -> bool:
    dev = sum(1 for k in _DEV_FUSION_MARKERS if k in item)
    harvest = sum(1 for k in _HARVEST_MARKERS if k in item and k != "honorsAndAwards")
    return dev > harvest


def _slug_url(slug: str | None) -> str | None:
    """A profile URL from a bare public identifier, if it is one (no slashes, queries or spaces)."""
    if slug is None or not re.fullmatch(r"[^/?#\s]+", slug):
        return None
    return try_canonical_url(f"https://www.linkedin.com/in/{slug}")


def _identity(item: Mapping[str, Any]) -> tuple[str, str | None]:
    slug = clean(first_of(item, "publicIdentifier", "public_identifier", "username"))
    for key in ("linkedinUrl", "linkedInUrl", "profileUrl", "url", "originalQuery", "query"):
        url = try_canonical_url(item.get(key))
        if url is not None:
            return url, (slug or url.rsplit("/", 1)[-1]).lower()
    url = _slug_url(slug)
    if url is not None:
        return url, url.rsplit("/", 1)[-1]
    raise MalformedItem("profile item has no usable LinkedIn profile URL or public identifier")


def _names(item: Mapping[str, Any]) -> tuple[str | None, str | None, str]:
    first = clean(first_of(item, "firstName", "first_name"))
    last = clean(first_of(item, "lastName", "last_name"))
    full = clean(first_of(item, "fullName", "full_name", "name")) or clean(" ".join(p for p in (first, last) if p))
    if full is None:
        raise MalformedItem("profile item has no name (firstName/lastName/fullName all missing)")
    return first, last, full


def _bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in {"true", "yes", "1"}
    return bool(value)


# -- harvestapi (2a) ---------------------------------------------------------------------------


def _map_harvestapi(item: dict[str, Any], *, source: str, fetched_at: dt.datetime | None) -> ProfileRecord:
    url, slug = _identity(item)
    first, last, full = _names(item)
    location_text, city, state, country = _harvest_location(item.get("location"))
    positions = [p for p in (_harvest_position(e) for e in dict_list(item.get("experience"))) if p is not None]
    if not positions:
        positions = [
            Position(
                company=clean(c.get("companyName")), title=clean(first_of(c, "position", "title")), is_current=True
            )
            for c in dict_list(item.get("currentPosition"))
            if clean(c.get("companyName"))
        ]
    return ProfileRecord(
        profile_url=url,
        public_identifier=slug,
        first_name=first,
        last_name=last,
        full_name=full,
        headline=clean(item.get("headline")),
        about=free_text(first_of(item, "about", "summary")),
        location_text=location_text,
        city=city,
        state=state,
        country_code=country,
        open_to_work=_bool(item.get("openToWork")),
        email=clean(first_of(item, "email", "emailAddress")),
        phone=clean(first_of(item, "phone", "mobileNumber")),
        positions=tuple(positions),
        education=tuple(_harvest_education(e) for e in dict_list(first_of(item, "education", "educations"))),
        credentials=tuple(
            c
            for c in (
                _harvest_credential(e)
                for e in dict_list(first_of(item, "certifications", "licenses", "licensesAndCertifications"))
            )
            if c is not None
        ),
        honors=tuple(
            h
            for h in (_harvest_honor(e) for e in dict_list(first_of(item, "honorsAndAwards", "honors")))
            if h is not None
        ),
        fetched_at=fetched_at,
        source=source,
    )


def _harvest_location(value: Any) -> tuple[str | None, str | None, str | None, str | None]:
    if isinstance(value, str):
        city, state, country = parse_location_text(value)
        return clean(value), city, state, country
    if not isinstance(value, Mapping):
        return None, None, None, None
    text = clean(first_of(value, "linkedinText", "text"))
    parsed = as_obj(value.get("parsed"))
    t_city, t_state, t_country = parse_location_text(text or clean(parsed.get("text")))
    country = clean(first_of(parsed, "countryCode")) or clean(value.get("countryCode")) or t_country
    country = country.upper() if country else None
    state = state_code(clean(first_of(parsed, "state", "regionCode"))) if country in (None, "US") else None
    return text, clean(parsed.get("city")) or t_city, state or t_state, country


def _harvest_position(entry: Mapping[str, Any]) -> Position | None:
    title = clean(first_of(entry, "position", "title", "jobTitle"))
    company = clean(first_of(entry, "companyName", "company"))
    if title is None and company is None:
        return None
    start = parse_year_month(entry.get("startDate"))
    end_raw = entry.get("endDate")
    end = parse_year_month(end_raw)
    current = is_present(end_raw) or (end is None and start is not None)
    if "isCurrent" in entry or "current" in entry:
        current = _bool(first_of(entry, "isCurrent", "current"))
    return Position(
        title=title,
        company=company,
        company_url=clean(first_of(entry, "companyLinkedinUrl", "companyUrl")),
        location=clean(entry.get("location")),
        employment_type=clean(entry.get("employmentType")),
        start=start,
        end=None if current else end,
        is_current=current,
        description=clean(entry.get("description")),
    )


def _harvest_education(entry: Mapping[str, Any]) -> Education:
    start = parse_year_month(entry.get("startDate"))
    end = parse_year_month(entry.get("endDate"))
    if start is None and end is None:
        start, end, _ = parse_date_range(clean(entry.get("period")))
    return Education(
        school=clean(first_of(entry, "schoolName", "school", "title")),
        degree=clean(first_of(entry, "degree", "degreeName")),
        field_of_study=clean(first_of(entry, "fieldOfStudy", "field")),
        start=start,
        end=end,
    )


def _harvest_credential(entry: Mapping[str, Any]) -> Credential | None:
    name = clean(first_of(entry, "title", "name"))
    if name is None:
        return None
    issued_text = clean(first_of(entry, "issuedAt", "issuedOn", "issueDate"))
    expires = parse_year_month(first_of(entry, "expiresAt", "expiresOn", "expirationDate"))
    if expires is None and issued_text and "expire" in issued_text.lower():
        expires = parse_year_month_text(issued_text[issued_text.lower().index("expire") :])
    return Credential(
        name=name,
        issuer=clean(first_of(entry, "issuedBy", "issuer", "authority")),
        issued=parse_year_month(issued_text.split("·")[0] if issued_text else first_of(entry, "startDate")),
        expires=expires,
        credential_id=clean(first_of(entry, "credentialId", "licenseNumber")),
    )


def _harvest_honor(entry: Mapping[str, Any]) -> Honor | None:
    title = clean(first_of(entry, "title", "name"))
    if title is None:
        return None
    return Honor(
        title=title,
        issuer=clean(first_of(entry, "issuedBy", "issuer")),
        issued=parse_year_month(first_of(entry, "issuedAt", "issuedOn", "date")),
        description=clean(entry.get("description")),
    )


# -- dev_fusion (2c) ---------------------------------------------------------------------------

_EMPLOYMENT_TYPES = {
    "full-time",
    "part-time",
    "contract",
    "contract full-time",
    "contract part-time",
    "internship",
    "self-employed",
    "freelance",
    "apprenticeship",
    "seasonal",
    "temporary",
    "permanent",
    "permanent full-time",
}
_WORKPLACE_TYPES = {"on-site", "hybrid", "remote"}
_DURATION_RE = re.compile(r"^\d+\s*(yrs?|mos?|years?|months?)\b", re.IGNORECASE)
_DEGREE_WORDS = re.compile(
    r"\b(bachelor|master|associate|doctor|ph\.?d|mba|b\.?s|b\.?a|m\.?s|m\.?a|a\.?a|a\.?s|diploma|certificate|degree|"
    r"high school|ged|jd|md|rn|bsn|msn)\b",
    re.IGNORECASE,
)


def _dot_parts(text: str | None) -> list[str]:
    return [p.strip() for p in (text or "").split("·") if p.strip()]


def _component_texts(entry: Mapping[str, Any]) -> list[str]:
    texts: list[str] = []
    for sub in dict_list(entry.get("subComponents")):
        for desc in dict_list(sub.get("description")):
            text = clean(desc.get("text"))
            if text:
                texts.append(text)
    return texts


def _company_and_type(subtitle: str | None) -> tuple[str | None, str | None]:
    company: str | None = None
    employment: str | None = None
    for part in _dot_parts(subtitle):
        lower = part.lower()
        if lower in _EMPLOYMENT_TYPES:
            employment = employment or part
        elif _DURATION_RE.match(part):
            continue
        elif company is None:
            company = part
    return company, employment


def _place(metadata: str | None) -> str | None:
    for part in _dot_parts(metadata):
        if part.lower() not in _WORKPLACE_TYPES:
            return part
    return None


def _map_dev_fusion(item: dict[str, Any], *, source: str, fetched_at: dt.datetime | None) -> ProfileRecord:
    url, slug = _identity(item)
    first, last, full = _names(item)
    location_text = clean(
        first_of(item, "addressWithCountry", "addressWithoutCountry", "location", "addressCountryOnly")
    )
    city, state, country = parse_location_text(location_text)
    if country is None:
        country = COUNTRY_CODES.get((clean(item.get("addressCountryOnly")) or "").lower())
    positions: list[Position] = []
    for entry in dict_list(item.get("experiences")):
        positions.extend(_dev_fusion_positions(entry))
    if not positions and clean(first_of(item, "jobTitle", "companyName")):
        start = parse_year_month(item.get("jobStartedOn"))
        current = item.get("jobStillWorking")
        positions.append(
            Position(
                title=clean(item.get("jobTitle")),
                company=clean(item.get("companyName")),
                company_url=clean(item.get("companyLinkedin")),
                location=clean(item.get("jobLocation")),
                start=start,
                is_current=True if current is None else _bool(current),
            )
        )
    return ProfileRecord(
        profile_url=url,
        public_identifier=slug,
        first_name=first,
        last_name=last,
        full_name=full,
        headline=clean(item.get("headline")),
        about=free_text(item.get("about")),
        location_text=location_text,
        city=city,
        state=state,
        country_code=country,
        open_to_work=_bool(first_of(item, "openToWork", "isOpenToWork")),
        email=clean(item.get("email")),
        phone=clean(first_of(item, "mobileNumber", "phone")),
        positions=tuple(positions),
        education=tuple(_dev_fusion_education(e) for e in dict_list(item.get("educations"))),
        credentials=tuple(
            c
            for c in (
                _dev_fusion_credential(e) for e in dict_list(first_of(item, "licenseAndCertificates", "certifications"))
            )
            if c is not None
        ),
        honors=tuple(
            h for h in (_dev_fusion_honor(e) for e in dict_list(item.get("honorsAndAwards"))) if h is not None
        ),
        fetched_at=fetched_at,
        source=source,
    )


def _flat_dates(entry: Mapping[str, Any]) -> tuple[YearMonth | None, YearMonth | None, bool] | None:
    """Newer builds' flat fields (jobStartedOn/jobEndedOn/jobStillWorking), when present."""
    if not any(k in entry for k in ("jobStartedOn", "jobEndedOn", "jobStillWorking")):
        return None
    start = parse_year_month(entry.get("jobStartedOn"))
    end = parse_year_month(entry.get("jobEndedOn"))
    still = entry.get("jobStillWorking")
    current = _bool(still) if still is not None else (end is None and is_present(entry.get("jobEndedOn")))
    return start, (None if current else end), current


def _dev_fusion_positions(entry: Mapping[str, Any]) -> list[Position]:
    roles = [s for s in dict_list(entry.get("subComponents")) if clean(s.get("title"))]
    company_url = clean(first_of(entry, "companyLink1", "companyLink", "companyUrl"))
    if _bool(entry.get("breakdown")) and roles:
        company = clean(first_of(entry, "companyName", "title"))
        _, group_type = _company_and_type(clean(entry.get("subtitle")))
        group_place = clean(entry.get("caption"))
        out = []
        for role in roles:
            start, end, current = _flat_dates(role) or parse_date_range(clean(role.get("caption")))
            role_type = _company_and_type(clean(role.get("subtitle")))[1]
            out.append(
                Position(
                    title=clean(role.get("title")),
                    company=company,
                    company_url=company_url,
                    location=clean(role.get("jobLocation")) or _place(clean(role.get("metadata"))) or group_place,
                    employment_type=clean(role.get("employmentType")) or role_type or group_type,
                    start=start,
                    end=end,
                    is_current=current,
                    description=" ".join(_component_texts(role)) or None,
                )
            )
        return out
    subtitle_company, employment = _company_and_type(clean(entry.get("subtitle")))
    title = clean(first_of(entry, "jobTitle", "title"))
    company = clean(entry.get("companyName")) or subtitle_company
    if _bool(entry.get("breakdown")) and not clean(entry.get("companyName")):
        title, company = clean(entry.get("jobTitle")), title  # a company group whose roles were not scraped
    if title is None and company is None:
        return []
    start, end, current = _flat_dates(entry) or parse_date_range(clean(entry.get("caption")))
    return [
        Position(
            title=title,
            company=company,
            company_url=company_url,
            location=clean(entry.get("jobLocation")) or _place(clean(entry.get("metadata"))),
            employment_type=clean(entry.get("employmentType")) or employment,
            start=start,
            end=end,
            is_current=current,
            description=" ".join(_component_texts(entry)) or None,
        )
    ]


def _dev_fusion_education(entry: Mapping[str, Any]) -> Education:
    subtitle = clean(entry.get("subtitle"))
    degree: str | None = None
    field: str | None = None
    if subtitle:
        head, _, tail = subtitle.partition(",")
        if tail.strip():
            degree, field = head.strip(), tail.strip()
        elif _DEGREE_WORDS.search(subtitle):
            degree = subtitle
        else:
            field = subtitle
    start, end, _ = parse_date_range(clean(entry.get("caption")))
    return Education(
        school=clean(first_of(entry, "title", "schoolName")), degree=degree, field_of_study=field, start=start, end=end
    )


_CRED_ID_RE = re.compile(r"credential id[:\s]+(\S+)", re.IGNORECASE)


def _dev_fusion_credential(entry: Mapping[str, Any]) -> Credential | None:
    name = clean(first_of(entry, "title", "name"))
    if name is None:
        return None
    caption = clean(entry.get("caption")) or ""
    issued_part = next((p for p in _dot_parts(caption) if p.lower().startswith("issued")), caption)
    expires_part = next((p for p in _dot_parts(caption) if "expire" in p.lower()), None)
    cred_id: str | None = None
    for text in [clean(entry.get("metadata")) or "", *_component_texts(entry)]:
        match = _CRED_ID_RE.search(text)
        if match:
            cred_id = match.group(1)
            break
    return Credential(
        name=name,
        issuer=clean(first_of(entry, "subtitle", "issuedBy")),
        issued=parse_year_month_text(issued_part),
        expires=parse_year_month_text(expires_part),
        credential_id=cred_id,
    )


def _dev_fusion_honor(entry: Mapping[str, Any]) -> Honor | None:
    title = clean(entry.get("title"))
    if title is None:
        return None
    issuer: str | None = None
    issued: YearMonth | None = None
    for part in _dot_parts(clean(entry.get("subtitle")) or clean(entry.get("caption"))):
        if part.lower().startswith("issued by"):
            issuer = part[len("issued by") :].strip() or None
        else:
            issued = issued or parse_year_month_text(part)
    description = clean(entry.get("description")) or " ".join(_component_texts(entry)) or None
    return Honor(title=title, issuer=issuer, issued=issued, description=description)


# ---------------------------------------------------------------------------------------------
# Posts

_ACTIVITY_RE = re.compile(r"activity[:-](\d{6,})")


def _epoch(value: Any) -> dt.datetime | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    if not 0 < number < 1e14:  # nan, negative, or beyond year 5000 even as milliseconds
        return None
    seconds = number / 1000 if number > 1e11 else number  # ms (the norm) or s (drift)
    return dt.datetime.fromtimestamp(seconds, tz=dt.UTC)


def _iso(value: Any) -> dt.datetime | None:
    text = clean(value)
    if text is None:
        return None
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    # apimaestro's "2026-05-11 10:39:56" has no zone; UTC is the documented best guess.
    return parsed.replace(tzinfo=dt.UTC) if parsed.tzinfo is None else parsed.astimezone(dt.UTC)


def _post_id(*candidates: Any) -> str:
    for value in candidates:
        text = clean(value)
        if text is None:
            continue
        if text.isdigit():
            return text
        match = _ACTIVITY_RE.search(text)
        if match:
            return match.group(1)
    raise MalformedItem("post item has no usable post id (id/urn/url all missing or unparseable)")


def map_post_item(item: dict[str, Any], *, source: str) -> PostRecord | None:
    """One post item (harvestapi 2d or apimaestro 2e) -> ``PostRecord``; None for non-post items."""
    if not isinstance(item, dict):
        raise MalformedItem(f"post item is not an object but {type(item).__name__}")
    if item.get("error"):
        raise MalformedItem(f"actor reported an error: {item['error']}")
    if "full_urn" in item or ("urn" in item and "posted_at" in item):
        return _map_apimaestro_post(item, source=source)
    if item.get("type") != "post":
        return None  # reactions/comments are separate items whose type values are unverified
    return _map_harvest_post(item, source=source)


def _map_harvest_post(item: dict[str, Any], *, source: str) -> PostRecord:
    url = clean(first_of(item, "linkedinUrl", "url", "postUrl"))
    post_id = _post_id(item.get("id"), item.get("entityId"), url)
    posted = item.get("postedAt")
    posted_at = None
    if isinstance(posted, Mapping):
        posted_at = _epoch(posted.get("timestamp")) or _iso(posted.get("date"))
    else:
        posted_at = _iso(posted) or _epoch(posted)
    author = as_obj(item.get("author"))
    author_url = None
    if author.get("type") in (None, "profile"):
        author_url = try_canonical_url(author.get("linkedinUrl"))
        slug = clean(author.get("publicIdentifier"))
        if author_url is None and slug:
            author_url = _slug_url(slug)
    repost = item.get("repostedBy") or item.get("isRepost") or item.get("reposted")
    return PostRecord(
        post_id=post_id,
        url=url,
        author_profile_url=author_url,
        text=free_text(first_of(item, "content", "text")) or "",
        posted_at=posted_at,
        is_repost=bool(repost),
        source=source,
    )


def _map_apimaestro_post(item: dict[str, Any], *, source: str) -> PostRecord:
    urn = item.get("urn")
    urn_ids: Iterable[Any] = ()
    if isinstance(urn, Mapping):
        urn_ids = (urn.get("activity_urn"), urn.get("ugcPost_urn"), urn.get("share_urn"))
    elif urn is not None:
        urn_ids = (urn,)
    url = clean(first_of(item, "url", "post_url"))
    post_id = _post_id(*urn_ids, item.get("full_urn"), url)
    posted = item.get("posted_at")
    posted_at = None
    if isinstance(posted, Mapping):
        posted_at = _epoch(posted.get("timestamp")) or _iso(posted.get("date"))
    else:
        posted_at = _iso(posted) or _epoch(posted)
    author = as_obj(item.get("author"))
    author_url = try_canonical_url(author.get("profile_url"))
    username = clean(author.get("username"))
    if author_url is None and username:
        author_url = try_canonical_url(username) or _slug_url(username)
    post_type = (clean(item.get("post_type")) or "").lower()
    return PostRecord(
        post_id=post_id,
        url=url,
        author_profile_url=author_url,
        text=free_text(first_of(item, "text", "content")) or "",
        posted_at=posted_at,
        is_repost=post_type in {"repost", "reshare"},
        source=source,
    )
