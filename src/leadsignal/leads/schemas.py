"""What the leads API accepts and returns. Sensitive identifiers leave only masked or revealed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from leadsignal.core.pagination import DbId

SensitiveField = Literal["tax_id", "dob", "loan_number"]


class LeadSummary(BaseModel):
    """A row of the lead list: enough to pick a lead, nothing an agent would need to reveal."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    debtor_name: str
    city: str | None
    state: str | None
    org_creditor: str | None
    total_due: Decimal | None
    delinquent_since: dt.date | None
    status_description: str | None
    do_not_scrape: bool
    team_id: int | None
    assignee_user_id: int | None
    updated_at: dt.datetime


class LeadDetail(LeadSummary):
    first_name: str | None
    middle_name: str | None
    last_name: str | None
    agency_id_number: str | None
    birth_year: int | None
    address: str | None
    zip: str | None
    phone_1: str | None
    phone_2: str | None
    email: str | None
    referral_amount: Decimal | None
    received_total: Decimal | None
    last_payment_amount: Decimal | None
    referral_date: dt.date | None
    agency_last_payment_date: dt.date | None
    pcg_last_payment_date: dt.date | None
    linkedin_url: str | None
    do_not_scrape_reason: str | None
    created_at: dt.datetime
    tax_id: str | None = Field(description='Masked as "***-**-1234"; null for callers who may not see it.')
    loan_number: str | None = Field(description='Masked as "****1234"; null for callers who may not see it.')


class RevealIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    field: SensitiveField


class RevealOut(BaseModel):
    lead_id: int
    field: SensitiveField
    value: str | None


class AssignmentIn(BaseModel):
    """Set either or both; an explicit null clears it."""

    model_config = ConfigDict(extra="forbid")

    team_id: DbId | None = None
    assignee_user_id: DbId | None = None


class AssignmentOut(BaseModel):
    lead_id: int
    team_id: int | None
    assignee_user_id: int | None
