"""Small factories: build valid domain objects with overrides, never hand-copied fixtures."""

from __future__ import annotations

import csv
import datetime as dt
import itertools
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from leadsignal.core.crypto import PiiCipher
from leadsignal.leads.fields import EXTERNAL_NAMES
from leadsignal.leads.models import Lead
from leadsignal.leads.normalize import parse_name
from leadsignal.leads.service import storage_values

_seq = itertools.count(1)


def lead_row(**overrides: str) -> dict[str, str]:
    """One CSV row in the agency's export format, valid unless overridden."""
    n = next(_seq)
    row = {
        "debtor_name": "Jane A Doe",
        "agency_id_number": f"AG-{n:06d}",
        "loan_number": f"LN{n:08d}",
        "tax_id": f"123-45-{n % 10000:04d}" if n % 10000 else "123-45-6789",
        "dob": "3/7/2000",
        "address": "12 Main St",
        "city": "Columbus",
        "state": "OH",
        "zip": "43004",
        "phone_1": "(614) 555-0123",
        "phone_2": "",
        "email": "Jane.Doe@Example.com",
        "org_creditor": "Navient",
        "referral_amount": "$12,500.00",
        "received_total": "250.00",
        "total_due": "$12,250.00",
        "last_payment_amount": "50",
        "referral_date": "1/15/2025",
        "item_date_c_off": "2024-10-01",
        "agency_last_payment_date": "2/1/2025",
        "pcg_last_payment_date": "",
        "status_description": "Active - Delinquent",
        "companyDomain": "",
        "companyAbout": "",
        "linkedin_url": "",
    }
    row.update(overrides)
    return row


def write_csv(path: Path, rows: list[dict[str, str]], *, header: list[str] | None = None,
              encoding: str = "utf-8", newline: str = "\n") -> Path:  # fmt: skip
    columns = header or list(EXTERNAL_NAMES)
    with path.open("w", newline="", encoding=encoding) as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore", lineterminator=newline)
        writer.writeheader()
        writer.writerows(rows)
    return path


def make_lead(session: Session, cipher: PiiCipher, **overrides: Any) -> Lead:
    """A stored lead: 25 years old, 200 days delinquent, unless overridden."""
    n = next(_seq)
    today = dt.date.today()
    parsed: dict[str, Any] = {
        "agency_id_number": f"F-{n:07d}",
        "loan_number": f"FL{n:08d}",
        "tax_id": None,
        "dob": today.replace(year=today.year - 25) - dt.timedelta(days=30),
        "state": "OH",
        "city": "Columbus",
        "total_due": Decimal("9000.00"),
        "referral_date": today - dt.timedelta(days=400),
        "agency_last_payment_date": today - dt.timedelta(days=200),
        "status_description": "Active - Delinquent",
    }
    name = parse_name(overrides.pop("debtor_name", "Jane Doe"))
    parsed.update({k: v for k, v in overrides.items() if k in parsed or k in Lead.__table__.c})
    lead = Lead(**storage_values(name, parsed, cipher))
    session.add(lead)
    session.flush()
    return lead
