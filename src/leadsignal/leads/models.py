"""The leads table. Sensitive identifiers are stored only as ciphertext plus a keyed hash."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from leadsignal.db import Base, BigIntPK, UTCDateTime, utcnow

Money = Numeric(14, 2)


class Lead(Base):
    __tablename__ = "leads"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)

    debtor_name: Mapped[str] = mapped_column(String(200))
    first_name: Mapped[str | None] = mapped_column(String(80))
    middle_name: Mapped[str | None] = mapped_column(String(80))
    last_name: Mapped[str | None] = mapped_column(String(120))
    agency_id_number: Mapped[str | None] = mapped_column(String(64), unique=True)

    loan_number_enc: Mapped[str | None] = mapped_column(Text)
    loan_number_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    tax_id_enc: Mapped[str | None] = mapped_column(Text)
    tax_id_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    dob_enc: Mapped[str | None] = mapped_column(Text)
    dob_hash: Mapped[str | None] = mapped_column(String(64), index=True)
    # Derived from dob and kept in clear so segments can pre-filter in SQL; exact age needs dob.
    birth_year: Mapped[int | None] = mapped_column(Integer, index=True)

    address: Mapped[str | None] = mapped_column(String(255))
    city: Mapped[str | None] = mapped_column(String(120))
    state: Mapped[str | None] = mapped_column(String(2), index=True)
    zip: Mapped[str | None] = mapped_column(String(10))
    phone_1: Mapped[str | None] = mapped_column(String(20))
    phone_2: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(254))

    org_creditor: Mapped[str | None] = mapped_column(String(200), index=True)
    referral_amount: Mapped[Decimal | None] = mapped_column(Money)
    received_total: Mapped[Decimal | None] = mapped_column(Money)
    total_due: Mapped[Decimal | None] = mapped_column(Money)
    last_payment_amount: Mapped[Decimal | None] = mapped_column(Money)

    referral_date: Mapped[dt.date | None] = mapped_column(Date)
    item_date_c_off: Mapped[dt.date | None] = mapped_column(Date)
    agency_last_payment_date: Mapped[dt.date | None] = mapped_column(Date)
    pcg_last_payment_date: Mapped[dt.date | None] = mapped_column(Date)
    # Latest of the two payment dates (or the referral date): the base of days delinquent.
    delinquent_since: Mapped[dt.date | None] = mapped_column(Date, index=True)
    status_description: Mapped[str | None] = mapped_column(String(120))

    company_domain: Mapped[str | None] = mapped_column(String(255))
    company_about: Mapped[str | None] = mapped_column(Text)
    linkedin_url: Mapped[str | None] = mapped_column(String(255))

    do_not_scrape: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0", index=True)
    do_not_scrape_reason: Mapped[str | None] = mapped_column(String(255))
    do_not_scrape_source: Mapped[str | None] = mapped_column(String(40))
    do_not_scrape_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    # Who works the lead (auth/): the API and row-level security scope every read by these two.
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id", ondelete="SET NULL"), index=True)
    assignee_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)

    extra: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    __table_args__ = (
        Index("ix_leads_name", "last_name", "first_name"),
        Index("ix_leads_email", "email"),  # the public opt-out form's exact lookup
        # Keyset order of the API's lead list, and trigram name search on PostgreSQL.
        Index("ix_leads_debtor_name_id", "debtor_name", "id"),
        Index("ix_leads_debtor_name_trgm", "debtor_name", postgresql_using="gin",
              postgresql_ops={"debtor_name": "gin_trgm_ops"}),
    )  # fmt: skip

    def __repr__(self) -> str:  # never print PII in logs or tracebacks
        return f"<Lead id={self.id} agency_id={self.agency_id_number!r}>"
