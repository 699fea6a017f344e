"""What we know about a borrower that can identify them on a profile, built from a lead or CSV fields."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from leadsignal.core.crypto import PiiCipher
from leadsignal.leads.fields import FIELD_BY_EXTERNAL
from leadsignal.leads.models import Lead
from leadsignal.leads.normalize import FieldError, parse_name

# The CSV fields that say who a lead is; the rest (money, dates of payment) never identify anyone.
IDENTITY_FIELDS = ("dob", "city", "state", "zip", "email", "phone_1", "phone_2", "companyDomain", "linkedin_url")


class LeadIdentity(BaseModel):
    """A lead's identifying fields, already normalised (USPS state, E.164 phones, lower-case email)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    first_name: str
    middle_name: str | None = None
    last_name: str
    city: str | None = None
    state: str | None = None
    zip: str | None = None
    email: str | None = None
    phones: tuple[str, ...] = ()
    company_domain: str | None = None
    employer: str | None = None  # a known employer's name, when the agency has one
    birth_year: int | None = Field(default=None, ge=1900, le=2100)
    age: int | None = Field(default=None, ge=0, le=130)
    linkedin_url: str | None = None


class LeadFieldsError(ValueError):
    """Lead fields that cannot be used; the message lists every bad field."""


def _age(dob: dt.date, today: dt.date) -> int:
    return today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))


def identity_from_lead(lead: Lead, *, cipher: PiiCipher | None = None, today: dt.date | None = None) -> LeadIdentity:
    """The identity of a stored lead; with the cipher, the exact age from the encrypted date of birth."""
    if not lead.first_name or not lead.last_name:
        raise LeadFieldsError(f"lead {lead.id} has no parsed first and last name")
    age = None
    if cipher is not None and lead.dob_enc:
        dob = dt.date.fromisoformat(cipher.decrypt(lead.dob_enc, context="dob"))
        age = _age(dob, today or dt.date.today())
    return LeadIdentity(
        first_name=lead.first_name,
        middle_name=lead.middle_name,
        last_name=lead.last_name,
        city=lead.city,
        state=lead.state,
        zip=lead.zip,
        email=lead.email,
        phones=tuple(p for p in (lead.phone_1, lead.phone_2) if p),
        company_domain=lead.company_domain,
        birth_year=lead.birth_year,
        age=age,
        linkedin_url=lead.linkedin_url,
    )


def _cell(field: str, value: Any) -> str | None:
    """JSON values as the CSV cell text the importer's parsers expect."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise FieldError(f"{field}: must be text, not {type(value).__name__}")
    return str(value)


def identity_from_fields(fields: Mapping[str, Any], *, today: dt.date | None = None) -> LeadIdentity:
    """An identity from lead fields by their CSV names, parsed by the importer's own normalisers."""
    errors: list[str] = []
    name = None
    try:
        raw_name = _cell("debtor_name", fields.get("debtor_name"))
        name = parse_name(raw_name or "")
    except FieldError as exc:
        errors.append(str(exc))
    parsed: dict[str, Any] = {}
    for external in IDENTITY_FIELDS:
        if external not in fields:
            continue
        try:
            parsed[external] = FIELD_BY_EXTERNAL[external].parse(_cell(external, fields[external]))
        except FieldError as exc:
            errors.append(str(exc))
    if errors or name is None:
        raise LeadFieldsError("; ".join(errors))
    dob: dt.date | None = parsed.get("dob")
    return LeadIdentity(
        first_name=name.first,
        middle_name=name.middle,
        last_name=name.last,
        city=parsed.get("city"),
        state=parsed.get("state"),
        zip=parsed.get("zip"),
        email=parsed.get("email"),
        phones=tuple(p for p in (parsed.get("phone_1"), parsed.get("phone_2")) if p),
        company_domain=parsed.get("companyDomain"),
        birth_year=dob.year if dob else None,
        age=_age(dob, today or dt.date.today()) if dob else None,
        linkedin_url=parsed.get("linkedin_url"),
    )
