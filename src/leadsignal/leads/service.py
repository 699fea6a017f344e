"""Lead writes and reads that other domains use (they never touch the leads table directly)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from leadsignal.compliance import audit
from leadsignal.core.crypto import PiiCipher
from leadsignal.db import utcnow
from leadsignal.leads.fields import FIELDS, SENSITIVE
from leadsignal.leads.models import Lead
from leadsignal.leads.normalize import PersonName

# Columns compared to decide whether an import row changes a stored lead. Sensitive fields are
# compared by keyed hash, because their ciphertext differs on every encryption.
PLAIN_COLUMNS = (
    "debtor_name", "first_name", "middle_name", "last_name", "agency_id_number", "birth_year",
    "address", "city", "state", "zip", "phone_1", "phone_2", "email", "org_creditor",
    "referral_amount", "received_total", "total_due", "last_payment_amount", "referral_date",
    "item_date_c_off", "agency_last_payment_date", "pcg_last_payment_date", "delinquent_since",
    "status_description", "company_domain", "company_about", "linkedin_url",
)  # fmt: skip


def storage_values(name: PersonName | None, parsed: dict[str, Any], cipher: PiiCipher) -> dict[str, Any]:
    """Columns to store for a lead given its parsed external fields (only those present)."""
    values: dict[str, Any] = {}
    if name is not None:
        values.update(debtor_name=name.display, first_name=name.first, middle_name=name.middle, last_name=name.last)
    for column, value in parsed.items():
        if column in SENSITIVE:
            text = value.isoformat() if isinstance(value, dt.date) else value
            values[f"{column}_enc"] = None if text is None else cipher.encrypt(text, context=column)
            values[f"{column}_hash"] = None if text is None else cipher.blind_index(text, context=column)
            if column == "dob":
                values["birth_year"] = None if value is None else value.year
        else:
            values[column] = value
    if {"agency_last_payment_date", "pcg_last_payment_date", "referral_date"} & parsed.keys():
        values["delinquent_since"] = delinquent_since(parsed)
    return values


def delinquent_since(parsed: dict[str, Any]) -> dt.date | None:
    payments: list[dt.date] = [
        d for d in (parsed.get("agency_last_payment_date"), parsed.get("pcg_last_payment_date")) if d
    ]
    if payments:
        return max(payments)
    referral: dt.date | None = parsed.get("referral_date")
    return referral


def changed_columns(lead: Lead, values: dict[str, Any]) -> dict[str, Any]:
    """The subset of ``values`` that differs from what is stored (ciphertexts judged by hash)."""
    changes: dict[str, Any] = {}
    for column, value in values.items():
        if column.endswith("_enc"):
            continue
        if getattr(lead, column) != value:
            changes[column] = value
            if column.endswith("_hash"):
                enc = column[: -len("_hash")] + "_enc"
                changes[enc] = values[enc]
    return changes


_EXTERNAL_OF_COLUMN = {f.column: f.external for f in FIELDS}


def external_field_of(column: str) -> str:
    """``company_domain`` -> ``companyDomain``, ``tax_id_hash`` -> ``tax_id`` (names in CSV, API, audit)."""
    base = column.removesuffix("_hash").removesuffix("_enc")
    return _EXTERNAL_OF_COLUMN.get(base, base)


def reveal(session: Session, lead: Lead, field: str, cipher: PiiCipher, actor: audit.Actor) -> str | None:
    """Decrypt one sensitive field for a person allowed to see it, and audit the reveal."""
    if field not in SENSITIVE:
        raise ValueError(f"{field} is not a sensitive field")
    token = getattr(lead, f"{field}_enc")
    audit.record(session, actor, "lead.reveal", entity_type="lead", entity_id=lead.id, fields=[field])
    return None if token is None else cipher.decrypt(token, context=field)


def find_by_sensitive(session: Session, field: str, value: str, cipher: PiiCipher) -> Lead | None:
    if field not in SENSITIVE:
        raise ValueError(f"{field} is not a sensitive field")
    digest = cipher.blind_index(value, context=field)
    return session.scalars(select(Lead).where(getattr(Lead, f"{field}_hash") == digest)).first()


def set_do_not_scrape(
    session: Session, lead: Lead, *, reason: str, source: str, actor: audit.Actor, value: bool = True
) -> None:
    lead.do_not_scrape = value
    lead.do_not_scrape_reason = reason
    lead.do_not_scrape_source = source
    lead.do_not_scrape_at = utcnow()
    lead.version += 1
    audit.record(
        session,
        actor,
        "lead.do_not_scrape.set" if value else "lead.do_not_scrape.cleared",
        entity_type="lead",
        entity_id=lead.id,
        fields=["do_not_scrape"],
        details={"reason": reason, "source": source},
    )
    session.flush()


# Columns the agency's CRM owns and may update through crm/sync (contact data and status).
CRM_OWNED_COLUMNS = ("address", "city", "state", "zip", "phone_1", "phone_2", "email", "status_description")


def lead_by_agency_id(session: Session, agency_id_number: str) -> Lead | None:
    return session.scalars(select(Lead).where(Lead.agency_id_number == agency_id_number)).first()


def apply_crm_fields(
    session: Session, lead: Lead, values: dict[str, Any], *, actor: audit.Actor, source: str
) -> list[str]:
    """Store already-parsed CRM-owned columns; returns the columns that changed (audited, versioned)."""
    foreign = sorted(set(values) - set(CRM_OWNED_COLUMNS))
    if foreign:
        raise ValueError(f"not CRM-owned columns: {', '.join(foreign)}")
    changes = changed_columns(lead, values)
    for column, value in changes.items():
        setattr(lead, column, value)
    if changes:
        lead.version += 1
        audit.record(
            session, actor, "lead.crm_updated", entity_type="lead", entity_id=lead.id,
            fields=list(changes), details={"source": source},
        )  # fmt: skip
    session.flush()
    return sorted(changes)


def apply_enrichment(
    session: Session,
    lead: Lead,
    *,
    company: str,
    domain: str | None,
    about: str | None,
    actor: audit.Actor,
) -> list[str]:
    """Store what enrichment found for the lead's current employer; returns the fields changed.

    Enrichment is ours (the CRM never owns companyDomain/companyAbout). The employer it was run for
    is remembered, so the next cycle only enriches again when the employer changes.
    """
    changed = []
    if domain is not None and domain != lead.company_domain:
        lead.company_domain = domain[:255]
        changed.append("companyDomain")
    if about is not None and about != lead.company_about:
        lead.company_about = about
        changed.append("companyAbout")
    lead.extra = {**(lead.extra or {}), "enrichment": {"company": company, "checked_at": utcnow().isoformat()}}
    if changed:
        lead.version += 1
        audit.record(session, actor, "lead.enriched", entity_type="lead", entity_id=lead.id, fields=changed,
                     details={"company": company})  # fmt: skip
    session.flush()
    return changed


def enrichment_due(lead: Lead, company: str | None) -> bool:
    """Enrich when the lead has a current employer we have not looked up yet."""
    if not company:
        return False
    last = (lead.extra or {}).get("enrichment", {})
    return bool(last.get("company") != company)
