"""Parse the values a US collection system's spreadsheet export actually contains.

Each function takes the raw cell text and returns a clean value, ``None`` for an empty cell, or
raises ``FieldError`` with a reason a person can act on.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from leadsignal.leads.us_states import STATE_CODES, STATE_NAMES


class FieldError(ValueError):
    """A cell that cannot be used; the message is shown to the operator as-is."""


def blank(raw: str | None) -> bool:
    return raw is None or not raw.strip()


# --- names -------------------------------------------------------------------------------

_PARTICLES = {
    "de",
    "del",
    "della",
    "la",
    "las",
    "los",
    "da",
    "das",
    "do",
    "dos",
    "van",
    "von",
    "der",
    "y",
    "di",
    "le",
    "du",
}
_SUFFIXES = {"jr", "sr", "ii", "iii", "iv", "v"}


@dataclass(frozen=True)
class PersonName:
    first: str
    middle: str | None
    last: str
    suffix: str | None

    @property
    def display(self) -> str:
        parts = [self.first, self.middle, self.last]
        name = " ".join(p for p in parts if p)
        return f"{name} {self.suffix}" if self.suffix else name


def _case_word(word: str, *, first: bool) -> str:
    lower = word.lower()
    if not first and lower in _PARTICLES:
        return lower
    if "-" in word:
        return "-".join(_case_word(w, first=True) for w in word.split("-"))
    if "'" in word and len(word) > 2:
        head, _, tail = word.partition("'")
        return f"{_case_word(head, first=True)}'{_case_word(tail, first=True)}"
    if lower.startswith("mc") and len(lower) > 2:
        return "Mc" + lower[2:].capitalize()
    return lower.capitalize()


def _case_tokens(tokens: list[str]) -> list[str]:
    return [_case_word(t, first=len(tokens) == 1) for t in tokens]


def _is_initial(token: str) -> bool:
    return len(token.rstrip(".")) == 1


def _clean_suffix(token: str) -> str | None:
    core = token.rstrip(".").lower()
    if core in _SUFFIXES:
        return core.upper() if core in {"ii", "iii", "iv", "v"} else core.capitalize() + "."
    return None


def parse_name(raw: str) -> PersonName:
    """'DOE, JANE A', 'jane a. doe', 'Maria de la Cruz Garcia', 'O'NEIL-SMITH, PAT JR'."""
    text = " ".join(raw.replace("\u00a0", " ").split())
    if not text:
        raise FieldError("debtor_name: required")
    if any(ch.isdigit() for ch in text):
        raise FieldError("debtor_name: contains digits")
    suffix = None
    if "," in text:
        last_part, _, rest = text.partition(",")
        rest_tokens = rest.replace(",", " ").split()
        if rest_tokens and (found := _clean_suffix(rest_tokens[-1])):
            suffix, rest_tokens = found, rest_tokens[:-1]
        last_tokens = last_part.split()
        if last_tokens and (found := _clean_suffix(last_tokens[-1])):
            suffix, last_tokens = found, last_tokens[:-1]
        first_tokens = rest_tokens
    else:
        tokens = text.split()
        if len(tokens) > 1 and (found := _clean_suffix(tokens[-1])):
            suffix, tokens = found, tokens[:-1]
        if len(tokens) == 1:
            raise FieldError("debtor_name: needs a first and a last name")
        # Everything after the first name and any initials/middle name is the surname, so
        # particles and double surnames ("de la Cruz Garcia") stay together.
        first_tokens, last_tokens = tokens[:1], tokens[1:]
        while len(last_tokens) > 1 and _is_initial(last_tokens[0]):
            first_tokens.append(last_tokens.pop(0))
        if len(last_tokens) > 1 and last_tokens[0].lower() not in _PARTICLES and len(tokens) == 3:
            first_tokens.append(last_tokens.pop(0))
    if not first_tokens or not last_tokens:
        raise FieldError("debtor_name: needs a first and a last name")
    first = _case_word(first_tokens[0], first=True)
    middle_tokens = [t.rstrip(".") for t in first_tokens[1:]]
    middle = " ".join(t.upper() if len(t) == 1 else _case_word(t, first=True) for t in middle_tokens) or None
    last = " ".join(_case_tokens(last_tokens))
    return PersonName(first=first, middle=middle, last=last, suffix=suffix)


# --- contact -----------------------------------------------------------------------------

_US10 = re.compile(r"^\+?1?[\s.\-]*\(?([2-9]\d{2})\)?[\s.\-]*([2-9]\d{2})[\s.\-]*(\d{4})$")


def parse_phone(raw: str | None, field: str) -> str | None:
    if blank(raw):
        return None
    assert raw is not None
    text = raw.strip()
    text = re.sub(r"\s*(x|ext\.?|#)\s*\d+$", "", text, flags=re.IGNORECASE)
    if m := _US10.match(text):
        return "+1" + "".join(m.groups())
    try:
        number = phonenumbers.parse(text, "US")
    except phonenumbers.NumberParseException as exc:
        raise FieldError(f"{field}: {raw.strip()!r} is not a phone number") from exc
    if not phonenumbers.is_valid_number(number):
        raise FieldError(f"{field}: {raw.strip()!r} is not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


_EMAIL_FAST = re.compile(r"^[a-z0-9._%+\-]+@[a-z0-9\-]+(\.[a-z0-9\-]+)*\.[a-z]{2,}$")


def parse_email(raw: str | None) -> str | None:
    if blank(raw):
        return None
    assert raw is not None
    text = raw.strip().lower()
    if _EMAIL_FAST.match(text) and ".." not in text and not text.startswith("."):
        return text
    try:
        return validate_email(text, check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise FieldError(f"email: {raw.strip()!r} is not a valid address ({exc})") from exc


def parse_state(raw: str | None) -> str | None:
    if blank(raw):
        return None
    assert raw is not None
    text = " ".join(raw.replace(".", "").split()).upper()
    if text in STATE_CODES:
        return text
    code = STATE_NAMES.get(text)
    if code is None:
        raise FieldError(f"state: {raw.strip()!r} is not a US state or territory")
    return code


_ZIP = re.compile(r"^(\d{3,5})(?:[\s\-]?(\d{4}))?$")


def parse_zip(raw: str | None) -> str | None:
    if blank(raw):
        return None
    assert raw is not None
    text = raw.strip()
    if text.endswith(".0"):  # a spreadsheet that turned the ZIP into a number
        text = text[:-2]
    m = _ZIP.match(text)
    if not m:
        raise FieldError(f"zip: {raw.strip()!r} is not a 5 or 9 digit ZIP code")
    # Spreadsheets drop leading zeros from New England and New Jersey ZIPs.
    five = m.group(1).zfill(5)
    return f"{five}-{m.group(2)}" if m.group(2) else five


# --- money and dates ---------------------------------------------------------------------

_CENT = Decimal("0.01")


def parse_money(raw: str | None, field: str) -> Decimal | None:
    if blank(raw):
        return None
    assert raw is not None
    text = raw.strip()
    negative = (text.startswith("(") and text.endswith(")")) or text.startswith("-")
    cleaned = text.strip("()").replace("$", "").replace(",", "").replace(" ", "").lstrip("-")
    if cleaned.startswith("$"):
        cleaned = cleaned[1:]
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise FieldError(f"{field}: {text!r} is not an amount of money") from exc
    if not value.is_finite():
        raise FieldError(f"{field}: {text!r} is not an amount of money")
    if negative and value != 0:
        raise FieldError(f"{field}: {text!r} is negative")
    if value >= Decimal("1000000000000"):
        raise FieldError(f"{field}: {text!r} is implausibly large")
    if value != value.quantize(_CENT):
        raise FieldError(f"{field}: {text!r} has fractions of a cent")
    return value.quantize(_CENT)


_US_DATE = re.compile(r"^(\d{1,2})[/\-.](\d{1,2})[/\-.](\d{2}|\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+Z?)?$")
_TEXT_FORMATS = ("%d-%b-%Y", "%d-%b-%y", "%b %d, %Y", "%B %d, %Y", "%b %d %Y", "%B %d %Y", "%Y%m%d")


def parse_date(raw: str | None, field: str, *, today: dt.date | None = None) -> dt.date | None:
    """US order (month first) for slashed dates, ISO 8601, and '07-Mar-2024' style."""
    if blank(raw):
        return None
    assert raw is not None
    text = raw.strip()
    today = today or dt.date.today()
    try:
        if m := _ISO_DATE.match(text):
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if m := _US_DATE.match(text):
            month, day, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
            if len(m.group(3)) == 2:
                # Two-digit years: the most recent year not in the future.
                year += 2000 if 2000 + year <= today.year else 1900
            return dt.date(year, month, day)
    except ValueError as exc:
        raise FieldError(f"{field}: {text!r} is not a real date") from exc
    for fmt in _TEXT_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise FieldError(f"{field}: {text!r} is not a date (use M/D/YYYY or YYYY-MM-DD)")


def parse_domain(raw: str | None) -> str | None:
    if blank(raw):
        return None
    assert raw is not None
    text = raw.strip().lower()
    text = re.sub(r"^https?://", "", text).split("/", 1)[0]
    text = text.removeprefix("www.")
    if len(text) > 255 or not re.match(r"^[a-z0-9]([a-z0-9\-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9\-]*[a-z0-9])?)+$", text):
        raise FieldError(f"companyDomain: {raw.strip()[:80]!r} is not a domain name")
    return text


def clean_text(raw: str | None, field: str, max_len: int) -> str | None:
    if blank(raw):
        return None
    assert raw is not None
    text = " ".join(raw.split())
    if len(text) > max_len:
        raise FieldError(f"{field}: longer than {max_len} characters")
    return text
