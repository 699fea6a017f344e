"""Does a profile's education and work history fit the lead's year of birth?

Americans finish high school at about 18 and a bachelor's degree at about 22. A profile whose
degree or first job implies someone much older or younger than the borrower is another person
with the same name, the commonest false match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from leadsignal.sources.records import Education, Position


class AgeFit(StrEnum):
    CONSISTENT = "consistent"
    INCONSISTENT = "inconsistent"
    UNKNOWN = "unknown"


# Degree level -> (earliest plausible age at the end year, latest, typical).
_END_AGE: dict[str, tuple[int, int, int]] = {
    "high_school": (16, 20, 18),
    "associate": (18, 45, 20),
    "bachelor": (20, 45, 22),
    "master": (22, 50, 25),
    "doctorate": (24, 55, 28),
    "other": (16, 60, 22),
}
# A degree this close to its typical age is positive evidence; farther but possible, neutral.
_CLOSE = 2


def degree_level(edu: Education) -> str:
    degree = edu.degree or ""
    text = f"{degree} {edu.school or ''}".lower()
    college = re.search(r"bachelor|master|associate|college|university|doctor", text)
    if re.search(r"high school|secondary school|\bged\b", text) and not college:
        return "high_school"
    if "associate" in degree.lower() or re.search(r"\bA\.?A\.?S?\b|\bA\.S\.", degree):
        return "associate"
    if re.search(r"bachelor|\bb\.?sc?\b|\bb\.a\.?|\bba\b|\bbba\b|\bbsn\b|\bbfa\b", text):
        return "bachelor"
    if re.search(r"master|\bm\.?sc?\b|\bm\.a\.?|\bma\b|\bmba\b|\bmsn\b|\bm\.?ed\b|\bmpa\b|\bmph\b", text):
        return "master"
    if re.search(r"doctor|ph\.?d|pharm\.?d|\bj\.?d\b|\bm\.?d\b|\bdds\b|\bdpt\b", text):
        return "doctorate"
    return "other"


@dataclass(frozen=True)
class AgeEvidence:
    fit: AgeFit
    reasons: tuple[str, ...]
    years_off: int = 0  # the largest distance from plausible, for inconsistent evidence


def assess_age(birth_year: int, education: tuple[Education, ...], positions: tuple[Position, ...]) -> AgeEvidence:
    reasons: list[str] = []
    close = 0
    worst = 0
    for edu in education:
        level = degree_level(edu)
        lo, hi, typical = _END_AGE[level]
        if edu.end is not None:
            age_at_end = edu.end.year - birth_year
            if age_at_end < lo or age_at_end > hi:
                off = lo - age_at_end if age_at_end < lo else age_at_end - hi
                worst = max(worst, off)
                reasons.append(f"age: {level} ending {edu.end.year} implies age {age_at_end} for the lead")
            elif abs(age_at_end - typical) <= _CLOSE:
                close += 1
                reasons.append(f"age: {level} ending {edu.end.year} fits birth year {birth_year}")
        elif edu.start is not None and level != "other":
            age_at_start = edu.start.year - birth_year
            start_lo = lo - (4 if level == "high_school" else 6)
            if age_at_start < start_lo - 1:
                off = start_lo - 1 - age_at_start
                worst = max(worst, off)
                reasons.append(f"age: {level} starting {edu.start.year} implies age {age_at_start} for the lead")
    starts = [p.start.year for p in positions if p.start is not None]
    if starts:
        first_job_age = min(starts) - birth_year
        if first_job_age < 14:
            worst = max(worst, 14 - first_job_age)
            reasons.append(f"age: work since {min(starts)} implies age {first_job_age} for the lead")
    if worst:
        return AgeEvidence(AgeFit.INCONSISTENT, tuple(reasons), worst)
    if close:
        return AgeEvidence(AgeFit.CONSISTENT, tuple(reasons))
    return AgeEvidence(AgeFit.UNKNOWN, tuple(reasons))
