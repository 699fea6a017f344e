"""Structured events from two versions of a profile (the detect stage's profile half).

Matching of "the same" entry is deliberately loose, so scraper drift (case, spacing, punctuation,
company suffixes, a company URL in one build and only a name in the other, reordering) never
looks like a career change. Kinds:

- ``new_position_new_employer``: a current position at an employer that was not current before.
- ``new_title_same_employer``: a new current title at an employer that was already current.
- ``new_certification``: a certification or licence not listed before.
- ``new_education``: a new education entry, or an existing one that gained an end date.
- ``new_honor``: an honour or award not listed before.
- ``position_ended`` (hardship, NOT positive): a current employer stopped being current and no
  new employer was started in the same diff. A later stage routes it to hardship handling.
- ``open_to_work`` (hardship, NOT positive): the open-to-work flag flipped to true.

A new version with no positions at all while the old one had some is treated as a partial scrape:
it produces no position events (neither new nor ended).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from leadsignal.sources.records import Credential, Education, Honor, Position, ProfileRecord, YearMonth

_T = TypeVar("_T")

EventKind = Literal[
    "new_position_new_employer",
    "new_title_same_employer",
    "new_certification",
    "new_education",
    "new_honor",
    "position_ended",
    "open_to_work",
]
POSITIVE_KINDS: frozenset[str] = frozenset(
    {"new_position_new_employer", "new_title_same_employer", "new_certification", "new_education", "new_honor"}
)
HARDSHIP_KINDS: frozenset[str] = frozenset({"position_ended", "open_to_work"})


class ProfileEvent(BaseModel):
    """One change between two snapshots. ``name`` is the title, credential, school or honour."""

    model_config = ConfigDict(frozen=True)

    kind: EventKind
    name: str | None = None
    organisation: str | None = None
    event_date: dt.date | None = None
    detail: str | None = None
    evidence: dict[str, Any] = Field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# Normalised keys

_SUFFIXES = re.compile(
    r"\b(inc|incorporated|llc|l l c|ltd|limited|corp|corporation|co|company|plc|lp|llp|pllc|pc|gmbh|the)\b"
)
_NON_WORD = re.compile(r"[^\w]+")
_COMPANY_URL = re.compile(r"linkedin\.com/(?:company|school|showcase)/([^/?#]+)", re.IGNORECASE)


def norm(text: str | None) -> str:
    """Lowercase words only: "  Contoso Health, Inc. " -> "contoso health inc"."""
    return " ".join(_NON_WORD.sub(" ", (text or "").lower()).split())


def _org(text: str | None) -> str:
    return " ".join(_SUFFIXES.sub(" ", norm(text)).split())


def employer_keys(position: Position) -> frozenset[str]:
    """Every identity the employer can be recognised by (name, URL slug, slug read as a name)."""
    keys: set[str] = set()
    name = _org(position.company)
    if name:
        keys.add("name:" + name)
        keys.add("name:" + name.replace(" ", ""))
    match = _COMPANY_URL.search(position.company_url or "")
    if match:
        slug = match.group(1).lower()
        keys.add("url:" + slug)
        if not slug.isdigit():
            keys.add("name:" + _org(slug.replace("-", " ")))
            keys.add("name:" + _org(slug.replace("-", " ")).replace(" ", ""))
    if not keys and norm(position.title):
        keys.add("title:" + norm(position.title))  # no employer at all: the title is all we have
    return frozenset(keys)


def _same_employer(a: Position, b: Position) -> bool:
    return bool(employer_keys(a) & employer_keys(b))


def _education_matches(a: Education, b: Education) -> bool:
    if _org(a.school) != _org(b.school):
        return False
    # A missing degree or field (one build omits it) is compatible with any value.
    return all(
        not x or not y or x == y
        for x, y in ((norm(a.degree), norm(b.degree)), (norm(a.field_of_study), norm(b.field_of_study)))
    )


def _date(value: YearMonth | None) -> dt.date | None:
    return dt.date(value.year, value.month or 1, 1) if value is not None else None


def _ym(value: YearMonth | None) -> str | None:
    if value is None:
        return None
    return f"{value.year:04d}-{value.month:02d}" if value.month else f"{value.year:04d}"


def _position_evidence(position: Position) -> dict[str, Any]:
    return {
        "title": position.title,
        "company": position.company,
        "company_url": position.company_url,
        "employment_type": position.employment_type,
        "start": _ym(position.start),
        "location": position.location,
    }


def _at(title: str | None, organisation: str | None) -> str:
    return " at ".join(p for p in (title, organisation) if p) or "a position"


# ---------------------------------------------------------------------------------------------
# Diff


def diff_profiles(old: ProfileRecord, new: ProfileRecord) -> list[ProfileEvent]:
    """Events that explain how ``new`` differs from ``old``, in a stable order."""
    events = _position_events(old, new)
    events += _credential_events(old.credentials, new.credentials)
    events += _education_events(old.education, new.education)
    events += _honor_events(old.honors, new.honors)
    if new.open_to_work and not old.open_to_work:
        events.append(
            ProfileEvent(kind="open_to_work", detail="Open to work turned on", evidence={"headline": new.headline})
        )
    return events


def _position_events(old: ProfileRecord, new: ProfileRecord) -> list[ProfileEvent]:
    if old.positions and not new.positions:
        return []  # partial scrape, not a career change
    events: list[ProfileEvent] = []
    seen: set[tuple[str, str]] = set()
    old_current = old.current_positions
    started_new_employer = False
    for position in new.current_positions:
        same_employer = [p for p in old_current if _same_employer(p, position)]
        if not same_employer:
            key = ("employer", min(employer_keys(position), default=norm(position.title)))
            if key in seen:
                continue
            seen.add(key)
            started_new_employer = True
            previous = old_current[0] if old_current else None
            events.append(
                ProfileEvent(
                    kind="new_position_new_employer",
                    name=position.title,
                    organisation=position.company,
                    event_date=_date(position.start),
                    detail=f"Started {_at(position.title, position.company)}",
                    evidence={
                        **_position_evidence(position),
                        "previous_title": previous.title if previous else None,
                        "previous_company": previous.company if previous else None,
                    },
                )
            )
            continue
        if norm(position.title) and all(norm(p.title) != norm(position.title) for p in same_employer):
            key = ("title", min(employer_keys(position)) + "|" + norm(position.title))
            if key in seen:
                continue
            seen.add(key)
            events.append(
                ProfileEvent(
                    kind="new_title_same_employer",
                    name=position.title,
                    organisation=position.company,
                    event_date=_date(position.start),
                    detail=f"New title: {_at(position.title, position.company)} (was {same_employer[0].title})",
                    evidence={**_position_evidence(position), "previous_title": same_employer[0].title},
                )
            )
    if not started_new_employer:
        events += _ended_events(old_current, new)
    return events


def _ended_events(old_current: tuple[Position, ...], new: ProfileRecord) -> list[ProfileEvent]:
    events: list[ProfileEvent] = []
    new_current = new.current_positions
    for position in old_current:
        if any(_same_employer(position, p) for p in new_current):
            continue
        ended = [p for p in new.positions if _same_employer(position, p) and not p.is_current]
        if not ended and new_current:
            continue  # vanished while other jobs remain: more likely a trimmed scrape than a loss
        end = ended[0].end if ended else None
        events.append(
            ProfileEvent(
                kind="position_ended",
                name=position.title,
                organisation=position.company,
                event_date=_date(end),
                detail=f"No longer {_at(position.title, position.company)}",
                evidence={**_position_evidence(position), "end": _ym(end), "listed_as_ended": bool(ended)},
            )
        )
    return events


def _unseen(known: Iterable[str], items: Iterable[_T], key: Callable[[_T], str]) -> Iterator[_T]:
    """Items whose normalised key is neither in ``known`` nor repeated earlier in ``items``."""
    seen = set(known)
    for item in items:
        k = key(item)
        if k not in seen:
            seen.add(k)
            yield item


def _credential_events(old: tuple[Credential, ...], new: tuple[Credential, ...]) -> list[ProfileEvent]:
    events: list[ProfileEvent] = []
    for cred in _unseen((norm(c.name) for c in old), new, lambda c: norm(c.name)):
        events.append(
            ProfileEvent(
                kind="new_certification",
                name=cred.name,
                organisation=cred.issuer,
                event_date=_date(cred.issued),
                detail=f"New credential: {cred.name}" + (f" ({cred.issuer})" if cred.issuer else ""),
                evidence={
                    "name": cred.name,
                    "issuer": cred.issuer,
                    "issued": _ym(cred.issued),
                    "expires": _ym(cred.expires),
                    "credential_id": cred.credential_id,
                },
            )
        )
    return events


def _education_events(old: tuple[Education, ...], new: tuple[Education, ...]) -> list[ProfileEvent]:
    events: list[ProfileEvent] = []
    reported: list[Education] = []
    for edu in new:
        if any(_education_matches(edu, r) for r in reported):
            continue
        matches = [o for o in old if _education_matches(edu, o)]
        completed = bool(matches) and edu.end is not None and all(o.end is None for o in matches)
        if matches and not completed:
            continue
        reported.append(edu)
        what = ", ".join(p for p in (edu.degree, edu.field_of_study) if p) or "studies"
        events.append(
            ProfileEvent(
                kind="new_education",
                name=edu.school,
                organisation=edu.school,
                event_date=_date(edu.end or edu.start),
                detail=f"{'Completed' if completed or edu.end else 'Started'} {what} at {edu.school or 'a school'}",
                evidence={
                    "school": edu.school,
                    "degree": edu.degree,
                    "field_of_study": edu.field_of_study,
                    "start": _ym(edu.start),
                    "end": _ym(edu.end),
                    "gained_end_date": completed,
                },
            )
        )
    return events


def _honor_events(old: tuple[Honor, ...], new: tuple[Honor, ...]) -> list[ProfileEvent]:
    events: list[ProfileEvent] = []
    for honor in _unseen((norm(h.title) for h in old), new, lambda h: norm(h.title)):
        events.append(
            ProfileEvent(
                kind="new_honor",
                name=honor.title,
                organisation=honor.issuer,
                event_date=_date(honor.issued),
                detail=f"Honour: {honor.title}" + (f" ({honor.issuer})" if honor.issuer else ""),
                evidence={"title": honor.title, "issuer": honor.issuer, "issued": _ym(honor.issued)},
            )
        )
    return events
