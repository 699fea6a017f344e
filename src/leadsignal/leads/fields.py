"""Every lead field by its external name, how to parse it, and where it is stored."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from leadsignal.leads import normalize as n


@dataclass(frozen=True)
class FieldSpec:
    external: str
    column: str
    parse: Callable[[str | None], Any]
    sensitive: bool = False


def _money(name: str) -> Callable[[str | None], Any]:
    return lambda raw: n.parse_money(raw, name)


def _date(name: str) -> Callable[[str | None], Any]:
    return lambda raw: n.parse_date(raw, name)


def _text(name: str, max_len: int) -> Callable[[str | None], Any]:
    return lambda raw: n.clean_text(raw, name, max_len)


def _identifier(name: str, max_len: int = 64) -> Callable[[str | None], Any]:
    def parse(raw: str | None) -> str | None:
        value = n.clean_text(raw, name, max_len)
        if value is not None and any(ch.isspace() for ch in value):
            raise n.FieldError(f"{name}: must not contain spaces")
        return value

    return parse


def _tax_id(raw: str | None) -> str | None:
    if n.blank(raw):
        return None
    assert raw is not None
    digits = "".join(ch for ch in raw if ch.isdigit())
    if len(digits) != 9 or any(ch.isalpha() for ch in raw):
        raise n.FieldError("tax_id: must be 9 digits (SSN or EIN)")
    if digits.startswith(("000", "666", "9")) or digits[3:5] == "00" or digits[5:] == "0000":
        raise n.FieldError("tax_id: not a valid SSN")
    return digits


def _dob(raw: str | None) -> dt.date | None:
    value = n.parse_date(raw, "dob")
    if value is None:
        return None
    today = dt.date.today()
    age = today.year - value.year - ((today.month, today.day) < (value.month, value.day))
    if value > today:
        raise n.FieldError("dob: is in the future")
    if not 14 <= age <= 120:
        raise n.FieldError(f"dob: gives an age of {age}, outside 14-120")
    return value


def _url(raw: str | None) -> str | None:
    value = n.clean_text(raw, "linkedin_url", 255)
    if value is None:
        return None
    if not value.lower().startswith(("https://", "http://")) or "linkedin.com/in/" not in value.lower():
        raise n.FieldError("linkedin_url: must be a https://www.linkedin.com/in/... profile URL")
    return value.split("?", 1)[0].rstrip("/")


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("agency_id_number", "agency_id_number", _identifier("agency_id_number")),
    FieldSpec("loan_number", "loan_number", _identifier("loan_number"), sensitive=True),
    FieldSpec("tax_id", "tax_id", _tax_id, sensitive=True),
    FieldSpec("dob", "dob", _dob, sensitive=True),
    FieldSpec("address", "address", _text("address", 255)),
    FieldSpec("city", "city", _text("city", 120)),
    FieldSpec("state", "state", n.parse_state),
    FieldSpec("zip", "zip", n.parse_zip),
    FieldSpec("phone_1", "phone_1", lambda raw: n.parse_phone(raw, "phone_1")),
    FieldSpec("phone_2", "phone_2", lambda raw: n.parse_phone(raw, "phone_2")),
    FieldSpec("email", "email", n.parse_email),
    FieldSpec("org_creditor", "org_creditor", _text("org_creditor", 200)),
    FieldSpec("referral_amount", "referral_amount", _money("referral_amount")),
    FieldSpec("received_total", "received_total", _money("received_total")),
    FieldSpec("total_due", "total_due", _money("total_due")),
    FieldSpec("last_payment_amount", "last_payment_amount", _money("last_payment_amount")),
    FieldSpec("referral_date", "referral_date", _date("referral_date")),
    FieldSpec("item_date_c_off", "item_date_c_off", _date("item_date_c_off")),
    FieldSpec("agency_last_payment_date", "agency_last_payment_date", _date("agency_last_payment_date")),
    FieldSpec("pcg_last_payment_date", "pcg_last_payment_date", _date("pcg_last_payment_date")),
    FieldSpec("status_description", "status_description", _text("status_description", 120)),
    FieldSpec("companyDomain", "company_domain", n.parse_domain),
    FieldSpec("companyAbout", "company_about", _text("companyAbout", 20000)),
    FieldSpec("linkedin_url", "linkedin_url", _url),
)
FIELD_BY_EXTERNAL = {f.external: f for f in FIELDS}
EXTERNAL_NAMES = ("debtor_name", *(f.external for f in FIELDS))
SENSITIVE = tuple(f.column for f in FIELDS if f.sensitive)
