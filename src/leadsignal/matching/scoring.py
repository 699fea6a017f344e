"""Score a candidate profile against a lead: a sum of evidence weights (log-odds), then gates.

Each signal adds or subtracts log-odds, so the score is explainable reason by reason. The score
alone never confirms: a confirmed match also needs a strong name match, a corroborating signal
that is not the name (city, employer, age from education, email, phone, known URL), and no
conflict (another state, another country, an impossible age, a different middle name or surname).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Literal
from urllib.parse import unquote, urlsplit

from pydantic import BaseModel, Field, model_validator

from leadsignal.leads.normalize import FieldError, parse_phone
from leadsignal.matching.age import AgeFit, assess_age
from leadsignal.matching.identity import LeadIdentity
from leadsignal.matching.location import is_ambiguous_city, norm_city, place_of
from leadsignal.matching.names import (
    FirstNameMatch,
    LastNameMatch,
    MiddleMatch,
    compare_names,
    fold,
    is_common,
    lead_name_parts,
    profile_name_parts,
)
from leadsignal.settings import Settings
from leadsignal.sources.records import ProfileRecord

Decision = Literal["confirmed", "review", "rejected"]

PRIOR = -3.0  # a profile found by a name search is, before any evidence, unlikely to be our borrower
FIRST_WEIGHT = {
    FirstNameMatch.EXACT: 2.0,
    FirstNameMatch.NICKNAME: 1.6,
    FirstNameMatch.TYPO: 1.0,
    FirstNameMatch.MIDDLE_AS_FIRST: 1.2,
    FirstNameMatch.INITIAL: 0.3,
    FirstNameMatch.DIFFERENT: -4.0,
}
LAST_WEIGHT = {
    LastNameMatch.EXACT: 2.0,
    LastNameMatch.COMPOUND: 1.6,
    LastNameMatch.BRACKETED: 1.2,
    LastNameMatch.TYPO: 0.8,
    LastNameMatch.DIFFERENT: -2.5,
}
MIDDLE_WEIGHT = {MiddleMatch.AGREE: 0.6, MiddleMatch.CONFLICT: -2.5, MiddleMatch.UNKNOWN: 0.0}
_STRONG_FIRST = {FirstNameMatch.EXACT, FirstNameMatch.NICKNAME, FirstNameMatch.TYPO, FirstNameMatch.MIDDLE_AS_FIRST}
STRONG_CORROBORATION = frozenset({"url", "email", "phone", "employer"})
_STRONG_LAST = {LastNameMatch.EXACT, LastNameMatch.COMPOUND, LastNameMatch.BRACKETED}


class Thresholds(BaseModel):
    confirm: float = Field(default=0.95, gt=0, le=1)
    review: float = Field(default=0.5, ge=0, lt=1)

    @model_validator(mode="after")
    def _ordered(self) -> Thresholds:
        if self.review > self.confirm:
            raise ValueError(f"review threshold {self.review} is above the confirm threshold {self.confirm}")
        return self

    @classmethod
    def from_settings(cls, settings: Settings) -> Thresholds:
        return cls(confirm=settings.match_confirm_threshold, review=settings.match_review_threshold)


class MatchResult(BaseModel):
    decision: Decision
    score: float = Field(ge=0, le=1)
    reasons: list[str]


def profile_slug(url: str) -> str | None:
    """'https://www.linkedin.com/in/Jane-Doe-1a2b/?trk=x' -> 'jane-doe-1a2b'."""
    parts = urlsplit(url.strip() if "://" in url else f"https://{url.strip()}")
    m = re.match(r"^/in/([^/]+)", parts.path, re.IGNORECASE)
    if not parts.netloc.lower().endswith("linkedin.com") or not m:
        return None
    return unquote(m.group(1)).lower()


def _company_key(text: str) -> str:
    folded = fold(text)
    folded = re.sub(r"\b(inc|llc|ltd|corp|corporation|company|co|the|group|plc|lp|llp)\b", " ", folded)
    return re.sub(r"[^a-z0-9]", "", folded)


def _domain_key(domain: str) -> str:
    host = domain.lower().removeprefix("www.")
    labels = host.split(".")
    return re.sub(r"[^a-z0-9]", "", labels[-2] if len(labels) >= 2 else labels[0])


class _Tally:
    def __init__(self) -> None:
        self.z = PRIOR
        self.reasons: list[str] = []
        self.corroborated: set[str] = set()
        self.conflicts: list[str] = []
        self.common_name = False
        self.middle_agrees = False

    def add(self, weight: float, reason: str) -> None:
        self.z += weight
        self.reasons.append(f"{reason} [{weight:+.1f}]")


def _score_names(identity: LeadIdentity, profile: ProfileRecord, t: _Tally) -> tuple[bool, bool]:
    """(the name is strong enough to confirm, some part of the name agrees)."""
    lead = lead_name_parts(identity.first_name, identity.middle_name, identity.last_name)
    prof = profile_name_parts(profile.first_name, profile.last_name, profile.full_name)
    if prof is None:
        t.add(-2.0, "name: the profile shows no usable name")
        t.conflicts.append("name")
        return False, False
    cmp = compare_names(lead, prof)
    t.add(FIRST_WEIGHT[cmp.first], cmp.reasons[0])
    t.add(LAST_WEIGHT[cmp.last], cmp.reasons[1])
    if cmp.middle is not MiddleMatch.UNKNOWN:
        t.add(MIDDLE_WEIGHT[cmp.middle], cmp.reasons[2])
    if cmp.middle is MiddleMatch.CONFLICT:
        t.conflicts.append("middle name")
    if cmp.first is FirstNameMatch.DIFFERENT:
        t.conflicts.append("first name")
    if cmp.last is LastNameMatch.DIFFERENT:
        t.conflicts.append("last name")
        if cmp.first in _STRONG_FIRST:
            t.reasons.append("last name differs: a possible name change, needs a person to review")
    common_first, common_last = is_common(lead)
    t.common_name = common_first and common_last
    t.middle_agrees = cmp.middle is MiddleMatch.AGREE
    if t.common_name:
        t.add(-1.0, "name: common first and last name")
    elif common_last:
        t.add(-0.5, "name: common last name")
    strong = cmp.first in _STRONG_FIRST and cmp.last in _STRONG_LAST
    partial = cmp.first is not FirstNameMatch.DIFFERENT or cmp.last is not LastNameMatch.DIFFERENT
    return strong, partial


def _score_location(identity: LeadIdentity, profile: ProfileRecord, t: _Tally) -> None:
    place = place_of(profile.location_text, profile.city, profile.state, profile.country_code)
    if place.empty:
        current = [p.location for p in profile.current_positions if p.location]
        place = place_of(current[0], None, None, None) if current else place
        source = "current job location" if current else "location"
    else:
        source = "location"
    lead_city = norm_city(identity.city) if identity.city else None
    if place.us is False:
        t.add(-3.0, f"{source}: outside the United States")
        t.conflicts.append("country")
    elif identity.state and place.states:
        if identity.state not in place.states:
            t.add(-3.5, f"{source}: another state ({'/'.join(sorted(place.states))}, lead {identity.state})")
            t.conflicts.append("state")
        elif lead_city and lead_city in place.cities:
            t.add(2.5, f"{source}: same city and state ({lead_city}, {identity.state})")
            t.corroborated.add("city")
        else:
            t.add(1.0, f"{source}: same state ({identity.state})")
    elif lead_city and lead_city in place.cities:
        if is_ambiguous_city(lead_city):
            t.add(0.8, f"{source}: same city name ({lead_city}) without a state; several states have one")
        else:
            t.add(1.5, f"{source}: same city ({lead_city}), no state given")
            t.corroborated.add("city")
    elif lead_city and place.cities and not place.states:
        t.add(-1.0, f"{source}: another city, no state given")
    elif place.empty:
        t.reasons.append(f"{source}: the profile shows none")
    else:
        t.reasons.append(f"{source}: not specific enough to compare")


def _score_age(identity: LeadIdentity, profile: ProfileRecord, today: dt.date, t: _Tally) -> None:
    if identity.birth_year is not None or identity.age is not None:
        year = identity.birth_year if identity.birth_year is not None else today.year - (identity.age or 0)
        evidence = assess_age(year, profile.education, profile.positions)
        weight_consistent = 1.5
    else:
        # Only the monitored cohort's age (21-30) is known: accept a fit anywhere in that range.
        results = [assess_age(today.year - a, profile.education, profile.positions) for a in range(21, 31)]
        fits = [r for r in results if r.fit is not AgeFit.INCONSISTENT]
        evidence = min(fits, key=lambda r: r.fit is not AgeFit.CONSISTENT) if fits else results[0]
        weight_consistent = 0.8
    if evidence.fit is AgeFit.CONSISTENT:
        t.add(weight_consistent, evidence.reasons[0])
        t.corroborated.add("age")
    elif evidence.fit is AgeFit.INCONSISTENT:
        bad = [r for r in evidence.reasons if "implies" in r]
        t.add(-2.0 - 0.5 * min(evidence.years_off, 4), bad[0])
        t.conflicts.append("age")


def _score_employer(identity: LeadIdentity, profile: ProfileRecord, t: _Tally) -> None:
    keys = []
    if identity.company_domain:
        keys.append(_domain_key(identity.company_domain))
    if identity.employer:
        keys.append(_company_key(identity.employer))
    keys = [k for k in keys if len(k) >= 3]
    if not keys:
        return
    for position in sorted(profile.positions, key=lambda p: not p.is_current):
        names = [_company_key(position.company or "")]
        if position.company_url and (m := re.search(r"/company/([^/?#]+)", position.company_url)):
            names.append(re.sub(r"[^a-z0-9]", "", m.group(1).lower()))
        if any(k and n and (k == n or (len(k) >= 5 and n.startswith(k))) for k in keys for n in names):
            weight, when = (2.5, "current") if position.is_current else (1.8, "past")
            t.add(weight, f"employer: {when} job at the lead's known employer")
            t.corroborated.add("employer")
            return


def _score_contact(identity: LeadIdentity, profile: ProfileRecord, t: _Tally) -> None:
    if profile.email and identity.email:
        if profile.email.strip().lower() == identity.email:
            t.add(6.0, "email: the profile's email is the lead's")
            t.corroborated.add("email")
        else:
            t.add(-0.3, "email: the profile shows another email")
    if profile.phone and identity.phones:
        try:
            phone = parse_phone(profile.phone, "phone")
        except FieldError:
            phone = None
        if phone and phone in identity.phones:
            t.add(5.0, "phone: the profile's phone is the lead's")
            t.corroborated.add("phone")


def score_candidate(
    identity: LeadIdentity,
    profile: ProfileRecord,
    *,
    thresholds: Thresholds | None = None,
    today: dt.date | None = None,
) -> MatchResult:
    """How sure we are that ``profile`` is the borrower ``identity`` describes, and why."""
    limits = thresholds or Thresholds()
    t = _Tally()
    url_match = bool(
        identity.linkedin_url
        and (slug := profile_slug(identity.linkedin_url)) is not None
        and slug == profile_slug(profile.profile_url)
    )
    if url_match:
        t.add(8.0, "linkedin_url: the lead's known profile")
        t.corroborated.add("url")
    strong_name, partial_name = _score_names(identity, profile, t)
    _score_location(identity, profile, t)
    _score_age(identity, profile, today or dt.date.today(), t)
    _score_employer(identity, profile, t)
    _score_contact(identity, profile, t)
    score = 1.0 / (1.0 + math.exp(-t.z))
    strong_id = bool(t.corroborated & {"url", "email", "phone"})
    # Houston has many Maria Garcias of the same age: a common full name needs more than city and age.
    if t.common_name and not (t.corroborated & STRONG_CORROBORATION) and not t.middle_agrees:
        t.conflicts.append("a common name needs an employer, email, phone or middle name to agree")
    decision: Decision
    if (url_match and partial_name) or (
        score >= limits.confirm and not t.conflicts and t.corroborated and (strong_name or (strong_id and partial_name))
    ):
        decision = "confirmed"
    elif score >= limits.review or (partial_name and strong_id):
        decision = "review"
    else:
        decision = "rejected"
    if decision != "confirmed":
        blockers = list(t.conflicts)
        if score < limits.confirm:
            blockers.append(f"score below {limits.confirm}")
        if not t.corroborated:
            blockers.append("nothing but the name agrees")
        if not strong_name and not strong_id:
            blockers.append("the name match is not strong enough")
        t.reasons.append("not confirmed: " + "; ".join(blockers))
    return MatchResult(decision=decision, score=round(score, 4), reasons=t.reasons)
