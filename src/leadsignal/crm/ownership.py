"""Who owns each lead field. The owner's value wins; the other side only mirrors it.

The CRM owns what agents maintain (contact data, account status, compliance flags); leadsignal
owns what it finds (signals, enrichment, the confirmed profile); the agency's placement file owns
identity and balances, which neither side edits through sync.
"""

from __future__ import annotations

from typing import Literal

from leadsignal.crm.models import CONTACT_FLAGS

Owner = Literal["crm", "leadsignal", "agency_import"]

CRM_CONTACT_FIELDS = ("address", "city", "state", "zip", "phone_1", "phone_2", "email")
CRM_FIELDS = (*CRM_CONTACT_FIELDS, "status_description")
CRM_OWNED = (*CRM_FIELDS, *CONTACT_FLAGS)
LEADSIGNAL_OWNED = ("companyDomain", "companyAbout", "linkedin_url", "signals")
IMPORT_OWNED = (
    "debtor_name", "agency_id_number", "loan_number", "tax_id", "dob", "org_creditor", "referral_amount",
    "received_total", "total_due", "last_payment_amount", "referral_date", "item_date_c_off",
    "agency_last_payment_date", "pcg_last_payment_date",
)  # fmt: skip

FIELD_OWNERS: dict[str, Owner] = {
    **dict.fromkeys(CRM_OWNED, "crm"),
    **dict.fromkeys(LEADSIGNAL_OWNED, "leadsignal"),
    **dict.fromkeys(IMPORT_OWNED, "agency_import"),
}


def owner_of(field: str) -> Owner | None:
    return FIELD_OWNERS.get(field)
