"""A realistic, clearly synthetic lead book written as the agency's CSV export.

Synthetic markers: agency ids start with ``SYN-``, emails use example domains, phone numbers use
the 555-01XX block reserved for fiction. Ages, balances and delinquency follow the shape of a
second-chance book: mostly 21-30, mostly 90+ days behind, with a tail that segments must exclude.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

from faker import Faker

from leadsignal.leads.fields import EXTERNAL_NAMES

CREDITORS = ("Navient", "Nelnet", "MOHELA", "Aidvantage", "EdFinancial", "Sallie Mae", "Discover Student Loans")
STATUSES = (
    ("Active - Delinquent", 70), ("Active - Rehab Pending", 8), ("Active - Skip Trace", 6),
    ("Closed - Paid in Full", 4), ("Cease and Desist", 2), ("Bankruptcy Filed", 2),
    ("Attorney Represented", 2), ("Disputed", 3), ("Active - Payment Plan", 3),
)  # fmt: skip
EMAIL_DOMAINS = ("example.com", "example.org", "example.net")


def _date(d: dt.date | None, rng: random.Random) -> str:
    if d is None:
        return ""
    return d.strftime("%m/%d/%Y") if rng.random() < 0.7 else d.isoformat()


def synthetic_rows(count: int, *, seed: int = 42, today: dt.date | None = None) -> list[dict[str, str]]:
    rng = random.Random(seed)
    fake = Faker("en_US")
    fake.seed_instance(seed)
    today = today or dt.date.today()
    statuses = [s for s, _ in STATUSES]
    weights = [w for _, w in STATUSES]
    rows = []
    for i in range(1, count + 1):
        first, last = fake.first_name(), fake.last_name()
        middle = fake.first_name() if rng.random() < 0.3 else ""
        age = rng.randint(21, 30) if rng.random() < 0.85 else rng.choice([19, 20, 31, 33, 36, 41])
        dob = today - dt.timedelta(days=age * 365 + rng.randint(0, 364))
        referral = today - dt.timedelta(days=rng.randint(60, 900))
        paid = rng.random() < 0.6
        last_pay = referral - dt.timedelta(days=rng.randint(10, 400)) if paid else None
        if rng.random() < 0.1:  # a few recent payers: not 90+ days delinquent
            last_pay = today - dt.timedelta(days=rng.randint(5, 80))
        referral_amount = round(rng.lognormvariate(9.6, 0.7), 2)
        received = round(referral_amount * rng.choice([0, 0, 0.02, 0.05, 0.1]), 2)
        name = (
            f"{last.upper()}, {first.upper()} {middle[:1].upper()}".strip()
            if rng.random() < 0.4
            else f"{first} {middle} {last}".replace("  ", " ")
        )
        state = fake.state_abbr(include_territories=False)
        email = f"{first}.{last}{rng.randint(1, 99)}@{rng.choice(EMAIL_DOMAINS)}".lower()
        pcg_pay = last_pay - dt.timedelta(days=rng.randint(0, 60)) if last_pay and rng.random() < 0.3 else None
        slug = f"{first}-{last}-syn{i}".lower()
        rows.append(
            {
                "debtor_name": name,
                "agency_id_number": f"SYN-{i:07d}",
                "loan_number": f"SL{seed % 100:02d}{i:08d}",
                "tax_id": fake.ssn(),
                "dob": _date(dob, rng),
                "address": fake.street_address(),
                "city": fake.city(),
                "state": state if rng.random() < 0.9 else fake.state(),
                "zip": fake.zipcode_in_state(state),
                "phone_1": f"({rng.randint(201, 989)}) 555-01{rng.randint(0, 99):02d}",
                "phone_2": f"{rng.randint(201, 989)}-555-01{rng.randint(0, 99):02d}" if rng.random() < 0.3 else "",
                "email": email if rng.random() < 0.8 else "",
                "org_creditor": rng.choice(CREDITORS),
                "referral_amount": f"${referral_amount:,.2f}",
                "received_total": f"{received:.2f}",
                "total_due": f"${referral_amount - received:,.2f}",
                "last_payment_amount": f"{rng.choice([25, 50, 75, 100, 150]):.2f}" if paid else "",
                "referral_date": _date(referral, rng),
                "item_date_c_off": _date(referral - dt.timedelta(days=rng.randint(30, 200)), rng),
                "agency_last_payment_date": _date(last_pay, rng),
                "pcg_last_payment_date": _date(pcg_pay, rng),
                "status_description": rng.choices(statuses, weights)[0],
                "companyDomain": "",
                "companyAbout": "",
                "linkedin_url": f"https://www.linkedin.com/in/{slug}" if rng.random() < 0.5 else "",
            }
        )  # fmt: skip
    return rows


def write_sample_csv(path: Path, count: int, *, seed: int = 42, today: dt.date | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(EXTERNAL_NAMES))
        writer.writeheader()
        writer.writerows(synthetic_rows(count, seed=seed, today=today))
    return path
