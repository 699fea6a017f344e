"""Profile-diff events become signals too: a fixed mapping, with the licence/certification split by name.

Confidences are priors, not model outputs: a structured profile change is strong evidence of the
event, a little less so for the kinds people often back-fill years later (education, honours).
"""

from __future__ import annotations

import re

from leadsignal.nlp.lexicon import LICENSE_KEYWORDS

_LICENSE_RX = re.compile(
    r"\b(?:" + "|".join(re.escape(k) for k in LICENSE_KEYWORDS) + r")|\b(?:rn|cpa|pe|lpn|lvn|cdl|esq|emt)\b",
    re.IGNORECASE,
)
# Names that are licences even though they say "certified" or "certificate".
_STRONG_LICENSE = re.compile(
    r"certified public accountant|teaching (?:certificate|credential)|educator (?:certificate|license)"
    r"|registered nurse|nurse practitioner|bar admission|admitted to the bar|attorney at law|commercial driver"
    r"|journeyman|master (?:electrician|plumber)|real estate|insurance producer|cosmetolog",
    re.IGNORECASE,
)
_LICENSE_WORD = re.compile(r"licen[cs]", re.IGNORECASE)
_CERT_WORD = re.compile(r"\b(?:certified|certification|certificate)\b", re.IGNORECASE)
_COMPLETED = re.compile(
    r"^\s*(?:completed|graduated|finished)\b|\b(?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d\b", re.IGNORECASE
)

PRIORS = {
    "new_position_new_employer": ("new_job", 0.95),
    "new_title_same_employer": ("promotion", 0.9),
    "new_certification": ("certification", 0.9),
    "new_education": ("education", 0.85),
    "new_honor": ("award", 0.85),
}


class UnknownProfileEvent(ValueError):
    """A profile-diff event kind this mapping does not know."""


def is_license(credential: str) -> bool:
    """Government-issued occupational licence (RN, CPA, bar, real estate, CDL...) rather than a certification."""
    if _STRONG_LICENSE.search(credential) or _LICENSE_WORD.search(credential):
        return True
    if _CERT_WORD.search(credential):
        return False
    return bool(_LICENSE_RX.search(credential))


def classify_profile_event(kind: str, *, name: str | None, detail: str | None) -> tuple[str, float]:
    """(signal_type, confidence) for one profile-diff event kind; ``none`` when it is not a positive signal."""
    if kind not in PRIORS:
        raise UnknownProfileEvent(f"unknown profile event kind {kind!r}; known: {', '.join(sorted(PRIORS))}")
    signal_type, confidence = PRIORS[kind]
    if kind == "new_certification":
        credential = " ".join(p for p in (name, detail) if p)
        if credential and is_license(name or credential):
            return "license", 0.9
        return "certification", confidence
    if kind == "new_education":
        # Only a completed programme is a signal; a newly started one is not (yet).
        if detail and _COMPLETED.search(detail):
            return "education", confidence
        return "none", 0.8
    return signal_type, confidence
