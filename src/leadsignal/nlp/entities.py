"""Rule-based entities: employer, job title, credential and person names, as they appear in the text.

No statistical NER model can be installed here, so these are patterns over the ways LinkedIn posts
phrase career events ("starting a new position as X at Y", "joined Y as X", "promoted to X at Y",
"passed the NCLEX", "earned my AWS ... certification"). Patterns are tried in tiers of reliability:
an explicit employment phrase beats a bare "at Y", which beats "with Y", which beats "for Y".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# A capitalised name token: "Bank", "AT&T", "Rent-A-Car", "Joe's", "J.B.", "3M".
_TOK = r"(?:[A-Z](?:\.[A-Z])+\.(?=\s+[A-Z])|[A-Z0-9][\w'’&.\-+/]*[\w'’&+]|[A-Z0-9])"
_CONN = r"(?:of|and|&|for|the|de|du|la|at)"
_NAME = rf"{_TOK}(?:[ \t]+(?:{_CONN}[ \t]+)?{_TOK}){{0,6}}"
_ORG = rf"(?:the\s+)?(?P<org>{_NAME})"

_ORG_PATTERNS: list[list[re.Pattern[str]]] = [
    [
        re.compile(rf"\b(?i:joined|joining|join)\s+{_ORG}"),
        re.compile(rf"\b(?i:offer|offers|position|role|job)\s+(?:from|with)\s+{_ORG}"),
        re.compile(rf"\b(?i:hired|employed|recruited)\s+(?:on\s+)?by\s+{_ORG}"),
        re.compile(rf"\b(?i:hired) as [\w\s\-]{{2,40}}? by\s+{_ORG}"),
        re.compile(rf"\b(?i:signed|signed on)\s+with\s+{_ORG}"),
        re.compile(rf"\b(?i:within|employee of|employed by|employed at)\s+{_ORG}"),
        re.compile(rf"\b(?i:the (?:move|switch|jump|leap))\s+to\s+{_ORG}"),
        re.compile(
            rf"(?P<org>{_NAME})\s+(?:just\s+|has\s+|have\s+|finally\s+|officially\s+)?"
            r"(?:hired|promoted|named|upgraded|made|offered|appointed|selected)\s+me\b"
        ),
        re.compile(rf"\b(?:an?|the)\s+(?P<org>{_NAME})\s+(?:employee|team member|associate|hire)\b"),
        re.compile(rf"\b(?i:day\s+(?:one|1)|first\s+(?:day|week|shift))\s+(?:at|with)\s+{_ORG}"),
        re.compile(rf"\b(?i:start|starting|started|begin|began|beginning)\s+(?:work\s+)?at\s+{_ORG}"),
        re.compile(rf"\b(?i:part of) (?:the\s+)?(?P<org>{_NAME})\s+(?:team|family|crew)\b"),
    ],
    [re.compile(rf"(?:\bat|(?<=\s)@(?=\s))\s*{_ORG}")],
    [re.compile(rf"\bwith\s+{_ORG}"), re.compile(rf"\bin\s+(?P<org>{_NAME})(?='s\b)")],
    [re.compile(rf"\bfor\s+{_ORG}")],
]

# Leading words a capitalised run can start with that are never part of a name.
_LEADING_NOISE = {
    "Today",
    "Yesterday",
    "Tonight",
    "This",
    "Last",
    "Next",
    "So",
    "And",
    "But",
    "Well",
    "Finally",
    "Officially",
    "Now",
    "Then",
    "Also",
    "Just",
    "Update",
    "News",
    "Big",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "After",
    "As",
    "Oh",
    "Wow",
    "Guess",
    "Yes",
    "Got",
    "Excited",
    "Happy",
}
_NOT_ORG = {
    "I",
    "I'm",
    "Im",
    "LinkedIn",
    "Me",
    "My",
    "We",
    "Our",
    "You",
    "Your",
    "It",
    "The",
    "A",
    "An",
    "Day",
    "Week",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "Christmas",
    "Home",
    "Last",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "Night",
    "Nights",
    "First",
    "Least",
    "All",
    "Work",
    "School",
    "Mom",
    "Dad",
}
# A capitalised run stops at a pronoun: "Riverbend Hospital and I start..." is "Riverbend Hospital".
_PRONOUNS = {"I", "I'm", "Im", "I've", "We", "We're", "My", "Me", "You", "Our", "It", "It's"}
# Nouns that follow a possessive employer ("Target's distribution center"): the "'s" is not part of the name.
_POSSESSED = re.compile(
    r"^\s+(?:team|tax|audit|distribution|office|offices|store|stores|practice|department|headquarters|hq|"
    r"corporate|new|main|flagship|downtown|regional|global|payments|ads|data|engineering|sales|marketing|"
    r"finance|legal|risk|cloud|research|nursing|clinic|hospital|plant|warehouse|program|group|division)\b"
)
_TRAILING_CONN = re.compile(rf"(?:[ \t]+{_CONN})+$")

_TITLE_HEAD = (
    r"(?:(?:named|made|promoted|appointed|hired) me(?: to| as)?|new position as|new role as|position as|role as|"
    r"position of|role of|promoted to|promotion to|"
    r"elevated to|moved up to|stepped into|stepping into|made|named|appointed|hired as|joined as|joining as|"
    r"started as|start as|starting as|working as|work as|now|the new|as)"
)
_TITLE = re.compile(
    rf"\b{_TITLE_HEAD}\s+(?:the role of\s+|an?\s+|the\s+|our\s+|their\s+|its\s+|full-time\s+|new\s+|newest\s+)*"
    rf"(?P<title>[A-Z][\w&/\-]*(?:[ \t]+(?:[A-Z][\w&/\-]*|of|and|&|in|to|the)){{0,6}})"
)

# Credentials named with the words around them.
_CRED_PATTERNS = [
    re.compile(
        r"\b(?i:earned|obtained|received|achieved|got|completed|added|passed|cleared|aced)\s+(?:my|the|a|an|our)?\s*"
        r"(?:new\s+)?(?P<cred>[A-Z][\w&+./\-–®()]*(?:[ \t]+(?:[A-Z0-9][\w&+./\-–®()]*|–|-|&|of|in|and|for|"
        r"to|Level|I|II|III)){0,8})\s+(?:certification|certificate|credential|designation|license|licence|exam|test|card|badge)\b"
    ),
    re.compile(
        r"\b(?i:passed|pass|cleared|aced)\s+(?i:the|my|both)?\s*(?P<cred>NCLEX(?:-RN|-PN)?|NAPLEX|MPJE|"
        r"(?:[A-Z][a-z]+\s+)?[Bb]ar(?:\s+[Ee]xam)?|CPA(?:\s+[Ee]xam)?|PMP|CISSP|CDL[\w\s-]{0,12}?(?=[.!,]|\s+(?:on|today|test))|"
        r"Series\s+\d+|[A-Z][\w+\-]*(?:\s+(?:&\s+)?[A-Z0-9][\w+\-]*){0,5})"
    ),
    re.compile(
        r"\b(?:I'm|I am|now|officially|newly)\s+(?:an?\s+)?(?:officially\s+)?(?P<cred>(?:[A-Z][\w+\-]*\s+){0,5}"
        r"[Cc]ertified(?:\s+[A-Z][\w+\-]*){0,6}|[Ll]icensed\s+[A-Z]?[\w\s]{3,40}?(?=[.!,]|\s+(?:in|as|today|with)\b))"
    ),
    re.compile(
        r"\b(?P<cred>(?:Class [AB] )?CDL(?: Class [AB])?|Registered Nurse|RN license|LPN license|CPA license|"
        r"[Rr]eal [Ee]state (?:[Ss]alesperson |[Bb]roker )?[Ll]icen[cs]e|[Cc]ommercial [Dd]river'?s [Ll]icen[cs]e|"
        r"[Jj]ourneyman [A-Za-z]+ [Ll]icen[cs]e|[Cc]osmetology [Ll]icen[cs]e|[Tt]eaching [Ll]icen[cs]e)\b"
    ),
]

_RELATION = (
    r"(?:sister|brother|wife|husband|son|daughter|friend|best friend|mom|dad|mother|father|cousin|mentee|mentor|"
    r"coworker|co-worker|colleague|manager|boss|niece|nephew|teammate|former student|student|intern)"
)
_PERSON = r"(?P<person>(?:Dr\.\s+)?[A-Z][a-z]+(?:[ \t]+[A-Z]\.)?(?:[ \t]+[A-Z][a-z'\-]+)?)"
_PERSON_PATTERNS = [
    re.compile(
        rf"\b(?:[Cc]ongrat\w*|[Ss]hout\s?out|[Ww]elcome|[Tt]hanks?|[Tt]hank you|proud of|[Pp]lease welcome|"
        rf"congratulating)\s+(?:to\s+)?(?:my\s+{_RELATION}\s+|our\s+(?:own\s+)?(?:{_RELATION}\s+)?)?{_PERSON}"
    ),
    re.compile(rf"\bmy\s+{_RELATION}\s+{_PERSON}"),
    re.compile(r"(?<!\w)@(?P<person>[A-Z][a-z]+(?:[ \t]+[A-Z][a-z]+)?)"),
]
_NOT_PERSON = _NOT_ORG | _LEADING_NOISE | {"God", "Everyone", "Team", "Mr", "Mrs", "Ms", "Dr", "Thanks", "Thank"}


@dataclass(frozen=True)
class Entities:
    org: str | None = None
    title: str | None = None
    credential: str | None = None
    person_names: list[str] = field(default_factory=list)


def _clean_name(raw: str, *, after: str) -> str | None:
    words = raw.split()
    while words and words[0] in _LEADING_NOISE:
        words.pop(0)
    for i, w in enumerate(words[1:], start=1):
        if w in _PRONOUNS:
            words = words[:i]
            break
    if not words:
        return None
    name = " ".join(words)
    name = _TRAILING_CONN.sub("", name).rstrip(".-’'").strip()
    if name.endswith(("'s", "’s")) and _POSSESSED.match(after):
        name = name[:-2]
    if not name or name in _NOT_ORG or name.split()[0] in _NOT_ORG:
        return None
    return name


_LOWER_NAME = (
    r"(?P<org>(?:(?:[a-z]\.){2,}|[a-z0-9][\w'&\-/]*)(?:\s+(?!as\b|and\b|on\b|in\b|for\b|today\b|this\b|tomorrow\b|next\b|starting\b|"
    r"now\b|lol\b|yesterday\b|where\b|to\b|the\b|a\b|has\b|is\b|was\b|have\b|complete\b|done\b)[a-z0-9][\w'&\-/]*){0,2})"
)
_LOWER_TIERS = [
    re.compile(
        r"\b(?:joined|joining|within|employee of|offer from|hired (?:on )?by|(?:start|started|starting) at|"
        r"(?:first day|day one|day 1) (?:at|with)|switch to|move to|jump to)\s+(?:the\s+)?" + _LOWER_NAME
    ),
    re.compile(_LOWER_NAME + r"\s+(?:just\s+|has\s+)?(?:hired|promoted|named|made)\s+me\b"),
    re.compile(r"\bhired as [a-z][\w\s\-]{2,40}? by\s+(?:the\s+)?" + _LOWER_NAME),
    re.compile(r"\bas [a-z][\w\s\-]{2,40}? at\s+(?:the\s+)?" + _LOWER_NAME),
    re.compile(r"\bat\s+(?:the\s+)?" + _LOWER_NAME),
    re.compile(r"\bwith\s+(?:the\s+)?" + _LOWER_NAME),
]
_LOWER_NOT_ORG = {
    "a", "an", "the", "my", "work", "home", "least", "all", "first", "last", "team", "night", "school",
    "they", "he", "she", "it", "we", "you", "i", "this", "that", "our",
}  # fmt: skip


def _lowercase_org(text: str) -> str | None:
    """An all-lower-case post still names its employer after "joined", "at"...; take up to three words."""
    for rx in _LOWER_TIERS:
        for m in rx.finditer(text):
            org = m.group("org")
            if org.split()[0] not in _LOWER_NOT_ORG and not org.startswith(("home ", "my ")):
                return org
    return None


def extract_org(text: str) -> str | None:
    if not any(c.isupper() for c in text):
        return _lowercase_org(text)
    for tier in _ORG_PATTERNS:
        best: tuple[int, str] | None = None
        for rx in tier:
            for m in rx.finditer(text):
                name = _clean_name(m.group("org"), after=text[m.end("org") :])
                if name and (best is None or m.start() < best[0]):
                    best = (m.start(), name)
                    break
        if best:
            return best[1]
    return None


def extract_title(text: str) -> str | None:
    for m in _TITLE.finditer(text):
        words = m.group("title").split()
        while words and words[-1] in {"of", "and", "&", "in", "to", "the", "I", "I'm", "The"}:
            words.pop()
        title = " ".join(words).rstrip(".,!")
        if title and title.split()[0] not in _NOT_ORG | {"Certified", "Licensed"} and title not in _LEADING_NOISE:
            return title
    return None


def extract_credential(text: str) -> str | None:
    for rx in _CRED_PATTERNS:
        m = rx.search(text)
        if m:
            cred = re.sub(r"^(?i:the|my)\s+", "", m.group("cred").strip().rstrip(".,!"))
            if cred and cred.lower() not in {"certified", "licensed"} and cred.split()[0] not in _NOT_ORG:
                return cred
    return None


def extract_person_names(text: str) -> list[str]:
    names: list[str] = []
    for rx in _PERSON_PATTERNS:
        for m in rx.finditer(text):
            name = m.group("person").strip()
            if name.split()[0].rstrip(".") in _NOT_PERSON or name in names:
                continue
            names.append(name)
    return names


def extract(text: str) -> Entities:
    return Entities(
        org=extract_org(text),
        title=extract_title(text),
        credential=extract_credential(text),
        person_names=extract_person_names(text),
    )
