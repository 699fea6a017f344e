"""Compare a lead's name with the name on a LinkedIn profile.

LinkedIn names are typed by their owners: credentials after the surname ("Rahman, PharmD"),
maiden names in brackets, middle names in the first-name box, accents dropped or kept. Lead names
come from a collection system in upper case without accents. Both sides are folded to lower-case
ASCII tokens before comparing.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from rapidfuzz.distance import JaroWinkler

from leadsignal.matching.nicknames import same_person_names

# Letters NFKD does not decompose into a base letter plus a mark.
_FOLD = str.maketrans({"ß": "ss", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "æ": "ae", "Æ": "AE", "đ": "d", "ı": "i"})
_PARTICLES = frozenset({"de", "del", "della", "la", "las", "los", "da", "das", "do", "dos", "van", "von", "der", "y",
                        "di", "le", "du", "st", "san", "e"})  # fmt: skip
_GENERATIONAL = frozenset({"jr", "sr", "ii", "iii", "iv", "v"})
_HONORIFICS = frozenset({"dr", "mr", "mrs", "ms", "miss", "mx", "prof", "rev", "sgt", "capt"})


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Credentials people append to their LinkedIn surname. Matched case-sensitively when they are not
# behind a comma, so the surnames "Do" and "Ma" survive while "DO" and "MA" are dropped.
_CREDENTIALS = _wordset(
    """
    PharmD RPh CPhT RN BSN MSN ADN LPN LVN CNA APRN NP FNP FNP-BC FNP-C DNP CRNA PA PA-C MD DO DDS DMD
    DPM DC OD DVM PhD EdD PsyD JD Esq LLM MBA MPA MPH MHA MS MSc MA MEd MFA MSW LCSW LMSW LPC LMFT BCBA
    BS BSc BA BBA AA AS CPA CMA CFA CFP CFE CIA CISA CISSP CISM CCNA CCNP CompTIA PMP CAPM CSM PSM SHRM-CP
    SHRM-SCP PHR SPHR PE EIT FE LEED AP RD RDN LD OTR OTR/L OT OTD PT DPT ATC CSCS CPT EMT EMT-B EMT-P
    NREMT CDL CPC CCS RHIA RHIT MLS MT ASCP CLS RRT RT CST CMA CPhT SLP CCC-SLP MSED MAT NBCT CDA
    """
)
_CREDENTIALS_FOLDED = frozenset(c.lower().replace(".", "") for c in _CREDENTIALS)


def fold(text: str) -> str:
    """Lower-case ASCII: 'José Núñez' -> 'jose nunez'."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_FOLD))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def _tokens(text: str) -> list[str]:
    """Word tokens with apostrophes and dots removed; hyphens split words."""
    cleaned = re.sub(r"['’`.]", "", fold(text))
    return [t for t in re.split(r"[^a-z]+", cleaned) if t]


def strip_credentials(last_name: str) -> tuple[str, list[str]]:
    """'Rahman, PharmD' -> ('Rahman', ['PharmD']); 'Doe MBA' -> ('Doe', ['MBA'])."""
    text = " ".join(last_name.replace("\u00a0", " ").split())
    dropped: list[str] = []
    head, comma, tail = text.partition(",")
    if comma:
        for raw in re.split(r"[,\s]+", tail):
            token = raw.strip(" .()")
            if not token:
                continue
            if token.lower() in _GENERATIONAL:
                continue  # "Smith, Jr." is not a credential, but not part of the surname either
            dropped.append(token)
        text = head.strip()
    words = text.split()
    while len(words) > 1:
        candidate = words[-1].strip("()")
        bare = candidate.replace(".", "")
        upper_credential = bare.isupper() and bare.lower() in _CREDENTIALS_FOLDED
        if candidate in _CREDENTIALS or bare in _CREDENTIALS or upper_credential:
            dropped.append(candidate)
            words.pop()
            continue
        break
    return " ".join(words), dropped


@dataclass(frozen=True)
class NameParts:
    """Folded name tokens: given names (first, then middles), surnames, and bracketed other names."""

    first: str
    middles: tuple[str, ...]
    surnames: tuple[str, ...]
    other_surnames: tuple[str, ...] = ()  # "Jane (Doe) Smith": a maiden name shown in brackets

    @property
    def surname_key(self) -> str:
        """Surname without particles, run together: 'de la Cruz' and 'Delacruz' both give 'cruz'/'delacruz'."""
        return "".join(t for t in self.surnames if t not in _PARTICLES)


def lead_name_parts(first: str, middle: str | None, last: str) -> NameParts:
    first_tokens = _tokens(first)
    middle_tokens = _tokens(middle or "")
    surnames = tuple(t for t in _tokens(last) if t not in _GENERATIONAL)
    if not first_tokens or not surnames:
        raise ValueError("a lead name needs a first and a last name")
    return NameParts(first_tokens[0], tuple(first_tokens[1:] + middle_tokens), surnames)


def profile_name_parts(first: str | None, last: str | None, full: str | None) -> NameParts | None:
    """Name parts from a profile; None when the profile shows no usable name."""
    if not (first and last) and full:
        words = full.split()
        if len(words) >= 2:
            first, last = words[0], " ".join(words[1:])
    if not first or not last:
        return None
    bracketed = re.findall(r"\(([^)]*)\)", f"{first} {last}")
    first = re.sub(r"\([^)]*\)", " ", first)
    last = re.sub(r"\([^)]*\)", " ", last)
    last, _ = strip_credentials(last)
    first_tokens = _tokens(first)
    while len(first_tokens) > 1 and first_tokens[0] in _HONORIFICS:
        first_tokens.pop(0)  # "Dr. Jane"
    surnames = [t for t in _tokens(last) if t not in _GENERATIONAL]
    if not first_tokens or not surnames:
        return None
    # "Mary Jo Smith" split as first="Mary", last="Jo Smith" cannot be told from a double
    # surname here; comparison tries the surname tokens both ways instead.
    others = tuple(t for chunk in bracketed for t in _tokens(chunk) if t not in _CREDENTIALS_FOLDED)
    return NameParts(first_tokens[0], tuple(first_tokens[1:]), tuple(surnames), others)


class FirstNameMatch(StrEnum):
    EXACT = "exact"
    NICKNAME = "nickname"
    TYPO = "typo"
    INITIAL = "initial"  # one side gives only an initial that agrees
    MIDDLE_AS_FIRST = "middle_as_first"  # the person goes by their middle name
    DIFFERENT = "different"


class LastNameMatch(StrEnum):
    EXACT = "exact"
    COMPOUND = "compound"  # one double or hyphenated surname contains the other
    TYPO = "typo"
    BRACKETED = "bracketed"  # the lead's surname appears in brackets (maiden name) on the profile
    DIFFERENT = "different"


class MiddleMatch(StrEnum):
    AGREE = "agree"
    CONFLICT = "conflict"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class NameComparison:
    first: FirstNameMatch
    last: LastNameMatch
    middle: MiddleMatch
    reasons: tuple[str, ...]


def _first_match(lead: NameParts, prof: NameParts) -> FirstNameMatch:
    a, b = lead.first, prof.first
    if a == b:
        return FirstNameMatch.EXACT
    if len(a) == 1 or len(b) == 1:
        if a[0] == b[0]:
            return FirstNameMatch.INITIAL
        if len(a) == 1 and lead.middles and lead.middles[0] == b:
            return FirstNameMatch.MIDDLE_AS_FIRST
        return FirstNameMatch.DIFFERENT
    if same_person_names(a, b):
        return FirstNameMatch.NICKNAME
    if len(a) >= 4 and len(b) >= 4 and JaroWinkler.similarity(a, b) >= 0.92:
        return FirstNameMatch.TYPO
    if lead.middles and lead.middles[0] == b and len(b) > 1:
        return FirstNameMatch.MIDDLE_AS_FIRST
    return FirstNameMatch.DIFFERENT


def _last_match(lead: NameParts, prof: NameParts) -> LastNameMatch:
    a = [t for t in lead.surnames if t not in _PARTICLES] or list(lead.surnames)
    b = [t for t in prof.surnames if t not in _PARTICLES] or list(prof.surnames)
    if a == b or "".join(a) == "".join(b) or "".join(lead.surnames) == "".join(prof.surnames):
        return LastNameMatch.EXACT  # also "De La Cruz" / "DelaCruz"
    # "Garcia Lopez" vs "Garcia", "Smith-Jones" vs "Jones": every token of the shorter is in the longer.
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    if set(shorter) <= set(longer):
        return LastNameMatch.COMPOUND
    # "Mary Jo Smith" typed with first="Mary" last="Jo Smith", against lead first Mary Jo.
    if len(b) > 1 and b[-1:] == a[-1:] and b[0] in lead.middles:
        return LastNameMatch.COMPOUND
    if set(a) <= set(prof.other_surnames):
        return LastNameMatch.BRACKETED
    joined_a, joined_b = "".join(a), "".join(b)
    if len(joined_a) >= 5 and len(joined_b) >= 5 and JaroWinkler.similarity(joined_a, joined_b) >= 0.94:
        return LastNameMatch.TYPO
    return LastNameMatch.DIFFERENT


def _middle_match(lead: NameParts, prof: NameParts, first: FirstNameMatch) -> MiddleMatch:
    if first is FirstNameMatch.MIDDLE_AS_FIRST or not lead.middles:
        return MiddleMatch.UNKNOWN
    prof_middles = list(prof.middles)
    # A profile "Mary Jo Smith" with last="Jo Smith" carries the middle name in the surname box.
    if len(prof.surnames) > 1 and prof.surnames[0] == lead.middles[0]:
        prof_middles.insert(0, prof.surnames[0])
    if not prof_middles:
        return MiddleMatch.UNKNOWN
    x, y = lead.middles[0], prof_middles[0]
    if len(x) == 1 or len(y) == 1:
        return MiddleMatch.AGREE if x[0] == y[0] else MiddleMatch.CONFLICT
    return MiddleMatch.AGREE if x == y or same_person_names(x, y) else MiddleMatch.CONFLICT


def compare_names(lead: NameParts, prof: NameParts) -> NameComparison:
    first = _first_match(lead, prof)
    last = _last_match(lead, prof)
    middle = _middle_match(lead, prof, first)
    reasons = [f"first name: {first.value} ({lead.first} / {prof.first})",
               f"last name: {last.value} ({' '.join(lead.surnames)} / {' '.join(prof.surnames)})"]  # fmt: skip
    if middle is not MiddleMatch.UNKNOWN:
        reasons.append(f"middle name: {middle.value}")
    return NameComparison(first, last, middle, tuple(reasons))


# Most frequent US surnames and given names (Census 2010 surnames; SSA birth names of the 1990s).
# A match on such a name alone says little, so it needs more corroboration.
COMMON_SURNAMES = _wordset(
    """
    smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez gonzalez
    wilson anderson thomas taylor moore jackson martin lee perez thompson white harris sanchez clark
    ramirez lewis robinson walker young allen king wright scott torres nguyen hill flores green adams
    nelson baker hall rivera campbell mitchell carter roberts gomez phillips evans turner diaz parker
    cruz edwards collins reyes stewart morris morales murphy cook rogers gutierrez ortiz morgan cooper
    peterson bailey reed kelly howard ramos kim cox ward richardson watson brooks chavez wood james
    bennett gray mendoza ruiz hughes price alvarez castillo sanders patel myers long ross foster jimenez
    """
)
COMMON_FIRST_NAMES = _wordset(
    """
    michael christopher matthew joshua jacob nicholas andrew daniel tyler joseph brandon david james
    ryan john zachary justin william anthony robert jonathan kyle austin alexander kevin thomas cody
    jordan eric benjamin aaron christian samuel dylan steven brian jose adam timothy nathan richard
    jessica ashley emily sarah samantha amanda brittany elizabeth taylor megan hannah kayla lauren
    stephanie rachel jennifer nicole alexis victoria amber alyssa courtney danielle rebecca jasmine
    brianna katherine alexandra madison morgan maria chris mike matt josh jake nick andy dan tony
    """
)


def is_common(parts: NameParts) -> tuple[bool, bool]:
    """(first name is common, surname is common)."""
    core = [t for t in parts.surnames if t not in _PARTICLES]
    return parts.first in COMMON_FIRST_NAMES, len(core) == 1 and core[0] in COMMON_SURNAMES
