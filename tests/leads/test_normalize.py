import datetime as dt
from decimal import Decimal

import pytest

from leadsignal.leads import normalize as n


@pytest.mark.parametrize(
    ("raw", "first", "middle", "last", "suffix"),
    [
        ("DOE, JANE A", "Jane", "A", "Doe", None),
        ("jane a. doe", "Jane", "A", "Doe", None),
        ("Maria de la Cruz Garcia", "Maria", None, "de la Cruz Garcia", None),
        ("O'NEIL-SMITH, PAT JR", "Pat", None, "O'Neil-Smith", "Jr."),
        ("mcdonald, ronald", "Ronald", None, "McDonald", None),
        ("John Michael Smith III", "John", "Michael", "Smith", "III"),
    ],
)
def test_parse_name(raw: str, first: str, middle: str | None, last: str, suffix: str | None) -> None:
    name = n.parse_name(raw)
    assert (name.first, name.middle, name.last, name.suffix) == (first, middle, last, suffix)


@pytest.mark.parametrize("raw", ["", "Cher", "R2D2 Droid"])
def test_parse_name_rejects(raw: str) -> None:
    with pytest.raises(n.FieldError, match="debtor_name"):
        n.parse_name(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("(614) 555-0123", "+16145550123"), ("614.555.0123", "+16145550123"), ("+1 614 555 0123 x12", "+16145550123"),
     ("1-614-555-0123", "+16145550123"), ("", None)],
)  # fmt: skip
def test_parse_phone(raw: str, expected: str | None) -> None:
    assert n.parse_phone(raw, "phone_1") == expected


@pytest.mark.parametrize("raw", ["555-0123", "123-456-7890", "phone"])
def test_parse_phone_rejects(raw: str) -> None:
    with pytest.raises(n.FieldError, match="phone_1"):
        n.parse_phone(raw, "phone_1")


def test_email_lowercased_and_validated() -> None:
    assert n.parse_email(" Jane.Doe@Example.COM ") == "jane.doe@example.com"
    with pytest.raises(n.FieldError, match="email"):
        n.parse_email("jane@@example")


@pytest.mark.parametrize(
    ("raw", "code"), [("oh", "OH"), ("Ohio", "OH"), ("new york", "NY"), ("D.C.", "DC"), ("PR", "PR")]
)
def test_parse_state(raw: str, code: str) -> None:
    assert n.parse_state(raw) == code


def test_parse_state_rejects() -> None:
    with pytest.raises(n.FieldError, match="state: 'ZZ'"):
        n.parse_state("ZZ")


@pytest.mark.parametrize(("raw", "expected"), [("2134", "02134"), ("43004", "43004"), ("43004-1234", "43004-1234"),
                                               ("430041234", "43004-1234"), ("43004.0", "43004")])  # fmt: skip
def test_parse_zip(raw: str, expected: str) -> None:
    assert n.parse_zip(raw) == expected


@pytest.mark.parametrize(("raw", "expected"), [("$1,234.56", Decimal("1234.56")), ("1234", Decimal("1234.00")),
                                               (" $ 0.5 ", Decimal("0.50")), ("0", Decimal("0.00"))])  # fmt: skip
def test_parse_money(raw: str, expected: Decimal) -> None:
    assert n.parse_money(raw, "total_due") == expected


@pytest.mark.parametrize(("raw", "reason"), [("-5", "negative"), ("($12.00)", "negative"), ("abc", "not an amount"),
                                             ("1.005", "fractions of a cent"), ("NaN", "not an amount")])  # fmt: skip
def test_parse_money_rejects(raw: str, reason: str) -> None:
    with pytest.raises(n.FieldError, match=reason):
        n.parse_money(raw, "total_due")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("3/7/2024", dt.date(2024, 3, 7)), ("03/07/2024", dt.date(2024, 3, 7)), ("2024-03-07", dt.date(2024, 3, 7)),
     ("3/7/24", dt.date(2024, 3, 7)), ("7-Mar-2024", dt.date(2024, 3, 7)), ("Mar 7, 2024", dt.date(2024, 3, 7)),
     ("3/7/99", dt.date(1999, 3, 7))],
)  # fmt: skip
def test_parse_date(raw: str, expected: dt.date) -> None:
    assert n.parse_date(raw, "referral_date", today=dt.date(2026, 11, 23)) == expected


@pytest.mark.parametrize("raw", ["2/30/2024", "13/1/2024", "yesterday", "2024/13/45"])
def test_parse_date_rejects(raw: str) -> None:
    with pytest.raises(n.FieldError, match="referral_date"):
        n.parse_date(raw, "referral_date")


def test_parse_domain() -> None:
    assert n.parse_domain("https://www.Acme.com/about") == "acme.com"
    with pytest.raises(n.FieldError, match="companyDomain"):
        n.parse_domain("not a domain")
