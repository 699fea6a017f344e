from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from pydantic import ValidationError
from sqlalchemy.orm import Session

from leadsignal.core.crypto import PiiCipher
from leadsignal.leads.segments import (
    SECOND_CHANCE,
    SegmentRules,
    balance_band,
    days_delinquent,
    derived_facts,
    ensure_default_segments,
    list_segments,
    segment_members,
)
from tests.factories import make_lead

TODAY = dt.date(2026, 11, 23)


def born(age: int, *, days_after_birthday: int = 10) -> dt.date:
    return TODAY.replace(year=TODAY.year - age) - dt.timedelta(days=days_after_birthday)


def test_derived_facts(db: Session, cipher: PiiCipher) -> None:
    lead = make_lead(db, cipher, dob=born(25), agency_last_payment_date=TODAY - dt.timedelta(days=120),
                     total_due=Decimal("4999.99"))  # fmt: skip
    assert derived_facts(lead, cipher, TODAY) == {"age": 25, "days_delinquent": 120, "balance_band": "1k_5k"}


@pytest.mark.parametrize(("amount", "band"), [("0", "under_1k"), ("1000", "1k_5k"), ("19999.99", "5k_20k"),
                                              ("50000", "50k_plus"), (None, None)])  # fmt: skip
def test_balance_bands(amount: str | None, band: str | None) -> None:
    assert balance_band(Decimal(amount) if amount else None) == band


def test_days_delinquent_never_negative() -> None:
    assert days_delinquent(TODAY + dt.timedelta(days=3), TODAY) == 0
    assert days_delinquent(None, TODAY) is None


def test_second_chance_segment_membership(db: Session, cipher: PiiCipher) -> None:
    late = TODAY - dt.timedelta(days=200)
    inside = [
        make_lead(db, cipher, dob=born(21), agency_last_payment_date=late),
        make_lead(db, cipher, dob=born(30, days_after_birthday=300), agency_last_payment_date=late),
        make_lead(db, cipher, dob=born(25), agency_last_payment_date=None, referral_date=TODAY - dt.timedelta(days=90)),
    ]
    outside = [
        make_lead(db, cipher, dob=born(31, days_after_birthday=1), agency_last_payment_date=late),
        make_lead(db, cipher, dob=born(21, days_after_birthday=-2), agency_last_payment_date=late),  # turns 21 soon
        make_lead(db, cipher, dob=born(25), agency_last_payment_date=TODAY - dt.timedelta(days=89)),
        make_lead(db, cipher, dob=born(25), agency_last_payment_date=late, status_description="Closed - Paid in Full"),
        make_lead(db, cipher, dob=None, agency_last_payment_date=late),
    ]
    members = {lead.id for lead in segment_members(db, SECOND_CHANCE, cipher, today=TODAY)}
    assert members == {lead.id for lead in inside}
    assert not members & {lead.id for lead in outside}


def test_state_and_band_filters(db: Session, cipher: PiiCipher) -> None:
    ohio = make_lead(db, cipher, state="OH", total_due=Decimal("800"))
    make_lead(db, cipher, state="TX", total_due=Decimal("800"))
    make_lead(db, cipher, state="OH", total_due=Decimal("60000"))
    rules = SegmentRules(states=["oh"], balance_bands=["under_1k"])
    assert [lead.id for lead in segment_members(db, rules, cipher)] == [ohio.id]


def test_rules_are_validated() -> None:
    with pytest.raises(ValidationError, match="min_age is greater than max_age"):
        SegmentRules(min_age=31, max_age=21)
    with pytest.raises(ValidationError, match="balance_bands"):
        SegmentRules(balance_bands=["huge"])
    with pytest.raises(ValidationError, match="Extra inputs"):
        SegmentRules.model_validate({"min_agee": 3})


def test_default_segment_created_once(db: Session) -> None:
    ensure_default_segments(db)
    ensure_default_segments(db)
    names = [s.name for s in list_segments(db)]
    assert names.count("second-chance") == 1
