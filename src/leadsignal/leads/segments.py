"""Derived facts (age, days delinquent, balance band) and saved segments built on them.

A segment is a named filter; segments marked ``monitored`` decide who the monitoring cycle
watches, at which cadence and priority. SQL does the coarse cut (birth year, delinquency date,
balance); exact age needs the encrypted date of birth and is checked in Python.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import JSON, Boolean, Integer, Select, String, Text, false, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from leadsignal.core.crypto import PiiCipher
from leadsignal.db import Base, BigIntPK, UTCDateTime, utcnow
from leadsignal.leads.models import Lead

BALANCE_BANDS: tuple[tuple[str, Decimal | None], ...] = (
    ("under_1k", Decimal("1000")),
    ("1k_5k", Decimal("5000")),
    ("5k_20k", Decimal("20000")),
    ("20k_50k", Decimal("50000")),
    ("50k_plus", None),
)
CLOSED_STATUSES = ("closed", "paid in full", "settled", "deceased", "bankrupt", "cancelled", "recalled")


def age_on(dob: dt.date, today: dt.date) -> int:
    return today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))


def days_delinquent(since: dt.date | None, today: dt.date) -> int | None:
    return None if since is None else max((today - since).days, 0)


def balance_band(total_due: Decimal | None) -> str | None:
    if total_due is None:
        return None
    for name, upper in BALANCE_BANDS:
        if upper is None or total_due < upper:
            return name
    return None


def is_closed_status(status: str | None) -> bool:
    return bool(status) and any(word in status.lower() for word in CLOSED_STATUSES)  # type: ignore[union-attr]


class SegmentRules(BaseModel):
    """A segment's filter. Every condition given must hold; an empty rule set matches everyone."""

    model_config = ConfigDict(extra="forbid")

    min_age: int | None = Field(default=None, ge=0, le=120)
    max_age: int | None = Field(default=None, ge=0, le=120)
    min_days_delinquent: int | None = Field(default=None, ge=0)
    max_days_delinquent: int | None = Field(default=None, ge=0)
    states: list[str] | None = None
    balance_bands: list[str] | None = None
    creditors: list[str] | None = None
    exclude_closed: bool = True

    @model_validator(mode="after")
    def _check(self) -> SegmentRules:
        if self.min_age is not None and self.max_age is not None and self.min_age > self.max_age:
            raise ValueError("min_age is greater than max_age")
        known = {name for name, _ in BALANCE_BANDS}
        if self.balance_bands and not set(self.balance_bands) <= known:
            raise ValueError(f"balance_bands must be among {sorted(known)}")
        if self.states:
            self.states = [s.upper() for s in self.states]
        return self


class LeadSegment(Base):
    __tablename__ = "lead_segments"

    id: Mapped[int] = mapped_column(BigIntPK, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    description: Mapped[str | None] = mapped_column(Text)
    rules: Mapped[dict[str, Any]] = mapped_column(JSON)
    monitored: Mapped[bool] = mapped_column(Boolean, default=True)
    cadence_hours: Mapped[int] = mapped_column(Integer, default=24)
    priority: Mapped[int] = mapped_column(Integer, default=100)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    @property
    def parsed_rules(self) -> SegmentRules:
        return SegmentRules.model_validate(self.rules)


SECOND_CHANCE = SegmentRules(min_age=21, max_age=30, min_days_delinquent=90)


def ensure_default_segments(session: Session) -> None:
    if session.scalar(select(LeadSegment.id).where(LeadSegment.name == "second-chance")) is None:
        session.add(
            LeadSegment(
                name="second-chance",
                description="The client's target: 21-30 years old, 90+ days delinquent, open accounts",
                rules=SECOND_CHANCE.model_dump(exclude_none=True),
                monitored=True,
                cadence_hours=24,
                priority=100,
            )
        )
        session.flush()


def _sql_filter(rules: SegmentRules, today: dt.date) -> Select[Lead]:
    query = select(Lead)
    if rules.max_age is not None:  # youngest allowed birth years; exact check in Python
        query = query.where(Lead.birth_year >= today.year - rules.max_age - 1)
    if rules.min_age is not None:
        query = query.where(Lead.birth_year <= today.year - rules.min_age)
    if rules.min_days_delinquent is not None:
        query = query.where(Lead.delinquent_since <= today - dt.timedelta(days=rules.min_days_delinquent))
    if rules.max_days_delinquent is not None:
        query = query.where(Lead.delinquent_since >= today - dt.timedelta(days=rules.max_days_delinquent))
    if rules.states:
        query = query.where(Lead.state.in_(rules.states))
    if rules.creditors:
        query = query.where(Lead.org_creditor.in_(rules.creditors))
    if rules.balance_bands:
        conditions = []
        lower = Decimal(0)
        for name, upper in BALANCE_BANDS:
            if name in rules.balance_bands:
                cond = Lead.total_due >= lower
                conditions.append(cond if upper is None else cond & (Lead.total_due < upper))
            lower = upper if upper is not None else lower
        query = query.where(or_(*conditions) if conditions else false())
    return query.order_by(Lead.id)


def segment_members(
    session: Session, rules: SegmentRules, cipher: PiiCipher, *, today: dt.date | None = None,
    batch_size: int = 1000,
) -> Iterator[Lead]:  # fmt: skip
    today = today or dt.date.today()
    needs_age = rules.min_age is not None or rules.max_age is not None
    for lead in session.scalars(_sql_filter(rules, today).execution_options(yield_per=batch_size)):
        if rules.exclude_closed and is_closed_status(lead.status_description):
            continue
        if needs_age:
            if lead.dob_enc is None:
                continue
            age = age_on(dt.date.fromisoformat(cipher.decrypt(lead.dob_enc, context="dob")), today)
            if rules.min_age is not None and age < rules.min_age:
                continue
            if rules.max_age is not None and age > rules.max_age:
                continue
        yield lead


def derived_facts(lead: Lead, cipher: PiiCipher, today: dt.date | None = None) -> dict[str, Any]:
    today = today or dt.date.today()
    dob = dt.date.fromisoformat(cipher.decrypt(lead.dob_enc, context="dob")) if lead.dob_enc else None
    return {
        "age": age_on(dob, today) if dob else None,
        "days_delinquent": days_delinquent(lead.delinquent_since, today),
        "balance_band": balance_band(lead.total_due),
    }


def list_segments(session: Session) -> Sequence[LeadSegment]:
    return session.scalars(select(LeadSegment).order_by(LeadSegment.priority.desc(), LeadSegment.name)).all()
